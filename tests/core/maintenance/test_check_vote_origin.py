"""`check` holds every vote's origin (db.vote_origin, schema 25) to its form and this
installation's own to a vote of that origin here (`vote_origins`), and the ledger's hash covers
a set origin (db.ledger.WHEN_SET): an edit by SQL giving a vote another PC's well-formed origin,
or taking it away, is named as the ledger names any edit of a vote; a database of schema 24
upgraded (its votes' hashes made without an origin, the upgrade's own origins added as it
stamps them) and an untouched demo are clean."""
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


@pytest.mark.parametrize("origin", ["counter7:991", None, "{here}:3"])
def test_an_origin_edited_to_another_well_formed_one_is_named(recorded, origin):
    """Another PC's origin, none, or another vote's of this PC (then two share one): well
    formed, so `vote_origins` passes them; the ledger's hash names the edit."""
    path, here = recorded
    given = origin.format(here=here) if origin else None
    _edit(path, "UPDATE vote_rows SET origin = ? WHERE id = 2", [given])
    failed = [f.text for f in check_database(path) if not f.ok]
    assert failed == ["Phiếu đánh giá bị sửa ngoài MotCua: các dòng số 1–1.023 có dòng bị sửa "
                      "nội dung."]


def test_untouched_votes_are_clean(recorded):
    path, _here = recorded
    assert all(f.ok for f in check_database(path))


@pytest.mark.parametrize("origin", ["abc", "{here}:0", "{here}:1x", ":1", "{here}:99"])
def test_an_origin_edited_by_sql_is_named(recorded, origin):
    path, here = recorded
    _edit(path, "UPDATE vote_rows SET origin = ? WHERE id = 2", [origin.format(here=here)])
    said = _said(path)
    assert len(said) == 1 and said[0].startswith("1 phiếu đánh giá có nguồn (cột origin) sai "
                                                 "dạng") and "phiếu số 2." in said[0]
    failed = [f.text for f in check_database(path) if not f.ok]
    assert failed[1:] == ["Phiếu đánh giá bị sửa ngoài MotCua: các dòng số 1–1.023 có dòng bị "
                          "sửa nội dung."]  # (and the ledger's hash: an edit)


@pytest.mark.parametrize("record", ['{"rows": [1, 3]}', '{"rows": "x"}', '{"rows": {"vote_rows": 5}}',
                                    "[" * 200_000])
def test_an_origin_record_edited_by_sql_brings_nothing(recorded, record):
    """A package's origin record (db.vote_origin.origin_records) edited into another shape
    brings no vote, as the SQL reading before round 35 took it; its `rows` a list or a text, or
    nested past Python's limit, stopped `check` in a crash log (review36)."""
    path, here = recorded
    _edit(path, "INSERT INTO settings(key, value) VALUES (?, ?)",
          ["exchange_origin:00000001", record])
    assert all(f.ok for f in check_database(path))
    _edit(path, "UPDATE vote_rows SET origin = ? WHERE id = 2", [f"{here}:99"])
    said = _said(path)
    assert len(said) == 1 and "phiếu số 2." in said[0], said


def test_an_installation_id_nested_past_the_limit_is_said_unreadable(recorded):
    path, _here = recorded
    _edit(path, "UPDATE settings SET value = ? WHERE key = 'installation_id'", ["[" * 200_000])
    said = [f.text for f in check_database(path) if "installation_id" in f.text]
    assert len(said) == 1 and "installation_id) không đọc được" in said[0], said
