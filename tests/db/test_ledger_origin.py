"""Schema 26 (db.schema.LEDGER_ORIGIN): a vote's origin in the ledger's hash where it is set.
Round 33's MotCua 1.0.0 wrote schema 25 with the origins but a ledger hashing none: read by the
rule of 26, every vote with an origin showed as «Phiếu đánh giá bị sửa ngoài MotCua» in `check`
(a false alarm on real data). The upgrade swaps each such vote's contribution; a file of 25 is
judged by 25's rule; a vote edited before the upgrade stays named after it."""
from __future__ import annotations

import sqlite3

from core import installation, votes
from core.database import open_database
from core.maintenance import check_database
from db import ledger, schema, vote_origin
from tests.core.factories import add_units
from tests.db.older import ledger_without_origin, without_vote_origin

EDITED = "Phiếu đánh giá bị sửa ngoài MotCua: các dòng số 1–1.023 có dòng bị sửa nội dung."


def _wrong(path) -> list[str]:
    return [f.text for f in check_database(path) if not f.ok]


def _voted(db_path, count: int = 3) -> str:
    db = open_database(db_path)
    try:
        add_units(db)
        for _ in range(count):
            votes.add_vote(db, unit_code="U1", rating="satisfied", actor="admin")
        return installation.installation_id(db)
    finally:
        db.close()


def _back(db_path, step, edit: str | None = None) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        step(conn)
        if edit:
            conn.execute(edit)
    finally:
        conn.close()


def _version(db_path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_the_rule_changes_with_this_schema():
    assert ledger.WHEN_SET_FROM == schema.MIGRATIONS.index(schema.LEDGER_ORIGIN) + 1 \
        == schema.SCHEMA_VERSION == 26


def test_a_round_33_file_is_judged_by_its_rule_and_upgraded_clean(db_path):
    here = _voted(db_path)
    _back(db_path, ledger_without_origin)
    assert _version(db_path) == 25
    conn = sqlite3.connect(db_path)
    try:  # as the round-33 program left it: origins, none hashed; read by 25's rule
        assert conn.execute("SELECT COUNT(*) FROM votes WHERE origin IS NOT NULL").fetchone() == (3,)
        assert ledger.sums(conn, "votes") == ledger.stored(conn, "votes")
    finally:
        conn.close()
    assert _wrong(db_path) == []  # (check opens it: upgraded to 26)
    assert _version(db_path) == 26
    db = open_database(db_path)
    try:
        assert [r[0] for r in db.execute("SELECT origin FROM votes ORDER BY id")] == \
            [f"{here}:{n}" for n in (1, 2, 3)]
    finally:
        db.close()
    _back(db_path, lambda conn: None, "UPDATE vote_rows SET origin = 'counter:7' WHERE id = 2")
    assert _wrong(db_path) == [EDITED]  # the origin now vouched for


def test_a_vote_edited_before_the_upgrade_keeps_its_mismatch(db_path):
    """The swap takes out the hash of the row as it stands (its text without the origin), not
    the one the ledger holds: an edit made under schema 25 is still named under 26."""
    _voted(db_path)
    _back(db_path, ledger_without_origin, "UPDATE vote_rows SET actor = 'ai' WHERE id = 2")
    assert _wrong(db_path) == [EDITED]


def test_an_origin_edited_before_the_upgrade_is_named_after_it(db_path):
    """Schema 25's ledger never held an origin: an edit of one under it is named by `check`'s
    origin rule (core.maintenance.check.vote_origins) after the upgrade, as before it."""
    here = _voted(db_path)
    _back(db_path, ledger_without_origin,
          f"UPDATE vote_rows SET origin = '{here}:9' WHERE id = 2")
    assert _wrong(db_path) == [
        "1 phiếu đánh giá có nguồn (cột origin) sai dạng hoặc trỏ tới phiếu không có ở máy này "
        "(bị sửa bên ngoài MotCua): phiếu số 2. Phiếu không gắn hồ sơ có thể bị khớp nhầm khi "
        "nhập gói trao đổi."]


def test_a_schema_24_file_upgraded_through_25_and_26_is_clean(db_path):
    """Schema 25's step gives votes 2 and 3 this installation's origin (written after the first
    recorded package's vote 1: db.vote_origin.fill), which 26 then vouches for."""
    here = _voted(db_path)
    _back(db_path, without_vote_origin, "INSERT INTO settings(key, value) VALUES "
          f"('{vote_origin.ORIGIN_PREFIX}00000001', "
          "'{\"installation\": \"counter\", \"rows\": {\"vote_rows\": [1, 1]}}')")
    assert _version(db_path) == 24
    assert _wrong(db_path) == []
    assert _version(db_path) == 26
    db = open_database(db_path)
    try:
        assert [r[0] for r in db.execute("SELECT origin FROM votes ORDER BY id")] == \
            [None, f"{here}:2", f"{here}:3"]
    finally:
        db.close()


def test_a_new_file_is_clean(db_path):
    _voted(db_path)
    assert _wrong(db_path) == []
