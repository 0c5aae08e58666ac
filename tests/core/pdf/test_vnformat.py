"""Dates and small phrases as Decree 30 and the forms write them."""
from __future__ import annotations

import datetime as dt

from core.pdf.vnformat import (
    clock_date,
    decree_date,
    limit_words,
    place_date,
)


def test_days_below_ten_and_months_one_and_two_take_a_zero():
    assert place_date("Văn Quan", dt.date(2026, 1, 5)) == "Văn Quan, ngày 05 tháng 01 năm 2026"
    assert decree_date(dt.date(2026, 2, 28)) == "ngày 28 tháng 02 năm 2026"
    assert decree_date(dt.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"
    assert decree_date(dt.date(2026, 12, 31)) == "ngày 31 tháng 12 năm 2026"


def test_clock_date_for_the_slips():
    assert clock_date(dt.datetime(2026, 10, 6, 8, 5)) == \
        "08 giờ 05 phút, ngày 06 tháng 10 năm 2026"


def test_limits_in_words():
    assert limit_words(5, "working_days") == "5 ngày làm việc"
    assert limit_words(0.5, "working_days") == "0,5 ngày làm việc"
    assert limit_words(4, "working_hours") == "4 giờ làm việc"
    assert limit_words(0, "same_day") == "trong ngày"

