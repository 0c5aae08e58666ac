"""Reading a database the program may not write (read-only file, folder or medium).

SQLite opens such a file with `mode=ro`. In WAL mode it also needs the -shm index next to the
file; when the folder is read-only and that cannot be created, the file is opened `immutable`,
which is right there because nobody can change a file in a read-only folder either.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from db import searchtext
from db.connection import BUSY_TIMEOUT_MS, MotCuaConnection, raise_environment
from db.errors import error_kind


def read_only_uri(path: str | os.PathLike, immutable: bool | None = None) -> str:
    """The URI that reads `path` without writing anything, even in a read-only folder.

    `immutable=True` also reads a file on a full disk, where the -shm cannot grow; it is only
    right when no -wal holds data the main file lacks (the caller checks).
    """
    path = Path(path)
    if immutable is None:  # never when a -wal holds data: immutable would silently ignore it
        wal = Path(f"{path}-wal")
        immutable = (not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists()
                     and not (wal.is_file() and wal.stat().st_size > 0))
    return f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def connect_read_only(path: str | os.PathLike, immutable: bool | None = None) -> sqlite_utils.Database:
    path = Path(path)
    uri = read_only_uri(path, immutable)
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False, factory=MotCuaConnection)
        searchtext.register(conn)  # the search reads the computed keys (db.searchtext)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.Error as exc:
        raise_environment(exc, path)
        raise
    db = sqlite_utils.Database(conn)
    db.path = str(path)  # type: ignore[attr-defined]
    db.read_only = True  # type: ignore[attr-defined]
    return db


def read_connection(path: str | os.PathLike, **options) -> sqlite3.Connection:
    """A plain connection for reading that also works in a read-only folder or on a full disk.

    Where the file can be written it is an ordinary connection (only reads are made on it), so
    that closing it tidies the -wal/-shm companions as usual; a read-only one never can.
    """
    path = Path(path)
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        conn = sqlite3.connect(str(path), **options)
    else:
        conn = sqlite3.connect(read_only_uri(path), uri=True, **options)
    searchtext.register(conn)  # `check` compares the index with the computed keys
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return conn
    except sqlite3.Error as exc:
        conn.close()
        wal = Path(f"{path}-wal")
        if error_kind(exc, path) != "full" or (wal.is_file() and wal.stat().st_size > 0):
            raise
    conn = sqlite3.connect(read_only_uri(path, immutable=True), uri=True, **options)
    searchtext.register(conn)
    return conn
