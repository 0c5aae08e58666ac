"""Opening the MotCua database and the one transaction helper every write goes through.

Environment problems (locked, read-only, disk full, damaged, not a MotCua file, too new) are
raised as `DatabaseEnvironmentError` carrying a Vietnamese message for the clerk, decided by
SQLite's error code in `db.errors`; anything else is a bug and propagates unchanged.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Iterator

import sqlite_utils

from db.errors import (DatabaseDamagedError, DatabaseEnvironmentError, environment_message,  # noqa: F401
                       raise_environment)

APPLICATION_ID = 0x4D435541  # "MCUA": marks a file as a MotCua database
BUSY_TIMEOUT_MS = 5000


class MotCuaConnection(sqlite3.Connection):
    """A connection that remembers how deeply `transaction()` is nested."""

    depth = 0


def connect(path: str | os.PathLike, *, create: bool = True) -> sqlite_utils.Database:
    """Open (or create) the database at `path` with WAL, foreign keys and a busy timeout.

    The connection is in autocommit mode: writes happen only inside `transaction()`.
    WAL is switched on by `enable_wal` once the file is known to be ours (it rewrites the
    header, and a foreign file must be left untouched).
    """
    path = Path(path)
    if not create and not path.exists():
        raise DatabaseEnvironmentError(f"Không tìm thấy tệp cơ sở dữ liệu: {path}")
    if create and not path.parent.exists():
        raise DatabaseEnvironmentError(f"Thư mục chứa cơ sở dữ liệu không tồn tại: {path.parent}")
    conn = None
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False, factory=MotCuaConnection)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
    except (sqlite3.Error, OSError) as exc:
        if conn is not None:
            conn.close()  # e.g. a full disk: never leave the file open behind the error
        raise_environment(exc, path)
        raise
    db = sqlite_utils.Database(conn)
    db.path = str(path)  # type: ignore[attr-defined]
    return db



def enable_wal(db: sqlite_utils.Database) -> None:
    """Write-ahead logging: readers never block the writer; persistent in the file."""
    try:
        db.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as exc:
        raise_environment(exc, getattr(db, "path", None))
        raise


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """The one way to write: BEGIN IMMEDIATE … COMMIT, rolled back on any exception.

    Nested use joins the outer transaction (a savepoint), so helpers can be composed.
    sqlite-utils' own write helpers (table.insert …) commit on their own and must not be
    used inside; use parameterised `conn.execute` here instead.
    """
    conn = db.conn
    depth = conn.depth
    try:
        if depth == 0:
            conn.execute("BEGIN IMMEDIATE")
        else:
            conn.execute(f"SAVEPOINT sp{depth}")
    except sqlite3.Error as exc:
        raise_environment(exc, getattr(db, "path", None))
        raise
    conn.depth = depth + 1
    try:
        yield conn
    except BaseException as exc:
        conn.depth = depth
        if conn.in_transaction:
            if depth == 0:
                conn.execute("ROLLBACK")
            else:
                conn.execute(f"ROLLBACK TO sp{depth}")
                conn.execute(f"RELEASE sp{depth}")
        if isinstance(exc, (sqlite3.Error, OSError)):  # by code: a bug is re-raised as it is
            raise_environment(exc, getattr(db, "path", None))
        raise
    conn.depth = depth
    try:
        if depth == 0:
            conn.execute("COMMIT")
        else:
            conn.execute(f"RELEASE sp{depth}")
    except sqlite3.Error as exc:
        if depth == 0 and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise_environment(exc, getattr(db, "path", None))
        raise


def in_transaction(db: sqlite_utils.Database) -> bool:
    return getattr(db.conn, "depth", 0) > 0
