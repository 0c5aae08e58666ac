"""Working time (spec 2.1): working days, public holidays, the office's overrides, office hours.

Working time is measured as a position on a line that only moves inside office-hours sessions
of working days: `position(t)` is the number of working seconds from the calendar's first day
to `t`. Adding working time is then "position + seconds, back to an instant", which makes
long deadlines across Tết or the year end as exact and as fast as short ones.
"""
from __future__ import annotations

import bisect
import datetime as dt
import importlib.util
import sys
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from core.calendar_tables import tables

DAY = dt.timedelta(days=1)
DEFAULT_SESSIONS = (("07:00", "11:30"), ("13:30", "17:00"))
WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


@cache
def public_holidays(year: int) -> dict[dt.date, str]:
    """Vietnam's public holidays of one year from the `holidays` package, named in Vietnamese."""
    vietnam = _vietnam()
    try:
        table = vietnam(years=year, language="vi")
    except (NotImplementedError, ValueError):
        table = vietnam(years=year)
    return dict(table.items())


_LOADING = threading.Lock()  # the window's thread and a worker may both count working time


@cache
def _vietnam():
    """The package's Vietnam class, loaded on first use and alone: `holidays.countries` imports
    all ~250 countries (0.4–2 s in the window, where PySide's import hook reads each module's
    source), while the Vietnam module needs none of them. A frozen build keeps modules in an
    archive, not as files: there the usual import."""
    import holidays

    name = "holidays.countries.vietnam"
    with _LOADING:
        module = sys.modules.get(name)
        path = Path(holidays.__file__).parent / "countries" / "vietnam.py"
        if module is None and path.is_file():
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is not None and spec.loader is not None:
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module  # `import holidays.countries` later finds it
                spec.loader.exec_module(module)
    if module is None:
        from holidays.countries.vietnam import Vietnam
        return Vietnam
    return module.Vietnam


def parse_hhmm(text: str) -> int:
    """'07:30' -> seconds after midnight; raises ValueError with the bad text.

    The reader of times of day *stored* (office hours, a procedure's same-day cut-off), not of
    times typed (core.typed_dates.parse_clock, 00:00–23:59). It reads "24:00" too, the end of
    the day (86400), and must: the procedures import and the catalogue kept a cut-off "24:00"
    before their one rule (core.typed_dates.parse_cutoff, which keeps a stored cut-off as it is
    and takes no new 24:00), and another installation's exchange package carries its
    procedures' cut-offs. Refused here, every due time of such a procedure would fail; a
    cut-off of 24:00, as any cut-off after the end of office hours, counts as that end
    (core.due.same_day_cutoff: a dossier received after the day's office hours is due the next
    working day), a session ending at 24:00 ends at midnight."""
    hours, _, minutes = text.strip().partition(":")
    h, m = int(hours), int(minutes or 0)
    if not (0 <= h <= 24 and 0 <= m < 60) or h * 3600 + m * 60 > 86400:
        raise ValueError(f"giờ không hợp lệ: {text!r}")
    return h * 3600 + m * 60


def parse_sessions(pairs) -> tuple[tuple[int, int], ...]:
    """Office-hours sessions from [["07:00", "11:30"], ...], checked to be ordered and disjoint."""
    sessions = tuple((parse_hhmm(a), parse_hhmm(b)) for a, b in pairs)
    if not sessions:
        raise ValueError("cần ít nhất một buổi làm việc")
    previous_end = 0
    for start, end in sessions:
        if not (previous_end <= start < end):
            raise ValueError("các buổi làm việc phải theo thứ tự và không chồng lên nhau")
        previous_end = end
    return sessions


def clock_text(second: int) -> str:
    """A second of the day as `parse_hhmm` reads it back ("07:30"; 86,400 is "24:00")."""
    return f"{second // 3600:02d}:{second % 3600 // 60:02d}"


def sessions_text(sessions) -> str:
    """Office-hours sessions as the office writes them: "07:00–11:30, 13:30–17:00"."""
    return ", ".join(f"{clock_text(a)}–{clock_text(b)}" for a, b in sessions)


SESSION_NAMES = ("Buổi sáng", "Buổi chiều")  # the settings screen's rows, in their order


def typed_sessions(rows) -> list[list[str]]:
    """Office hours as typed on the settings screen, [(start text, end text), ...] one pair per
    SESSION_NAMES, as the setting keeps them ([["07:30", "11:30"], ...]); each time read by
    core.typed_dates.parse_clock ("7h30" is 07:30), each session ending after it starts and
    starting no earlier than the one before it ends (parse_sessions, said in words). Else a
    FieldError whose field is "<row>.start" or "<row>.end" and whose message names the session
    and the fault: "Buổi chiều, giờ bắt đầu: giờ 25 không có (giờ từ 0 đến 23).", "Buổi chiều
    bắt đầu lúc 11:00, trước khi buổi sáng kết thúc (11:30)."."""
    from core.errors import FieldError, InputError
    from core.typed_dates import parse_clock
    out: list[list[str]] = []
    previous: tuple[str, dt.time] | None = None
    for row, (start_text, end_text) in enumerate(rows):
        name = SESSION_NAMES[row] if row < len(SESSION_NAMES) else f"Buổi {row + 1}"
        times = []
        for part, text, word in (("start", start_text, "giờ bắt đầu"),
                                 ("end", end_text, "giờ kết thúc")):
            try:
                times.append(parse_clock(text, f"{name}, {word}"))
            except InputError as exc:
                raise FieldError(f"{row}.{part}", exc.message) from None
        start, end = times
        if end <= start:
            raise FieldError(f"{row}.end", f"{name}: giờ kết thúc {end:%H:%M} phải sau giờ bắt "
                                           f"đầu {start:%H:%M}.")
        if previous is not None and start < previous[1]:
            raise FieldError(f"{row}.start", f"{name} bắt đầu lúc {start:%H:%M}, trước khi "
                                             f"{previous[0].lower()} kết thúc "
                                             f"({previous[1]:%H:%M}).")
        previous = (name, end)
        out.append([f"{start:%H:%M}", f"{end:%H:%M}"])
    return out


@dataclass
class Override:
    kind: str  # "holiday" | "workday"
    name: str = ""


REST_MAX = 3700  # days a working day is looked for after another: ten years


@dataclass
class WorkCalendar:
    """Working days and office hours, with positions precomputed over a range of years."""

    overrides: dict[dt.date, Override] = field(default_factory=dict)
    sessions: tuple[tuple[int, int], ...] = field(
        default_factory=lambda: parse_sessions(DEFAULT_SESSIONS))
    # office hours by date (spec 2.1): ((valid_from, sessions), ...), empty when they never
    # changed; `sessions` is then the latest entry, the hours of a dossier received today on
    dated: tuple = ()

    def __post_init__(self):
        self.day_seconds = sum(end - start for start, end in self.sessions)
        self._dated_days = [day for day, _ in self.dated]
        self._views: dict[tuple, WorkCalendar] = {}
        self._first: dt.date  # set by _build, the years around every override and today
        self._last: dt.date
        years = [d.year for d in self.overrides] + [dt.date.today().year]
        self._build(min(years) - 2, max(years) + 3)

    def governing(self, received_at: dt.datetime | dt.date) -> WorkCalendar:
        """The calendar with the office hours in force on the reception day of a dossier.

        A dossier keeps those hours for all its working time, waits included (spec 2.1: a
        change from a date never moves the figures of a dossier received before it). Views
        share the overrides and are built once per set of hours.
        """
        if not self.dated:
            return self
        day = received_at.date() if isinstance(received_at, dt.datetime) else received_at
        i = bisect.bisect_right(self._dated_days, day) - 1
        sessions = self.dated[max(i, 0)][1]
        if sessions == self.sessions:
            return self._plain()
        if sessions not in self._views:
            self._views[sessions] = WorkCalendar(self.overrides, sessions)
        return self._views[sessions]

    def _plain(self) -> WorkCalendar:
        """This calendar with only its own hours (so `governing` of a view is the view)."""
        if self.sessions not in self._views:
            self._views[self.sessions] = WorkCalendar(self.overrides, self.sessions)
        return self._views[self.sessions]

    # ----- the table of days -------------------------------------------------------------
    def _build(self, first_year: int, last_year: int) -> None:
        self._first = dt.date(first_year, 1, 1)
        self._last = dt.date(last_year, 12, 31)
        # everything the tables depend on; the public holidays' source too (the self-test's
        # test replaces it to prove a calendar without Tết fails the due-time checks)
        key = (frozenset((day, o.kind == "workday") for day, o in self.overrides.items()),
               self.day_seconds, first_year, last_year, public_holidays)
        self._working, self._cum = tables(*key)

    def _ensure(self, day: dt.date) -> None:
        if self._first <= day <= self._last:
            return
        if not (dt.date(1900, 1, 1) <= day <= dt.date(2199, 12, 31)):
            raise ValueError(f"ngày nằm ngoài phạm vi lịch làm việc: {day:%d/%m/%Y}")
        self._build(min(self._first.year, day.year - 1), max(self._last.year, day.year + 1))

    def _index(self, day: dt.date) -> int:
        self._ensure(day)
        return (day - self._first).days

    # ----- days --------------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        return self._working[self._index(day)]

    def day_reason(self, day: dt.date) -> str | None:
        """Why `day` is not a working day (None if it is one), in Vietnamese."""
        override = self.overrides.get(day)
        if override is not None:
            if override.kind == "workday":
                return None
            return "nghỉ theo lịch của cơ quan" + (f" ({override.name})" if override.name else "")
        name = public_holidays(day.year).get(day)
        if name:
            return f"ngày lễ: {name}"
        if day.weekday() >= 5:
            return "nghỉ cuối tuần"
        return None

    def next_working_day(self, day: dt.date, *, include: bool = False) -> dt.date:
        """The first working day after `day` (or `day` itself when `include` and it works)."""
        current = day if include else day + DAY
        for _ in range(REST_MAX):
            if self.is_working_day(current):
                return current
            current += DAY
        raise ValueError(f"không tìm thấy ngày làm việc sau {day:%d/%m/%Y}")

    def endless_rest(self) -> dt.date | None:
        """The first day of a run of REST_MAX days or more without a working day (a calendar
        file marking years of holidays), None when there is none: no due time can be computed
        across such a run (next_working_day)."""
        run = 0
        for i, working in enumerate(self._working):
            run = 0 if working else run + 1
            if run >= REST_MAX:
                return self._first + (i - run + 1) * DAY
        return None

    def end_of_office_day(self, day: dt.date) -> dt.datetime:
        return _at(day, self.sessions[-1][1])

    # ----- positions on the working-time line --------------------------------------------
    def position(self, moment: dt.datetime) -> int:
        """Working seconds from the calendar's first day up to `moment`."""
        i = self._index(moment.date())
        base = self._cum[i]
        if not self._working[i]:
            return base
        second = moment.hour * 3600 + moment.minute * 60 + moment.second
        for start, end in self.sessions:
            if second >= end:
                base += end - start
            elif second > start:
                base += second - start
                break
            else:
                break
        return base

    def at_position(self, position: int) -> dt.datetime:
        """The earliest instant whose position is `position` (a session end, not the next start)."""
        while position <= self._cum[0] or position > self._cum[-1]:
            low = position <= self._cum[0]
            self._build(self._first.year - (5 if low else 0), self._last.year + (0 if low else 5))
            if self._first.year < 1900 or self._last.year > 2199:
                raise ValueError("thời hạn vượt ra ngoài phạm vi lịch làm việc")
        i = bisect.bisect_left(self._cum, position) - 1
        offset = position - self._cum[i]
        day = self._first + i * DAY
        for start, end in self.sessions:
            length = end - start
            if offset <= length:
                return _at(day, start + offset)
            offset -= length
        raise AssertionError("offset beyond the working day")  # cannot happen: offset <= day_seconds

    def add(self, moment: dt.datetime, seconds: float) -> dt.datetime:
        """`moment` plus `seconds` of working time; adding 0 returns `moment` unchanged."""
        seconds = round(seconds)
        if seconds <= 0:
            return moment
        return self.at_position(self.position(moment) + seconds)

    def working_seconds(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working time inside [start, end); 0 when end is not after start."""
        if end <= start:
            return 0
        return self.position(end) - self.position(start)

    def session_start_from(self, moment: dt.datetime) -> dt.datetime:
        """`moment` if it lies inside a session of a working day, else the next session start."""
        day = moment.date()
        if self.is_working_day(day):
            second = moment.hour * 3600 + moment.minute * 60 + moment.second
            for start, end in self.sessions:
                if second < start:
                    return _at(day, start)
                if second < end:
                    return moment
        return _at(self.next_working_day(day), self.sessions[0][0])

    def skipped_days(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """Non-working days in [start, end] with their reasons, for the 'why' of a due time."""
        out = []
        day = start
        while day <= end:
            reason = self.day_reason(day)
            if reason:
                out.append((day, reason))
            day += DAY
        return out

    def extra_workdays(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """Weekend days made working by the office's calendar in [start, end]."""
        return [(d, o.name) for d, o in sorted(self.overrides.items())
                if start <= d <= end and o.kind == "workday" and d.weekday() >= 5]


def _at(day: dt.date, second: int) -> dt.datetime:
    if second >= 86400:
        return dt.datetime.combine(day + DAY, dt.time())
    return dt.datetime(day.year, day.month, day.day, second // 3600, second % 3600 // 60,
                       second % 60)


def load_calendar(db, written: dict[dt.date, Override] | None = None) -> WorkCalendar:
    """The calendar of the database: its overrides and the office hours in its settings;
    with `written`, the calendar it would be once those days are stored (what the calendar
    import checks before writing them, core.transfer.calendar).

    With dated office hours, use `governing(received_at)` for a dossier's working time.
    """
    from core.rules import office_hours_entries

    overrides = {
        dt.date.fromisoformat(row[0]): Override(row[1], row[2] or "")
        for row in db.execute("SELECT date, kind, name FROM calendar")
    }
    overrides.update(written or {})
    entries = tuple((day, parse_sessions(hours)) for day, hours in office_hours_entries(db))
    return WorkCalendar(overrides, entries[-1][1], entries if len(entries) > 1 else ())
