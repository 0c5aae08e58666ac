"""Schema 23: payments and votes keep their moments (paid_at, voted_at, cancelled_at) as INTEGER
seconds in `payment_rows` and `vote_rows` (db.entry_rows); the views `payments` and `votes` give
back the old texts; a text stored in the rows is refused; the upgrade of a schema-22 file keeps
every row, id and ledger sum; a cancelled entry still stays cancelled."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from core import demo, payments, votes
from core.database import open_database
from core.maintenance import check_database
from db import entry_rows, ledger, moments, schema
from db.connection import transaction
from db.errors import DatabaseDamagedError
from tests.core.factories import add_dossier, add_procedures, add_units
from tests.db.older import text_entries

EDGES = ("1970-01-01 00:00:00", "2024-02-29 23:59:59", "2026-01-01 00:00:00",
         "2026-11-27 10:15:00", "2099-12-31 23:59:59")


@pytest.fixture
def office(db):
    add_units(db)
    add_procedures(db)
    add_dossier(db, code="A", received=dt.datetime(2025, 3, 3, 9, 0))
    return db


def _row(view: str, at: str, cancelled=None) -> tuple[str, list]:
    if view == "payments":
        return ("INSERT INTO {}(dossier_id, amount, method, paid_at, cancelled_at) "
                "VALUES (1, 1000, 'cash', ?, ?)", [at, cancelled])
    return ("INSERT INTO {}(unit_code, voted_at, rating, cancelled_at) "
            "VALUES ('U1', ?, 'satisfied', ?)", [at, cancelled])


@pytest.mark.parametrize("entries", entry_rows.ALL, ids=lambda e: e.view)
def test_a_text_stored_in_the_rows_is_refused(office, entries):
    sql, params = _row(entries.view, "2025-03-03 09:00:00")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"), \
            transaction(office) as conn:
        conn.execute(sql.format(entries.table), params)
    with transaction(office) as conn:
        conn.execute(sql.format(entries.table), [moments.to_stored(params[0]), None])
    for column in entries.moments:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"), \
                transaction(office) as conn:
            conn.execute(f"UPDATE {entries.table} SET {column} = '2025-03-04 09:00:00'")


@pytest.mark.parametrize("entries", entry_rows.ALL, ids=lambda e: e.view)
def test_the_view_gives_back_every_moment_and_refuses_an_odd_one(office, entries):
    sql, _ = _row(entries.view, "")
    written = [(at, cancelled) for at in EDGES for cancelled in (None, at)]
    with transaction(office) as conn:
        for at, cancelled in written:
            conn.execute(sql.format(entries.view), [at, cancelled])
    at_column = entries.moments[0]
    assert office.execute(f"SELECT {at_column}, cancelled_at FROM {entries.view} "
                          "ORDER BY id").fetchall() == written
    assert office.execute(f"SELECT {at_column} FROM {entries.table} ORDER BY id").fetchall() == \
        [(moments.to_stored(at),) for at, _ in written]
    for odd in ("2025-03-03", "2025-03-03 09:00", "2025-02-30 09:00:00", 1741000000):
        with pytest.raises(sqlite3.IntegrityError, match="YYYY-MM-DD HH:MM:SS"), \
                transaction(office) as conn:
            conn.execute(sql.format(entries.view), [odd, None])


def test_a_cancelled_entry_stays_cancelled_and_the_ledger_sees_it(office):
    payment = payments.add_payment(office, 1, amount=1000, method="cash",
                                   paid_at=dt.datetime(2025, 3, 4, 9), confirm_overpayment=True)
    vote = votes.add_vote(office, unit_code="U1", rating="satisfied",
                          voted_at=dt.datetime(2025, 3, 5, 9))
    assert office.execute("SELECT MAX(id) FROM payment_rows").fetchone()[0] == payment
    assert office.execute("SELECT MAX(id) FROM vote_rows").fetchone()[0] == vote
    payments.cancel_payment(office, payment, reason="Nhập nhầm")
    votes.cancel_vote(office, vote, reason="Nhập nhầm")
    stored = office.execute("SELECT typeof(paid_at), typeof(cancelled_at) FROM payment_rows "
                            "WHERE id = ?", [payment]).fetchone()
    assert stored == ("integer", "integer")
    for view, row in (("payments", payment), ("votes", vote)):
        with pytest.raises(sqlite3.IntegrityError, match="stays cancelled"), \
                transaction(office) as conn:
            conn.execute(f"UPDATE {view} SET cancelled_at = NULL WHERE id = ?", [row])
        with transaction(office) as conn:  # a column the cancellation does not name: as before
            conn.execute(f"UPDATE {view} SET reference = NULL WHERE id = ?"
                         if view == "payments" else
                         f"UPDATE {view} SET comment = NULL WHERE id = ?", [row])


def test_the_upgrade_of_a_schema_22_file_keeps_every_entry(db_path):
    db = open_database(db_path)
    demo.generate(db, dossiers=300, seed=4, today=dt.date(2026, 11, 27))
    payments.cancel_payment(db, 3, reason="Nhập nhầm")  # a cancelled one travels too
    votes.cancel_vote(db, 2, reason="Nhập nhầm")
    db.close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        text_entries(conn)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == \
            schema.MIGRATIONS.index(schema.ENTRY_ROWS)
        before = {v: conn.execute(f"SELECT * FROM {v} ORDER BY id").fetchall()
                  for v in ("payments", "votes")}
        sums = {v: ledger.sums(conn, v) for v in ("payments", "votes")}
        conn.execute("UPDATE votes SET voted_at = '2026-11-27 9:00' WHERE id = 2")
        with pytest.raises(DatabaseDamagedError, match="votes"):
            open_database(db_path)
        conn.execute("UPDATE votes SET voted_at = ? WHERE id = 2", [before["votes"][1][2]])
    finally:
        conn.close()
    db = open_database(db_path)
    try:
        assert schema.version(db) == schema.SCHEMA_VERSION
        for view in ("payments", "votes"):
            got = db.execute(f"SELECT * FROM {view} ORDER BY id").fetchall()
            if view == "votes":  # and schema 25's origin: none known (no package merged)
                assert {row[-1] for row in got} == {None}
                got = [row[:-1] for row in got]
            assert got == before[view]
            assert ledger.sums(db.conn, view) == sums[view]
    finally:
        db.close()
    assert [f.text for f in check_database(db_path) if not f.ok] == []
