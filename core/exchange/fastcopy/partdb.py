"""Connections of their own to a part's file (read-only), for the jobs that read it beside the
main thread (the screen's thread, the ledger's thread, the second process), and the file of a
part attached to the centre's connection."""
from __future__ import annotations

import sqlite3
from pathlib import Path


def read_only(path: str) -> sqlite3.Connection:
    """A connection of its own to the part's file, read-only (a URI made by pathlib: a Windows
    path's drive and backslashes, or a '?' or '#' in a folder's name, stay a path)."""
    return sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)


def _part_path(conn, s: str) -> str:
    for _seq, name, path in conn.execute("PRAGMA database_list"):
        if name == s and path:
            return path
        if name == s:  # in memory (deserialized): the caller gives the file (Copier.copy)
            raise ValueError(f"schema {s!r} is in memory: give its file as `path`")
    raise ValueError(f"no schema {s!r} attached")


def _open_part(path: str, left: list[int]) -> sqlite3.Connection:
    """A read-only connection of its own to the part, the dossiers not copied in temp.left."""
    conn = read_only(path)
    conn.execute("CREATE TEMP TABLE left(id INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO temp.left VALUES (?)", [(i,) for i in left])
    return conn
