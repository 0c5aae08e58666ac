"""The chain's jobs in the second process: each copied event's content encoded (its "tail",
`_tails_job`, a part ahead) and the SHA-256 chained after the centre's head (`_chain_job`,
`_ahead`), the stored hashes laid out by the events' ids in the part for the copy's INSERT.
Top-level functions: the second process (spawned) finds them by their module and name."""
from __future__ import annotations

import contextlib
import sqlite3
from array import array

from core.exchange.fastcopy.partdb import _open_part
from db import chain, events_codec

# The events' stored hashes go to the main process laid out by their ids in the part (one blob,
# `_chain_job`) unless the ids are spread wider than this many times their number (a hostile or
# odd part: by their place in the chain then)
BY_ID_SPREAD = 4


def _chain_job(path: str, left: list[int], prev: bytes | None, width: int,
               token: str | None = None) -> tuple[int, bytes, bytes]:
    """The copied events' full hashes chained after `prev` (joined): db.chain's (`tails`, then
    `chained`) of their content as the part's own view decodes it (what the existing path
    reads from the package and hashes), in the chain's order (the dossiers in part order, each
    one's events by id); and their stored prefixes (`width` bytes) laid out by the event's id
    in the part from the lowest, `low` (b"" when the ids are too far apart for that:
    BY_ID_SPREAD). Returns (low, prefixes by id, full hashes). Runs in the second process
    (`Copier`): with the part's tails made ahead there (`_tails_job`, the operation's `token`,
    the same `left`) only the SHA-256 chaining is left (db.chain.chained, ~0.07 s a part of
    94,000 events instead of ~0.4 s with its reading and encoding); else it makes them."""
    kept = _TAILS.pop((token, path), None) if token is not None else None
    if kept is not None and kept[0] == left:
        ids, tails = kept[1], kept[2]
    else:
        ids, tails = _part_tails(path, left)
    del kept
    digests = chain.chained(tails, prev)
    del tails
    full = b"".join(digests)
    if not ids or max(ids) - min(ids) >= BY_ID_SPREAD * len(ids) + 1024:
        return 0, b"", full
    low = min(ids)
    if ids[-1] - low == len(ids) - 1 and ids == array("q", range(low, low + len(ids))):
        return low, _prefixes(full, digests, width), full
    by_id = bytearray((max(ids) - low + 1) * width)
    for event_id, digest in zip(ids, digests, strict=True):
        at = (event_id - low) * width
        by_id[at:at + width] = digest[:width]
    return low, bytes(by_id), full


def _prefixes(full: bytes, digests: list[bytes], width: int) -> bytes:
    """The first `width` bytes of each hash, joined: the stored prefixes (8 bytes) taken from
    the joined hashes in C, each hash's first 8-byte word (a view of them as 64-bit words,
    every fourth, copied as they lie), not a slice made a hash (~5 ms a part)."""
    if width == chain.FULL_BYTES:
        return full
    if width == 8 and chain.FULL_BYTES == 32:
        return bytes(memoryview(full).cast("Q")[::4])
    return b"".join([digest[:width] for digest in digests])


def _part_tails(path: str, left: list[int]) -> tuple[array, list[bytes]]:
    """The part's copied events' ids and db.chain tails (their content's JSON, which needs no
    previous hash) in the chain's order (the dossiers in part order, each one's events by
    id), read from the stored rows with the words left as codes for db.chain to decode (as
    `check` reads them: db.events_codec.raw_content): a quarter quicker than the view's
    look-ups, and decoding them by a subquery in this SQL doubled its cost. Read as they are
    stored, the details too, by db.chain.quick_tails (~⅔ of the time); a part it does not take
    (or where it meets an error) is read again the general way (db.chain.tails of the view's
    details), which gives the same bytes or raises what it meets."""
    conn = _open_part(path, left)
    rows = ("dossier_rows d JOIN event_rows r ON r.dossier_id = d.id WHERE d.id NOT IN (SELECT "
            "id FROM temp.left) ORDER BY d.id, r.id")
    try:
        words = events_codec.words(conn)
        with contextlib.suppress(TypeError, ValueError, sqlite3.Error):  # then read below
            made = chain.quick_tails(conn.execute(
                f"SELECT r.id, d.code, {chain.QUICK_MOMENT}, r.actor, r.action, r.from_status, "
                f"r.to_status, r.reason, r.details FROM {rows}"), words,
                events_codec.View(conn).details)
            if made is not None:
                return made
        return chain.tails(conn.execute(
            f"SELECT r.id, d.code, {events_codec.MOMENT_SQL}, r.actor, r.action, "
            f"r.from_status, r.to_status, r.reason, {events_codec.details_sql('r')} FROM {rows}"),
            words)
    finally:
        conn.close()


# The tails of the parts to come (`_tails_job`), made by the process that runs the chain jobs,
# behind the chain asked for before them, and kept there until the part's chain job takes them: (operation
# token, part file) → (the dossiers left out, the events' ids, their tails). ~16 MB a part of
# 94,000 events: at most TAILS_KEPT parts are kept (the oldest dropped first: a part passed
# over, whose chain never asks for them); the chain job of a part whose tails are not here
# (dropped, refused, another `left`) makes them itself, as it did before.
_TAILS: dict[tuple[str, str], tuple[list[int], array, list[bytes]]] = {}
TAILS_KEPT = 3


def _tails_job(path: str, left: list[int], token: str) -> int | None:
    """The part's tails made ahead of its chain and kept in this process (`_TAILS`) for its
    chain job (`_chain_job` with the same `token`, `left`); how many, or None where a row
    stops it (the chain job then meets it, and says so as it does today). Runs in the second
    process (Copier.tails_next)."""
    try:
        ids, tails = _part_tails(path, left)
    except (TypeError, ValueError, sqlite3.Error):
        return None
    _TAILS.pop((token, path), None)
    while len(_TAILS) >= TAILS_KEPT:
        del _TAILS[next(iter(_TAILS))]
    _TAILS[(token, path)] = (left, ids, tails)
    return len(ids)


def _forget_tails(token: str) -> None:
    """The operation's tails not taken, forgotten in this process."""
    for key in [key for key in _TAILS if key[0] == token]:
        del _TAILS[key]


def _ahead(path: str, left: list[int], prev: bytes | None, width: int,
           token: str | None = None) -> tuple[int, bytes, bytes] | None:
    """_chain_job run before the part is screened: None where a row stops it (a details blob
    SQLite cannot give as text, a word of the wrong kind …); the screen then names the record,
    or the main process hashes again."""
    try:
        return _chain_job(path, left, prev, width, token)
    except (TypeError, ValueError, sqlite3.Error):
        return None
