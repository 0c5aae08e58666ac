"""The ledger's hash is what a leader's signature rests on: round 35 reads each row's text as
the bytes SQLite holds (db.ledger.as_bytes) where rounds 25–34 read it as a Python text and
encoded it again. For every text a writer can store (Python binds a text as its UTF-8, and
refuses a lone surrogate) the two readings must give the same bytes, so the sums every file
already holds stay true: checked here against round 34's reading, kept below as it was, on
crafted texts (NUL, controls, JSON's escapes spelled out, NFD, 4-byte characters, long ones,
random code points from every plane) in every text column of the four ledgered tables."""
from __future__ import annotations

import hashlib
import random
import sqlite3
import unicodedata

import pytest

from core import votes
from core.database import open_database
from db import ledger
from tests.core.factories import add_dossier, add_procedures, add_units
from tests.db.test_ledger_origin import EDITED, _back, _wrong

NAME = "Nguyễn Thị Ánh Tuyết, Đắk Lắk"
CRAFTED = [
    "", "\x00", "a\x00b", "\x00\x00\x00", "".join(map(chr, range(1, 32))), "\x7f\x80\x9f",
    '"', "\\", '\\"', "\\u0000", "\\ud800\\udc00", "\\ud83d\\udc4d", "x'41'", "null", "[1,2]",
    "1e5", "-0", NAME, unicodedata.normalize("NFD", NAME), "e\u0301\u0323\u0302" * 300,
    "👍🏽👨‍👩‍👧 \U0001d518\U0010ffff", "\U00010000", "\ufeff\ufffe\uffff\ufffd",
    "\u2028\u2029\u200b\u200d", "漢字 한국어 العربية", ("Rất hài lòng với cán bộ. " * 400),
]


def _random_texts(count: int, seed: int = 35) -> list[str]:
    rng = random.Random(seed)
    planes = [(1, 0x7f), (0x80, 0x7ff), (0x800, 0xd7ff), (0xe000, 0xffff), (0x10000, 0x10ffff)]
    out = []
    for _ in range(count):
        out.append("".join(chr(rng.randint(*rng.choice(planes)))
                           for _ in range(rng.randint(1, 40))))
    return out


TEXTS = CRAFTED + _random_texts(200)

# the text columns of each ledgered table's stored rows (the views show them as they are)
COLUMNS = {
    "payment_rows": ("reference", "actor", "cancel_reason", "cancelled_by"),
    "vote_rows": ("comment", "reasons", "actor", "cancel_reason", "cancelled_by", "origin"),
    "supplements": ("reason",),
    "extensions": ("reason", "actor"),
}


def round_34_sums(conn, table: str) -> ledger.Sums:
    """Round 34's reading, as it was: the row's text read as a Python text, encoded, hashed."""
    present = ledger.hashes_when_set(conn, table)
    out: ledger.Sums = {}
    for row_id, text in conn.execute(
            f"SELECT id, {ledger.row_text(table, when_set=present)} FROM {table}"):
        digest = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest(),
                                "big")
        entry = out.setdefault(row_id >> ledger.BUCKET_BITS, [0, 0])
        entry[0] += 1
        entry[1] = (entry[1] + digest) % ledger.MODULUS
    return out


@pytest.fixture
def rows(db_path):
    """A file with one row in each ledgered table, written by MotCua."""
    db = open_database(db_path)
    try:
        add_units(db)
        add_procedures(db)
        add_dossier(db, code="H1", received="2026-11-02 08:00:00", fee=8000,
                    payments=[(8000, "cash", "2026-11-02 08:30:00")],
                    waits=[("2026-11-03 08:00:00", None)])
        db.execute("INSERT INTO extensions(dossier_id, extended_at, new_due_at, reason) "
                   "VALUES (1, '2026-11-04 08:00:00', '2026-11-20 08:00:00', 'gia hạn')")
        votes.add_vote(db, unit_code="U1", rating="satisfied", actor="admin")
    finally:
        db.close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    yield conn
    conn.close()


@pytest.mark.parametrize("stored", list(COLUMNS))
def test_both_readings_hash_every_text_a_writer_can_store_alike(rows, stored):
    table = {"payment_rows": "payments", "vote_rows": "votes"}.get(stored, stored)
    rows.execute("BEGIN")  # (one transaction: a sync each update took seconds)
    for column in COLUMNS[stored]:
        for text in TEXTS:
            rows.execute(f"UPDATE {stored} SET {column} = ?", [text])  # bound as MotCua binds
            assert rows.execute(f"SELECT {column} = ? FROM {stored}", [text]).fetchone() == (1,)
            assert ledger.sums(rows, table) == round_34_sums(rows, table), (column, text)


def test_a_lone_surrogate_is_no_text_a_writer_can_store(rows):
    """(so no file holds one written by MotCua: only SQL puts such bytes, named as edited)"""
    with pytest.raises(UnicodeEncodeError):
        rows.execute("UPDATE vote_rows SET comment = ?", ["a\ud800b"])


def test_the_stored_sums_stand_and_an_nfd_edit_is_named(db_path):
    """Written by the writers (which store NFC), read by this program: clean; the same comment
    edited by SQL into its NFD spelling (the same letters on screen) is named."""
    db = open_database(db_path)
    try:
        add_units(db)
        for text in (NAME, unicodedata.normalize("NFD", NAME), "e\u0301\u0323\u0302" * 100,
                     "👍🏽👨‍👩‍👧 \U0001d518", "\U00010000", "漢字 한국어", "\\u0000 x'41' \"",
                     "Rất hài lòng với cán bộ. " * 20):
            votes.add_vote(db, unit_code="U1", rating="satisfied", comment=text[:500],
                           actor="admin")
    finally:
        db.close()
    conn = sqlite3.connect(db_path)
    try:
        assert ledger.stored(conn, "votes") == ledger.sums(conn, "votes") \
            == round_34_sums(conn, "votes")
    finally:
        conn.close()
    assert _wrong(db_path) == []
    _back(db_path, lambda conn: conn.execute(
        "UPDATE vote_rows SET comment = ? WHERE id = 2", [unicodedata.normalize("NFD", NAME)]))
    assert _wrong(db_path) == [EDITED]
