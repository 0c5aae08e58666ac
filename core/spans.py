"""Overdue spans: the period ends at which an open dossier counts as overdue.

Under a fixed policy, an open dossier is overdue at a period end T exactly when lo < T <= hi
for one of its spans (hi None = still open). Since T is always a midnight, a span counts at the
end of day D when day(lo) <= D < day(hi), which per-day sums answer as "starts up to D minus
ends up to D" (see core.facts).

Dossiers whose waits lie outside [received, finished] or overlap are "irregular": their figures
depend on the period end and the indicator engine evaluates them directly.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.calendar import WorkCalendar
from core.due import Policy, statutory_due, wait_seconds
from core.moment import effective_over_time

if TYPE_CHECKING:
    from core.moment import DossierInput


def is_irregular(item: DossierInput) -> bool:
    """Waits outside [received, finished] or overlapping make the facts depend on the period end."""
    if not item.waits:  # most dossiers: nothing to sort
        return False
    previous_end = item.received_at
    for wait in sorted(item.waits, key=lambda w: w.requested_at):
        if wait.requested_at < previous_end:
            return True
        end = wait.completed_at
        if item.finished_at is not None:
            if wait.requested_at >= item.finished_at:
                return True
            if end is not None and end > item.finished_at:
                return True
        if end is None:
            previous_end = dt.datetime.max
        else:
            previous_end = end
    return False


def overdue_spans(cal: WorkCalendar, item: DossierInput, due: dt.datetime,
                  policy: Policy) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """The (lo, hi] intervals of period ends T at which the open dossier counts as overdue.

    Without waits (or with a fixed extended due) the effective due E is fixed and the span is
    (E, finished]. With waits the status can only change at the first midnight after an event
    (a wait starting or ending, or an effective due passing), so it is evaluated exactly by the
    rules at those midnights and the runs of "overdue" become spans.
    """
    received, finished = item.received_at, item.finished_at
    fixed = item.extended_due_at if policy.due_basis == "extended" else None
    if fixed is None and not item.waits:
        fixed = due
    if fixed is not None:
        return span(max(fixed, received), finished)
    effective_at = effective_over_time(cal, item, policy, due)

    def overdue_at(midnight: dt.datetime) -> bool:
        effective = effective_at(midnight)
        return effective is not None and midnight > effective
    return runs_at_midnights(cal, item, due, overdue_at)


def runs_at_midnights(cal: WorkCalendar, item: DossierInput, due: dt.datetime,
                      late_at: Callable[[dt.datetime], bool],
                      ) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """The (lo, hi] spans of period ends at which `late_at` holds for a dossier with waits: its
    state can change only at the first midnight after an event, so it is asked there (Biểu 06's
    overdue here, 766's late in core.scorecard766)."""
    received, finished = item.received_at, item.finished_at
    candidates = sorted({_next_midnight(x) for x in _event_times(cal, item, due)})
    spans: list[tuple[dt.datetime, dt.datetime | None]] = []
    run_start = None
    for midnight in candidates:
        if midnight <= received or (finished is not None and midnight > finished):
            continue
        late = late_at(midnight)
        if late and run_start is None:
            run_start = midnight
        elif not late and run_start is not None:
            spans.append((run_start - SECOND, midnight - SECOND))
            run_start = None
    if run_start is not None:
        spans.append((run_start - SECOND, finished))
    return [s for s in spans if s[1] is None or s[0].date() < s[1].date()]


SECOND = dt.timedelta(seconds=1)


def _next_midnight(moment: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(moment.date() + dt.timedelta(days=1), dt.time())


def _event_times(cal: WorkCalendar, item: DossierInput, due: dt.datetime) -> list[dt.datetime]:
    """Every instant after which the overdue status of a dossier with waits may change."""
    times = [item.received_at, due]
    effective = due
    for wait in sorted(item.waits, key=lambda w: w.requested_at):
        times.append(wait.requested_at)
        if wait.completed_at is not None:
            times += [wait.completed_at, statutory_due(cal, wait.completed_at, item.limit)]
            if wait.requested_at < effective:
                effective = cal.add(effective, wait_seconds(cal, wait.requested_at,
                                                            wait.completed_at))
            times.append(effective)
    return times


def span(lo: dt.datetime, hi: dt.datetime | None) -> list[tuple[dt.datetime, dt.datetime | None]]:
    if hi is not None and lo.date() >= hi.date():
        return []  # no midnight falls inside (lo, hi]
    return [(lo, hi)]
