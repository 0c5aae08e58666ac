"""The rows of a database file compared with those every new file starts with: the test
core.database.fresh_and_made_here makes before a stopped command removes the file it made."""
from __future__ import annotations

import sqlite3
from collections import Counter

# Settings a new file holds that differ from file to file (its own id, where it was made) or
# with how far its first opening came (`kpi_stale`: the derived figures to rebuild, 1 till the
# first opening rebuilt them): none is an office's data.
_OWN_SETTINGS = ("installation_id", "installation_home", "kpi_stale")


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = "
                                             "'table' ORDER BY name").fetchall()]


def _quoted(table: str) -> str:
    return '"' + table.replace('"', '""') + '"'


def _rows(conn: sqlite3.Connection, table: str | None = None) -> dict[str, Counter]:
    """Every table's rows (of one table when named), the settings without _OWN_SETTINGS."""
    found: dict[str, Counter] = {}
    for name in [table] if table else _tables(conn):
        rows = conn.execute(f"SELECT * FROM {_quoted(name)}").fetchall()
        if name == "settings":
            rows = [row for row in rows if row[0] not in _OWN_SETTINGS]
        found[name] = Counter(map(repr, rows))
    return found


def _holds_only(conn: sqlite3.Connection, fresh: dict[str, Counter]) -> bool:
    """Does every table of `conn` hold only rows that `fresh` holds? (Counted first: a table
    of a million rows is never read whole.)"""
    for table in _tables(conn):
        allowed = fresh.get(table)
        if allowed is None:
            return False
        count = conn.execute(f"SELECT COUNT(*) FROM {_quoted(table)}").fetchone()[0]
        if count > sum(allowed.values()) + len(_OWN_SETTINGS):
            return False
        if _rows(conn, table)[table] - allowed:
            return False
    return True
