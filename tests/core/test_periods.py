"""Report periods: calendar presets and the state-report cut-off (15th to 14th)."""
from __future__ import annotations

import datetime as dt

import pytest

from core.errors import InputError
from core.periods import Period, checked_period, parse_month, preset


@pytest.mark.parametrize("name, start, end", [
    ("month", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
    ("quarter", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ("half", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
    ("nine_months", dt.date(2026, 1, 1), dt.date(2026, 9, 30)),
    ("year", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ("cutoff_month", dt.date(2026, 1, 15), dt.date(2026, 2, 14)),
    ("cutoff_quarter", dt.date(2025, 12, 15), dt.date(2026, 3, 14)),
    ("cutoff_half", dt.date(2025, 12, 15), dt.date(2026, 6, 14)),
    ("cutoff_year", dt.date(2025, 12, 15), dt.date(2026, 12, 14)),
])
def test_presets(name, start, end):
    assert preset(name, dt.date(2026, 2, 20)) == Period(start, end)


def test_cutoff_month_across_the_year_end():
    assert preset("cutoff_month", dt.date(2026, 1, 5)) == Period(dt.date(2025, 12, 15),
                                                                 dt.date(2026, 1, 14))


def test_period_end_is_the_next_midnight():
    assert Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28)).end_moment == dt.datetime(2026, 3, 1)


def test_months_and_dates_are_checked_in_vietnamese():
    assert parse_month("2024-02") == Period(dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    for bad in ("2026-13", "10/2026", ""):
        with pytest.raises(InputError, match="Tháng không hợp lệ"):
            parse_month(bad)
    assert checked_period("01/03/2025", "2025-03-31").end == dt.date(2025, 3, 31)
    with pytest.raises(InputError, match="sau ngày kết thúc"):
        checked_period("2025-04-01", "2025-03-31")


def test_the_moment_of_evaluation_is_the_end_or_now(monkeypatch):
    from core import timefmt
    november = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2026, 11, 30, 10, 15))
    assert november.moment() == dt.datetime(2026, 11, 30, 10, 15)
    assert not november.is_over(november.moment())
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2026, 12, 1, 0, 0))
    assert november.moment() == dt.datetime(2026, 12, 1) and november.is_over(november.moment())
    assert november.moment(as_of=dt.datetime(2026, 11, 20, 9)) == dt.datetime(2026, 11, 20, 9)


def test_documents_name_their_period():
    from core.periods import month_period
    assert month_period("2026-11").phrase() == "tháng 11 năm 2026"
    assert month_period("2026-02").phrase() == "tháng 02 năm 2026"
    state = month_period("2026-11", "state")
    assert (state.start, state.end) == (dt.date(2026, 10, 15), dt.date(2026, 11, 14))
    assert state.phrase() == "kỳ báo cáo tháng 11/2026, từ 15/10/2026 đến 14/11/2026"
    assert month_period("2026-01", "state").start == dt.date(2025, 12, 15)
    assert Period(dt.date(2026, 11, 1), dt.date(2026, 11, 20)).phrase() == \
        "từ ngày 01/11/2026 đến ngày 20/11/2026"
    with pytest.raises(InputError, match="calendar hoặc state"):
        month_period("2026-11", "quarterly")


@pytest.mark.parametrize("text, moment", [
    ("2026-11-30 10:15", dt.datetime(2026, 11, 30, 10, 15)),
    ("2026-11-30T10:15:30", dt.datetime(2026, 11, 30, 10, 15, 30)),
    ("30/11/2026 10:15", dt.datetime(2026, 11, 30, 10, 15)),
    ("2026-11-30", dt.datetime(2026, 11, 30)),
])
def test_as_of_moments_are_read_in_the_usual_forms(text, moment):
    from core.periods import parse_moment
    assert parse_moment(text) == moment


def test_a_bad_moment_names_the_value():
    from core.periods import parse_moment
    with pytest.raises(InputError, match="«30/11 10h»"):
        parse_moment("30/11 10h", "Thời điểm --as-of")


def test_a_period_typed_day_by_day_is_named_by_its_preset():
    from core.periods import preset_of
    assert preset_of(dt.date(2026, 10, 1), dt.date(2026, 10, 31)) == "month"
    assert preset_of(dt.date(2026, 10, 15), dt.date(2026, 11, 14)) == "cutoff_month"
    assert preset_of(dt.date(2026, 10, 1), dt.date(2026, 12, 31)) == "quarter"
    assert preset_of(dt.date(2025, 12, 15), dt.date(2026, 12, 14)) == "cutoff_year"
    assert preset_of(dt.date(2026, 10, 2), dt.date(2026, 10, 31)) is None


def test_a_report_opens_on_the_month_before_in_a_months_first_five_working_days():
    """01/12/2026 (a Tuesday): the leader reports November, not an empty December; the 5th
    working day still, the 6th no longer; days off (a holiday, a weekend) do not count."""
    from core.periods import report_day

    def weekdays(day):
        return day.weekday() < 5

    assert report_day(dt.date(2026, 12, 1), weekdays) == dt.date(2026, 11, 30)
    assert report_day(dt.date(2026, 12, 7), weekdays) == dt.date(2026, 11, 30)  # 5th: Mon
    assert report_day(dt.date(2026, 12, 8), weekdays) == dt.date(2026, 12, 8)
    assert report_day(dt.date(2026, 11, 27), weekdays) == dt.date(2026, 11, 27)
    assert report_day(dt.date(2027, 1, 4), weekdays) == dt.date(2026, 12, 31)  # across a year

    def new_year_off(day):  # 01/01/2027 (a Friday) off: the 5th working day is then the 8th
        return weekdays(day) and day != dt.date(2027, 1, 1)

    assert report_day(dt.date(2027, 1, 8), new_year_off) == dt.date(2026, 12, 31)
    assert report_day(dt.date(2027, 1, 8), weekdays) == dt.date(2027, 1, 8)
