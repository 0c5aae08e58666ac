"""The tables of working days are built once for the same days and hours (core.calendar_tables):
every calendar keeps the days its own overrides and hours say, whatever was built before it."""
from __future__ import annotations

import datetime as dt

from core.calendar import Override, WorkCalendar, load_calendar, parse_sessions
from core.calendar_tables import tables

MONDAY = dt.date(2026, 3, 2)
SATURDAY = dt.date(2026, 3, 7)
SHORT = parse_sessions((("08:00", "11:00"),))


def test_calendars_of_the_same_days_share_their_tables():
    first = WorkCalendar({MONDAY: Override("holiday", "Nghỉ bù")})
    second = WorkCalendar({MONDAY: Override("holiday", "tên khác: không đổi ngày nào")})
    assert second._working is first._working and second._cum is first._cum


def test_each_calendar_keeps_its_own_days_whatever_was_built_before():
    swapped = {MONDAY: Override("holiday"), SATURDAY: Override("workday")}
    for order in ([swapped, {}], [{}, swapped]):
        built = [WorkCalendar(dict(overrides)) for overrides in order]
        for overrides, cal in zip(order, built, strict=True):
            assert cal.is_working_day(MONDAY) is (MONDAY not in overrides)
            assert cal.is_working_day(SATURDAY) is (SATURDAY in overrides)


def test_the_same_day_swapped_either_way_is_not_the_same_table():
    worked = WorkCalendar({SATURDAY: Override("workday"), MONDAY: Override("workday")})
    rested = WorkCalendar({SATURDAY: Override("holiday"), MONDAY: Override("holiday")})
    assert worked.is_working_day(SATURDAY) and worked.is_working_day(MONDAY)
    assert not rested.is_working_day(SATURDAY) and not rested.is_working_day(MONDAY)


def test_other_hours_count_other_seconds():
    usual, short = WorkCalendar({}), WorkCalendar({}, SHORT)
    start = dt.datetime(2026, 3, 2, 8, 0)
    assert usual.add(start, 4 * 3600) == dt.datetime(2026, 3, 2, 14, 0)
    assert short.add(start, 4 * 3600) == dt.datetime(2026, 3, 3, 9, 0)


def test_a_day_stored_after_is_in_the_next_calendar_loaded(db):
    assert load_calendar(db).is_working_day(MONDAY)
    db.execute("INSERT INTO calendar(date, kind, name) VALUES (?, 'holiday', 'Nghỉ đột xuất')",
               [MONDAY.isoformat()])
    db.conn.commit()
    assert not load_calendar(db).is_working_day(MONDAY)


def test_only_a_few_tables_are_kept():
    kept = tables.cache_parameters()["maxsize"]
    assert kept == 32  # a calendar widened to 1900–2199 holds ~4 MB
    days = [dt.date(2026, 1, 5) + dt.timedelta(days=i) for i in range(kept + 8)]
    for day in days:
        WorkCalendar({day: Override("holiday")})
    assert tables.cache_info().currsize <= kept
    latest = WorkCalendar({days[-1]: Override("holiday")})
    assert latest._working is WorkCalendar({days[-1]: Override("holiday")})._working
