"""Report periods (spec 5): calendar presets and the state-report cut-off (15th to 14th)."""
from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from dataclasses import dataclass

from core import limits, typed_dates
from core.errors import InputError

PRESETS_VI = {
    "month": "Tháng", "quarter": "Quý", "half": "6 tháng", "nine_months": "9 tháng",
    "year": "Năm", "cutoff_month": "Kỳ báo cáo tháng (15–14)",
    "cutoff_quarter": "Kỳ báo cáo quý (15–14)", "cutoff_half": "Kỳ báo cáo 6 tháng (15/12–14/6)",
    "cutoff_nine_months": "Kỳ báo cáo 9 tháng (15/12–14/9)", "cutoff_year": "Kỳ báo cáo năm (15/12–14/12)",
}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def end_moment(self) -> dt.datetime:
        """24:00 of the last day, i.e. the first moment of the next day (spec 5)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time())

    def label(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def moment(self, as_of: dt.datetime | None = None) -> dt.datetime:
        """The moment of evaluation (spec 2.3): the period end if it has passed, else now;
        `as_of` (the CLI's --as-of) replaces now."""
        from core import timefmt  # looked up late: tests freeze timefmt.now

        return min(self.end_moment, as_of if as_of is not None else timefmt.now())

    def is_over(self, moment: dt.datetime) -> bool:
        """Whether figures evaluated at `moment` are final (not provisional, spec 5)."""
        return moment >= self.end_moment

    def kind(self) -> str:
        """'month' (a calendar month), 'state' (a 15th→14th state-report month) or 'other'."""
        if self.start.day == 1 and self.end == month_end(self.start.year, self.start.month):
            return "month"
        if self == cutoff("month", self.end.year, self.end.month):
            return "state"
        return "other"

    def phrase(self) -> str:
        """How a document names the period: 'tháng 11 năm 2026', 'kỳ báo cáo tháng 11/2026,
        từ 15/10/2026 đến 14/11/2026', or 'từ ngày 01/11/2026 đến ngày 20/11/2026'."""
        kind = self.kind()
        if kind == "month":
            month = f"{self.start.month:02d}" if self.start.month <= 2 else str(self.start.month)
            return f"tháng {month} năm {self.start.year}"
        if kind == "state":
            return (f"kỳ báo cáo tháng {self.end:%m/%Y}, từ {self.start:%d/%m/%Y} "
                    f"đến {self.end:%d/%m/%Y}")
        return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def preset(name: str, day: dt.date) -> Period:
    """The period of kind `name` that contains (calendar) or reports (cut-off) `day`'s month."""
    y, m = day.year, day.month
    if name == "month":
        return Period(dt.date(y, m, 1), month_end(y, m))
    if name == "quarter":
        first = (m - 1) // 3 * 3 + 1
        return Period(dt.date(y, first, 1), month_end(y, first + 2))
    if name == "half":
        return Period(dt.date(y, 1, 1), month_end(y, 6)) if m <= 6 else Period(dt.date(y, 7, 1), dt.date(y, 12, 31))
    if name == "nine_months":
        return Period(dt.date(y, 1, 1), month_end(y, 9))
    if name == "year":
        return Period(dt.date(y, 1, 1), dt.date(y, 12, 31))
    if name.startswith("cutoff_"):
        return cutoff(name[len("cutoff_"):], y, m)
    raise InputError(f"Kỳ báo cáo không hợp lệ: {name!r}.")


def preset_of(first: dt.date, last: dt.date) -> str | None:
    """Which preset (PRESETS_VI's key) the days `first`–`last` are exactly, or None (a period
    of one's own): 01/10–31/10 typed by hand is the month of October, as the screen says."""
    for name in PRESETS_VI:
        if preset(name, last) == Period(first, last):
            return name
    return None


# the working days at a month's start in which a report screen still opens on the month before:
# the monthly report of a month is written and signed in the first days of the next (NĐ 30's
# example date "ngày 05 tháng 01 năm 2026" on a report), when the month just begun has hardly
# a figure (on 01/12 December was empty) and the month to report is over, its figures final
REPORTING_WORKING_DAYS = 5


def report_day(today: dt.date, is_working_day) -> dt.date:
    """A day of the month a report is made for: the last day of the month before while `today`
    is among the first REPORTING_WORKING_DAYS working days of its month (`is_working_day`: the
    office's calendar, core.calendar), else `today` (its own month) — `shown`'s rule for a
    calendar month."""
    month = shown("month", today, is_working_day)
    return today if month.start <= today <= month.end else month.end


def running(name: str, day: dt.date) -> Period:
    """The period of kind `name` that runs on `day` (Tổng quan's live monitoring): the calendar
    month, quarter, half or year holding it; the state-report period (15th → 14th) holding it,
    named by the month of its 14th (16/12/2026: "kỳ báo cáo tháng" 15/12/2026–14/01/2027, the
    state year 15/12/2026–14/12/2027). A kind with no period on that day (9 tháng in October,
    the state half-year in August) gives its last one before."""
    if name.startswith("cutoff_") and day.day >= 15:  # past the 14th: the next month's period
        day = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return preset(name, day)


def shown(name: str, today: dt.date, is_working_day=None) -> Period:
    """The period of kind `name` a screen opens on `today`, one rule for every kind: the running
    one (`running`); for a report (`is_working_day` given, Báo cáo) the one just over while
    `today` is among the first REPORTING_WORKING_DAYS working days of the running one — the
    report of a period is written and signed in the first days of the next (NĐ 30's example
    date "ngày 05 tháng 01 năm 2026"), when the period just begun has hardly a figure. On
    01/12/2026 a report opens on November but on the state month 15/11–14/12 (running, its
    first days long past); on 16/12/2026 on December's days to 31/12 but on the state month
    15/11–14/12 (just over)."""
    period = running(name, today)
    if is_working_day is None or not period.start <= today <= period.end:
        return period
    worked = sum(1 for n in range((today - period.start).days + 1)
                 if is_working_day(period.start + dt.timedelta(days=n)))
    return running(name, period.start - dt.timedelta(days=1)) \
        if worked <= REPORTING_WORKING_DAYS else period


def month_after_kind(shown: Period | None, new: str, month: dt.date, opening) -> dt.date:
    """The "tháng" field when the kind `new` is chosen while the days `shown` are on screen:
    while they are the period the screen opened on for their kind (`opening(kind)`, `shown`),
    the month of the one it opens on for `new` — choosing "Kỳ báo cáo tháng" on 01/12/2026
    shows the state month running, not the one before it —, else the month the leader chose,
    kept (06/2025 then "Quý": the second quarter)."""
    old = preset_of(shown.start, shown.end) if shown is not None else None
    if old is not None and shown == opening(old):
        return opening(new).end.replace(day=1)
    return month


def cutoff(kind: str, year: int, month: int) -> Period:
    """State-report periods (NĐ 09/2019): from the 15th of the month before to the 14th."""
    if kind == "month":
        py, pm = _shift_month(year, month, -1)
        return Period(dt.date(py, pm, 15), dt.date(year, month, 14))
    if kind == "quarter":
        last = ((month - 1) // 3 + 1) * 3
        py, pm = _shift_month(year, last, -3)
        return Period(dt.date(py, pm, 15), dt.date(year, last, 14))
    start = dt.date(year - 1, 12, 15)
    ends = {"half": dt.date(year, 6, 14), "nine_months": dt.date(year, 9, 14),
            "year": dt.date(year, 12, 14)}
    if kind not in ends:
        raise InputError(f"Kỳ báo cáo không hợp lệ: {kind!r}.")
    return Period(start, ends[kind])


def parse_date(text: str, what: str = "Ngày") -> dt.date:
    """A day typed on the command line, by the one rule of typed days (core.typed_dates)."""
    return typed_dates.parse_day(text, what, quote=True)


def month_period(text: str, kind: str = "calendar") -> Period:
    """`report monthly --month YYYY-MM --period calendar|state` (spec 6)."""
    month = parse_month(text)
    if kind == "calendar":
        return month
    if kind == "state":
        return cutoff("month", month.start.year, month.start.month)
    raise InputError(f"Kỳ báo cáo không hợp lệ: {kind!r} (chọn calendar hoặc state).")


def parse_moment(text: str, what: str = "Thời điểm") -> dt.datetime:
    """'YYYY-MM-DD HH:MM[:SS]', 'YYYY-MM-DDTHH:MM', 'DD/MM/YYYY HH:MM' or 'HH:MM DD/MM/YYYY'; a
    bare day is its 00:00 — by the one rule of typed moments (core.typed_dates)."""
    return typed_dates.parse_moment(text, what, bare_day=True, quote=True)


def parse_month(text: str) -> Period:
    """'2026-10' -> the period 01/10/2026–31/10/2026, else an InputError naming the value."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InputError(f"Tháng không hợp lệ: {text!r}. Hãy ghi theo dạng YYYY-MM, "
                         "ví dụ 2026-10.")
    year, month = int(match.group(1)), int(match.group(2))
    limits.check_year(dt.date(year, month, 1), "Tháng", f"{month:02d}/{year}")
    return Period(dt.date(year, month, 1), month_end(year, month))


def order_problem(start: dt.date | None, end: dt.date | None) -> str | None:
    """What is wrong when a period's first day is after its last (both named), else None; an
    open end (None) is never wrong. Screens say it beside the days; commands raise it."""
    if start is not None and end is not None and start > end:
        return f"Ngày bắt đầu {start:%d/%m/%Y} sau ngày kết thúc {end:%d/%m/%Y}."
    return None


def require_order(start: dt.date, end: dt.date) -> None:
    """A period whose first day is after its last is refused, naming both days."""
    if problem := order_problem(start, end):
        raise InputError(problem)


def checked_period(date_from: str, date_to: str) -> Period:
    start, end = parse_date(date_from, "Ngày bắt đầu"), parse_date(date_to, "Ngày kết thúc")
    require_order(start, end)
    return Period(start, end)
