"""The hash chain of the event history (spec 10).

Every event carries `hash`, the SHA-256 of its own content together with the hash of the event
before it (by id). Schema 8 to 12 also stored that previous hash in `prev_hash`, a copy of the
previous row's `hash`: schema 13 dropped it (32 bytes an event, 161 bytes a dossier); the hashes
are made the same way, so the events stored before are not hashed again. Writers insert events without hashes and call
`seal` before their transaction commits; `seal` chains the writer's own events after the head
(a bulk writer hands its ordered rows to `append`, which hashes them on the way in).
One function for every path (a clerk's action, an import, the demo's bulk INSERT … SELECT, the
schema upgrade), so the chain is always made the same way. Triggers refuse to change a sealed
event or to delete any event: a correction is a new event.

The rows are stored compact since the migration EVENTS_COMPACT (db.events_codec: moments as
seconds, words as codes) and read through the view `events`: what is hashed is always the
decoded content, the very values the old table held, so no stored hash changed.

This lives in db/ because the schema upgrade to version 8 chains the events already stored.
"""
from __future__ import annotations

import binascii
import hashlib
import sqlite3
from collections.abc import Iterable, Iterator

from db import events_codec, json_text, ledger

# The dossier fields an event history vouches for (spec 10, issue 15): `check` replays the
# events and compares the result with these columns of `dossiers`.
AUDITED = ("received_at", "due_at", "extended_due_at", "finished_at", "returned_at", "status",
           "channel", "fee")


def _triggers(table: str) -> str:
    return f"""
CREATE TRIGGER events_sealed_final BEFORE UPDATE ON {table} WHEN OLD.hash IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the event history is append-only: a sealed event is never changed'); END;
CREATE TRIGGER events_never_deleted BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, 'the event history is append-only: events are never deleted'); END;
"""


# Schema 8 to 14 kept the rows in the table `events`; since schema 15 they are in
# `event_rows` (db.events_codec) and `events` is the view that decodes them.
TRIGGERS_V8 = _triggers("events")
TRIGGERS = _triggers(events_codec.TABLE)

# One encoder, made once, called directly (db.json_text): half the time of
# JSONEncoder.encode per event (a package's 94,000 events: 0.22 → 0.12 s), and a million events
# are hashed on a big database's upgrade and on every full check.
_ENCODE = json_text.encoder(ensure_ascii=False)
CONTENT_SQL = ("SELECT e.id, d.code, e.at, e.actor, e.action, e.from_status, e.to_status, "
               "e.reason, e.details FROM events e LEFT JOIN dossiers d ON d.id = e.dossier_id")


def content_hash(prev: bytes | None, code, at, actor, action, from_status, to_status, reason,
                 details) -> bytes:
    """SHA-256 of one event: a JSON array (a canonical, unambiguous serialisation: NULL stays
    null, no field can bleed into the next) of the previous hash in hex and the content."""
    return _digest([prev.hex() if prev else "", code, at, actor, action, from_status, to_status,
                    reason, details])


def _digest(fields: list) -> bytes:
    return hashlib.sha256(_ENCODE(fields).encode("utf-8")).digest()


def links(rows: Iterable[tuple], prev: bytes | None, words: dict[int, str] | None = None,
          ) -> Iterator[tuple[int, bytes | None, bytes]]:
    """(event id, previous hash, own hash) for rows of CONTENT_SQL in id order, chained from
    `prev`. The tight loop of sealing, checking and every import (about 3 µs an event): the
    bytes hashed are those of `content_hash`, with the names looked up once. `words`: the rows'
    actor, action and statuses are codes of these words where they are whole numbers (the
    stored rows, db.events_codec.raw_content), decoded here as the view `events` decodes them."""
    encode, sha256 = _ENCODE, hashlib.sha256
    hexed = prev.hex() if prev else ""
    coded, get = ((3, 4, 5, 6) if words else ()), (words or {}).get
    for row in rows:
        fields = list(row)
        fields[0] = hexed  # the id is not content: the hash of the previous event is
        for i in coded:
            if fields[i].__class__ is int:
                fields[i] = get(fields[i])
        digest = sha256(encode(fields).encode("utf-8")).digest()
        yield row[0], prev, digest
        prev, hexed = digest, digest.hex()


def head(conn: sqlite3.Connection) -> tuple[int, bytes] | None:
    """(id, hash) of the last sealed event, or None before the first one. Unsealed events only
    ever sit at the tail, so walking back from the highest id stops at once."""
    row = conn.execute("SELECT id, hash FROM events WHERE hash IS NOT NULL "
                       "ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else None


def seal(conn: sqlite3.Connection, first_id: int | None = None) -> int:
    """Chain the writer's own events (id ≥ `first_id`) after the head, in id order, inside the
    caller's transaction; returns how many. Only the upgrade to schema 8 seals everything
    (`first_id` None): an event slipped in by SQL without a hash must stay unsealed, for `check`
    to name it, never be blessed by the next clerk's action."""
    top = head(conn)
    last_id, prev = top if top else (0, None)
    start = last_id + 1 if first_id is None else max(first_id, last_id + 1)
    rows = conn.execute(CONTENT_SQL + " WHERE e.id >= ? ORDER BY e.id", [start]).fetchall()
    chained = list(links(rows, prev))
    conn.executemany(f"UPDATE {events_codec.table(conn)} SET hash = ? WHERE id = ?",
                     ((digest, event_id) for event_id, _prev, digest in chained))
    if chained:  # the new head, in the same transaction (deleting the tail shows: db.ledger)
        ledger.record_head(conn, chained[-1][0], chained[-1][2])
    return len(rows)


def encode_content(code, at, actor, action, from_status, to_status, reason, details) -> str:
    """The JSON text of an event's content, the part of `content_hash`'s array after the
    previous hash: a bulk writer may make it where the event is made (the demo's worker
    processes) and leave only the SHA-256 chaining to `append_tails`."""
    return _ENCODE([code, at, actor, action, from_status, to_status, reason, details])


def append(conn: sqlite3.Connection, events: list[tuple]) -> None:
    """Insert events already in order, hashed on the way in: for bulk writers (imports, the
    exchange), which would otherwise insert and then update every row. `events` are (dossier
    id, dossier code, at, actor, action, from_status, to_status, reason, details)."""
    append_tails(conn, [event[0] for event in events],
                 [_tail(event[1:]) for event in events],  # no list made per event
                 list(zip(*(event[2:] for event in events), strict=True)) or [()] * 7)


def encode_tail(code, at, actor, action, from_status, to_status, reason, details) -> bytes:
    """What `append_tails` hashes of an event after the previous hash: the UTF-8 bytes of its
    `encode_content` text without the opening bracket."""
    return _tail((code, at, actor, action, from_status, to_status, reason, details))


def _tail(content: tuple) -> bytes:
    """`encode_tail` of the event's eight content fields as one tuple (a tuple is a JSON array,
    as `encode_content`'s list is)."""
    if len(content) != 8:
        raise ValueError(f"an event's content has 8 fields, not {len(content)}")
    return _ENCODE(content)[1:].encode()


def append_tails(conn: sqlite3.Connection, dossier_ids, tails, columns,
                 coded_moments: bool = False) -> None:
    """Insert events already in order, hashed on the way in, given by columns: their dossier
    ids, their `encode_tail` bytes, and the seven columns at, actor, action, from_status,
    to_status, reason, details (stored in their compact form, db.events_codec). The bytes
    hashed are those of `content_hash`: the array with the previous hash in front (hex digits
    need no escaping, so it is spliced in as bytes). `coded_moments`: the column `at` holds
    events_codec.moment_code of each moment (the demo's workers make it, not this process).
    The tight loop of the demo's writer, the one process that cannot run in parallel."""
    top = head(conn)
    hexed = top[1].hex().encode() if top else b""
    sha256, hexlify, digests = hashlib.sha256, binascii.hexlify, []
    for tail in tails:
        digest = sha256(b'["' + hexed + b'",' + tail).digest()
        digests.append(digest)
        hexed = hexlify(digest)
    last = events_codec.insert_many(conn, dossier_ids, columns, digests, coded_moments)
    if digests and last is not None:
        ledger.record_head(conn, last, digests[-1])


def stamp_state(conn: sqlite3.Connection) -> None:
    """Schema upgrade to 8: events written before it do not say every audited field (a receive
    event had no channel or fee; an import named the fields it changed, not their values), so
    the last event of each dossier records the dossier's audited fields as they stand, once,
    before the chain seals them. From then on `check` replays from this state."""
    state = "json_object(" + ", ".join(f"'{f}', d.{f}" for f in AUDITED) + ")"
    conn.execute(f"""
        UPDATE events SET details = json_set(COALESCE(details, '{{}}'), '$.state',
            (SELECT json({state}) FROM dossiers d WHERE d.id = events.dossier_id))
        WHERE id IN (SELECT MAX(id) FROM events GROUP BY dossier_id)""")


def upgrade(conn: sqlite3.Connection) -> None:
    """The extra step of schema version 8: give a history to a dossier that had none (so every
    dossier is vouched for), stamp the current state, chain what is stored."""
    conn.execute("INSERT INTO events(dossier_id, at, action, to_status, reason) "
                 "SELECT id, received_at, 'receive', status, 'Ghi nhận khi nâng cấp dữ liệu' "
                 "FROM dossiers d WHERE NOT EXISTS (SELECT 1 FROM events e "
                 "WHERE e.dossier_id = d.id) ORDER BY id")
    stamp_state(conn)
    seal(conn)
