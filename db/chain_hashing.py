"""The hashes of the event chain (db.chain): what an event's SHA-256 covers (`content_hash`: a
JSON array of the previous event's full hash in hex and the event's content) and the tight
loops that make them for many events at once: `links` (sealing, checking, importing), and its
two steps apart, `tails` / `quick_tails` (the content's JSON, which needs no previous hash and
may be made ahead, in another process) and `chained` (the SHA-256 chaining in series). Pure:
no database here but the rows handed in. Re-exported by db.chain."""
from __future__ import annotations

import binascii
import hashlib
from array import array
from collections.abc import Iterable, Iterator
from typing import cast

from db import json_text

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
        try:
            data = encode(fields).encode("utf-8")
        except (TypeError, UnicodeEncodeError):  # (no cost to the honest rows: Python 3.11)
            data = _unwritten(fields)
        digest = sha256(data).digest()
        yield row[0], prev, digest
        prev, hexed = digest, digest.hex()


# What a BLOB's hex follows in `_unwritten`: a lone surrogate, as db.ledger.BLOB_MARK
_BLOB_MARK = "\ud800"


def _unwritten(fields: list) -> bytes:
    """The bytes `links` hashes of an event holding what no MotCua writes, put by SQL (quick35):
    a BLOB, shown as its hex after a lone surrogate, or a text read with lone surrogates
    (db.ledger.read_again_lenient), kept as such. Never the UTF-8 of what a writer hashed (no
    writer stores a lone surrogate), so the event's hash differs and `check` names it, where
    «Object of type bytes is not JSON serializable» stopped it in a crash log."""
    shown = [_BLOB_MARK + value.hex() if isinstance(value, bytes) else value for value in fields]
    return _ENCODE(shown).encode("utf-8", "surrogatepass")


def encode_content(code, at, actor, action, from_status, to_status, reason, details) -> str:
    """The JSON text of an event's content, the part of `content_hash`'s array after the
    previous hash: a bulk writer may make it where the event is made (the demo's worker
    processes) and leave only the SHA-256 chaining to `append_tails`."""
    return _ENCODE([code, at, actor, action, from_status, to_status, reason, details])


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

