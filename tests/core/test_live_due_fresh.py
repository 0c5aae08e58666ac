"""temp.live_due is filled once for one moment, calendar and state of the data (core.live_due
.is_fresh): the dashboard's two late lists and the status bar share one pass over the open
dossiers; a dossier changed (here or by another connection), another calendar or another
moment fills it again, so no list ever shows a stale due time."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers
from core import live_due as livedue
from core.calendar import Override, load_calendar
from core.database import open_database
from core.timefmt import parse_db_time
from db.connection import transaction
from tests.core.factories import add_dossier, add_procedures, add_units

NOW = dt.datetime(2025, 6, 11, 9, 30)
RECEIVED = dt.datetime(2025, 6, 2, 8, 0)  # a Monday


@pytest.fixture
def office(db):
    """Open dossiers: one plain, one with a finished supplement wait (its due time computed by
    the rules), one with an extension."""
    add_units(db)
    add_procedures(db)
    made = {"plain": add_dossier(db, code="A-1", received=RECEIVED),
            "waited": add_dossier(db, code="A-2", received=RECEIVED,
                                  waits=[(dt.datetime(2025, 6, 3, 9, 0),
                                          dt.datetime(2025, 6, 5, 9, 0))]),
            "extended": add_dossier(db, code="A-3", received=RECEIVED)}
    dossiers.extend(db, made["extended"], new_due_at=dt.datetime(2025, 6, 20, 17, 0),
                    reason="Cần xác minh thêm", at=dt.datetime(2025, 6, 3, 10, 0))
    return made


def passes(db) -> list[str]:
    """Every fill of the table from now on (the statement that reads all open dossiers)."""
    seen: list[str] = []
    db.conn.set_trace_callback(
        lambda sql: seen.append(sql) if sql.startswith("INSERT INTO temp.live_due") else None)
    return seen


def shown(db) -> dict[int, dt.datetime | None]:
    return {i: parse_db_time(due) if due else None
            for i, due in db.execute("SELECT id, due FROM temp.live_due")}


def expected(db, cal=None, now=NOW) -> dict[int, dt.datetime | None]:
    """Each open dossier's due time as its own window shows it (due_of_dossier, one by one)."""
    ids = [r[0] for r in db.execute(f"SELECT id FROM dossiers WHERE {livedue.open_sql()}")]
    return {i: livedue.due_of_dossier(db, i, now, cal=cal)[1] for i in ids}


def test_one_pass_serves_every_refresh_at_one_moment(db, office):
    filled = passes(db)
    first = livedue.refresh_live_table(db, load_calendar(db), NOW, deferred=True)
    assert sorted(first) == sorted([office["waited"], office["extended"]])
    livedue.finish_pending(db, 1)  # one computed (the register's step between paints)
    second = livedue.refresh_live_table(db, load_calendar(db), NOW, deferred=True)
    assert second is first and len(second) == 1  # the shared list, the rest still pending
    livedue.refresh_live_table(db, load_calendar(db), NOW)  # the rest completed, not refilled
    livedue.refresh_live_table(db, None, NOW + dt.timedelta(seconds=30), max_age=60)
    assert len(filled) == 1
    assert shown(db) == expected(db)


def test_a_dossier_changed_between_two_refreshes_is_seen(db, office):
    filled = passes(db)
    livedue.refresh_live_table(db, load_calendar(db), NOW)
    before = shown(db)[office["plain"]]
    dossiers.request_supplement(db, office["plain"], reason="Thiếu tờ khai",
                                at=dt.datetime(2025, 6, 3, 9, 0))  # still waiting: due later
    new_id, _ = dossiers.create_dossier(db, unit_code="U1", procedure_code="P.WD2",
                                        applicant_name="Vũ Nam", received_at=NOW)
    livedue.refresh_live_table(db, load_calendar(db), NOW)
    assert len(filled) == 2
    assert shown(db)[office["plain"]] == expected(db)[office["plain"]] != before
    assert new_id in shown(db) and shown(db) == expected(db)
    dossiers.finish(db, new_id, at=NOW)
    livedue.refresh_live_table(db, load_calendar(db), NOW)
    assert new_id not in shown(db) and len(filled) == 3


def test_a_commit_of_another_connection_is_seen(db, db_path, office):
    livedue.refresh_live_table(db, load_calendar(db), NOW)
    other = open_database(db_path)  # a worker's import, another program on the file
    try:
        new_id, _ = dossiers.create_dossier(other, unit_code="U2", procedure_code="P.WD2",
                                            applicant_name="Lý Thu", received_at=NOW)
    finally:
        other.close()
    livedue.refresh_live_table(db, load_calendar(db), NOW)
    assert new_id in shown(db) and shown(db) == expected(db)


def test_a_commit_made_while_the_table_is_filled_leaves_it_stale(db, db_path, office,
                                                                  monkeypatch):
    """review38: the fill's INSERT … SELECT reads one snapshot; another connection committing
    while it runs (a worker's import) must leave the table stale — the data version it is
    stamped with is the one seen before its rows were read — so the next refresh (and the
    status bar within its minute) fills it again and shows the new dossier."""
    made: list[int] = []

    def commit_beside(_id) -> int:
        if not made:  # once, in the middle of the statement's reading
            other = open_database(db_path)
            try:
                made.append(dossiers.create_dossier(
                    other, unit_code="U2", procedure_code="P.WD2", applicant_name="Lý Thu",
                    received_at=NOW)[0])
            finally:
                other.close()
        return 1

    db.conn.create_function("commit_beside", 1, commit_beside)
    plain = livedue.open_sql
    monkeypatch.setattr(livedue, "open_sql", lambda: f"({plain()}) AND commit_beside(id)")
    livedue.refresh_live_table(db, load_calendar(db), NOW)
    monkeypatch.setattr(livedue, "open_sql", plain)
    assert made and made[0] not in shown(db)  # the snapshot the fill read had it not
    assert not livedue.is_fresh(db, None, NOW, max_age=60)
    livedue.refresh_live_table(db, None, NOW + dt.timedelta(seconds=30), max_age=60)
    assert made[0] in shown(db)


def test_another_calendar_or_moment_fills_it_again(db, office):
    filled = passes(db)
    livedue.refresh_live_table(db, load_calendar(db), NOW)
    holiday = load_calendar(db, {dt.date(2025, 6, 4): Override("holiday", "Nghỉ bù")})
    livedue.refresh_live_table(db, holiday, NOW)  # the wait lost a working day
    assert len(filled) == 2
    assert shown(db) == expected(db, holiday) != expected(db)
    later = NOW + dt.timedelta(seconds=1)
    livedue.refresh_live_table(db, holiday, later)  # another moment: the lists' is exact
    assert len(filled) == 3
    livedue.refresh_live_table(db, None, later + dt.timedelta(seconds=61), max_age=60)
    assert len(filled) == 4  # older than the status bar takes


def test_due_times_written_as_at_another_moment_or_in_a_transaction_are_not_reused(db, office):
    filled = passes(db)
    cal = load_calendar(db)
    livedue.refresh_live_table(db, cal, NOW, deferred=True)
    livedue.update_live(db, cal, [office["waited"]], NOW - dt.timedelta(hours=1))  # not its
    livedue.refresh_live_table(db, cal, NOW)
    assert len(filled) == 2 and shown(db) == expected(db)
    later = NOW + dt.timedelta(seconds=1)
    with transaction(db):  # a fill a rollback could take back is never reused
        livedue.refresh_live_table(db, cal, later)
    livedue.refresh_live_table(db, cal, later)
    assert len(filled) == 4
