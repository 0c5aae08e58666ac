"""`check` holds every vote's origin (db.vote_origin, schema 25) to its form and this
installation's own to a vote of that origin here: the origin decides which stored walk-in vote
a package's is, and is not in the ledger's hash (db.ledger), so an edit by SQL shows only here.
Another installation's origins, and votes without one (unknown), pass."""
from __future__ import annotations

import datetime as dt

import pytest

from core import installation, votes
from core.database import open_database
from core.maintenance import check_database
from tests.core.factories import add_units

AT = dt.datetime(2026, 11, 20, 9, 0)


def _said(path) -> list[str]:
    return [f.text for f in check_database(path) if "nguồn" in f.text.lower()]


@pytest.fixture
def recorded(db_path):
    db = open_database(db_path)
    try:
        add_units(db)
        for _ in range(3):
            votes.add_vote(db, unit_code="U1", rating="satisfied", voted_at=AT, actor="admin")
        here = installation.installation_id(db)
    finally:
        db.close()
    return db_path, here


def _edit(path, sql: str, params=()) -> None:
    db = open_database(path)
    try:
        with db.conn:
            db.execute(sql, params)
    finally:
        db.close()


def test_recorded_votes_and_others_origins_pass(recorded):
    path, _here = recorded
    _edit(path, "UPDATE vote_rows SET origin = 'counter7:991' WHERE id = 2")  # another PC's
    _edit(path, "UPDATE vote_rows SET origin = NULL WHERE id = 3")  # unknown
    assert _said(path) == ["Nguồn của mọi phiếu đánh giá đúng dạng, phiếu do máy này ghi trỏ "
                           "đúng phiếu của máy này."]


@pytest.mark.parametrize("origin", ["abc", "{here}:0", "{here}:1x", ":1", "{here}:99"])
def test_an_origin_edited_by_sql_is_named(recorded, origin):
    path, here = recorded
    _edit(path, "UPDATE vote_rows SET origin = ? WHERE id = 2", [origin.format(here=here)])
    said = _said(path)
    assert len(said) == 1 and said[0].startswith("1 phiếu đánh giá có nguồn (cột origin) sai "
                                                 "dạng") and "phiếu số 2." in said[0]
    failed = [f for f in check_database(path) if not f.ok]
    assert len(failed) == 1  # the ledger's hash leaves the origin out: nothing else says it
