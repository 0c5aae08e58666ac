"""A same-day cut-off later than the end of office hours (spec 2.2): never a due time before the
reception. 03/03/2025 is a Monday; the default hours are 07:00–11:30, 13:30–17:00.

A cut-off of 17:30, 18:00 or a stored 24:00 (an older version, another installation's package,
an import) or office hours made shorter from a date left a dossier received at 17:15 "in time",
due 17:00 of its own day — overdue the instant it was received. The cut-off in effect is never
later than the end of that day's office hours (core.due.same_day_cutoff).
"""
from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.calendar import WorkCalendar, load_calendar, parse_sessions
from core.due import Limit, same_day_cutoff, statutory_due
from core.explain import explain_due, limit_text
from tests.core import rules_reference as ref

D = dt.datetime
CAL = WorkCalendar()
MONDAY, TUESDAY = dt.date(2025, 3, 3), dt.date(2025, 3, 4)
SAME_DAY, NEXT_DAY = D(2025, 3, 3, 17, 0), D(2025, 3, 4, 17, 0)
CUTOFFS = ["15:00", "17:00", "17:30", "18:00", "23:59", "24:00"]
RECEIVED = [D(2025, 3, 3, 16, 59, 59), D(2025, 3, 3, 17, 0, 0), D(2025, 3, 3, 17, 0, 1),
            D(2025, 3, 3, 17, 30)]


def expected(received: dt.datetime, cutoff: str) -> dt.datetime:
    """Worked by hand: late after 15:00 with the common cut-off; with a cut-off at or after the
    end of office hours, in time up to 17:00:00 exactly, late from 17:00:01."""
    if cutoff == "15:00":
        return NEXT_DAY
    return SAME_DAY if received <= SAME_DAY else NEXT_DAY


@pytest.mark.parametrize("cutoff", CUTOFFS)
@pytest.mark.parametrize("received", RECEIVED)
def test_received_around_the_end_of_office_hours(received, cutoff):
    due = statutory_due(CAL, received, Limit(0, "same_day", cutoff))
    assert due == expected(received, cutoff)
    assert due >= received
    rule = ref.Rule(0, "same_day", cutoff)
    assert ref.statutory_due(ref.Calendar(), received, rule) == due  # the independent check


def test_a_dossier_received_at_17_15_with_an_18_00_cutoff_is_due_the_next_working_day():
    assert statutory_due(CAL, D(2025, 3, 3, 17, 15), Limit(0, "same_day", "18:00")) == NEXT_DAY
    # on a Friday: Monday; before Tết 2025 (Friday 24/01): Monday 03/02 after the break
    assert statutory_due(CAL, D(2025, 3, 7, 17, 15), Limit(0, "same_day", "18:00")) == \
        D(2025, 3, 10, 17, 0)
    assert statutory_due(CAL, D(2025, 1, 24, 17, 15), Limit(0, "same_day", "18:00")) == \
        D(2025, 2, 3, 17, 0)


@pytest.mark.parametrize("cutoff, received, due", [
    ("15:00", D(2025, 3, 3, 12, 0), SAME_DAY),    # at lunch, before the cut-off: in time
    ("18:00", D(2025, 3, 3, 12, 0), SAME_DAY),
    ("11:45", D(2025, 3, 3, 12, 0), NEXT_DAY),    # a cut-off inside the lunch break
    ("11:45", D(2025, 3, 3, 11, 45), SAME_DAY),   # exactly the cut-off: in time
    ("18:00", D(2025, 3, 3, 6, 30), SAME_DAY),    # before the office opens
    ("18:00", D(2025, 3, 8, 9, 0), D(2025, 3, 10, 17, 0)),  # a Saturday: the next working day
])
def test_received_at_lunch_before_opening_or_on_a_day_off(cutoff, received, due):
    assert statutory_due(CAL, received, Limit(0, "same_day", cutoff)) == due


# office hours made shorter from 01/10/2026 (ending 16:30), as core.rules dates them
SHORT = (("07:30", "11:30"), ("13:00", "16:30"))
DATED = ((dt.date(1, 1, 1), parse_sessions((("07:00", "11:30"), ("13:30", "17:00")))),
         (dt.date(2026, 10, 1), parse_sessions(SHORT)))
DATED_CAL = WorkCalendar({}, DATED[-1][1], DATED)


@pytest.mark.parametrize("cutoff", ["15:00", "16:30", "17:00", "18:00", None])
@pytest.mark.parametrize("received", [D(2026, 11, 30, 16, 29), D(2026, 11, 30, 16, 30),
                                      D(2026, 11, 30, 16, 45), D(2026, 11, 30, 17, 0)])
def test_a_day_whose_office_hours_end_earlier(received, cutoff):
    """A cut-off of 17:00, fine under the old hours, is after the end of the new ones (16:30):
    a dossier received at 16:45 is due 16:30 the next working day, not 16:30 before it."""
    cal = DATED_CAL.governing(received)
    due = statutory_due(cal, received, Limit(0, "same_day", cutoff))
    stated = cutoff or "15:00"
    late = received.time() > min(dt.time.fromisoformat(stated), dt.time(16, 30))
    assert due == (D(2026, 12, 1, 16, 30) if late else D(2026, 11, 30, 16, 30))
    assert due >= received
    reference = ref.Calendar({}, [(dt.date(1, 1, 1), (("07:00", "11:30"), ("13:30", "17:00"))),
                                  (dt.date(2026, 10, 1), SHORT)])
    assert ref.statutory_due(reference, received, ref.Rule(0, "same_day", cutoff)) == due
    # the same dossier received under the old hours keeps its 17:00 day
    before = received.replace(year=2025, month=3, day=3)
    assert statutory_due(DATED_CAL.governing(before), before,
                         Limit(0, "same_day", "17:00")) == SAME_DAY


def test_the_cutoff_in_effect():
    assert same_day_cutoff(CAL, None) == 15 * 3600
    assert same_day_cutoff(CAL, "16:00") == 16 * 3600
    assert same_day_cutoff(CAL, "18:00") == 17 * 3600  # the end of office hours
    assert same_day_cutoff(CAL, "24:00") == 17 * 3600
    assert same_day_cutoff(DATED_CAL.governing(D(2026, 11, 30)), "17:00") == 16 * 3600 + 1800


def test_zero_calendar_days_received_after_hours_is_due_the_next_working_day():
    """The catalogue takes a limit of 0 calendar days: received after the day's office hours it
    is, like a same-day limit, due at the end of the next working day, not before reception."""
    zero = Limit(0, "calendar_days")
    assert statutory_due(CAL, D(2025, 3, 3, 16, 0), zero) == SAME_DAY
    assert statutory_due(CAL, D(2025, 3, 3, 17, 0), zero) == SAME_DAY
    assert statutory_due(CAL, D(2025, 3, 3, 17, 0, 1), zero) == NEXT_DAY
    assert statutory_due(CAL, D(2025, 3, 7, 18, 0), zero) == D(2025, 3, 10, 17, 0)
    assert ref.statutory_due(ref.Calendar(), D(2025, 3, 7, 18, 0), ref.Rule(0, "calendar_days")) \
        == D(2025, 3, 10, 17, 0)


# ----- the explanation says the same ---------------------------------------------------------
def test_the_explanation_after_office_hours_with_a_later_cutoff():
    lines = explain_due(CAL, D(2025, 3, 3, 17, 15), Limit(0, "same_day", "18:00"))
    assert "Nhận lúc 17:15, sau giờ làm việc (kết thúc 17:00; giờ chốt 18:00 muộn hơn giờ làm " \
           "việc nên chỉ tính đến 17:00): trả trong ngày làm việc tiếp theo." in lines
    assert lines[-1] == "Hạn trả kết quả: 17:00 Thứ Ba 04/03/2025."
    # before the end of office hours nothing is said of lateness
    lines = explain_due(CAL, D(2025, 3, 3, 16, 59), Limit(0, "same_day", "18:00"))
    assert not any(line.startswith("Nhận lúc") for line in lines)
    assert lines[-1] == "Hạn trả kết quả: 17:00 Thứ Hai 03/03/2025."
    # the common case keeps its words
    lines = explain_due(CAL, D(2025, 3, 3, 15, 30), Limit(0, "same_day", None))
    assert "Nhận lúc 15:30, sau 15:00: trả trong ngày làm việc tiếp theo." in lines


def test_the_explanation_reads_a_stored_cutoff_as_the_due_time_does():
    """A stored "9:30" (no leading zero, which parse_hhmm reads) was compared as text: 10:00
    was "not after 9:30" in the explanation while the due time said the next day."""
    lines = explain_due(CAL, D(2025, 3, 3, 10, 0), Limit(0, "same_day", "9:30"))
    assert "Nhận lúc 10:00, sau 09:30: trả trong ngày làm việc tiếp theo." in lines
    assert lines[-1] == "Hạn trả kết quả: 17:00 Thứ Ba 04/03/2025."


def test_the_limit_text_names_a_cutoff_after_office_hours():
    assert limit_text(Limit(0, "same_day", "18:00"), CAL) == (
        "trả trong ngày (nhận sau 17:00 thì trả ngày làm việc tiếp theo; giờ chốt 18:00 muộn "
        "hơn giờ làm việc)")
    assert limit_text(Limit(0, "same_day", "16:00"), CAL) == \
        "trả trong ngày (nhận sau 16:00 thì trả ngày làm việc tiếp theo)"
    assert limit_text(Limit(0, "same_day", "16:00")) == \
        "trả trong ngày (nhận sau 16:00 thì trả ngày làm việc tiếp theo)"


# ----- the invariant: never a due time before the reception ----------------------------------
UNITS = ["working_days", "working_hours", "calendar_days", "same_day"]


def random_hours(rng: random.Random) -> tuple:
    marks = sorted(rng.sample(range(5 * 4, 21 * 4), 2 * rng.randint(1, 3)))
    text = [f"{m // 4:02d}:{m % 4 * 15:02d}" for m in marks]
    return tuple(zip(text[::2], text[1::2], strict=True))


def test_due_never_before_reception_over_a_seeded_sweep(db):
    """Any office hours the settings accept, dated; any unit; cut-offs before, at and after the
    end of office hours; receptions with seconds, often at the edges of the day."""
    overrides = load_calendar(db).overrides  # a new database's shipped schedules
    rng = random.Random(1700)
    for _ in range(60):
        change = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        old, new = random_hours(rng), random_hours(rng)
        dated = ((dt.date(1, 1, 1), parse_sessions(old)), (change, parse_sessions(new)))
        cal = WorkCalendar(overrides, dated[-1][1], dated)
        reference = ref.Calendar({}, [(dt.date(1, 1, 1), old), (change, new)])
        for _ in range(60):
            day = change + dt.timedelta(days=rng.randint(-20, 20))
            hours = old if day < change else new
            edge = rng.choice([h for session in hours for h in session] + ["00:00", "23:59"])
            second = ref._seconds(edge) + rng.choice([-61, -1, 0, 1, 59, 900, rng.randint(0, 86399)])
            received = D.combine(day, dt.time()) + dt.timedelta(seconds=min(max(second, 0), 86399))
            unit = rng.choice(UNITS)
            value = 0 if unit == "same_day" else rng.choice([0, 0.5, 1, 2, 3])
            cutoff = rng.choice([None, "10:00", "15:00", "16:59", "17:00", "17:30", "18:00",
                                 "23:59", "24:00", edge])
            limit = Limit(value, unit, cutoff)
            due = statutory_due(cal.governing(received), received, limit)
            assert due >= received, (old, new, change, received, limit, due)
            assert due == ref.statutory_due(reference, received, ref.Rule(value, unit, cutoff)), \
                (old, new, change, received, limit)


@settings(max_examples=300, deadline=None)
@given(received=st.datetimes(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31)),
       value=st.integers(0, 30), unit=st.sampled_from(UNITS),
       cutoff=st.sampled_from([None, "00:00", "15:00", "17:00", "17:30", "18:00", "23:59", "24:00"]))
def test_due_never_before_reception_for_any_unit(received, value, unit, cutoff):
    received = received.replace(microsecond=0)
    assert statutory_due(CAL, received, Limit(value, unit, cutoff)) >= received


# ----- as the program stores it -------------------------------------------------------------
def test_a_dossier_stored_with_a_cutoff_after_office_hours_is_not_late_at_reception(db):
    """Stored (calc_due_at) and counted: received 17:15 under a stored cut-off 18:00 and returned
    at 17:20 the same evening, the dossier is early (due Tuesday 17:00), not late."""
    from core import timefmt
    from core.indicators import compute
    from tests.core.factories import add_dossier, add_procedures, add_units
    add_units(db)
    add_procedures(db, [("P.SD18", "Chứng thực bản sao", 0, "same_day", 0, "none", 0, "18:00")])
    dossier = add_dossier(db, code="U1-250303-0001", procedure="P.SD18",
                          received=D(2025, 3, 3, 17, 15), status="done",
                          finished=D(2025, 3, 3, 17, 20))
    stored = db.execute("SELECT calc_due_at FROM dossiers WHERE id = ?", [dossier]).fetchone()[0]
    assert stored == timefmt.to_db_time(NEXT_DAY)
    resolved = compute(db, MONDAY, TUESDAY)["total"]["resolved"]
    assert (resolved["early"], resolved["late"]) == (1, 0)


def test_the_limit_text_of_a_cutoff_the_due_times_cannot_read_is_shown_as_stored():
    """The catalogue's list shows every procedure, one with a damaged cut-off too (where the
    clerk mends it): its words, not an error."""
    assert limit_text(Limit(0, "same_day", "abc"), CAL) == \
        "trả trong ngày (nhận sau abc thì trả ngày làm việc tiếp theo)"
