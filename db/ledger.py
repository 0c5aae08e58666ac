"""What the events do not carry: a ledger of payments, votes, waits and extensions, and the
record of the chain's head (spec 10, issue 15 §2).

Events say what happened to a dossier; the rows of `payments`, `votes` (a walk-in vote has no
dossier, so no event can carry it), `supplements` and `extensions` are written beside them. So
that a single edit or deletion of such a row by SQL shows, every writer changes them through
this module in its transaction, and the settings table keeps, per table and per bucket of
1,024 ids, how many rows there are and the sum (mod 2^128) of a hash of each row's columns.
The sum is order-free, so a writer updates it in O(rows touched): it subtracts the rows it is
about to change (`changing`) and adds them back as they are after (or adds the rows it has
just inserted, `added`). `check` recomputes the sums and names the table and the id range
that differ, and whether rows went missing, appeared, or changed.

`record_head` keeps the id and full hash of the chain's last event in the settings, written by
db.chain in the same transaction as the events: deleting the last events (which leaves no
successor to break) makes the chain end before the recorded head. Since schema 20 the events
keep an 8-byte prefix of their hash (db.chain), and the next event is chained over this full one.

None of this is a secret: someone who knows it can rewrite the sums or the head with the
sqlite3 tool as they could rewrite every hash of the chain; the fingerprint on a signed paper
(core.maintenance.audit) is what such a rewrite cannot match.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import operator
import sqlite3
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from db import stored_json

# The columns a row's hash covers: all of them, named so that a later column (a migration)
# does not silently change every hash.
TABLES: dict[str, tuple[str, ...]] = {
    "payments": ("id", "dossier_id", "amount", "method", "paid_at", "reference", "actor",
                 "cancelled_at", "cancel_reason", "cancelled_by"),
    "votes": ("id", "unit_code", "voted_at", "rating", "dossier_id", "comment", "reasons",
              "source", "actor", "cancelled_at", "cancel_reason", "cancelled_by"),
    "supplements": ("id", "dossier_id", "requested_at", "completed_at", "reason"),
    "extensions": ("id", "dossier_id", "extended_at", "previous_due_at", "new_due_at", "reason",
                   "actor"),
}
# A column a row's hash covers only where it holds a value: a vote's origin, from schema 26
# (WHEN_SET_FROM) on. A row without one keeps the text, and the hash, it had before the column
# existed; a row with one is vouched for with it, so an edit giving a vote another installation's
# origin shows. Schema 25 (the column, round 33's MotCua 1.0.0) hashed no origin: a file of it is
# judged by that rule (`hashes_when_set`, by the file's own PRAGMA user_version), and the upgrade
# to 26 swaps each set row's contribution from the one text to the other (`hash_when_set`).
WHEN_SET: dict[str, str] = {"votes": "origin"}
WHEN_SET_FROM = 26  # db.schema.LEDGER_ORIGIN's number (db.schema checks the two agree)
BUCKET_BITS = 10  # 1,024 ids a bucket: a difference is named to within that range
MODULUS = 1 << 128
PREFIX = "audit.rows."
HEAD_KEY = "audit.head"

Sums = dict[int, list[int]]  # bucket → [rows, sum of their hashes]
T = TypeVar("T")


def row_sql(table: str, conn=None, value: Callable[[str], str] = str) -> str:
    """Each row's id and its columns as one text, made by SQLite (a JSON array keeps NULL,
    numbers and text apart, and is built in one call: four times quicker than quote() and ||),
    so Python only hashes it, read as its bytes (`as_bytes`). With `conn`, by that file's rule
    (`hashes_when_set`: a file of an earlier schema read as it is, `check` of an older
    backup); `value` as `row_text` takes it."""
    present = conn is None or hashes_when_set(conn, table)
    return f"SELECT id, {as_bytes(row_text(table, value, when_set=present))} FROM {table}"


def as_bytes(text_sql: str) -> str:
    """A row's text read as the bytes SQLite holds, hashed as they are: the UTF-8 of every text
    MotCua writes (the same hash as its text's), and no decoding to fail on a text edited by
    SQL into bytes that are no UTF-8 (break35: `check` and the upgrade to 26 stopped on
    «Could not decode to UTF-8» in a crash log, where the row is to be named as edited)."""
    return f"CAST({text_sql} AS BLOB)"


# What a BLOB's hex follows in `shown_blob`: the UTF-8 of a lone surrogate, bytes no writer can
# store (Python refuses to bind such a text), so no text a writer stored reads like a BLOB
BLOB_MARK = "CAST(x'eda080' AS TEXT)"


def shown_blob(name: str) -> str:
    """A column's value, a BLOB given as a text of its hex after BLOB_MARK (a JSON array cannot
    hold a BLOB: «JSON cannot hold BLOB values» stopped `check` and the upgrade to 26 on a
    value edited by SQL, break35). Only when the plain reading failed (`_read`): a CASE a
    column costs every check some 40 % more SQL, for what no MotCua writes. A value MotCua
    wrote reads as it did, so only an edited row's hash changes: named as edited — shown as
    the text x'…', a text «x'4142'» turned by SQL into the BLOB x'4142' hashed alike (review35b)."""
    return f"CASE WHEN {name} >= x'' THEN {BLOB_MARK} || hex({name}) ELSE {name} END"


def _read(conn, sql_of: Callable[[Callable[[str], str]], str], params=()) -> Sums:
    """`summed` of the rows `sql_of(value)` selects (id, a row's text by `row_text`, each column
    given by `value`), by `read`."""
    return read(conn, sql_of, params, summed)


def read(conn, sql_of: Callable[[Callable[[str], str]], str], params, use: Callable[[Any], T]) -> T:
    """`use` of the cursor of `sql_of(value)` (each column given by `value`): read plainly, and
    again with BLOBs shown (`shown_blob`) when SQLite refused to; an error of the file or the
    disk raises again from the second reading. The one reading of values no MotCua writes, for
    the ledger and the quick check's digests of dossiers (core.maintenance.audit_quick)."""
    try:
        return use(conn.execute(sql_of(str), params))
    except sqlite3.OperationalError:
        return use(conn.execute(sql_of(shown_blob), params))


def setting(conn, key: str) -> bytes | None:
    """A setting's value as the bytes SQLite holds (None: no such key), for db.stored_json.loads: a value
    edited by SQL into a text of bytes that are no UTF-8 fails there as a ValueError (the
    reader's «not what MotCua writes»), where reading it as a text stopped `check` and the
    start-up on «Could not decode to UTF-8» in a crash log (quick35)."""
    row = conn.execute("SELECT CAST(value AS BLOB) FROM settings WHERE key = ?", [key]).fetchone()
    return None if row is None else row[0]


def read_again_lenient(conn, use: Callable[[], T]) -> T:
    """`use()`, and when SQLite's texts could not be decoded («Could not decode to UTF-8»: a
    value edited by SQL into bytes that are no UTF-8), `use()` again with such bytes read as
    lone surrogates (surrogateescape): a text no writer stores (Python refuses to bind one), so
    it differs from what the history says and is named (core.maintenance.audit's fields and
    chain, db.chain_hashing.links; quick35). The quick reading first: a Python call a text
    costs every check for what no MotCua writes."""
    try:
        return use()
    except sqlite3.OperationalError:
        raw = getattr(conn, "conn", conn)  # (a sqlite_utils Database wraps its connection)
        before = raw.text_factory
        raw.text_factory = functools.partial(str, encoding="utf-8", errors="surrogateescape")
        try:
            return use()
        finally:
            raw.text_factory = before


def hashes_when_set(conn, table: str) -> bool:
    """Does this file's ledger hash `table`'s WHEN_SET column (where set)? From schema
    WHEN_SET_FROM on, in a file that has the column."""
    extra = WHEN_SET.get(table)
    if extra is None:
        return False
    if conn.execute("PRAGMA user_version").fetchone()[0] < WHEN_SET_FROM:
        return False
    return any(row[1] == extra for row in conn.execute(f"PRAGMA table_info({table})"))


def row_text(table: str, value: Callable[[str], str] = str, when_set: bool = True) -> str:
    """The SQL of a row's text (`row_sql`), each column's value given by `value(name)` (the
    name itself, or what another reader of the rows holds in its place: core.exchange.fastcopy):
    the columns of TABLES, then the WHEN_SET column where it is not NULL. The one rule of it."""
    shown = ", ".join(map(value, TABLES[table]))
    extra = WHEN_SET.get(table)
    if extra is None or not when_set:
        return f"json_array({shown})"
    return (f"CASE WHEN {value(extra)} IS NULL THEN json_array({shown}) "
            f"ELSE json_array({shown}, {value(extra)}) END")


def sums(conn, table: str, where: str = "1", params: list | tuple = ()) -> Sums:
    """Per bucket, how many rows of `table` match `where` and the sum of their hashes."""
    return _read(conn, lambda value: f"{row_sql(table, conn, value)} WHERE {where}", list(params))


def summed(rows: Iterable[tuple[int, str | bytes]]) -> Sums:
    """Per bucket, how many of these rows (id, the text `row_sql` gives, or its UTF-8 bytes)
    and the sum of their hashes: `sums`, of rows read elsewhere (core.exchange.fastcopy,
    beside the writer)."""
    out: Sums = {}
    blake2b = hashlib.blake2b  # the tight loop of every check: about 2 µs a row
    for row_id, text in rows:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        digest = int.from_bytes(blake2b(data, digest_size=16).digest(), "big")
        entry = out.get(row_id >> BUCKET_BITS)
        if entry is None:
            out[row_id >> BUCKET_BITS] = [1, digest]
        else:
            entry[0] += 1
            entry[1] += digest
    for entry in out.values():
        entry[1] %= MODULUS
    return out


def summed_from(texts: Iterable[str], first: int) -> tuple[Sums, int]:
    """`summed` of rows whose ids are first, first + 1, … in the order of `texts` (each row's
    text as `row_sql` gives it), and how many: the same sums, each text encoded and hashed in
    C (map, no Python a row) and each bucket's hashes added as 64-bit words (the digests'
    big-endian halves, summed in C and put together: the same integer sum), where `summed`
    spent ~2 µs a row in Python (core.exchange.fastcopy's ledger job: ~21,000 rows a
    20,000-dossier part, docs/speed.md, sixteenth round)."""
    digest = functools.partial(hashlib.blake2b, digest_size=16)
    joined = b"".join(map(operator.methodcaller("digest"),
                          map(digest, map(str.encode, texts))))
    count = len(joined) // 16
    if WORD_BYTES != 8:  # (no platform MotCua runs on: 'Q' is 8 bytes there)
        return _by_digest(joined, first), count
    words = array("Q", joined)
    if sys.byteorder == "little":
        words.byteswap()  # each word as the big-endian number it is in the digest
    out: Sums = {}
    at = 0
    while at < count:
        bucket = (first + at) >> BUCKET_BITS
        end = min(count, ((bucket + 1) << BUCKET_BITS) - first)
        high, low = sum(words[2 * at:2 * end:2]), sum(words[2 * at + 1:2 * end:2])
        out[bucket] = [end - at, ((high << 64) + low) % MODULUS]
        at = end
    return out, count


WORD_BYTES = array("Q").itemsize


def _by_digest(joined: bytes, first: int) -> Sums:
    """`summed_from`'s sums of the joined digests, a digest at a time."""
    out: Sums = {}
    for k in range(len(joined) // 16):
        entry = out.setdefault((first + k) >> BUCKET_BITS, [0, 0])
        entry[0] += 1
        entry[1] = (entry[1] + int.from_bytes(joined[16 * k:16 * k + 16], "big")) % MODULUS
    return out


class Unreadable(ValueError):
    """A ledger's setting holds what no MotCua writes (edited by SQL): `check` names it, the
    writers leave it as it is (`_apply`)."""


def stored(conn, table: str) -> Sums | None:
    """The ledger of `table` as the writers left it, or None before it was first made;
    Unreadable when it is not what `_store` writes."""
    value = setting(conn, PREFIX + table)
    if value is None:
        return None
    try:
        said = stored_json.loads(value)
        return {int(bucket): [_count(count), int(total, 16)]
                for bucket, (count, total) in said.items()}
    except (TypeError, ValueError, AttributeError) as exc:  # (json's errors are ValueErrors)
        raise Unreadable(table) from exc


def _count(value: object) -> int:
    if type(value) is not int:
        raise TypeError("a bucket's count is a whole number")
    return value


def _store(conn, table: str, ledger: Sums) -> None:
    value = {str(b): [count, format(total, "x")] for b, (count, total) in sorted(ledger.items())
             if count}
    conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",
                 [PREFIX + table, json.dumps(value, separators=(",", ":"))])


def _apply(conn, table: str, before: Sums, after: Sums) -> None:
    try:
        ledger = stored(conn, table)
    except Unreadable:
        # left as it is for `check` to name: written over, the edit would be hidden; and the
        # clerk's write goes on (a vote at the kiosk stopped on a crash log, break35)
        return
    if ledger is None:
        if is_new(conn):  # a database never opened by this version: its rows are the baseline
            ensure(conn)
        return  # one ledger deleted among the others stays missing, for `check` to name
    for sign, part in ((-1, before), (1, after)):
        for bucket, (count, total) in part.items():
            entry = ledger.setdefault(bucket, [0, 0])
            entry[0] += sign * count
            entry[1] = (entry[1] + sign * total) % MODULUS
    _store(conn, table, ledger)


def added(conn, table: str, where: str, params: list | tuple = ()) -> None:
    """The rows of `table` matching `where` were just inserted (inside the caller's transaction)."""
    _apply(conn, table, {}, sums(conn, table, where, params))


def add(conn, table: str, inserted: Sums) -> None:
    """`added`, the sums of the rows inserted given (`summed`): they must be the rows as they
    stand in `table`, and no other write of the ledger may have come between their insertion
    and this (a bucket `changing` empties is forgotten)."""
    _apply(conn, table, {}, inserted)


def kept(conn, table: str) -> bool:
    """Is there a ledger of `table` to add to (`stored` is not None)?"""
    return conn.execute("SELECT 1 FROM settings WHERE key = ?", [PREFIX + table]).fetchone() \
        is not None


@contextlib.contextmanager
def changing(conn, table: str, where: str, params: list | tuple = ()) -> Iterator[None]:
    """Around an UPDATE or DELETE (or a replacement) of the rows matching `where`: the ledger
    loses them as they were and gains them as they are after."""
    before = sums(conn, table, where, params)
    yield
    _apply(conn, table, before, sums(conn, table, where, params))


def hash_when_set(conn, table: str) -> None:
    """Schema 26's step (db.schema.LEDGER_ORIGIN): each row of `table` with its WHEN_SET column
    set leaves the ledger by its text without it (schema 25's rule, the hash it holds) and
    comes back by its text with it. A row edited before keeps its mismatch: what is taken out
    is its current text's hash, not the one the ledger holds. A file with no ledger yet: none
    to change (it is made on opening, by the new rule: `ensure`)."""
    extra = WHEN_SET[table]
    try:
        if stored(conn, table) is None:
            return
    except Unreadable:  # (`_apply`: left for `check` to name; the upgrade goes on)
        return
    rows = f"FROM {table} WHERE {extra} IS NOT NULL"
    before = _read(conn, lambda value: f"SELECT id, "
                   f"{as_bytes(row_text(table, value, when_set=False))} {rows}")
    after = _read(conn, lambda value: f"SELECT id, {as_bytes(row_text(table, value))} {rows}")
    _apply(conn, table, before, after)


# ----- the head of the chain ------------------------------------------------------------------
def record_head(conn, event_id: int, digest: bytes) -> None:
    conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",
                 [HEAD_KEY, json.dumps([event_id, digest.hex()])])


def recorded_head(conn) -> tuple[int, str] | None:
    value = setting(conn, HEAD_KEY)
    if value is None:
        return None
    try:
        event_id, digest = stored_json.loads(value)
        return int(event_id), str(digest)
    except (TypeError, ValueError):
        return -1, ""  # not what MotCua writes: the check names it


def missing(conn) -> list[str]:
    """The settings keys of this module not yet made (a database of an earlier version). A
    chain with no sealed event has no head to record."""
    keys = [PREFIX + table for table in TABLES]
    if conn.execute("SELECT 1 FROM events WHERE hash IS NOT NULL LIMIT 1").fetchone():
        keys.insert(0, HEAD_KEY)
    have = {row[0] for row in conn.execute(
        f"SELECT key FROM settings WHERE key IN ({','.join('?' * len(keys))})", keys)}
    return [key for key in keys if key not in have]


def is_new(conn) -> bool:
    """No key of the ledger at all: a new database or one of an earlier version. One key missing
    among the others was deleted: that is for `check` to name, never to make again."""
    return all(PREFIX + table in missing(conn) for table in TABLES)


def ensure(conn: sqlite3.Connection) -> bool:
    """On opening (inside a transaction): a database of an earlier version has no ledger and no
    recorded head yet; they start from the data as it stands (its baseline: what was changed
    before cannot be told). Returns whether anything was made."""
    if not is_new(conn):
        return False
    for table in TABLES:
        _store(conn, table, sums(conn, table))
    from db import chain  # db.chain writes through this module: imported when first needed
    top = chain.head(conn)  # the full hash (the table keeps a prefix since schema 20)
    if top is not None:
        record_head(conn, top[0], top[1])
    return True
