"""A rows part opened read only and defended: checked whole before a row is read (an older
part upgraded first), or opened again as it was once checked (core.exchange.part)."""
from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from core.exchange.part.checking import (
    LIMITS,
    PartRefused,
    _all_utf8,
    _no_blobs,
    _quick_check,
    _references,
    _schema_ours,
    short,
)
from core.exchange.part.older import OlderPart, _checks_at, _migrate, _other_version
from db import searchtext
from db.connection import APPLICATION_ID
from db.schema import SCHEMA_VERSION

MAGIC = b"SQLite format 3\x00"

Checks = Callable[[sqlite3.Connection, int, "threading.Event | None"], None]


def open_checked(path: Path, stop: threading.Event | None = None) -> sqlite3.Connection:
    """The part at `path` (a file of our own, extracted and its checksum verified) opened read
    only and defended; PartRefused when it is not exactly a rows part of this schema. `stop`:
    set by another thread, the checks end at SQLite's next progress call (InterruptedError).
    A part of an older schema this program brings forward is upgraded in its file first
    (`_upgraded`)."""
    with path.open("rb") as file:
        if file.read(len(MAGIC)) != MAGIC:
            raise PartRefused("không phải tệp cơ sở dữ liệu SQLite.")
    try:
        return _open(path, checked=False, stop=stop)
    except OlderPart as older:
        return _upgraded(path, older.version, stop)


def reopen(path: Path) -> sqlite3.Connection:
    """A part `open_checked` accepted, opened again as it was (defended, its schema trusted),
    not checked again: the file is the reader's own, unchanged since (package.PackageReader.rest:
    a reader waiting in a long operation keeps no connection open)."""
    return _open(path, checked=True)


def _open(path: Path, checked: bool, stop: threading.Event | None = None,
          checks: Checks | None = None) -> sqlite3.Connection:
    # immutable: the file is ours alone (no -wal, no lock needed), and nothing may write it
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                           isolation_level=None, check_same_thread=False)
    try:
        _defend(conn)
        if not checked:
            _check(conn, path.stat().st_size, stop, checks)
        # The schema is now proven to be ours, row for row: its views are the program's own
        # (the events view decodes the compact details with json_valid and printf, which this
        # SQLite does not mark innocuous), so they may run as they do in any MotCua database.
        conn.execute("PRAGMA trusted_schema = ON")
        searchtext.register(conn)  # records.py computes the search key in its query
        return conn
    except sqlite3.DatabaseError as exc:
        conn.close()
        if stop is not None and stop.is_set():
            raise InterruptedError("part check stopped") from None
        raise PartRefused(f"là tệp cơ sở dữ liệu hỏng ({short(exc)}).") from None
    except BaseException:
        conn.close()
        raise


def _defend(conn: sqlite3.Connection) -> None:
    for limit, value in LIMITS:
        conn.setlimit(limit, value)
    # a function the schema calls must be innocuous (none of ours is called by it then);
    # every cell's size checked as it is read; no memory map of a file someone else made
    for pragma in ("trusted_schema = OFF", "cell_size_check = ON", "mmap_size = 0",
                   "query_only = ON"):
        conn.execute(f"PRAGMA {pragma}")


def _check(conn: sqlite3.Connection, size: int, stop: threading.Event | None = None,
           checks: Checks | None = None) -> None:
    """Every check, in turn (`stop`: ended at SQLite's next progress call once set);
    `checks`: others than a current part's (`_upgraded`)."""
    if stop is not None:
        conn.set_progress_handler(stop.is_set, 100_000)
    try:
        (checks or _checks)(conn, size, stop)
    finally:
        conn.set_progress_handler(None, 0)


def _checks(conn: sqlite3.Connection, size: int, stop: threading.Event | None,
            upgraded: bool = False) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise PartRefused("là cơ sở dữ liệu SQLite nhưng không phải của MotCua.")
    if version != SCHEMA_VERSION:
        raise _other_version(version)
    if not _schema_ours(conn, upgraded):
        raise PartRefused("có cấu trúc (bảng, chỉ mục, view, trigger) khác với cấu trúc "
                          "MotCua tạo ra: tệp đã bị sửa.")
    _quick_check(conn, size, stop)
    _references(conn)
    _all_utf8(conn, _no_blobs(conn))


def _upgraded(path: Path, version: int, stop: threading.Event | None) -> sqlite3.Connection:
    """The older part at `path` (our own file, extracted and its checksum verified) proven
    exactly what the program at `version` made (`_checks_at`), upgraded in place by the
    migrations (`_migrate`), then checked whole as a part of this schema and opened as
    `open_checked` opens one. The package's own bytes stay in the zip; the file is removed
    with the reader, as any part's."""
    _open(path, False, stop, functools.partial(_checks_at, version)).close()
    _migrate(path, version, stop)
    return _open(path, False, stop, functools.partial(_checks, upgraded=True))
