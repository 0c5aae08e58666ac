"""Due times (spec 2.2), supplement waits and extensions (2.3), classification (2.4).

Everything here is a pure function of a calendar and plain values, so it can be checked by
hand-worked examples. Times are naive local datetimes.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.calendar import WorkCalendar, parse_hhmm

HOUR = 3600
DAY_HOURS = 8  # spec 2.2: a working day is 8 working hours whatever the office hours are
DEFAULT_CUTOFF = "15:00"
# The revision of the time rules here, part of an exchange package's rules fingerprint
# (core.exchange.records.rules_fingerprint): a package whose derived data (due times, facts)
# another revision computed is recomputed, not kept. Raise it when a due time may change.
# 2: a same-day cut-off after the end of office hours counts as that end; 0 calendar days
#    received after office hours is due the next working day (never before reception).
RULES_REVISION = 2


@dataclass(frozen=True)
class Limit:
    """A procedure's time limit (spec 2.2)."""

    value: float
    unit: str  # working_days | working_hours | calendar_days | same_day
    cutoff: str | None = None  # same_day only; HH:MM, default 15:00


@dataclass(frozen=True)
class Wait:
    """One supplement wait [requested_at, completed_at)."""

    requested_at: dt.datetime
    completed_at: dt.datetime | None = None


def statutory_due(cal: WorkCalendar, received_at: dt.datetime, limit: Limit) -> dt.datetime:
    """The due time of spec 2.2 computed from the reception time and the limit."""
    if limit.unit == "working_days":
        return _add_from_start(cal, received_at, limit.value * DAY_HOURS * HOUR)
    if limit.unit == "working_hours":
        return _add_from_start(cal, received_at, limit.value * HOUR)
    if limit.unit == "calendar_days":
        return _calendar_days_due(cal, received_at, int(round(limit.value)))
    if limit.unit == "same_day":
        return _same_day_due(cal, received_at, limit.cutoff)
    raise ValueError(f"đơn vị thời hạn không hợp lệ: {limit.unit!r}")


EXTENSION_OFFER = Limit(3, "working_days")


def proposed_extension(cal: WorkCalendar, current_due: dt.datetime | None,
                       now: dt.datetime) -> dt.datetime:
    """The new due time the extension form (Mẫu 04) offers: 3 working days after the current
    due time, or after now when that is already past. From the past due of a late dossier it
    offered a day already gone, and the apology promised the citizen a return date before it
    was written."""
    start = now if current_due is None or current_due < now else current_due
    return statutory_due(cal, start, EXTENSION_OFFER)


def _add_from_start(cal: WorkCalendar, received_at: dt.datetime, seconds: float) -> dt.datetime:
    start = cal.session_start_from(received_at)
    return cal.add(start, seconds) if seconds > 0 else start


def _calendar_days_due(cal: WorkCalendar, received_at: dt.datetime, days: int) -> dt.datetime:
    """The end of office hours of reception date + `days` (the next working day's when that
    date does not work). A limit of 0 calendar days (the catalogue takes it) on a dossier
    received after the day's office hours would end before the reception: like a same-day
    limit, it is then due at the end of the next working day (received outside every session,
    spec 2.2's start point)."""
    target = received_at.date() + dt.timedelta(days=days)
    due = cal.end_of_office_day(cal.next_working_day(target, include=True))
    if due < received_at:
        return cal.end_of_office_day(cal.next_working_day(received_at.date()))
    return due


def same_day_cutoff(cal: WorkCalendar, cutoff: str | None) -> int:
    """The cut-off in effect for a same-day limit (spec 2.2), in seconds after midnight: the
    procedure's `same_day_cutoff` (default 15:00), never later than the end of office hours of
    `cal` (the calendar governing the dossier, spec 2.1).

    A stored cut-off may lie after the end of office hours (17:30 or 18:00 kept by an older
    version, brought by another installation's package or an import, or office hours made
    shorter from a date): a dossier received after the day's office hours, 17:15 with a cut-off
    18:00, is received outside every session and is due at the end of the next working day, as
    the start point of spec 2.2 says, never at 17:00 of its own day, before its reception.
    Received at the very end of office hours (17:00:00) it is still in time, as with a cut-off
    of 17:00 (received exactly at the cut-off is in time)."""
    return min(parse_hhmm(cutoff or DEFAULT_CUTOFF), cal.sessions[-1][1])


def same_day_late(cal: WorkCalendar, received_at: dt.datetime, cutoff: str | None) -> bool:
    """Whether a same-day dossier received at `received_at` on a working day is past the cut-off
    in effect (`same_day_cutoff`): the one rule of core.due, core.explain and the demo."""
    second = received_at.hour * 3600 + received_at.minute * 60 + received_at.second
    return second > same_day_cutoff(cal, cutoff)


def _same_day_due(cal: WorkCalendar, received_at: dt.datetime, cutoff: str | None) -> dt.datetime:
    day = received_at.date()
    if not cal.is_working_day(day) or same_day_late(cal, received_at, cutoff):
        return cal.end_of_office_day(cal.next_working_day(day))
    return cal.end_of_office_day(day)


def base_due(cal: WorkCalendar, received_at: dt.datetime, limit: Limit,
             explicit_due: dt.datetime | None) -> dt.datetime:
    """The dossier's due time before waits: its explicit `due_at` if it has one (spec 2.2)."""
    return explicit_due if explicit_due is not None else statutory_due(cal, received_at, limit)


def _sorted_waits(waits: Iterable[Wait], moment: dt.datetime | None) -> list[Wait]:
    """Waits that begin before `moment` (all when None), in order of request."""
    chosen = [w for w in waits if moment is None or w.requested_at < moment]
    return sorted(chosen, key=lambda w: (w.requested_at, w.completed_at or dt.datetime.max))


def _wait_end(wait: Wait, finished_at: dt.datetime | None,
              moment: dt.datetime | None) -> dt.datetime | None:
    """Where a wait ends for the evaluation at `moment` (None: open with no end in sight)."""
    end = wait.completed_at if wait.completed_at is not None else finished_at
    if moment is not None and (end is None or end > moment):
        end = moment
    return end


def due_pause(cal: WorkCalendar, due: dt.datetime, waits: Sequence[Wait],
              finished_at: dt.datetime | None, moment: dt.datetime | None) -> dt.datetime | None:
    """Policy `pause`: the due time moved later by the working time inside the waits.

    Returns None when a counted wait never ends (open dossier evaluated with no moment):
    the clock is stopped, the dossier cannot be late.
    """
    effective = due
    for wait in _sorted_waits(waits, moment):
        if wait.requested_at >= effective:
            continue
        end = _wait_end(wait, finished_at, moment)
        if end is None:
            return None
        recorded = end != moment  # a completion or a finish, not the moment it is still open at
        effective = cal.add(effective, wait_seconds(cal, wait.requested_at, end, recorded))
    return effective


def wait_seconds(cal: WorkCalendar, requested_at: dt.datetime, end: dt.datetime,
                 recorded_end: bool = True) -> int:
    """Working time of a wait, counted from whole minutes as the clerk sees and enters times.

    A request and a receipt in the same minute are a wait of zero (spec 2.2): the due time
    stays where it was, e.g. 17:00, instead of a few seconds into the next morning.

    A wait still open at the moment of evaluation runs to that very moment (spec 2.3: it ends
    at T; `recorded_end` False), not to T's minute: cut to the minute, a wait requested in the
    minute before the due time left the due time behind T for the seconds of T past that minute,
    so a dossier waiting for the citizen counted overdue in the list behind a running period's
    figure (the rules) while the figure itself (core.facts' live due) said within time.
    """
    return cal.working_seconds(_to_minute(requested_at), _to_minute(end) if recorded_end else end)


def _to_minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


def due_restart(cal: WorkCalendar, due: dt.datetime, waits: Sequence[Wait], limit: Limit,
                finished_at: dt.datetime | None, moment: dt.datetime | None) -> dt.datetime | None:
    """Policy `restart` (Decree 297/2025; since Decree 61/2018 Art. 19.4): the limit runs afresh
    from the last completion.

    None while a wait is open at `moment` on a dossier not finished by then (never overdue).
    """
    chosen = _sorted_waits(waits, moment)
    still_open = [w for w in chosen if w.completed_at is None
                  or (moment is not None and w.completed_at > moment)]
    finished_by_moment = finished_at is not None and (moment is None or finished_at < moment)
    if still_open and not finished_by_moment:
        return None
    completed = [w.completed_at for w in chosen if w.completed_at is not None
                 and (moment is None or w.completed_at <= moment)]
    if not completed:
        return due
    return statutory_due(cal, max(completed), limit)


@dataclass(frozen=True)
class Policy:
    supplement: str = "pause"       # pause | restart
    due_basis: str = "original"     # original | extended


def effective_due(cal: WorkCalendar, *, due: dt.datetime, limit: Limit, waits: Sequence[Wait],
                  finished_at: dt.datetime | None, extended_due_at: dt.datetime | None,
                  policy: Policy, moment: dt.datetime | None) -> dt.datetime | None:
    """The effective due time of spec 2.3 evaluated at `moment` (None = no moment, all waits).

    None means the clock is stopped by an open wait: the dossier is not overdue.
    """
    if policy.due_basis == "extended" and extended_due_at is not None:
        return extended_due_at
    if policy.supplement == "restart":
        return due_restart(cal, due, waits, limit, finished_at, moment)
    return due_pause(cal, due, waits, finished_at, moment)


def classify_finished(finished_at: dt.datetime, effective: dt.datetime | None) -> str:
    """Spec 2.4: 'late', 'early' or 'on_time'."""
    if effective is None:
        raise ValueError("a finished dossier always has an effective due time")
    if finished_at > effective:
        return "late"
    if finished_at.date() < effective.date():
        return "early"
    return "on_time"


def is_overdue_at(moment: dt.datetime, effective: dt.datetime | None) -> bool:
    """Spec 2.4: an open dossier is overdue at `moment` if moment > effective due."""
    return effective is not None and moment > effective
