"""The register's search, found once per search: the ids it finds in a temporary table.

A search on a million dossiers may find 150,000 of them ("khanh khe", a commune). Asked as a
condition of every query — the list, each page, each tab's count — it was read again each
time, every hit's row with it (1.5 s and more). `core.searchkey.fill_hits` reads the hits from
the indexes alone, once per search text (and again only when the data change); the queries
then read this table. A word too short for the index leaves it unused (`count` None): the
register searches with `core.searchkey.match` as before.
"""
from __future__ import annotations

from core import searchkey

TABLE = "temp.register_hits"
DRIVE_MAX = 5000  # up to this many hits, a list is read from them; beyond, along an index


class SearchHits:
    def __init__(self, db):
        self.db = db
        self.count: int | None = None  # None: no search, or one the index cannot answer
        self._key: tuple | None = None

    def prepare(self, words: list[str], generation: int) -> None:
        """Find the hits of these words, unless they are the ones found last (same data)."""
        key = (tuple(words), generation)
        if key == self._key:
            return
        conn = self.db.conn  # a temporary table: this connection's own, never the file's
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS register_hits(id INTEGER PRIMARY KEY)")
        conn.execute(f"DELETE FROM {TABLE}")
        found = bool(words) and searchkey.fill_hits(conn, TABLE, words)
        self.count = (conn.execute(f"SELECT COUNT(*) FROM {TABLE}").fetchone()[0]
                      if found else None)
        self._key = key

    def clause(self, drive: bool) -> str:
        """The condition "found by the search". `drive`: SQLite reads the list from the
        hits; else the "+" keeps it on another index (the sort's, a tab's) and only looks
        each candidate up among the hits."""
        return f"{'' if drive else '+'}d.id IN (SELECT id FROM {TABLE})"

    def drives(self, other_conditions: bool, indexed_sort: bool) -> bool:
        """Read the list from the hits? Yes when they are few, or when nothing else (a
        filter, a tab, the sort's index) can lead the query."""
        assert self.count is not None
        return self.count <= DRIVE_MAX or not (other_conditions or indexed_sort)
