"""Opening the MotCua database and the one transaction helper every write goes through.

Environment problems (locked, read-only, disk full, not a MotCua file, too new) are raised as
`DatabaseEnvironmentError` carrying a Vietnamese message for the clerk; anything else is a bug
and propagates unchanged.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Iterator

import sqlite_utils

APPLICATION_ID = 0x4D435541  # "MCUA": marks a file as a MotCua database
BUSY_TIMEOUT_MS = 5000


class DatabaseEnvironmentError(Exception):
    """A problem of the machine or the file, not of the program: shown to the user as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def environment_message(exc: BaseException, path: str | os.PathLike | None = None) -> str | None:
    """The Vietnamese message for an SQLite error caused by the environment, or None for a bug."""
    text = str(exc).lower()
    where = f" ({path})" if path else ""
    if "locked" in text or "busy" in text:
        return ("Cơ sở dữ liệu đang bị một chương trình khác khoá" + where +
                ". Hãy đóng các cửa sổ MotCua khác rồi thử lại.")
    if "readonly" in text or "read-only" in text or "attempt to write a readonly" in text:
        return ("Không ghi được vào cơ sở dữ liệu" + where +
                ": tệp hoặc thư mục chỉ cho phép đọc. Hãy chọn thư mục có quyền ghi.")
    if "disk is full" in text or "database or disk is full" in text or isinstance(exc, OSError) and getattr(exc, "errno", None) == 28:
        return "Ổ đĩa đã đầy, không ghi được dữ liệu" + where + ". Hãy giải phóng dung lượng rồi thử lại."
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return ("Tệp" + where + " không phải là cơ sở dữ liệu MotCua hoặc đã bị hỏng. "
                "Hãy khôi phục từ bản sao lưu (lệnh restore).")
    if "unable to open" in text or "cannot open" in text:
        return ("Không mở được cơ sở dữ liệu" + where +
                ": thư mục không tồn tại hoặc không có quyền truy cập.")
    if "disk i/o error" in text:
        return "Lỗi đọc/ghi ổ đĩa khi truy cập cơ sở dữ liệu" + where + "."
    return None


def raise_environment(exc: BaseException, path=None) -> None:
    """Re-raise `exc` as DatabaseEnvironmentError when it is an environment problem."""
    message = environment_message(exc, path)
    if message:
        raise DatabaseEnvironmentError(message) from exc


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
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False, factory=MotCuaConnection)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
    except (sqlite3.Error, OSError) as exc:
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
        if isinstance(exc, (sqlite3.OperationalError, OSError)):
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
