"""The VACUUM after an upgrade: the pages the upgrade freed go back to the disk, and the file
gets pages of db.connection.PAGE_SIZE bytes (schema 18, issue 18)."""
from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator

import sqlite_utils

from db.connection import (
    PAGE_SIZE,
    DatabaseEnvironmentError,
    enable_wal,
    raise_environment,
    release_guard,
)
from db.errors import error_kind, is_busy


def reclaim(db: sqlite_utils.Database, progress=None) -> None:
    """Give the pages schemas 13 to 20 freed back to the disk and make the pages PAGE_SIZE bytes
    (VACUUM, once, after the upgrade has committed: 1.5 GB at a million dossiers, 15–70 s).
    SQLite changes the page size only outside WAL: the file leaves WAL for the VACUUM and comes
    back (if another connection holds it, the VACUUM runs in WAL and the pages stay as they
    were). It needs free space the size of the file (the rollback journal): on a full disk the
    VACUUM rolls back, the file keeps its pages and free pages, which SQLite fills before it
    grows again, and the upgrade is not refused for it (the data are complete either way)."""
    release_guard(db.conn)  # our own lock on the -wal/-shm would keep SQLite from leaving WAL
    try:
        if _leave_wal(db):
            db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        with _told_busy(db.conn, progress):
            db.execute("VACUUM")
    except sqlite3.OperationalError as exc:
        if error_kind(exc, getattr(db, "path", None)) != "full":  # FULL, or IOERR on a full disk
            raise_environment(exc, getattr(db, "path", None))
            raise
    finally:
        _back_to_wal(db)


def _leave_wal(db: sqlite_utils.Database) -> bool:
    """Switch to a rollback journal, unless another connection holds the file (busy)."""
    try:
        return db.execute("PRAGMA journal_mode = DELETE").fetchone()[0].lower() == "delete"
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
        return False


def _back_to_wal(db: sqlite_utils.Database) -> None:
    """WAL again, and the guard on its files (db.connection.take_guard). On a full disk the
    switch itself may fail: the file is complete in rollback mode, and the next opening (which
    enables WAL before anything else) switches it."""
    try:
        enable_wal(db)
    except DatabaseEnvironmentError as exc:
        if exc.kind != "full":
            raise


VACUUM_TICK_S = 0.1  # how often a long VACUUM tells `progress` it is still busy
VACUUM_TICK_OPS = 10_000  # SQLite steps between two looks at the clock


@contextlib.contextmanager
def _told_busy(conn: sqlite3.Connection, progress) -> Iterator[None]:
    """While a statement runs, tell `progress(0, 0)` every VACUUM_TICK_S (a window keeps its
    screen alive); its answer is not asked: a VACUUM stopped half-way would only roll back."""
    if progress is None:
        yield
        return
    last = [time.monotonic()]

    def tick() -> int:
        if time.monotonic() - last[0] >= VACUUM_TICK_S:
            last[0] = time.monotonic()
            progress(0, 0)
        return 0  # go on

    progress(0, 0)
    conn.set_progress_handler(tick, VACUUM_TICK_OPS)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)
