"""Hand-worked due times (spec 2.2-2.4). 2025-03-03 is a Monday."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.calendar import Override, WorkCalendar
from core.due import (
    Limit,
    Policy,
    Wait,
    classify_finished,
    effective_due,
    is_overdue_at,
    statutory_due,
)

D = dt.datetime
CAL = WorkCalendar()
ONE_DAY = Limit(1, "working_days")

# The swapped days of 2025 as an office enters them (Tết: Saturday 25/01 worked? no — 2025's
# official notice moved no Tết day; 26/04 Saturday was worked to bridge 30/4–1/5 and 02/05 off).
TET_2025 = {dt.date(2025, 4, 26): Override("workday", "Làm bù cho 02/05"),
            dt.date(2025, 5, 2): Override("holiday", "Nghỉ bù")}


@pytest.mark.parametrize("received, expected", [
    (D(2025, 3, 3, 7, 0), D(2025, 3, 3, 17, 0)),    # spec: Mon 07:00 + 1 = Mon 17:00
    (D(2025, 3, 3, 10, 0), D(2025, 3, 4, 10, 0)),   # spec: Mon 10:00 + 1 = Tue 10:00
    (D(2025, 3, 7, 16, 0), D(2025, 3, 10, 16, 0)),  # spec: Fri 16:00 + 1 = Mon 16:00
    (D(2025, 3, 3, 12, 15), D(2025, 3, 4, 11, 30)),  # lunch: starts 13:30, lands on a session end
    (D(2025, 3, 3, 6, 10), D(2025, 3, 3, 17, 0)),   # before 07:00: starts at 07:00
    (D(2025, 3, 3, 17, 30), D(2025, 3, 4, 17, 0)),  # after 17:00: starts next morning
    (D(2025, 3, 3, 17, 0), D(2025, 3, 4, 17, 0)),   # exactly 17:00 is already outside hours
    (D(2025, 3, 2, 9, 0), D(2025, 3, 3, 17, 0)),    # Sunday: starts Monday 07:00
    (D(2025, 3, 3, 11, 0), D(2025, 3, 4, 11, 0)),   # across lunch: 11:00 + 8 h = next day 11:00
])
def test_one_working_day(received, expected):
    assert statutory_due(CAL, received, ONE_DAY) == expected


def test_fractional_days_are_working_hours():
    # 0.5 day = 4 working hours: 10:00 -> 11:30 (1.5 h) + 13:30 -> 16:00 (2.5 h)
    assert statutory_due(CAL, D(2025, 3, 3, 10, 0), Limit(0.5, "working_days")) == D(2025, 3, 3, 16, 0)
    assert statutory_due(CAL, D(2025, 3, 3, 7, 0), Limit(1.5, "working_days")) == D(2025, 3, 4, 11, 0)


def test_working_hours():
    assert statutory_due(CAL, D(2025, 3, 3, 15, 0), Limit(4, "working_hours")) == D(2025, 3, 4, 9, 0)
    assert statutory_due(CAL, D(2025, 3, 3, 9, 0), Limit(2.5, "working_hours")) == D(2025, 3, 3, 11, 30)


def test_calendar_days_end_of_office_hours_or_next_working_day():
    assert statutory_due(CAL, D(2025, 3, 3, 9, 0), Limit(3, "calendar_days")) == D(2025, 3, 6, 17, 0)
    # 03/03 + 5 days = Saturday 08/03 -> Monday 10/03 17:00
    assert statutory_due(CAL, D(2025, 3, 3, 9, 0), Limit(5, "calendar_days")) == D(2025, 3, 10, 17, 0)


@pytest.mark.parametrize("received, expected", [
    (D(2025, 3, 3, 14, 59), D(2025, 3, 3, 17, 0)),
    (D(2025, 3, 3, 15, 0), D(2025, 3, 3, 17, 0)),    # 15:00 exactly is still in time
    (D(2025, 3, 3, 15, 0, 1), D(2025, 3, 4, 17, 0)),  # later than the cut-off
    (D(2025, 3, 7, 16, 0), D(2025, 3, 10, 17, 0)),    # Friday after 15:00 -> Monday
    (D(2025, 3, 8, 9, 0), D(2025, 3, 10, 17, 0)),     # Saturday -> next working day
])
def test_same_day_cutoff(received, expected):
    assert statutory_due(CAL, received, Limit(0, "same_day", "15:00")) == expected


def test_same_day_custom_cutoff():
    assert statutory_due(CAL, D(2025, 3, 3, 11, 0), Limit(0, "same_day", "10:30")) == D(2025, 3, 4, 17, 0)


def test_tet_2025():
    # Fri 24/01/2025 10:00 + 3 working days: Tết 27/01–31/01 (+ Sat 01/02) skipped
    assert statutory_due(CAL, D(2025, 1, 24, 10, 0), Limit(3, "working_days")) == D(2025, 2, 5, 10, 0)


def test_swapped_days_entered_as_overrides():
    cal = WorkCalendar(TET_2025)
    # Fri 25/04 10:00 + 2 days = 16 h: Fri 5 h, Sat 26/04 worked 8 h, Mon 28/04 3 h
    assert statutory_due(cal, D(2025, 4, 25, 10, 0), Limit(2, "working_days")) == D(2025, 4, 28, 10, 0)
    # Tue 29/04 10:00 + 1 day: 30/04 and 01/05 holidays, 02/05 the office's day off
    assert statutory_due(cal, D(2025, 4, 29, 10, 0), Limit(1, "working_days")) == D(2025, 5, 5, 10, 0)
    # without the overrides Saturday is not worked: Fri 5 h, Mon 8 h, Tue 3 h
    assert statutory_due(CAL, D(2025, 4, 25, 10, 0), Limit(2, "working_days")) == D(2025, 4, 29, 10, 0)


def test_year_end_crossing():
    # Wed 31/12/2025 09:00 + 2 days: 01/01/2026 holiday -> Fri 02/01 ... Mon 05/01 09:00
    assert statutory_due(CAL, D(2025, 12, 31, 9, 0), Limit(2, "working_days")) == D(2026, 1, 5, 9, 0)


def test_long_limit_across_tet_2026():
    # 2026 Tết: 16/02–20/02. Thu 12/02/2026 07:00 + 5 days = Thu 12, Fri 13, Mon 23, Tue 24, Wed 25
    assert statutory_due(CAL, D(2026, 2, 12, 7, 0), Limit(5, "working_days")) == D(2026, 2, 25, 17, 0)


DUE = D(2025, 3, 5, 10, 0)


def eff(waits, policy="pause", finished=None, moment=None, due=DUE,
        extended=None, basis="original"):
    return effective_due(CAL, due=due, limit=Limit(2, "working_days"), waits=waits,
                         finished_at=finished, extended_due_at=extended,
                         policy=Policy(policy, basis), moment=moment)


def test_pause_moves_the_due_time_by_working_time_in_the_wait():
    waits = [Wait(D(2025, 3, 3, 16, 0), D(2025, 3, 4, 9, 0))]  # 1 h + 2 h = 3 h
    assert eff(waits) == D(2025, 3, 5, 15, 0)  # Wed 10:00 + 1.5 h, lunch, + 1.5 h


def test_pause_counts_several_waits_in_order():
    waits = [Wait(D(2025, 3, 3, 8, 0), D(2025, 3, 3, 10, 0)),
             Wait(D(2025, 3, 5, 13, 30), D(2025, 3, 6, 7, 0))]
    # 2 h -> Wed 14:00; the second wait starts before that: 3.5 h -> Thu 07:30
    assert eff(waits) == D(2025, 3, 6, 7, 30)


def test_a_wait_that_starts_after_the_due_time_changes_nothing():
    waits = [Wait(D(2025, 3, 6, 8, 0), D(2025, 3, 7, 8, 0))]
    assert eff(waits) == D(2025, 3, 5, 10, 0)
    assert classify_finished(D(2025, 3, 7, 9, 0), eff(waits)) == "late"


def test_open_wait_ends_at_finish_or_at_the_evaluation_moment():
    waits = [Wait(D(2025, 3, 4, 8, 0))]
    assert eff(waits, finished=D(2025, 3, 4, 10, 0)) == D(2025, 3, 5, 14, 0)  # 2 h of wait
    assert eff(waits, moment=D(2025, 3, 5, 0, 0)) == D(2025, 3, 6, 9, 0)  # 9 h of wait by then
    assert eff(waits) is None  # open, no moment: the clock is stopped


def test_only_waits_beginning_before_the_moment_count():
    waits = [Wait(D(2025, 3, 6, 8, 0), D(2025, 3, 7, 8, 0))]
    assert eff(waits, moment=D(2025, 3, 6, 0, 0)) == D(2025, 3, 5, 10, 0)


def test_restart_computes_afresh_from_the_last_completion():
    waits = [Wait(D(2025, 3, 4, 8, 0), D(2025, 3, 6, 9, 0))]
    assert eff(waits, policy="restart") == D(2025, 3, 10, 9, 0)  # Thu 09:00 + 2 days
    # even a wait requested after the due time restarts the clock
    late_wait = [Wait(D(2025, 3, 6, 8, 0), D(2025, 3, 7, 8, 0))]
    assert eff(late_wait, policy="restart") == D(2025, 3, 11, 8, 0)


def test_restart_open_wait_is_never_overdue_and_unfinished_wait_has_no_effect():
    waits = [Wait(D(2025, 3, 4, 8, 0))]
    assert eff(waits, policy="restart", moment=D(2025, 4, 1)) is None
    assert not is_overdue_at(D(2025, 4, 1), eff(waits, policy="restart", moment=D(2025, 4, 1)))
    finished = D(2025, 3, 4, 9, 0)
    assert eff(waits, policy="restart", finished=finished, moment=D(2025, 3, 5)) == D(2025, 3, 5, 10, 0)


def test_restart_ignores_an_explicit_due_after_a_wait():
    waits = [Wait(D(2025, 3, 4, 8, 0), D(2025, 3, 4, 9, 0))]
    assert eff(waits, policy="restart", due=D(2025, 3, 20, 17, 0)) == D(2025, 3, 6, 9, 0)


def test_extension_is_used_exactly_with_the_extended_basis():
    waits = [Wait(D(2025, 3, 3, 16, 0), D(2025, 3, 4, 9, 0))]
    extended = D(2025, 3, 12, 17, 0)
    assert eff(waits, extended=extended, basis="extended") == extended
    assert eff(waits, extended=extended, basis="original") == D(2025, 3, 5, 15, 0)


def test_boundary_between_on_time_and_late():
    due = D(2025, 3, 5, 10, 0)
    assert classify_finished(due, due) == "on_time"
    assert classify_finished(due + dt.timedelta(seconds=1), due) == "late"
    assert classify_finished(D(2025, 3, 5, 7, 0), due) == "on_time"   # same day, earlier
    assert classify_finished(D(2025, 3, 4, 16, 59), due) == "early"   # a day before
    assert is_overdue_at(D(2025, 3, 6), due) and not is_overdue_at(due, due)


def test_explain_lists_skipped_days_with_reasons():
    days = dict(CAL.skipped_days(dt.date(2025, 1, 24), dt.date(2025, 2, 5)))
    assert days[dt.date(2025, 1, 25)] == "nghỉ cuối tuần"
    assert "lễ" in days[dt.date(2025, 1, 29)]
    assert dt.date(2025, 2, 3) not in days


@given(received=st.datetimes(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31)),
       value=st.integers(0, 60), unit=st.sampled_from(["working_days", "working_hours",
                                                        "calendar_days", "same_day"]),
       cutoff=st.sampled_from([None, "10:00", "17:00", "18:00", "24:00"]))
def test_due_never_before_reception(received, value, unit, cutoff):
    """Every unit, 0 calendar days and cut-offs after office hours included
    (tests/core/test_same_day_cutoff.py)."""
    received = received.replace(microsecond=0)
    assert statutory_due(CAL, received, Limit(value, unit, cutoff)) >= received


def test_explain_due_says_where_the_clock_started_and_what_it_skipped():
    from core.explain import explain_due
    lines = explain_due(CAL, D(2025, 1, 24, 17, 30), Limit(1, "working_days"))
    text = "\n".join(lines)
    assert "Tính từ 07:00 Thứ Hai 03/02/2025" in text
    assert "nghỉ lễ 27/01–01/02" in text and "nghỉ cuối tuần 25/01–26/01" in text
    assert lines[-1] == "Hạn trả kết quả: 17:00 Thứ Hai 03/02/2025."


# ----- spec 2.2: a due time at a session end stays that end, after waits of any length ----------
SESSION_ENDS = [D(2025, 3, 3, 11, 30), D(2025, 3, 3, 17, 0), D(2025, 3, 7, 17, 0)]


@pytest.mark.parametrize("due", SESSION_ENDS)
def test_a_request_and_receipt_in_the_same_minute_leave_the_due_time_at_the_session_end(due):
    # the dossier of issue 11: request 10:00:05, receipt 10:00:40 → still 17:00, not 07:00 next day
    waits = [Wait(D(2025, 3, 3, 10, 0, 5), D(2025, 3, 3, 10, 0, 40))]
    got = effective_due(CAL, due=due, limit=ONE_DAY, waits=waits, finished_at=None,
                        extended_due_at=None, policy=Policy(), moment=None)
    assert got == due


def test_a_zero_wait_leaves_a_session_end_alone():
    waits = [Wait(D(2025, 3, 3, 9, 0), D(2025, 3, 3, 9, 0))]
    got = effective_due(CAL, due=D(2025, 3, 3, 17, 0), limit=ONE_DAY, waits=waits,
                        finished_at=None, extended_due_at=None, policy=Policy(), moment=None)
    assert got == D(2025, 3, 3, 17, 0)


@given(minutes=st.integers(0, 8 * 60 * 6), second_in=st.integers(0, 59),
       second_out=st.integers(0, 59), day=st.integers(0, 40))
def test_a_wait_landing_the_due_time_on_a_session_end_gives_that_end(minutes, second_in,
                                                                       second_out, day):
    """Any wait: the due moves by its whole minutes of working time; landing on an end = that end."""
    start = CAL.session_start_from(D(2025, 3, 3, 7, 0) + dt.timedelta(days=day))
    due = CAL.add(start, 8 * 3600)                     # one working day: a session end
    requested = start.replace(second=second_in)
    completed = CAL.add(start, minutes * 60).replace(second=second_out)
    waits = [Wait(requested, max(completed, requested))]
    got = effective_due(CAL, due=due, limit=ONE_DAY, waits=waits, finished_at=None,
                        extended_due_at=None, policy=Policy(), moment=None)
    expected_position = CAL.position(due) + CAL.working_seconds(start, CAL.add(start, minutes * 60))
    assert CAL.position(got) == expected_position
    # a session start has the same position as the end before it: the end is the answer
    starts = {dt.time(s // 3600, s % 3600 // 60) for s, _ in CAL.sessions}
    assert got.time() not in starts
    assert got.second == 0  # whole minutes: never "07:00:35" the next morning


def test_a_wait_open_at_the_moment_runs_to_that_very_moment():
    """Waits count from whole minutes (issue 11), but a wait still open at the moment T ends at T
    itself (spec 2.3): requested 20 s before a 10:00:30 due time, the due time stays ahead of T.
    Cut to T's minute it fell behind T for T's seconds past 30: the list behind a running
    period's figure called the waiting dossier overdue while the figure said within time."""
    waits = [Wait(D(2025, 3, 5, 10, 0, 10))]
    due = D(2025, 3, 5, 10, 0, 30)
    for moment in (D(2025, 3, 5, 10, 0, 45), D(2025, 3, 5, 10, 1, 45), D(2025, 3, 6, 15, 30, 50)):
        got = effective_due(CAL, due=due, limit=ONE_DAY, waits=waits, finished_at=None,
                            extended_due_at=None, policy=Policy(), moment=moment)
        assert not is_overdue_at(moment, got), (moment, got)
    # a recorded receipt still counts from whole minutes: same minute, no wait
    done = [Wait(D(2025, 3, 5, 10, 0, 10), D(2025, 3, 5, 10, 0, 50))]
    assert effective_due(CAL, due=due, limit=ONE_DAY, waits=done, finished_at=None,
                         extended_due_at=None, policy=Policy(), moment=None) == due
