"""One dossier's life, from reception to return, timed with the real working-time rules.

The due time comes from core.due (spec 2.2), supplement waits move it as policy `pause` says
(2.3), and the finish is placed before or after that effective due time on purpose, so the
share of late dossiers of each unit comes out as its profile says. Whatever lies after `now`
has not happened yet: such a dossier is still open, in the status it has at `now`.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from core.calendar import WorkCalendar
from core.demo.catalogue import Procedure
from core.due import Limit, Wait, due_pause, same_day_cutoff, statutory_due, wait_seconds

HOUR = 3600
MINUTE = 60
REJECTED, WITHDRAWN, STOPPED = 0.015, 0.012, 0.005  # shares of dossiers ending that way


@dataclass
class Life:
    """What happened to one dossier up to `now`."""

    status: str
    due: dt.datetime
    start: dt.datetime | None
    finished: dt.datetime | None = None
    returned: dt.datetime | None = None
    waits: list[list] = field(default_factory=list)   # [requested, completed | None, reason]
    extension: tuple | None = None                    # (at, previous_due, new_due, reason)
    end_from: str | None = None                       # status left by the closing event
    end_reason: str | None = None
    late: bool = False
    e_result: int = 0
    finish_position: int = 0                          # working-time position of `finished`


class Dues:
    """statutory_due (spec 2.2), remembered where it depends only on the reception day.

    A same-day limit depends on the day and on whether the reception was after the cutoff, a
    calendar-day limit on the day alone; both are computed once per day by core.due itself.
    """

    def __init__(self, cal: WorkCalendar):
        self.cal = cal
        self.memo: dict = {}
        self.cutoffs: dict[Limit, int] = {}  # seconds after midnight

    def __call__(self, received: dt.datetime, limit) -> dt.datetime:
        if limit.unit == "calendar_days":
            key = (limit, received.date(), False)
        elif limit.unit == "same_day":
            cutoff = self.cutoffs.get(limit)
            if cutoff is None:
                cutoff = self.cutoffs[limit] = same_day_cutoff(self.cal, limit.cutoff)
            second = received.hour * 3600 + received.minute * 60 + received.second
            key = (limit, received.date(), second > cutoff)
        else:
            return statutory_due(self.cal, received, limit)
        due = self.memo.get(key)
        if due is None:
            due = self.memo[key] = statutory_due(self.cal, received, limit)
        return due


def _uniform_minutes(rng: random.Random, low: float, high: float) -> float:
    return rng.uniform(low, high) * MINUTE


def _start_delay(rng: random.Random, channel: str, received: dt.datetime,
                 proc: Procedure) -> float:
    """Working seconds between reception (or the next session start) and processing.

    Online dossiers wait in the queue until a clerk checks it at a session start; paper
    dossiers received after 15:00 go to the processing officer the next working day (Decree 61
    Art. 18); files of long procedures often wait for the officer's next round.
    """
    r = rng.random()
    if channel == "online":
        return rng.uniform(0.1, 1.5) * HOUR
    if received.hour >= 15 and proc.limit.unit != "same_day":
        return rng.uniform(2.2, 3) * HOUR  # past the 17:00 close: early next working day
    if proc.limit.unit != "same_day" and r < 0.3:
        return rng.uniform(4, 12) * HOUR
    if r < 0.6:
        return _uniform_minutes(rng, 2, 30)
    if r < 0.9:
        return _uniform_minutes(rng, 30, 180)
    return rng.uniform(3, 8) * HOUR


def _wait_length(rng: random.Random) -> float:
    """Working seconds the citizen takes to supplement the dossier (some take weeks)."""
    r = rng.random()
    if r < 0.3:
        return rng.uniform(2, 16) * HOUR
    if r < 0.6:
        return rng.uniform(16, 40) * HOUR
    return rng.uniform(40, 240) * HOUR


def _lateness(rng: random.Random) -> float:
    """Working seconds past the effective due time of a late dossier."""
    r = rng.random()
    if r < 0.45:
        return rng.uniform(0.5, 6) * HOUR
    if r < 0.8:
        return rng.uniform(6, 24) * HOUR
    if r < 0.95:
        return rng.uniform(24, 64) * HOUR
    return rng.uniform(64, 160) * HOUR


def _pickup_delay(rng: random.Random, channel: str) -> float | None:
    """Working seconds between the finish and the return of the result (None: never collected)."""
    if channel == "postal":
        return rng.uniform(8, 24) * HOUR
    r = rng.random()
    if r < 0.55:
        return _uniform_minutes(rng, 10, 180)
    if r < 0.85:
        return rng.uniform(3, 40) * HOUR
    if r < 0.98:
        return rng.uniform(40, 160) * HOUR
    return None


def _waits(rng, cal: WorkCalendar, proc: Procedure, start, due, texts) -> list[list]:
    """Zero, one or (rarely) two supplement waits, each requested before the moving due time."""
    if not proc.supplement or rng.random() >= proc.supplement:
        return []
    waits, cursor, effective = [], start, due
    for _ in range(2 if rng.random() < 0.18 else 1):
        span = cal.working_seconds(cursor, effective)
        if span < 2 * HOUR:
            break
        requested = cal.add(cursor, span * rng.uniform(0.05, 0.45))
        completed = cal.add(requested, _wait_length(rng))
        waits.append([requested, completed, rng.choice(texts["supplement"])])
        effective = cal.add(effective, wait_seconds(cal, requested, completed))
        cursor = completed
    return waits


def _next_session(cal: WorkCalendar, moment: dt.datetime) -> dt.datetime:
    """The start of the session after the one `moment` is in (the online queue's next check)."""
    second = moment.hour * 3600 + moment.minute * 60 + moment.second
    if any(start == second for start, _ in cal.sessions):
        return moment
    end = next(e for s, e in cal.sessions if s <= second <= e)
    return cal.session_start_from(dt.datetime.combine(moment.date(), dt.time()) +
                                  dt.timedelta(seconds=end))


def _effective(cal: WorkCalendar, due, waits) -> dt.datetime:
    effective = due_pause(cal, due, [Wait(w[0], w[1]) for w in waits], None, None)
    if effective is None:  # the demo's waits are all completed: the clock never stops
        raise RuntimeError("demo dossier without a due time")
    return effective


def _finish(rng, lo: int, effective: int, late: bool) -> tuple[int, bool]:
    """A finish on the chosen side of the effective due time, as working-time positions.

    Positions only move inside office hours, so "at most the due position" is never late and
    "past the due position" always is (spec 2.4 compares instants; positions keep the order).
    """
    if not late:
        span = effective - lo
        if span >= 2 * MINUTE:
            return lo + max(MINUTE, round(span * rng.random() ** 0.6)), False
    return effective + round(_lateness(rng)), True


def _extension(rng, cal: WorkCalendar, lo, effective, finish, texts) -> tuple | None:
    """Mẫu 04 for a dossier that will be late: asked before the due time, a new date after it."""
    if rng.random() >= 0.55 or cal.working_seconds(lo, effective) < 8 * HOUR:
        return None
    asked = cal.at_position(cal.position(effective) - round(rng.uniform(2, 8) * HOUR))
    if asked <= lo:
        return None
    target = cal.add(effective, rng.uniform(8, 24) * HOUR)
    if rng.random() < 0.85:
        target = max(target, finish)  # most apologies keep the new date
    new_due = cal.end_of_office_day(cal.next_working_day(target.date(), include=True))
    return asked, effective, new_due, rng.choice(texts["extension"])


def _fate(rng: random.Random, waits: list) -> str:
    r = rng.random()
    if waits and r < 0.06:
        return "stopped"
    if r < REJECTED:
        return "rejected"
    if r < REJECTED + WITHDRAWN:
        return "withdrawn"
    if r < REJECTED + WITHDRAWN + STOPPED:
        return "stopped"
    return "resolved"


def live(rng: random.Random, cal: WorkCalendar, proc: Procedure, received: dt.datetime,
         channel: str, late: bool, now: dt.datetime, texts: dict, dues: Dues) -> Life:
    """The dossier's life as of `now`."""
    due = dues(received, proc.limit)
    base = cal.session_start_from(received)
    p_base, p_due = cal.position(base), cal.position(due)
    if channel == "online":  # the online queue is checked at the next session start …
        queued = _next_session(cal, base)
        p_queued = cal.position(queued)
        if p_due - p_queued > HOUR:  # … unless that would leave no time to do the work
            base, p_base = queued, p_queued
    delay = max(0, round(min(_start_delay(rng, channel, received, proc), (p_due - p_base) * 0.4)))
    p_start = p_base + delay
    start = cal.at_position(p_start) if delay > 0 else base
    waits = _waits(rng, cal, proc, start, due, texts)
    if waits:
        effective = _effective(cal, due, waits)
        p_effective, p_lo = cal.position(effective), max(p_start, cal.position(waits[-1][1]))
    else:
        effective, p_effective, p_lo = due, p_due, p_start
    fate = _fate(rng, waits)
    if fate in ("withdrawn", "stopped"):
        return _cut(_abandon(rng, cal, due, base, start, effective, waits, fate, texts), now)
    p_finish, late = _finish(rng, p_lo, p_effective, late)
    finish = cal.at_position(p_finish)
    life = Life("rejected" if fate == "rejected" else "done", due, start, finish, waits=waits,
                late=late, end_from="processing", finish_position=p_finish)
    if fate == "rejected":
        life.end_reason = rng.choice(texts["reject"])
    if late:
        lo = cal.at_position(p_lo) if waits else start
        life.extension = _extension(rng, cal, lo, effective, finish, texts)
    return _cut(life, now)


def _abandon(rng, cal: WorkCalendar, due, base, start, effective, waits, fate, texts) -> Life:
    """A dossier withdrawn by the citizen or stopped by the office before it was resolved."""
    if fate == "stopped" and waits:
        waits[-1][1] = None  # the citizen never brought the missing papers
        end = cal.add(waits[-1][0], rng.uniform(16, 80) * HOUR)
    else:
        end = cal.add(base, max(MINUTE, cal.working_seconds(base, effective) * rng.uniform(0.02, 1.1)))
    kept, end_from = [], "processing"
    for wait in waits:
        if wait[0] >= end:
            break
        if wait[1] is None or wait[1] > end:
            wait[1], end_from = None, "supplement"
        kept.append(wait)
    if end < start:
        start, end_from = None, "received"
    return Life(fate, due, start, end, waits=kept, end_from=end_from,
                end_reason=rng.choice(texts["withdraw" if fate == "withdrawn" else "stop"]))


def _cut(life: Life, now: dt.datetime) -> Life:
    """Forget what happens after `now`: the dossier is then still open."""
    if life.finished is not None and life.finished <= now:
        return life
    life.finished, life.status, life.end_from, life.end_reason = None, "processing", None, None
    if life.start is None or life.start > now:
        life.start, life.status = None, "received"
    kept = []
    for wait in life.waits:
        if wait[0] >= now:
            break
        if wait[1] is None or wait[1] > now:
            wait[1], life.status = None, "supplement"
        kept.append(wait)
    life.waits = kept
    if life.extension is not None and life.extension[0] > now:
        life.extension = None
    return life


def hand_back(rng: random.Random, cal: WorkCalendar, life: Life, channel: str,
              paper_result: int, now: dt.datetime) -> None:
    """Return the result of a finished dossier (or leave it waiting at the desk: status done)."""
    if life.status != "done" or life.finished is None:  # done: finished is set
        return
    returned: dt.datetime | None
    electronic = channel == "online" and (not paper_result or rng.random() < 0.9)
    life.e_result = int(electronic or (channel == "direct" and rng.random() < 0.03))
    if electronic:
        returned = life.finished + dt.timedelta(seconds=round(_uniform_minutes(rng, 1, 30)))
    else:
        delay = _pickup_delay(rng, channel)
        returned = None if delay is None else cal.at_position(life.finish_position + round(delay))
    if returned is not None and returned <= now:
        life.returned, life.status = returned, "returned"
