"""A value no MotCua writes, put in a ledgered row by SQL (break35): a BLOB, or a text whose
bytes are no UTF-8. The ledger's row text (db.ledger.row_text) is a JSON array SQLite makes,
decoded by Python before hashing: «JSON cannot hold BLOB values» or «Could not decode to UTF-8»
stopped `check` in a crash log, and in a round-33 file (schema 25) stopped the upgrade to 26,
so the file could not be opened at all. Now the row is read (a BLOB as its hex, the bytes as
they are), its hash differs from the ledger's: `check` names the table's rows as edited, and
the vote's origin as not of its form."""
from __future__ import annotations

import pytest

from core.database import open_database
from tests.db.older import ledger_without_origin
from tests.db.test_ledger_origin import EDITED, _back, _version, _voted, _wrong

ORIGIN_WRONG = ("1 phiếu đánh giá có nguồn (cột origin) sai dạng hoặc trỏ tới phiếu không có ở "
                "máy này (bị sửa bên ngoài MotCua): phiếu số 2.")
NOT_UTF8 = "CAST(x'4eeda080' AS TEXT)"  # 'N' and a lone surrogate's bytes (ED A0 80)


@pytest.mark.parametrize("value", ["x'00ff'", NOT_UTF8])
def test_a_round_33_file_with_such_an_origin_is_upgraded_and_the_vote_named(db_path, value):
    _voted(db_path)
    _back(db_path, ledger_without_origin, f"UPDATE vote_rows SET origin = {value} WHERE id = 2")
    assert _version(db_path) == 25
    open_database(db_path).close()  # was a crash log: the upgrade stopped, the file unopened
    assert _version(db_path) == 26
    # the origin was in no hash in 25: the ledger cannot see that edit, its form check does
    [said] = _wrong(db_path)
    assert said.startswith(ORIGIN_WRONG)


@pytest.mark.parametrize("value", ["x'00ff'", NOT_UTF8])
@pytest.mark.parametrize("column", ["comment", "origin"])
def test_check_names_a_vote_edited_to_such_a_value(db_path, column, value):
    _voted(db_path)
    _back(db_path, lambda conn: None, f"UPDATE vote_rows SET {column} = {value} WHERE id = 2")
    wrong = _wrong(db_path)  # was a crash log
    assert EDITED in wrong
    assert any(text.startswith(ORIGIN_WRONG) for text in wrong) == (column == "origin")


def test_a_vote_holding_such_a_value_is_still_cancelled_through_the_ledger(db_path):
    """A writer's `ledger.changing` reads the row before and after: not stopped either."""
    from core import votes
    _voted(db_path)
    _back(db_path, lambda conn: None, "UPDATE vote_rows SET comment = x'00ff' WHERE id = 2")
    db = open_database(db_path)
    try:
        votes.cancel_vote(db, 2, reason="nhập nhầm", actor="admin")
        assert db.execute("SELECT cancelled_at IS NOT NULL FROM votes WHERE id = 2").fetchone() \
            == (1,)
    finally:
        db.close()
    assert EDITED in _wrong(db_path)  # the edit stays named
