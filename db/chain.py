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

Stored prefixes (schema 20, issue 18: 156 → 43 bytes a dossier). The chain is computed over
FULL hashes exactly as before (each event's SHA-256 covers the previous event's full hash in
hex), but `event_rows.hash` keeps only the first STORED_BYTES = 8 bytes of each. Why that
proves as much as before (spec 10):
- every fingerprint already printed on signed paper still matches: the full hashes are the
  same, and the paper shows 12 hex digits (core.maintenance.audit FINGERPRINT_DIGITS, 48
  bits), fewer than the 16 an event keeps;
- a stored 64-bit prefix is still a commitment to the event's full hash: editing one event
  changes its full hash and hence the next event's hash, so `check`, which recomputes the
  chain from the first event, names the same first broken event as before;
- someone who rewrites every later hash could do so before too; only the paper (or a
  backup) catches that, and it still does.
Appending needs the full hash of the last event: the writers keep it with the head's id in
the settings (db.ledger.record_head). When that record and the table disagree (a tail deleted
by SQL), `full_hash` recomputes any event's full hash from the nearest earlier mark: the
table `chain_marks` keeps the full hash of the first event of every block of MARK_EVERY ids
(written by every path that seals: `seal`, `append_tails`), so at most MARK_EVERY events
(about 3 µs each) are hashed again. The quick check at start verifies the old events of the
dossiers it replays from those marks (core.maintenance.audit_quick); `check` compares every
mark with the chain it recomputes, so an edited mark is named, never trusted.
A file before schema 20 (its upgrades, and the migrations' tests) keeps full hashes and has no
marks (`width` says which): the writers store what the file holds.

The hashing itself (`content_hash`, `links`, `tails`, `chained` …) lives in db.chain_hashing and
is re-exported here; the schema upgrades that chain or shorten a stored history (versions 8 and
20) in db.chain_upgrade.
"""
from __future__ import annotations

import sqlite3

from db import append_only, events_codec, ledger
from db.chain_hashing import CONTENT_SQL as CONTENT_SQL
from db.chain_hashing import QUICK_BLOBS as QUICK_BLOBS
from db.chain_hashing import QUICK_MOMENT as QUICK_MOMENT
from db.chain_hashing import _tail
from db.chain_hashing import chained as chained
from db.chain_hashing import content_hash as content_hash
from db.chain_hashing import encode_content as encode_content
from db.chain_hashing import encode_tail as encode_tail
from db.chain_hashing import links as links
from db.chain_hashing import quick_tails as quick_tails
from db.chain_hashing import tails as tails

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

# ----- stored prefixes and marks (schema 20) ---------------------------------------------------
FULL_BYTES = 32
STORED_BYTES = 8  # what an event keeps of its hash since schema 20 (the chain is over full ones)
MARK_EVERY = 1024  # one full hash kept for the first event of every block of this many ids
MARKS = "chain_marks"
MARKS_TRIGGERS = append_only.triggers(MARKS, "a mark")
MARKS_SCHEMA = f"""
CREATE TABLE {MARKS} (
    id INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
);
""" + MARKS_TRIGGERS


def has_marks(conn) -> bool:
    """Does the file store prefixes and marks (schema 20 and later)?"""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        [MARKS]).fetchone() is not None


def width(conn) -> int:
    """How many bytes of each event's hash the file stores."""
    return STORED_BYTES if has_marks(conn) else FULL_BYTES


def is_mark(event_id: int, previous_id: int) -> bool:
    """Is the event the first of its block of MARK_EVERY ids (`previous_id` the id of the event
    before it, 0 for the first)? A gap in the ids (events deleted by SQL) leaves no block
    without its mark."""
    return event_id // MARK_EVERY != previous_id // MARK_EVERY


def new_marks(chained: list[tuple[int, bytes]], previous_id: int) -> list[tuple[int, bytes]]:
    """The (id, full hash) marks among events just chained, in id order after `previous_id`."""
    out = []
    for event_id, digest in chained:
        if is_mark(event_id, previous_id):
            out.append((event_id, digest))
        previous_id = event_id
    return out


def store_marks(conn, marks: list[tuple[int, bytes]]) -> None:
    """Keep the marks (inside the writer's transaction). A mark already there (ids reused after
    a tail deleted by SQL) stays as it was: `check` names it, a clerk's action is not refused."""
    conn.executemany(f"INSERT OR IGNORE INTO {MARKS}(id, hash) VALUES (?, ?)", marks)


def marks(conn, after: int = 0, upto: int | None = None) -> dict[int, bytes]:
    """The stored marks of the events after `after` up to `upto` (id → full hash); none in a
    file before schema 20."""
    if not has_marks(conn):
        return {}
    return dict(conn.execute(f"SELECT id, hash FROM {MARKS} WHERE id > ? AND id <= ?",
                             [after, (1 << 62) if upto is None else upto]))


def mark_before(conn, event_id: int) -> tuple[int, bytes | None]:
    """(id, full hash) of the nearest mark at or before `event_id`; (0, None) before the first
    (the chain starts with no previous hash)."""
    if not has_marks(conn):
        return 0, None
    row = conn.execute(f"SELECT id, hash FROM {MARKS} WHERE id <= ? ORDER BY id DESC LIMIT 1",
                       [event_id]).fetchone()
    return (row[0], row[1]) if row else (0, None)


def full_hash(conn, event_id: int) -> bytes | None:
    """The full hash of event `event_id` as its content and the chain before it say: hashed
    again from the nearest mark (at most MARK_EVERY events). None when there is no such event."""
    after, prev = mark_before(conn, event_id)
    if after == event_id:
        return prev
    content, words = events_codec.raw_content(conn, after, event_id)
    last: tuple[int, bytes] | None = None
    for found, _prev, digest in links(content, prev, words):
        last = (found, digest)
    return last[1] if last is not None and last[0] == event_id else None


def recheck_to(conn, event_id: int) -> tuple[int | None, bytes | None]:
    """The events from the nearest mark before `event_id` up to it hashed again: (the first
    whose stored hash is not the prefix of its recomputed one, or None; the recomputed full
    hash of `event_id`, None when there is no such event). At most MARK_EVERY events."""
    after, prev = mark_before(conn, event_id - 1)
    stored = conn.execute(f"SELECT id, hash FROM {events_codec.TABLE} WHERE id > ? AND id <= ? "
                          "ORDER BY id", [after, event_id])
    content, words = events_codec.raw_content(conn, after, event_id)
    last: tuple[int, bytes] | None = None
    for (found, digest), (_id, _prev, expected) in zip(stored, links(content, prev, words),
                                                       strict=True):
        if digest != expected[:STORED_BYTES]:
            return found, None
        last = (found, expected)
    return None, last[1] if last is not None and last[0] == event_id else None


def head(conn: sqlite3.Connection) -> tuple[int, bytes] | None:
    """(id, full hash) of the last sealed event, or None before the first one. Unsealed events
    only ever sit at the tail, so walking back from the highest id stops at once. A stored
    prefix is completed from the head the writers recorded (db.ledger) when that is this event,
    else hashed again from the nearest mark."""
    row = conn.execute("SELECT id, hash FROM events WHERE hash IS NOT NULL "
                       "ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    event_id, stored = row
    if not has_marks(conn):
        return event_id, stored
    recorded = ledger.recorded_head(conn)
    if recorded is not None and recorded[0] == event_id and len(recorded[1]) == 2 * FULL_BYTES \
            and recorded[1].startswith(stored.hex()):
        return event_id, bytes.fromhex(recorded[1])
    full = full_hash(conn, event_id)
    return event_id, full if full is not None else stored


def _stored(conn, chained: list[tuple[int, bytes]], previous_id: int) -> list[bytes] | None:
    """What the table keeps of the digests just chained (prefixes or full hashes), the marks
    among them stored on the way. None: the file keeps full hashes."""
    if not has_marks(conn):
        return None
    store_marks(conn, new_marks(chained, previous_id))
    return [digest[:STORED_BYTES] for _id, digest in chained]


def seal(conn: sqlite3.Connection, first_id: int | None = None) -> int:
    """Chain the writer's own events (id ≥ `first_id`) after the head, in id order, inside the
    caller's transaction; returns how many. Only the upgrade to schema 8 seals everything
    (`first_id` None): an event slipped in by SQL without a hash must stay unsealed, for `check`
    to name it, never be blessed by the next clerk's action."""
    top = head(conn)
    last_id, prev = top if top else (0, None)
    start = last_id + 1 if first_id is None else max(first_id, last_id + 1)
    rows = conn.execute(CONTENT_SQL + " WHERE e.id >= ? ORDER BY e.id", [start]).fetchall()
    chained = [(event_id, digest) for event_id, _prev, digest in links(rows, prev)]
    stored = _stored(conn, chained, last_id)
    conn.executemany(f"UPDATE {events_codec.table(conn)} SET hash = ? WHERE id = ?",
                     ((digest, event_id) for (event_id, _d), digest
                      in zip(chained, stored or [d for _i, d in chained], strict=True)))
    if chained:  # the new head, in the same transaction (deleting the tail shows: db.ledger)
        ledger.record_head(conn, chained[-1][0], chained[-1][1])
    return len(rows)



def append(conn: sqlite3.Connection, events: list[tuple]) -> None:
    """Insert events already in order, hashed on the way in: for bulk writers (imports, the
    exchange), which would otherwise insert and then update every row. `events` are (dossier
    id, dossier code, at, actor, action, from_status, to_status, reason, details)."""
    append_tails(conn, [event[0] for event in events],
                 [_tail(event[1:]) for event in events],  # no list made per event
                 list(zip(*(event[2:] for event in events), strict=True)) or [()] * 7)


def append_tails(conn: sqlite3.Connection, dossier_ids, tails, columns,
                 coded_moments: bool = False) -> None:
    """Insert events already in order, hashed on the way in, given by columns: their dossier
    ids, their `encode_tail` bytes, and the seven columns at, actor, action, from_status,
    to_status, reason, details (stored in their compact form, db.events_codec), chained after
    the head (`chained`: the bytes of `content_hash`). `coded_moments`: the column `at` holds
    events_codec.moment_code of each moment (the demo's workers make it, not this process).
    The tight loop of the demo's writer, the one process that cannot run in parallel."""
    top = head(conn)
    digests = chained(tails, top[1] if top else None)
    prefixed = has_marks(conn)
    stored = [digest[:STORED_BYTES] for digest in digests] if prefixed else digests
    last = events_codec.insert_many(conn, dossier_ids, columns, stored, coded_moments)
    if digests and last is not None:
        ledger.record_head(conn, last, digests[-1])
        if prefixed:  # the ids just given follow each other, the last one `last`: the marks
            first = last - len(digests) + 1  # are the multiples of MARK_EVERY among them
            store_marks(conn, [(mark, digests[mark - first]) for mark in
                               range(-(-first // MARK_EVERY) * MARK_EVERY, last + 1, MARK_EVERY)])
