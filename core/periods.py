"""Report periods (spec 5): calendar presets and the state-report cut-off (15th to 14th)."""
from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from dataclasses import dataclass

from core import limits
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


def parse_date(text: str, what: str = "ngày") -> dt.date:
    """YYYY-MM-DD or DD/MM/YYYY, else an InputError naming the value."""
    value = (text or "").strip()
    try:
        if "/" in value:
            d, m, y = value.split("/")
            day = dt.date(int(y), int(m), int(d))
        else:
            day = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{what} không hợp lệ: {text!r} (cần dạng YYYY-MM-DD hoặc DD/MM/YYYY).") from None
    limits.check_year(day, what)
    return day


def parse_month(text: str) -> Period:
    """'2026-10' -> the period 01/10/2026–31/10/2026, else an InputError naming the value."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InputError(f"Tháng không hợp lệ: {text!r}. Hãy ghi theo dạng YYYY-MM, "
                         "ví dụ 2026-10.")
    year, month = int(match.group(1)), int(match.group(2))
    limits.check_year(dt.date(year, month, 1), "Tháng", f"{month:02d}/{year}")
    return Period(dt.date(year, month, 1), month_end(year, month))


def checked_period(date_from: str, date_to: str) -> Period:
    start, end = parse_date(date_from, "Ngày bắt đầu"), parse_date(date_to, "Ngày kết thúc")
    if start > end:
        raise InputError(f"Ngày bắt đầu {start:%d/%m/%Y} sau ngày kết thúc {end:%d/%m/%Y}.")
    return Period(start, end)
