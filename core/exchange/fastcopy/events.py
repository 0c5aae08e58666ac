"""The events' step of a part's copy: the part's word codes mapped to the centre's (new words
added in the order the existing path adds them), the rows inserted in the chain's order with
their stored hashes taken from the second process's (`_chain_job`), the chain's head and marks
recorded."""
from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from core.exchange.fastcopy import chain_jobs
from core.exchange.fastcopy.conditions import _shape_code
from db import chain, events_codec, ledger


class _Events:
    """The events' step of a part's copy (core.exchange.fastcopy.copy_part._Copy)."""

    # (set by _Copy)
    conn: sqlite3.Connection
    s: str
    runner: Copier
    out: Copied
    chained: Any
    chained_args: tuple

    def events(self) -> None:
        conn, s = self.conn, self.s
        count = conn.execute(f"SELECT COUNT(*) FROM temp.fastcopy_map m JOIN {s}.event_rows e "
                             "ON e.dossier_id = m.old").fetchone()[0]
        if not count:
            return
        self.words()
        first = conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM main.{events_codec.TABLE}"
                             ).fetchone()[0]
        ahead = getattr(self.chained, "ready", bool)()  # a _Here: run when asked for
        hashed = self.chained.get()
        self.runner.screen_next()  # the second process's core free till the next chain
        # None: the second process, ahead of the screen, met a row it refused to hash; the
        # screen has passed the rows since, so hashed again here (it raises what it meets);
        # looked up in its module, as every other call of it, so one patch reaches both
        low, by_id, full = hashed if hashed is not None else \
            chain_jobs._chain_job(*self.chained_args)
        if len(full) != count * chain.FULL_BYTES:
            raise RuntimeError(f"the chain of {s}: {len(full) // chain.FULL_BYTES} hashes for "
                               f"{count} events")
        width = self.chained_args[3]
        rows, hashes = _stored_rows(s, low, by_id, full, width)
        word, table = self.word_sql()
        conn.execute(
            f"INSERT INTO main.{events_codec.TABLE}(dossier_id, at, actor, action, from_status, "
            f"to_status, reason, details, hash) SELECT e.new, e.at, {word.format('e.actor')}, "
            f"{word.format('e.action')}, {word.format('e.from_status')}, "
            f"{word.format('e.to_status')}, e.reason, {_details_sql(word)}, e.stored FROM "
            f"({rows}) AS e", {"map": table, **hashes})
        last = conn.execute(f"SELECT MAX(id) FROM main.{events_codec.TABLE}").fetchone()[0]
        if last != first + count - 1:
            raise RuntimeError(f"the events of {s}: ids {first}..{last} for {count}")
        size = chain.FULL_BYTES
        ledger.record_head(conn, last, full[-size:])
        if not self.out.left_dossiers:  # nothing else chains before the next part's events
            self.runner.guess_next(full[-size:], width)
        self.runner.spare(ahead)  # a job kept for later, after that chain
        if width == chain.STORED_BYTES:
            _store_marks(conn, first, last, full)

    def word_sql(self) -> tuple[str, str | None]:
        """How a part's word code becomes the centre's in SQL, and the value bound as :map: a
        text whose character at position code + 1 has the centre's code as its code point
        (`unicode(substr(…))`, C string work instead of a look-up of temp.fastcopy_wordmap per
        word and event); codes from the first surrogate on take the look-up."""
        pairs = self.conn.execute("SELECT old, new FROM temp.fastcopy_wordmap").fetchall()
        if all(old == new for old, new in pairs):  # the same words under the same codes (the
            return "{0}", None                     # common case: one catalogue): copied as is
        if any(code < 1 or code >= 0xD800 for pair in pairs for code in pair):
            return "(SELECT w.new FROM temp.fastcopy_wordmap w WHERE w.old = {0})", None
        # a code the part does not use never reaches here (`screen`); not NUL, at which SQLite's
        # substr stops counting
        points = [0xFFFF] * (max((old for old, _new in pairs), default=0) + 1)
        for old, new in pairs:
            points[old] = new
        return "unicode(substr(:map, {0} + 1, 1))", "".join(map(chr, points))

    def words(self) -> None:
        """temp.fastcopy_wordmap: the part's word codes → the centre's; a word the centre lacks
        is added in the order the existing path adds it (db.events_codec.Words, per batch of
        records: the actors, the actions, the statuses before and after, then the details'
        shapes, each in the events' order), so the codes are the same."""
        conn, s = self.conn, self.s
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS fastcopy_wordmap(old INTEGER PRIMARY KEY, "
                     "new INTEGER NOT NULL)")
        conn.execute("DELETE FROM temp.fastcopy_wordmap")
        missing = [r[0] for r in conn.execute(
            f"SELECT p.code FROM {s}.event_words p WHERE NOT EXISTS (SELECT 1 FROM "
            "main.event_words w WHERE w.word = p.word)")]
        if missing:
            marks = ",".join(str(int(c)) for c in missing)
            uses = " UNION ALL ".join(
                f"SELECT {expr} AS code, batch * 5 + {rank} AS k, n FROM events WHERE {expr} IN "
                f"({marks})" for rank, expr in enumerate(
                    ["actor", "action", "from_status", "to_status",
                     f"CASE typeof(details) WHEN 'blob' THEN {_shape_code('details')} END"]))
            events = _chain_order(s, "(m.rank - 1) / :batch AS batch, e.*")
            first_use = conn.execute(f"WITH events AS MATERIALIZED ({events}) SELECT code, "
                                     f"MIN(k * 4294967296 + n) AS at FROM ({uses}) GROUP BY code "
                                     "ORDER BY at", {"batch": _batch()}).fetchall()
            conn.executemany(f"INSERT INTO main.event_words(word) SELECT word FROM "
                             f"{s}.event_words WHERE code = ?", [(c,) for c, _at in first_use])
        conn.execute(f"INSERT INTO temp.fastcopy_wordmap SELECT p.code, w.code FROM "
                     f"{s}.event_words p JOIN main.event_words w ON w.word = p.word")

if TYPE_CHECKING:
    from core.exchange.fastcopy.copier import Copier
    from core.exchange.fastcopy.copy_part import Copied


def _stored_rows(s: str, low: int, by_id: bytes, full: bytes, width: int
                 ) -> tuple[str, dict[str, Any]]:
    """The copied events of the part `s` with their new dossier ids and stored hashes
    (`stored`), in the chain's order, and the values the SQL binds. Each event's stored hash
    is taken from the second process's hashes by the event's id in the part (`by_id`: the
    prefixes laid out by id, a slice of one blob in C, where a look-up by a Python function
    cost ~0.35 µs an event), or, ids too far apart for that, by its place in the chain
    (numbered by a window in the chain's order); never by the order SQLite evaluates the rows
    in. The ids are given on insert, in the chain's order (ORDER BY), each after the last
    (Store.insert_new's)."""
    if by_id:
        return (f"SELECT m.new, e.*, substr(:hashes, (e.id - :low) * {width} + 1, {width}) "
                f"AS stored FROM temp.fastcopy_map m JOIN {s}.event_rows e ON e.dossier_id "
                "= m.old ORDER BY m.old, e.id"), {"hashes": by_id, "low": low}
    return (f"SELECT *, substr(:hashes, (n - 1) * {chain.FULL_BYTES} + 1, {width}) AS "
            f"stored FROM ({_chain_order(s, 'm.new, e.*')}) ORDER BY n"), {"hashes": full}


def _details_sql(word: str) -> str:
    """The events' details as the centre stores them: a coded details' shape re-coded to the
    centre's code (`word`, word_sql's); copied as they are when the words keep their codes:
    the screen passed only blobs that re-coding leaves as they are (`_coded_ok`), and
    re-coding 94,000 events cost ~50 ms a part."""
    if word == "{0}":
        return "e.details"
    shape = word.format(_shape_code("e.details"))
    return ("CASE typeof(e.details) WHEN 'blob' THEN CASE substr(e.details, 1, 1) WHEN "
            f"x'5b' THEN CAST('[' || {shape} || substr(e.details, instr(e.details, ',')) "
            f"AS BLOB) ELSE CAST(CAST({shape} AS TEXT) AS BLOB) END ELSE e.details END")


def _store_marks(conn, first: int, last: int, full: bytes) -> None:
    """The chain's marks (db.chain.store_marks): the full hashes of the multiples of
    MARK_EVERY among the new event ids first … last (as append_tails stores them)."""
    size = chain.FULL_BYTES
    chain.store_marks(conn, [(mark, full[(mark - first) * size:(mark - first + 1) * size])
                             for mark in range(-(-first // chain.MARK_EVERY) * chain.MARK_EVERY,
                                               last + 1, chain.MARK_EVERY)])


def _chain_order(s: str, columns: str) -> str:
    """The copied events of the part `s` in the chain's order (the existing path's: the
    dossiers in part order, each one's events by id), numbered from 1 as `n`: scanned in that
    order (the map by the part's ids, each dossier's events by the index events_dossier), so
    neither the numbering nor the insert sorts."""
    return (f"SELECT row_number() OVER (ORDER BY m.old, e.id) AS n, {columns} FROM "
            f"temp.fastcopy_map m JOIN {s}.event_rows e ON e.dossier_id = m.old")


def _batch() -> int:
    """merge.batches.BATCH, read when used (merge wires this module: no import cycle at load
    time; a test patching BATCH there reaches these batches too)."""
    from core.exchange.merge import batches
    return batches.BATCH
