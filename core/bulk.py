"""Helpers for loading many rows at once (demo data, large imports).

Inserting a million rows one statement at a time into indexed tables is slow; these helpers
make bulk loads fast without giving up safety: the load still runs inside one transaction
(a cancel or an error rolls everything back) and indexes are dropped and rebuilt inside that
same transaction. kpi_daily sums are written once with core.facts.write_kpi_rows.
"""
from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator

from db.connection import release_guard, take_guard

BULK_CACHE_KIB = 256 * 1024  # page cache while loading: index builds sort in memory


@contextlib.contextmanager
def bulk_session(db) -> Iterator[None]:
    """Connection settings for a bulk load; the previous settings come back afterwards.

    Foreign keys and CHECK constraints are not checked row by row (the loader writes
    consistent rows); the journal
    switches from WAL to a rollback journal when no other connection prevents it, so a large
    load into an empty database is written once instead of twice (WAL, then checkpoint).
    Both switches only work outside a transaction, so call this before `transaction()`.
    """
    conn = db.conn
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    temp_store = conn.execute("PRAGMA temp_store").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    conn.execute("PRAGMA temp_store = MEMORY")  # sorts for index builds, temporary tables
    # CHECK constraints cost a third of an insert; the loader's values are valid by
    # construction (and its tests check every enum column), so they are not re-checked here.
    conn.execute("PRAGMA ignore_check_constraints = ON")
    switched = journal.lower() == "wal" and _try_journal(conn, "DELETE")
    try:
        yield
    finally:
        if switched:
            _try_journal(conn, journal)
        conn.execute("PRAGMA ignore_check_constraints = OFF")
        conn.execute(f"PRAGMA temp_store = {int(temp_store)}")
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
        conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")


def _try_journal(conn, mode: str) -> bool:
    release_guard(conn)  # our own guard lock (db.filelocks) would refuse leaving WAL
    try:
        return conn.execute(f"PRAGMA journal_mode = {mode}").fetchone()[0].lower() == mode.lower()
    except sqlite3.OperationalError:  # another connection holds the database: keep WAL
        return False
    finally:
        take_guard(conn)  # back in (or still in) WAL: guard the files again


@contextlib.contextmanager
def without_indexes(conn, tables: Iterable[str], partial: bool = True) -> Iterator[None]:
    """Drop the secondary indexes of `tables` and build them again at the end (one sort each).

    Use it inside a transaction: if the load fails the DROP is rolled back with it.
    Indexes backing UNIQUE or PRIMARY KEY constraints stay (SQLite cannot drop them).
    `partial` False: the partial indexes (CREATE INDEX … WHERE) stay too: each takes the few
    rows its condition keeps as they come, where building it again reads the whole table.
    """
    indexes = droppable_indexes(conn, tables, partial)
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        conn.execute(sql)


def droppable_indexes(conn, tables: Iterable[str], partial: bool = True) -> list[tuple[str, str]]:
    """(name, sql) of the secondary indexes of `tables` `without_indexes` drops (the
    benches' deferred builds drop the same ones)."""
    names = list(tables)
    marks = ",".join("?" * len(names))
    indexes = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name", names).fetchall()
    if not partial:
        kept = {row[1] for table in names for row in conn.execute(
            "SELECT * FROM pragma_index_list(?)", [table]) if row[4]}  # (seq, name, unique,
        indexes = [(name, sql) for name, sql in indexes if name not in kept]  # origin, partial)
    return indexes
