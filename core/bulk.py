"""Helpers for loading many rows at once (demo data, large imports).

Inserting a million rows one statement at a time into indexed tables is slow; these helpers
make bulk loads fast without giving up safety: the load still runs inside one transaction
(a cancel or an error rolls everything back), indexes are dropped and rebuilt inside that same
transaction, and kpi_daily receives one summed row per unit and day instead of one update per
dossier.
"""
from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter, defaultdict
from typing import Iterable, Iterator

from core.due import classify_finished, statutory_due
from core.facts import CLOSED, RESOLVED, VARIANTS, WITHDRAWN, _span, compute
from core.timefmt import to_db_time
from db.schema import KPI_COLUMNS

BULK_CACHE_KIB = 256 * 1024  # page cache while loading: index builds sort in memory


@contextlib.contextmanager
def bulk_session(db) -> Iterator[None]:
    """Connection settings for a bulk load; the previous settings come back afterwards.

    Foreign keys are not checked row by row (the loader writes consistent rows); the journal
    switches from WAL to a rollback journal when no other connection prevents it, so a large
    load into an empty database is written once instead of twice (WAL, then checkpoint).
    Both switches only work outside a transaction, so call this before `transaction()`.
    """
    conn = db.conn
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    switched = journal.lower() == "wal" and _try_journal(conn, "DELETE")
    try:
        yield
    finally:
        if switched:
            _try_journal(conn, journal)
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
        conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")


def _try_journal(conn, mode: str) -> bool:
    try:
        return conn.execute(f"PRAGMA journal_mode = {mode}").fetchone()[0].lower() == mode.lower()
    except sqlite3.OperationalError:  # another connection holds the database: keep WAL
        return False


@contextlib.contextmanager
def without_indexes(conn, tables: Iterable[str]) -> Iterator[None]:
    """Drop the secondary indexes of `tables` and build them again at the end (one sort each).

    Use it inside a transaction: if the load fails the DROP is rolled back with it.
    Indexes backing UNIQUE or PRIMARY KEY constraints stay (SQLite cannot drop them).
    """
    names = list(tables)
    marks = ",".join("?" * len(names))
    indexes = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name", names).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        conn.execute(sql)


def add_kpi(conn, delta: Counter) -> None:
    """Add a {(unit, day, column): count} Counter into kpi_daily, one row per unit and day."""
    rows: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(KPI_COLUMNS))
    position = {c: i for i, c in enumerate(KPI_COLUMNS)}
    for (unit, day, column), count in delta.items():
        if column not in position:
            raise ValueError(column)
        rows[(unit, day)][position[column]] += count
    columns = ", ".join(KPI_COLUMNS)
    updates = ", ".join(f"{c} = {c} + excluded.{c}" for c in KPI_COLUMNS)
    conn.executemany(
        f"INSERT INTO kpi_daily(unit_code, day, {columns}) "
        f"VALUES (?, ?, {', '.join('?' * len(KPI_COLUMNS))}) "
        f"ON CONFLICT(day, unit_code) DO UPDATE SET {updates}",
        [(unit, day, *values) for (unit, day), values in sorted(rows.items())
         if any(values)])


def facts_for(cal, item, due=None) -> tuple[str, dict]:
    """What core.facts.compute(cal, item) returns, faster for the common simple dossier.

    `due`, when given, must be the dossier's statutory due time (spec 2.2).
    tests/core/test_bulk.py checks this against compute() on random dossiers.
    """
    key = simple_key(cal, item, due)
    if key is None:
        return compute(cal, item)
    return key[0], facts_of_key(key[1])


def simple_key(cal, item, due=None) -> tuple[str, tuple] | None:
    """(calc_due_at, the values its facts are made of) for a simple dossier, else None.

    A dossier without waits, extension or explicit due time has the same effective due time
    under all four policy variants (each reduces to the due time itself), so its facts depend
    on a handful of values; dossiers of one unit and day often share them, which lets a bulk
    loader build the facts JSON and the kpi_daily marks once per distinct key.
    """
    if item.waits or item.extended_due_at is not None or item.due_at is not None:
        return None
    due = due or statutory_due(cal, item.received_at, item.limit)
    fee = (item.fee or 0) > 0
    finished = item.finished_at if item.status in CLOSED else None
    status = "r" if item.status in RESOLVED else "w" if item.status in WITHDRAWN else "o"
    full = item.online_level == "full"
    online = item.channel == "online"
    cls = classify_finished(finished, due) if status == "r" and finished is not None else None
    spans = tuple((lo.date(), hi.date() if hi else None)
                  for lo, hi in _span(max(due, item.received_at), finished))
    key = (item.unit_code, item.received_at.date(), online, full,
           full and online and (not item.paper_result or bool(item.e_result)), fee,
           fee and bool(item.paid_online), finished.date() if finished else None, status, cls,
           spans)
    # str() of a whole-second datetime is exactly the database format, and much faster
    return (to_db_time(due) if due.microsecond else str(due)), key


def facts_of_key(key: tuple) -> dict:
    """The facts dict (as compute() builds it) of a simple_key()."""
    unit, day, online, full, online_full, fee, paid, finish_day, status, cls, spans = key
    span_list = [[lo.isoformat(), hi.isoformat() if hi else None] for lo, hi in spans]
    return {
        "u": unit, "d": day.isoformat(), "on": int(online), "oe": int(full),
        "of": int(online_full), "fee": int(fee), "pay": int(paid),
        "fd": finish_day.isoformat() if finish_day else None, "st": status,
        "c": {variant: cls for variant in VARIANTS} if cls else {},
        "s": {variant: span_list for variant in VARIANTS},
    }
