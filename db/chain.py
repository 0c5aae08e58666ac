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
"""
from __future__ import annotations

import binascii
import hashlib
import sqlite3
from array import array
from collections.abc import Iterable, Iterator
from typing import cast

from db import events_codec, json_text, ledger, steps
from db.errors import DatabaseEnvironmentError

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


def tails(rows: Iterable[tuple], words: dict[int, str] | None = None) -> tuple[array, list[bytes]]:
    """The first of the two steps `links` takes at once, the one that needs no previous hash:
    for rows of CONTENT_SQL in the chain's order, their ids and each one's `encode_tail` bytes
    (its content's JSON after the previous hash), `words` decoded as `links` decodes them.
    `chained` makes their hashes from them after any head: byte for byte `links`'s
    (tests/db/test_chain_tails.py). The two thirds of a chain's Python (~1.3 µs an event) that
    can be done ahead, where the previous hash is not known yet (core.exchange.fastcopy: the
    second process makes the tails of the parts to come)."""
    get, tail = (words or {}).get, _tail
    ids, out = array("q"), cast(list[bytes], [])
    add_id, add = ids.append, out.append
    for event_id, code, at, actor, action, from_status, to_status, reason, details in rows:
        add_id(event_id)
        if words:  # the names unrolled, not a loop over their places: a fifth quicker
            if actor.__class__ is int:
                actor = get(actor)
            if action.__class__ is int:
                action = get(action)
            if from_status.__class__ is int:
                from_status = get(from_status)
            if to_status.__class__ is int:
                to_status = get(to_status)
        add(tail((code, at, actor, action, from_status, to_status, reason, details)))
    return ids, out


# The moment `quick_tails` reads: the view's text of seconds (events_codec.MOMENT_SQL's), NULL
# for any other stored value (the part is then read the general way, `tails`)
QUICK_MOMENT = "CASE typeof(r.at) WHEN 'integer' THEN datetime(r.at, 'unixepoch') END"
QUICK_BLOBS = 20000  # distinct details blobs decoded by SQL at most, then read the general way
_NEVER = object()  # equal to nothing: no code's JSON is taken for the next row's


def quick_tails(rows: Iterable[tuple], words: dict[int, str], details,
                ) -> tuple[array, list[bytes]] | None:
    """`tails` of a coded file's rows as CONTENT_SQL's but the moment read as QUICK_MOMENT
    and the details as stored (the words still coded), byte for byte (tests/db/
    test_chain_quick_tails.py), `details(blob)` giving the view's details of a stored blob
    (db.events_codec.View). A part of 94,000 events repeats a few hundred details and word
    combinations: each one's JSON is made once (each distinct blob decoded once by the view's
    own SQL, not every row's printf and json_valid), and each tail is joined from those
    pieces (an array's JSON is its items' joined by commas; a moment's text needs no escape,
    datetime() writes digits, '-', ' ' and ':'): ~⅔ of `tails`' time with its SQL. None,
    nothing made, for a row it does not take (the caller reads them all the general way): a
    moment that is not whole seconds datetime() can write, a word stored as a real (it
    equals the code it would be taken for), more than QUICK_BLOBS distinct blobs. Errors:
    those of reading and encoding the values (a blob where text is read …), which the
    general way meets too."""
    encode, get = _ENCODE, words.get
    ids, out = array("q"), cast(list[bytes], [])
    add_id, add = ids.append, out.append
    named: dict[tuple, str] = {}  # (actor, action, from, to) as stored → their JSON
    reasons: dict = {None: "null"}  # texts only (no real taken for an equal integer)
    detailed: dict = {None: "null"}  # texts and blobs as stored → the view's details' JSON
    blobs, last, code_json = 0, _NEVER, ""
    for event_id, code, at, actor, action, from_status, to_status, reason, stored in rows:
        if at is None or actor.__class__ is float or action.__class__ is float or \
                from_status.__class__ is float or to_status.__class__ is float:
            return None
        add_id(event_id)
        if code != last:  # a dossier's events follow each other: its code's JSON made once
            code_json = encode((code,))[1:-1]
            last = code if code.__class__ is str else _NEVER
        key = (actor, action, from_status, to_status)
        named_json = named.get(key)
        if named_json is None:
            named_json = named[key] = encode(
                [get(w) if w.__class__ is int else w for w in key] if words else key)[1:-1]
        reason_json = reasons.get(reason)
        if reason_json is None:
            reason_json = encode((reason,))[1:-1]
            if reason.__class__ is str:
                reasons[reason] = reason_json
        details_json = detailed.get(stored)
        if details_json is None:
            if stored.__class__ is bytes:
                blobs += 1
                if blobs > QUICK_BLOBS:
                    return None
                details_json = detailed[stored] = encode((details(stored),))[1:-1]
            else:
                details_json = encode((stored,))[1:-1]
                if stored.__class__ is str:
                    detailed[stored] = details_json
        add(f'{code_json},"{at}",{named_json},{reason_json},{details_json}]'.encode())
    return ids, out


def chained(tails: Iterable[bytes], prev: bytes | None) -> list[bytes]:
    """The second step, in series: the full hashes of the events whose `encode_tail` bytes are
    `tails`, in order, chained after `prev`. The bytes hashed are those of `content_hash`: the
    array with the previous hash in front (hex digits need no escaping, so it is spliced in as
    bytes; the encoder's separators are compact, so no space follows its comma)."""
    sha256, hexlify = hashlib.sha256, binascii.hexlify
    hexed, digests = (hexlify(prev) if prev else b""), cast(list[bytes], [])
    add = digests.append
    for tail in tails:
        digest = sha256(b'["' + hexed + b'",' + tail).digest()
        add(digest)
        hexed = hexlify(digest)
    return digests


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


# ----- stored prefixes and marks (schema 20) ---------------------------------------------------
FULL_BYTES = 32
STORED_BYTES = 8  # what an event keeps of its hash since schema 20 (the chain is over full ones)
MARK_EVERY = 1024  # one full hash kept for the first event of every block of this many ids
MARKS = "chain_marks"
MARKS_TRIGGERS = f"""
CREATE TRIGGER chain_marks_never_changed BEFORE UPDATE ON {MARKS}
BEGIN SELECT RAISE(ABORT, 'chain_marks is append-only: a mark is never changed'); END;
CREATE TRIGGER chain_marks_never_deleted BEFORE DELETE ON {MARKS}
BEGIN SELECT RAISE(ABORT, 'chain_marks is append-only: a mark is never deleted'); END;
"""
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


# ----- schema 20: the stored hashes become prefixes -------------------------------------------
SHORTEN_CHUNK = 200000  # events verified and shortened between two reports of progress
BROKEN = ("Không nâng cấp được cơ sở dữ liệu: chuỗi lịch sử xử lý đã bị đứt ở sự kiện số "
          "{event_id} của hồ sơ {code} ({what}). Tệp được giữ nguyên như trước khi nâng cấp. "
          "Hãy chạy lệnh check bằng phiên bản trước để xem chi tiết, hoặc khôi phục bản sao "
          "lưu còn nguyên vẹn.")


def shorten_all(conn, progress=None) -> None:
    """Schema 20's long step, inside the migration's transaction (whose script has dropped the
    append-only triggers and made `chain_marks`): the chain hashed once from the first event and
    checked against every stored full hash, the marks kept, every hash cut to its prefix (db.schema
    makes the triggers again after). A chain already broken is not blessed: DatabaseEnvironmentError
    with the event named, the transaction rolls back and the file is as it was. Events slipped
    in by SQL without a hash at the tail stay unsealed (no mark among them), as `seal` leaves
    them, for `check` to name; one with sealed events after it is a broken chain.
    `progress(done, total)` returning False stops it the same way."""
    state: dict = {"previous": 0, "prev": None, "unsealed": None}

    def shorten_range(low: int, high: int) -> None:
        if state["unsealed"] is None:
            _verify_range(low, high)
        if state["unsealed"] is not None:  # (a blob cannot be hashed: no unsealed one is)
            sealed = conn.execute(f"SELECT 1 FROM {events_codec.TABLE} WHERE id > ? AND id <= ? "
                                  "AND hash IS NOT NULL LIMIT 1",
                                  [max(low, state["unsealed"]), high]).fetchone()
            if sealed:
                _refuse(conn, state["unsealed"], "sự kiện chưa được niêm phong giữa chuỗi")

    def _verify_range(low: int, high: int) -> None:
        stored = conn.execute(f"SELECT id, hash FROM {events_codec.TABLE} WHERE id > ? AND "
                              "id <= ? ORDER BY id", [low, high])
        content, words = events_codec.raw_content(conn, low, high)
        chained = links(content, state["prev"], words)  # hashed as far as the events are sealed
        previous, found = state["previous"], []
        for event_id, digest in stored:
            if digest is None:  # slipped in by SQL: it stays unsealed, for `check` to name,
                state["unsealed"] = event_id  # if nothing sealed follows it
                break
            expected = next(chained)[2]
            if digest != expected:
                _refuse(conn, event_id, "mã băm không khớp nội dung hoặc sự kiện trước")
            if is_mark(event_id, previous):
                found.append((event_id, expected))
            previous, state["prev"] = event_id, expected
        state["previous"] = previous
        store_marks(conn, found)
        conn.execute(f"UPDATE {events_codec.TABLE} SET hash = substr(hash, 1, {STORED_BYTES}) "
                     "WHERE id > ? AND id <= ?", [low, high])

    steps.by_id_ranges(conn, events_codec.TABLE, SHORTEN_CHUNK, shorten_range, progress)


def _refuse(conn, event_id: int, what: str):
    row = conn.execute("SELECT d.code FROM event_rows e JOIN dossiers d ON d.id = e.dossier_id "
                       "WHERE e.id = ?", [event_id]).fetchone()
    raise DatabaseEnvironmentError(BROKEN.format(event_id=event_id, code=row[0] if row else
                                                 "(không rõ)", what=what), "broken")
