"""Schema 25 (db.vote_origin): the upgrade gives the votes stored before it the origin it can
know — this installation's for a vote written here after the first recorded package brought
votes (every merge since recorded its ids) — and none where it cannot: a vote a package brought
(its first origin was never said) and one stored before any recorded package (a merge of a
program before 02/12/2026 left no trace). A rows part, with no installation id, is left as it
is. Votes written since say where they were first recorded."""
from __future__ import annotations

import json
import sqlite3

from core import installation, votes
from core.database import open_database
from db import schema, searchtext, vote_origin
from tests.core.factories import add_units
from tests.db.older import without_vote_origin

VOTE = ("INSERT INTO votes(unit_code, voted_at, rating, actor) "
        "VALUES ('U1', '2026-11-20 09:00:00', 'satisfied', 'canbo1')")


def _record(conn, number: int, sender: str, low: int, high: int) -> None:
    conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)",
                 [f"{vote_origin.ORIGIN_PREFIX}{number:08d}",
                  json.dumps({"installation": sender, "rows": {"vote_rows": [low, high]}})])


def _at_schema_24(db_path, write) -> str:
    db = open_database(db_path)
    add_units(db)
    here = installation.installation_id(db)
    db.close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        without_vote_origin(conn)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 24
        write(conn)
    finally:
        conn.close()
    return here


def _origins(db_path) -> list:
    db = open_database(db_path)
    try:
        assert schema.version(db) == schema.SCHEMA_VERSION == 26
        return [r[0] for r in db.execute("SELECT origin FROM votes ORDER BY id")]
    finally:
        db.close()


def test_the_upgrade_gives_the_origin_it_can_know_and_no_other(db_path):
    def write(conn):
        conn.execute(VOTE)                       # 1: before any recorded package: unknown
        conn.execute(VOTE)                       # 2, 3: a counter's package brought them
        conn.execute(VOTE)
        _record(conn, 1, "counter", 2, 3)
        conn.execute(VOTE)                       # 4: written here since: this installation's
        conn.execute(VOTE)                       # 5: the commune's package (forwarded?): unknown
        _record(conn, 2, "commune", 5, 5)
        conn.execute(VOTE)                       # 6: here
    here = _at_schema_24(db_path, write)
    assert _origins(db_path) == [None, None, None, f"{here}:4", None, f"{here}:6"]


def test_a_file_no_recorded_package_reached_gives_no_vote_an_origin(db_path):
    """Nothing tells whether a package of a program before 02/12/2026 brought them."""
    _at_schema_24(db_path, lambda conn: [conn.execute(VOTE) for _ in range(3)])
    assert _origins(db_path) == [None, None, None]


def test_a_vote_recorded_after_the_upgrade_says_it_was_first_recorded_here(db):
    add_units(db)
    vote_id = votes.add_vote(db, unit_code="U1", rating="neutral")
    here = installation.installation_id(db)
    assert db.execute("SELECT origin FROM votes WHERE id = ?", [vote_id]).fetchone()[0] == \
        f"{here}:{vote_id}"


def test_a_part_without_an_installation_id_is_left_as_it_is(tmp_path):
    from core.exchange.part.making import create
    path = tmp_path / "rows.motcua"
    create(path, 24)
    conn = sqlite3.connect(path, isolation_level=None)
    searchtext.register(conn)
    try:
        add_units_sql = "INSERT INTO units(code, name, level) VALUES ('U1', 'Xã', 'commune')"
        conn.execute(add_units_sql)
        conn.execute(VOTE)
        _record(conn, 1, "counter", 5, 9)
        conn.execute("BEGIN")
        schema.run_migration(conn, 24)
        conn.execute("COMMIT")
        assert conn.execute("SELECT origin FROM votes").fetchall() == [(None,)]
    finally:
        conn.close()


def test_the_kiosks_queued_vote_has_its_origin_and_a_cancel_keeps_it(db):
    """The kiosk's queue stores through core.votes.store_vote (stamped there); a cancel, kept
    in the append-only history, changes no origin."""
    import datetime as dt

    from core import kiosk
    add_units(db)
    queued = kiosk.VoteQueue().cast(db, kiosk.PendingVote(
        "U1", "satisfied", dt.datetime(2026, 11, 20, 9, 0)))
    here = installation.installation_id(db)
    origin = f"{here}:{queued.vote_id}"
    assert db.execute("SELECT origin FROM votes WHERE id = ?", [queued.vote_id]).fetchone()[0] \
        == origin
    votes.cancel_vote(db, queued.vote_id, reason="Bấm nhầm", actor="admin",
                      at=dt.datetime(2026, 11, 20, 9, 5))
    assert db.execute("SELECT origin, cancelled_at IS NOT NULL FROM votes WHERE id = ?",
                      [queued.vote_id]).fetchone() == (origin, 1)


def test_an_upgraded_database_is_clean_and_the_upgrades_origins_are_vouched_for(db_path):
    """Schema 24's ledger hashed no origin, nor does 25's (round 33: its step stamps origins
    outside the ledger); 26 swaps them in (db.ledger.hash_when_set), so `check` finds the
    upgraded file clean, and an edit of such an origin afterwards is named."""
    from core.maintenance import check_database
    db = open_database(db_path)
    try:
        add_units(db)
        for _ in range(4):  # 1: before the recorded package, 2: brought by it, 3 and 4: here
            votes.add_vote(db, unit_code="U1", rating="satisfied", actor="admin")
        here = installation.installation_id(db)
    finally:
        db.close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        without_vote_origin(conn)  # (its ledger as schema 24 kept it)
        _record(conn, 1, "counter", 2, 2)
    finally:
        conn.close()
    assert _origins(db_path) == [None, None, f"{here}:3", f"{here}:4"]
    assert [f.text for f in check_database(db_path) if not f.ok] == []
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("UPDATE vote_rows SET origin = 'counter:7' WHERE id = 3")
    finally:
        conn.close()
    assert [f.text for f in check_database(db_path) if not f.ok] == [
        "Phiếu đánh giá bị sửa ngoài MotCua: các dòng số 1–1.023 có dòng bị sửa nội dung."]


def test_the_ledger_reads_a_file_of_schema_24_as_it_is(db_path):
    """`check` of a damaged file reads its history without upgrading it (core.maintenance.check
    `_history_read_only`): the ledger's rows of a file whose votes have no `origin` column are
    hashed as that schema's program hashed them (db.ledger.row_sql)."""
    from db import ledger
    db = open_database(db_path)
    try:
        add_units(db)
        votes.add_vote(db, unit_code="U1", rating="satisfied", actor="admin")
    finally:
        db.close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        without_vote_origin(conn)
        assert ledger.sums(conn, "votes") == ledger.stored(conn, "votes")
    finally:
        conn.close()
