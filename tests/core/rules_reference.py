"""An independent reference of the time rules (spec 2.1–2.4) and the Biểu 06 counts (spec 5),
written from the spec and domain/legal-2026.md alone.

It imports nothing of core's calendar, due, moment or indicator code: working time is walked
session by session (the program measures positions on a working-time line), the official day-off
schedules are typed here from legal-2026.md (the program reads resources/calendar/vn-official.json),
and a dossier is counted by the plain words of spec 5. tests/core/test_rules_reference.py compares
the program with it. Slow on purpose where slow is simple; every function says the rule it follows.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

import holidays

DAY = dt.timedelta(days=1)
HOUR = 3600
DEFAULT_HOURS = (("07:00", "11:30"), ("13:30", "17:00"))


def _days(first: str, last: str) -> list[dt.date]:
    day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    out = []
    while day <= end:
        out.append(day)
        day += DAY
    return out


# legal-2026.md "Calendar 2025–2027": the days off of each year with an official schedule, and
# the weekend days worked in exchange. A weekday of such a year not listed is a working day.
OFFICIAL_OFF = {
    2025: set(_days("2025-01-01", "2025-01-01") + _days("2025-01-25", "2025-02-02")
              + _days("2025-04-07", "2025-04-07")  # Giỗ Tổ (10/3 âm lịch, Monday 7/4/2025)
              + _days("2025-04-30", "2025-05-04") + _days("2025-08-30", "2025-09-02")),
    2026: set(_days("2026-01-01", "2026-01-01") + _days("2026-02-14", "2026-02-22")
              + _days("2026-04-25", "2026-04-27") + _days("2026-04-30", "2026-05-03")
              + _days("2026-08-29", "2026-09-02")),
}
OFFICIAL_WORKED = {2025: {dt.date(2025, 4, 26)}, 2026: {dt.date(2026, 8, 22)}}
# spec 2.1: 24/11 "Ngày Văn hóa Việt Nam" is a package day with no confirmed basis; until the
# office confirms or drops it, it stays what the package says (a holiday).
UNCONFIRMED = (11, 24)


@cache
def package_days(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day: dt.date, office: dict[dt.date, str] | None = None) -> bool:
    """spec 2.1: Mon–Fri minus public holidays plus explicit working days; the office's own rows
    win; a year with an official schedule follows it (except the unconfirmed day, left to the
    package until the office decides)."""
    if office and day in office:
        return office[day] == "workday"
    year = day.year
    if year in OFFICIAL_OFF and (day.month, day.day) != UNCONFIRMED:
        if day in OFFICIAL_WORKED[year]:
            return True
        return day.weekday() < 5 and day not in OFFICIAL_OFF[year]
    return day.weekday() < 5 and day not in package_days(year)


def _seconds(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 3600 + int(m) * 60


@dataclass
class Calendar:
    """Working days (with the office's rows) and dated office hours [(valid_from, hours)]."""

    office: dict[dt.date, str] = field(default_factory=dict)
    hours: list[tuple[dt.date, tuple]] = field(
        default_factory=lambda: [(dt.date(1, 1, 1), DEFAULT_HOURS)])

    def working(self, day: dt.date) -> bool:
        return is_working_day(day, self.office)

    def sessions(self, received_at: dt.datetime) -> list[tuple[int, int]]:
        """spec 2.1: the office hours in force on the reception day govern the dossier."""
        chosen = [h for start, h in self.hours if start <= received_at.date()][-1]
        return [(_seconds(a), _seconds(b)) for a, b in chosen]


def _at(day: dt.date, second: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=second)


def _second_of(moment: dt.datetime) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def start_point(cal: Calendar, sessions, moment: dt.datetime) -> dt.datetime:
    """spec 2.2: the moment if inside a session of a working day, else the next session start."""
    day, second = moment.date(), _second_of(moment)
    while True:
        if cal.working(day):
            for start, end in sessions:
                if second < end:
                    return _at(day, max(start, second))
        day, second = day + DAY, 0


def add_working(cal: Calendar, sessions, moment: dt.datetime, seconds: float) -> dt.datetime:
    """`moment` plus `seconds` of working time, walked session by session; landing exactly on a
    session end gives that end (spec 2.2); adding nothing leaves the moment where it is."""
    remaining = round(seconds)
    if remaining <= 0:
        return moment
    day, second = moment.date(), _second_of(moment)
    while True:
        if cal.working(day):
            for start, end in sessions:
                begin = max(start, second)
                if begin >= end:
                    continue
                if remaining <= end - begin:
                    return _at(day, begin + remaining)
                remaining -= end - begin
        day, second = day + DAY, 0


def working_between(cal: Calendar, sessions, a: dt.datetime, b: dt.datetime) -> int:
    """Working seconds inside [a, b) (spec 2.3: the working time inside a wait)."""
    total, day = 0, a.date()
    while day <= b.date():
        if cal.working(day):
            for start, end in sessions:
                lo = max(_at(day, start), a)
                hi = min(_at(day, end), b)
                if hi > lo:
                    total += int((hi - lo).total_seconds())
        day += DAY
    return total


def end_of_office(sessions, day: dt.date) -> dt.datetime:
    return _at(day, sessions[-1][1])


def next_working(cal: Calendar, day: dt.date) -> dt.date:
    while not cal.working(day):
        day += DAY
    return day


@dataclass(frozen=True)
class Rule:
    value: float
    unit: str
    cutoff: str | None = None


def statutory_due(cal: Calendar, received: dt.datetime, rule: Rule,
                  reception: dt.datetime | None = None) -> dt.datetime:
    """spec 2.2, unit by unit, from `received` (under restart: a completion) under the office
    hours of the dossier's `reception` (spec 2.1: the rules in force at its received_at)."""
    sessions = cal.sessions(reception or received)
    if rule.unit in ("working_days", "working_hours"):
        hours = rule.value * (8 if rule.unit == "working_days" else 1)
        return add_working(cal, sessions, start_point(cal, sessions, received), hours * HOUR)
    if rule.unit == "calendar_days":
        target = received.date() + dt.timedelta(days=int(round(rule.value)))
        if target == received.date() and _second_of(received) > sessions[-1][1]:
            # 0 days, received after the day's office hours: outside every session, as a
            # same-day limit received late, the end of the next working day
            target += DAY
        return end_of_office(sessions, next_working(cal, target))
    assert rule.unit == "same_day", rule
    # Late: after the cut-off (15:00 exactly is in time), or after the end of the day's office
    # hours whatever the cut-off says (a stored 17:30 or 18:00 with hours ending at 17:00):
    # received outside every session, the clock starts the next working day (the start point
    # above), and the due time is never before the reception.
    cutoff = _seconds(rule.cutoff or "15:00")
    day, second = received.date(), _second_of(received)
    after_hours = second > sessions[-1][1]
    if second > cutoff or after_hours or not cal.working(day):
        return end_of_office(sessions, next_working(cal, day + DAY))
    return end_of_office(sessions, day)


@dataclass
class Dossier:
    received: dt.datetime
    rule: Rule                      # the procedure's rule in force at reception
    status: str = "received"
    finished: dt.datetime | None = None
    due_at: dt.datetime | None = None
    extended: dt.datetime | None = None
    waits: list[tuple[dt.datetime, dt.datetime | None]] = field(default_factory=list)
    channel: str = "direct"
    unit: str = "U1"


# A reading the spec leaves open: spec 2.3 moves the due time by "the working time inside" a wait,
# with no word on seconds. The program counts a wait in whole minutes (core.due.wait_seconds,
# issue 11: a request and a receipt in the same minute leave a 17:00 due time at 17:00), while
# receptions, finishes and the moment of evaluation keep their seconds (a wait still open at
# the moment runs to the moment). False = the spec's words taken to the second; most random
# cases here are whole minutes, where both readings agree.
MINUTE_WAITS = False

OPEN = ("received", "processing", "supplement")
RESOLVED = ("done", "returned", "rejected")
WITHDRAWN = ("withdrawn", "stopped")


def due(cal: Calendar, d: Dossier) -> dt.datetime:
    """spec 2.2: the explicit due_at unchanged, else from the limit."""
    return d.due_at if d.due_at is not None else statutory_due(cal, d.received, d.rule)


def closed_at(d: Dossier) -> dt.datetime | None:
    return d.finished if d.status in RESOLVED + WITHDRAWN else None


def effective(cal: Calendar, d: Dossier, supplement: str, basis: str,
              at: dt.datetime) -> dt.datetime | None:
    """spec 2.3 evaluated at `at`: only waits beginning before `at` count; an open wait ends at the
    finish, or at `at`. None: the clock is stopped (restart, a wait open at `at`)."""
    if basis == "extended" and d.extended is not None:
        return d.extended
    finished = closed_at(d)
    if finished is not None and finished >= at:
        finished = None  # not finished as seen at `at`
    waits = sorted((w for w in d.waits if w[0] < at), key=lambda w: w[0])
    sessions = cal.sessions(d.received)
    if supplement == "restart":
        completed = [c for _, c in waits if c is not None and c <= at]
        still_open = any(c is None or c > at for _, c in waits)
        if still_open and finished is None:
            return None
        if not completed:
            return due(cal, d)
        return statutory_due(cal, max(completed), d.rule, d.received)
    value = due(cal, d)
    for requested, completed in waits:
        if requested >= value:
            continue
        end = completed if completed is not None else finished
        if end is None or end > at:
            end = at
        if MINUTE_WAITS:  # recorded times to their minute; a wait open at `at` runs to `at`
            requested = requested.replace(second=0)
            end = end if end == at else end.replace(second=0)
        value = add_working(cal, sessions, value, working_between(cal, sessions, requested, end))
    return value


def classify(finished: dt.datetime, eff: dt.datetime) -> str:
    """spec 2.4."""
    if finished > eff:
        return "late"
    if finished.date() < eff.date():
        return "early"
    return "on_time"


def figures(cal: Calendar, d: Dossier, supplement: str, basis: str, start: dt.datetime,
            end: dt.datetime, at: dt.datetime) -> set[str]:
    """The spec 5 figures one dossier counts in for [start, end), open ones classified at `at`."""
    out: set[str] = set()
    closed = closed_at(d)
    received_in = start <= d.received < end
    carried = d.received < start and not (closed is not None and closed < start)
    if received_in:
        out.add("received.online" if d.channel == "online" else "received.direct_postal")
    if carried:
        out.add("received.carried_over")
    if not (received_in or carried):
        return out
    out.add("received.total")
    if closed is not None and start <= closed < end:
        if d.status in RESOLVED:
            eff = effective(cal, d, supplement, basis, end)
            assert eff is not None
            out |= {"resolved.total", f"resolved.{classify(closed, eff)}"}
        else:
            out.add("withdrawn")
    elif closed is None or closed >= end:
        eff = effective(cal, d, supplement, basis, at)
        late = eff is not None and at > eff
        out |= {"in_progress.total", "in_progress.overdue" if late else "in_progress.within_time"}
    return out


def moment_of_evaluation(period_to: dt.date, now: dt.datetime) -> dt.datetime:
    """spec 2.3 and 5: 24:00 of `to` if it has passed, else now."""
    return min(dt.datetime.combine(period_to + DAY, dt.time()), now)


def late_766(cal: Calendar, d: Dossier, at: dt.datetime) -> bool:
    """spec 5.1 (2.1) for a dossier counted at `at`: always pause and the original due; more than
    one supplement request is late; a closed dossier is late by 2.4; an open one waiting for a
    supplement counts as finished at its request time, else it is late when overdue at `at`."""
    closed = closed_at(d)
    if closed is not None and closed < at:
        if sum(1 for requested, _ in d.waits if requested < closed) > 1:
            return True
        return classify(closed, effective(cal, d, "pause", "original", at)) == "late"
    if sum(1 for requested, _ in d.waits if requested < at) > 1:
        return True
    waiting = [requested for requested, completed in d.waits
               if requested < at and (completed is None or completed >= at)]
    if waiting:
        request = max(waiting)
        return classify(request, effective(cal, d, "pause", "original", request)) == "late"
    eff = effective(cal, d, "pause", "original", at)
    return eff is not None and at > eff


def on_time_766(cal: Calendar, d: Dossier, start: dt.datetime, end: dt.datetime,
                at: dt.datetime) -> bool:
    """In the numerator of 766's 2.1 for [start, end): closed in the period (any closed status)
    and not late, or still open at the moment of evaluation and not late then."""
    closed = closed_at(d)
    if closed is not None and start <= closed < end:
        return not late_766(cal, d, end)
    counted = d.received < end and not (closed is not None and closed < start)
    return counted and (closed is None or closed >= end) and not late_766(cal, d, at)
