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

from db.connection import BUSY_TIMEOUT_MS, MotCuaConnection, raise_environment


def connect_read_only(path: str | os.PathLike) -> sqlite_utils.Database:
    path = Path(path)
    immutable = not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists()
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False, factory=MotCuaConnection)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.Error as exc:
        raise_environment(exc, path)
        raise
    db = sqlite_utils.Database(conn)
    db.path = str(path)  # type: ignore[attr-defined]
    db.read_only = True  # type: ignore[attr-defined]
    return db
