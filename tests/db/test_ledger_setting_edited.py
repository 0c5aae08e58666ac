"""A ledger's own setting (audit.rows.<table>, db.ledger) edited by SQL into what no MotCua
writes (break35): `check` stopped on a crash log (JSONDecodeError, AttributeError, TypeError,
ValueError by the value) and so did every writer of the table — a vote at the kiosk, a payment
at the desk — since each adds its row to the ledger. Now `check` names the ledger unreadable,
the writers leave it as it is (written over, the edit would be hidden) and the clerk's write
goes on; so does the upgrade from a round-33 file (schema 25)."""
from __future__ import annotations

import pytest

from core import votes
from core.database import open_database
from tests.db.older import ledger_without_origin
from tests.db.test_ledger_origin import _back, _version, _voted, _wrong

UNREADABLE = ("Phiếu đánh giá: sổ kiểm không đọc được (bị sửa ngoài MotCua), không kiểm được "
              "các dòng có bị sửa không.")
VALUES = ["'không phải JSON'", "'[1, 2]'", "'{\"0\": 5}'", "'{\"x\": [1, \"ff\"]}'",
          "'{\"0\": [1.5, \"ff\"]}'", "'{\"0\": [1, \"zz\"]}'", "x'00'"]


def _ledger(db_path) -> object:
    db = open_database(db_path)
    try:
        return db.execute("SELECT value FROM settings WHERE key = 'audit.rows.votes'").fetchone()[0]
    finally:
        db.close()


@pytest.mark.parametrize("value", VALUES)
def test_check_names_it_and_a_vote_is_still_recorded(db_path, value):
    _voted(db_path)
    _back(db_path, lambda conn: None,
          f"UPDATE settings SET value = {value} WHERE key = 'audit.rows.votes'")
    edited = _ledger(db_path)
    assert _wrong(db_path) == [UNREADABLE]  # was a crash log
    db = open_database(db_path)
    try:  # the kiosk's vote: was a crash log too
        votes.add_vote(db, unit_code="U1", rating="satisfied", actor="admin")
        assert db.execute("SELECT COUNT(*) FROM votes").fetchone() == (4,)
    finally:
        db.close()
    assert _ledger(db_path) == edited  # left for check to name, not written over
    assert _wrong(db_path) == [UNREADABLE]


def test_a_round_33_file_with_it_is_upgraded(db_path):
    _voted(db_path)
    _back(db_path, ledger_without_origin,
          "UPDATE settings SET value = '[1, 2]' WHERE key = 'audit.rows.votes'")
    assert _version(db_path) == 25
    assert _wrong(db_path) == [UNREADABLE]  # (check opens it: upgraded, was a crash log)
    assert _version(db_path) == 26
