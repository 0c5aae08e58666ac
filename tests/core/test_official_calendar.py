"""The official day-off schedule shipped as data (spec 2.1) and the calendar it gives."""
from __future__ import annotations

import datetime as dt

from core import official_calendar as oc
from core.calendar import load_calendar
from db.connection import transaction

D = dt.date


def test_a_new_database_follows_the_2025_schedule_without_a_make_up_day_for_tet(db):
    cal = load_calendar(db)
    assert not cal.is_working_day(D(2025, 2, 8))  # Saturday after Tết Ất Tỵ: not worked
    assert [d for d in (D(2025, 1, 25) + dt.timedelta(n) for n in range(9))
            if cal.is_working_day(d)] == []
    assert cal.is_working_day(D(2025, 2, 3))
    assert cal.is_working_day(D(2025, 4, 26))  # Saturday worked for Friday 02/5
    assert not cal.is_working_day(D(2025, 5, 2))


def test_a_new_database_follows_the_2026_schedule(db):
    cal = load_calendar(db)
    tet = [D(2026, 2, 14) + dt.timedelta(n) for n in range(9)]
    assert [d for d in tet if cal.is_working_day(d)] == []
    assert cal.is_working_day(D(2026, 2, 13)) and cal.is_working_day(D(2026, 2, 23))
    assert not cal.is_working_day(D(2026, 4, 27))  # Giỗ Tổ on Sunday 26/4
    assert [d.day for d in (D(2026, 4, 30) + dt.timedelta(n) for n in range(4))
            if cal.is_working_day(d)] == []
    assert cal.is_working_day(D(2026, 8, 22))  # Saturday worked, Công văn 9859/VPCP-KGVX
    assert "9859/VPCP-KGVX" in cal.overrides[D(2026, 8, 22)].name
    assert not any(cal.is_working_day(D(2026, 8, 29) + dt.timedelta(n)) for n in range(5))


def test_the_schedule_names_its_source_for_every_known_year():
    assert oc.known_years() == [2025, 2026]
    assert "9859/VPCP-KGVX" in oc.source(2026)
    assert oc.source(2025)
    assert oc.official_days(2027) == {}


def test_an_existing_calendar_is_offered_the_changes_and_loses_the_wrong_make_up_day(db):
    with transaction(db) as conn:
        conn.execute("DELETE FROM calendar")
        conn.execute("INSERT INTO calendar VALUES ('2025-02-08', 'workday', 'Làm bù Tết')")
        conn.execute("INSERT INTO calendar VALUES ('2025-03-10', 'holiday', 'Nghỉ địa phương')")
    changes = {c.date: c for c in oc.pending_changes(db)}
    assert changes[D(2025, 2, 8)].kind is None and "bỏ ngày làm bù" in changes[D(2025, 2, 8)].line()
    assert changes[D(2025, 4, 26)].kind == "workday"
    assert changes[D(2026, 8, 22)].kind == "workday"
    assert D(2025, 3, 10) not in changes  # a local closure stays
    assert D(2026, 11, 24) not in changes  # unconfirmed: the office decides
    with transaction(db) as conn:
        oc.apply(conn, list(changes.values()))
    assert oc.pending_changes(db) == []
    assert not load_calendar(db).is_working_day(D(2025, 2, 8))


def test_the_culture_day_is_unconfirmed_until_the_office_decides(db):
    [day] = oc.pending_unconfirmed(db, 2026)
    assert day.date == D(2026, 11, 24) and "Văn hóa" in day.name
    assert oc.pending_unconfirmed(db, 2025) == []
    with transaction(db) as conn:
        oc.apply(conn, [oc.decision(day, keep=False)])
    assert oc.pending_unconfirmed(db, 2026) == []
    assert load_calendar(db).is_working_day(D(2026, 11, 24))


def test_next_years_missing_schedule_is_warned_from_october(db):
    assert oc.missing_next_year(db, D(2026, 9, 30)) is None
    assert oc.missing_next_year(db, D(2026, 10, 1)) == 2027
    assert oc.missing_next_year(db, D(2026, 12, 31)) == 2027
    assert oc.missing_next_year(db, D(2025, 10, 1)) is None  # 2026 is shipped
    with transaction(db) as conn:
        conn.execute("INSERT INTO calendar VALUES ('2027-02-13', 'workday', 'Làm bù')")
    assert oc.missing_next_year(db, D(2026, 11, 2)) is None
