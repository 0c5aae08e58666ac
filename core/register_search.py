"""The register's search, found once per search: the ids it finds in a temporary table.

A search on a million dossiers may find 150,000 of them ("khanh khe", a commune). Asked as a
condition of every query — the list, each page, each tab's count — it was read again each
time, every hit's row with it (1.5 s and more). `core.searchkey.fill_hits` reads the hits from
the indexes alone, once per search text (and again only when the data change); the queries
then read this table. A word too short for the index leaves it unused (`count` None): the
register searches with `core.searchkey.match` as before.

Reading 390,000 hits ("van quan") still takes 0.6 s, and a word of one letter has no index at
all (a LIKE scan, 1–2 s). Yet the screen first needs only a page in the list's order, and a
frequent word fills it at once: so, as a database's planner would, `prepare` estimates how
many the words find (the hits among the newest SAMPLE ids) and, when they are many or cannot
use the index, lets the list be *walked* — its sort's index read in order, each key tested
with `match`'s test (the key computed, db.searchtext), stopping after a page (`walking`). The table is then filled
after the first rows are drawn, a range of ids per `step` (the caller runs them between
paints; a new search starts over), and the count and the rest of the list come from it.
Either way the rows are those of `match` (tests/gui/dossiers/test_register_same_rows.py).
"""
from __future__ import annotations

import itertools
import weakref

from core import searchkey

DRIVE_MAX = 2000  # up to this many hits, a list is always read from them (see `few`)
SAMPLE = 10_000  # the newest ids whose hits estimate a search's (≈ 1–7 ms at a million)
# ids per step of a deferred filling from the index: ≤ 45 ms at a million ("van quan", 20,000
# ids holding 8,000 hits; each candidate's key is computed and checked, db.searchtext: 2–3 µs
# a key since schema 21, against 0.2 µs for a stored key's LIKE, docs/speed.md "Size")
STEP = 20_000
SCAN_STEP = 8_000  # ids per step of a deferred scan of every key (a word too short for the index)


# Each list has its own table (the register, the dashboard's lists, a list behind a figure
# share one connection); a name let go of with its list is taken again by the next one.
_FREE: list[str] = []
_MADE = itertools.count(1)


def _take_name() -> str:
    return _FREE.pop() if _FREE else f"register_hits_{next(_MADE)}"


class SearchHits:
    def __init__(self, db):
        self.db = db
        self.name = _take_name()
        self.table = f"temp.{self.name}"
        weakref.finalize(self, _FREE.append, self.name)
        self.count: int | None = None  # None: no search, one the index cannot answer, or walking
        self.together: bool | None = None  # the words side by side (None: not asked yet)
        self._key: tuple | None = None
        self._total = 0
        self._steps: list[tuple[str, list]] = []

    def prepare(self, words: list[str], generation: int, may_walk: bool = False,
                first: int = 200) -> None:
        """Find the hits of these words, unless they are the ones found last (same data).

        `may_walk`: the list is sorted along an index, so a frequent search (more than
        `first` hits are met soon along it) or one too short for the index may be walked
        (`walking`) and its hits found later, by `step`. Otherwise all are found now."""
        key = (tuple(words), generation)
        if key == self._key:
            if self.walking and not may_walk:
                self.finish()  # the list can no longer be walked: every hit now
            return
        conn = self.db.conn  # a temporary table: this connection's own, never the file's
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {self.name}(id INTEGER PRIMARY KEY)")
        conn.execute(f"DELETE FROM {self.table}")
        # the dossiers an index walk passes (the largest id: read at once, near enough)
        self._total = conn.execute("SELECT COALESCE(MAX(id), 0) FROM dossiers").fetchone()[0]
        self._key, self.count, self._steps = key, None, []
        found = searchkey.hit_arms(conn, words) if words else None
        self.together = found.together if found is not None else None
        if words and may_walk and (found is None or self._many(found.candidates, first)):
            self._steps = self._later(words, found.arms if found is not None else None)
            return
        if found is not None:
            for sql, params in found.arms:
                conn.execute(f"INSERT OR IGNORE INTO {self.table}(id) {sql}", params)
            self.count = conn.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0]

    @property
    def walking(self) -> bool:
        """Are the hits still being found (the list walked with `match` meanwhile)?"""
        return bool(self._steps)

    def _many(self, candidates: tuple[str, list], first: int) -> bool:
        """Would reading every hit cost more than walking the list to its first page? The
        estimate: the index's candidates among the newest SAMPLE ids (their keys unread)."""
        sql, params = candidates
        low = max(self._total - SAMPLE, 0)
        sampled = self.db.conn.execute(f"SELECT COUNT(*) FROM ({sql} AND rowid > ?)",
                                       params + [low]).fetchone()[0]
        estimate = sampled * self._total / max(self._total - low, 1)
        return estimate > DRIVE_MAX and 2 * estimate * estimate > first * self._total

    def _later(self, words: list[str], arms) -> list[tuple[str, list]]:
        """The fillings left for `step`: the index's candidates, their keys checked, a range
        of ids at a time (and the few keys starting with a word), or else the LIKE scan a
        range at a time."""
        insert = f"INSERT OR IGNORE INTO {self.table}(id) "
        if arms is not None:
            (sql, params), rest = arms[0], arms[1:]
            width, sql = STEP, f"{insert}{sql} AND rowid > ? AND rowid <= ?"
            steps = [(insert + s, p) for s, p in rest]
        else:
            found, values = searchkey.walk_match(self.db.conn, words)
            width, params, steps = SCAN_STEP, values, []
            sql = (f"{insert}SELECT d.id FROM dossiers d WHERE d.id > ? AND d.id <= ? AND "
                   + " AND ".join(found))
        for low in range(self._total, 0, -width):  # the newest first, as the list shows them
            bounds = [max(low - width, 0), low]
            steps.append((sql, params + bounds if arms is not None else bounds + params))
        return steps

    def step(self) -> bool:
        """Do one filling step of a walked search; True when every hit is found (`count`)."""
        if self._steps:
            sql, params = self._steps.pop(0)
            self.db.conn.execute(sql, params)
            if not self._steps:
                self.count = self.db.conn.execute(
                    f"SELECT COUNT(*) FROM {self.table}").fetchone()[0]
        return not self._steps

    def finish(self) -> None:
        while not self.step():
            pass

    def few(self, first: int) -> bool:
        """Are the hits few enough to read each one's row (and sort them) rather than walk a
        sort index until the first `first` are met? Reading n rows costs about twice as much
        per row as passing an index entry, and the walk passes first × total / n entries:
        at a million dossiers and 200 first rows, up to 10,000 hits are read."""
        assert self.count is not None
        return self.count <= DRIVE_MAX or 2 * self.count * self.count <= first * self._total

    def clause(self, drive: bool) -> str:
        """The condition "found by the search". `drive`: SQLite reads the list from the
        hits; else the "+" keeps it on another index (the sort's, a tab's) and only looks
        each candidate up among the hits."""
        return f"{'' if drive else '+'}d.id IN (SELECT id FROM {self.table})"

    def drives(self, other_conditions: bool, indexed_sort: bool, first: int) -> bool:
        """Read the list from the hits? Yes when they are few, or when nothing else (a
        filter, a tab, the sort's index) can lead the query."""
        return self.few(first) or not (other_conditions or indexed_sort)
