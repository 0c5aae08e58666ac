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


D = dt.date


@pytest.mark.parametrize("today, kind, live, reported", [
    # 01/12/2026 (a Tuesday, first working day): the state month runs 15/11–14/12, its first
    # days long past, so both screens show it; a report of the calendar month shows November
    (D(2026, 12, 1), "cutoff_month", (D(2026, 11, 15), D(2026, 12, 14)),
     (D(2026, 11, 15), D(2026, 12, 14))),
    (D(2026, 12, 1), "month", (D(2026, 12, 1), D(2026, 12, 31)), (D(2026, 11, 1), D(2026, 11, 30))),
    (D(2026, 12, 1), "quarter", (D(2026, 10, 1), D(2026, 12, 31)), (D(2026, 10, 1), D(2026, 12, 31))),
    (D(2026, 12, 1), "cutoff_year", (D(2025, 12, 15), D(2026, 12, 14)),
     (D(2025, 12, 15), D(2026, 12, 14))),
    (D(2026, 11, 25), "cutoff_month", (D(2026, 11, 15), D(2026, 12, 14)),
     (D(2026, 11, 15), D(2026, 12, 14))),
    # 20/11/2026: the 5th working day of the state month begun on Sunday 15/11
    (D(2026, 11, 20), "cutoff_month", (D(2026, 11, 15), D(2026, 12, 14)),
     (D(2026, 10, 15), D(2026, 11, 14))),
    (D(2026, 12, 14), "cutoff_month", (D(2026, 11, 15), D(2026, 12, 14)),
     (D(2026, 11, 15), D(2026, 12, 14))),
    # 15/12 and 16/12: the state periods of 2027 run; a report is of the ones just over
    (D(2026, 12, 15), "cutoff_month", (D(2026, 12, 15), D(2027, 1, 14)),
     (D(2026, 11, 15), D(2026, 12, 14))),
    (D(2026, 12, 16), "cutoff_month", (D(2026, 12, 15), D(2027, 1, 14)),
     (D(2026, 11, 15), D(2026, 12, 14))),
    (D(2026, 12, 16), "cutoff_quarter", (D(2026, 12, 15), D(2027, 3, 14)),
     (D(2026, 9, 15), D(2026, 12, 14))),
    (D(2026, 12, 16), "cutoff_half", (D(2026, 12, 15), D(2027, 6, 14)),
     (D(2025, 12, 15), D(2026, 6, 14))),
    (D(2026, 12, 16), "cutoff_nine_months", (D(2026, 12, 15), D(2027, 9, 14)),
     (D(2025, 12, 15), D(2026, 9, 14))),
    (D(2026, 12, 16), "cutoff_year", (D(2026, 12, 15), D(2027, 12, 14)),
     (D(2025, 12, 15), D(2026, 12, 14))),
    (D(2026, 12, 16), "month", (D(2026, 12, 1), D(2026, 12, 31)), (D(2026, 12, 1), D(2026, 12, 31))),
    # 01/01/2027 (a Friday, off): the calendar year just over is reported, the state year runs
    (D(2027, 1, 1), "year", (D(2027, 1, 1), D(2027, 12, 31)), (D(2026, 1, 1), D(2026, 12, 31))),
    (D(2027, 1, 1), "cutoff_year", (D(2026, 12, 15), D(2027, 12, 14)),
     (D(2026, 12, 15), D(2027, 12, 14))),
    (D(2027, 1, 1), "cutoff_month", (D(2026, 12, 15), D(2027, 1, 14)),
     (D(2026, 12, 15), D(2027, 1, 14))),
    # a kind with no period on the day gives its last one, reported as it is
    (D(2026, 8, 3), "cutoff_half", (D(2025, 12, 15), D(2026, 6, 14)),
     (D(2025, 12, 15), D(2026, 6, 14))),
    (D(2026, 10, 20), "nine_months", (D(2026, 1, 1), D(2026, 9, 30)), (D(2026, 1, 1), D(2026, 9, 30))),
])
def test_one_rule_gives_the_period_running_and_the_period_to_report(today, kind, live, reported):
    """Tổng quan watches the period running (core.periods.shown without a calendar); Báo cáo
    reports the one just over in the first 5 working days of the running one. On 01/12/2026
    the state month 15/10–14/11 came up on Báo cáo, on 16/12/2026 15/11–14/12 on Tổng quan."""
    from core.periods import Period, preset, shown

    def office(day):  # weekdays but 01/01
        return day.weekday() < 5 and (day.month, day.day) != (1, 1)

    assert shown(kind, today) == Period(*live)
    assert shown(kind, today, office) == Period(*reported)
    # the month field naming each is the month of its end
    for period in (Period(*live), Period(*reported)):
        assert preset(kind, period.end) == period


def test_a_kind_chosen_follows_the_rule_unless_the_month_was_moved():
    from core.periods import month_after_kind, shown

    def opening(kind):
        return shown(kind, D(2026, 12, 16))

    december, june = preset("month", D(2026, 12, 1)), preset("month", D(2026, 6, 1))
    assert month_after_kind(december, "cutoff_month", D(2026, 12, 1), opening) == D(2027, 1, 1)
    assert month_after_kind(june, "cutoff_month", D(2026, 6, 1), opening) == D(2026, 6, 1)
    own = Period(D(2026, 12, 2), D(2026, 12, 31))  # days of one's own: the month stays
    assert month_after_kind(own, "cutoff_month", D(2026, 12, 1), opening) == D(2026, 12, 1)
    assert month_after_kind(None, "cutoff_month", D(2026, 12, 1), opening) == D(2026, 12, 1)
