"""Dates, times and small phrases as Vietnamese administrative documents write them."""
from __future__ import annotations

import datetime as dt

from core.pdf.agency_case import sentence_name


def _day(value: int) -> str:
    # Decree 30/2020, Phụ lục I: days below 10 take a leading 0.
    return f"{value:02d}"


def _month(value: int) -> str:
    # Decree 30/2020, Phụ lục I: months 1 and 2 take a leading 0, the others do not.
    return f"{value:02d}" if value <= 2 else str(value)


def decree_date(day: dt.date) -> str:
    """'ngày 05 tháng 01 năm 2026', 'ngày 15 tháng 3 năm 2026'."""
    return f"ngày {_day(day.day)} tháng {_month(day.month)} năm {day.year}"


def place_date(place: str, day: dt.date) -> str:
    """'Văn Quan, ngày 05 tháng 01 năm 2026': the place as a sentence writes a name (a place
    typed in capitals, «NÀ LẦU», is «Nà Lầu»: core.pdf.agency_case, the one rule)."""
    place = sentence_name(place, bodies=False)
    return f"{place}, {decree_date(day)}" if place else decree_date(day).capitalize()


def doc_number(symbol: str, number: str | None = None) -> str:
    """ô 3 as text: 'Số: 12/BC-UBND', or 'Số:' and twelve non-breaking spaces before
    '/BC-UBND' when the number is left blank for the clerk to write (the PDF and the
    workbook of a report alike)."""
    if number:
        return f"Số: {number}/{symbol}"
    return "Số:" + "\u00a0" * 12 + "/" + symbol


def clock_date(moment: dt.datetime) -> str:
    """'09 giờ 15 phút, ngày 05 tháng 01 năm 2026' (forms 01 and 04)."""
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, {decree_date(moment.date())}"


def month_phrase(year: int, month: int) -> str:
    """'tháng 10 năm 2026'."""
    return f"tháng {_month(month)} năm {year}"


def limit_words(value: float, unit: str) -> str:
    """A procedure's time limit in words: '5 ngày làm việc', '4 giờ làm việc', 'trong ngày'."""
    number = f"{value:g}".replace(".", ",")
    return {"working_days": f"{number} ngày làm việc",
            "working_hours": f"{number} giờ làm việc",
            "calendar_days": f"{number} ngày",
            "same_day": "trong ngày"}[unit]
