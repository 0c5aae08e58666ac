"""The register's search, found once per search: the ids it finds in a temporary table.

A search on a million dossiers may find 150,000 of them ("khanh khe", a commune). Asked as a
condition of every query — the list, each page, each tab's count — it was read again each
time, every hit's row with it (1.5 s and more). `core.searchkey.fill_hits` reads the hits from
the indexes alone, once per search text (and again only when the data change); the queries
then read this table. A word too short for the index leaves it unused (`count` None): the
register searches with `core.searchkey.match` as before.
"""
from __future__ import annotations

import itertools
import weakref

from core import searchkey

DRIVE_MAX = 2000  # up to this many hits, a list is always read from them (see `few`)


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
        self.count: int | None = None  # None: no search, or one the index cannot answer
        self._key: tuple | None = None
        self._total = 0

    def prepare(self, words: list[str], generation: int) -> None:
        """Find the hits of these words, unless they are the ones found last (same data)."""
        key = (tuple(words), generation)
        if key == self._key:
            return
        conn = self.db.conn  # a temporary table: this connection's own, never the file's
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {self.name}(id INTEGER PRIMARY KEY)")
        conn.execute(f"DELETE FROM {self.table}")
        found = bool(words) and searchkey.fill_hits(conn, self.table, words)
        self.count = (conn.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0]
                      if found else None)
        # the dossiers an index walk passes (the largest id: read at once, near enough)
        self._total = conn.execute("SELECT COALESCE(MAX(id), 0) FROM dossiers").fetchone()[0]
        self._key = key

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
