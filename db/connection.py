"""Opening the MotCua database and the one transaction helper every write goes through.

Environment problems (locked, read-only, disk full, damaged, not a MotCua file, too new) are
raised as `DatabaseEnvironmentError` carrying a Vietnamese message for the clerk, decided by
SQLite's error code in `db.errors`; anything else is a bug and propagates unchanged.
"""
from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import sqlite_utils

from db import filelocks, searchtext
from db.errors import (  # noqa: F401
    DatabaseBusyError,
    DatabaseDamagedError,
    DatabaseEnvironmentError,
    environment_message,
    is_busy,
    raise_environment,
)

APPLICATION_ID = 0x4D435541  # "MCUA": marks a file as a MotCua database
BUSY_TIMEOUT_MS = 5000
# Pages of 16 KB (issue 18, size): a dossiers row of ~540 bytes left an unused tail in every
# 4 KB page; at a million dossiers 1,526 → 1,477 bytes a dossier, no figure slower (docs/speed.md).
# SQLite takes it when it creates a file; an older file gets it with the VACUUM after its
# upgrade (db.vacuum.reclaim); a backup keeps its source's page size.
PAGE_SIZE = 16384
# The write-ahead log is cut back to this size when it starts over after a checkpoint (SQLite
# keeps its file as big as it grew otherwise, e.g. the ~1 GB of a month-end merge, till the
# last connection closes): a safety net behind `checkpoint`'s TRUNCATE, which a reader may stop.
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024
# `checkpoint`'s TRUNCATE waits at most this long for the readers still in the log and the
# writer of the moment: the window's connection then waits no longer than that for its write.
CHECKPOINT_WAIT_MS = 200


log = logging.getLogger("motcua.db")


class MotCuaConnection(sqlite3.Connection):
    """A connection that remembers how deeply `transaction()` is nested, and which database,
    -wal and -shm files it works on (db.filelocks, docs/reliability.md)."""

    depth = 0
    path: str | None = None
    files: tuple | None = None  # identities of the database, -wal, -shm while in WAL mode
    wal_guard: tuple | None = None  # the db.filelocks key this connection holds
    _release: Callable[[], Any] | None = None
    checkpoint_owed = False  # a transaction(checkpoint_later=True) committed: `checkpoint`

    def close(self) -> None:
        checkpoint(self)  # the one a big transaction left for afterwards, if it was not run
        if self._release is not None:
            self._release()  # unlock first: SQLite's own close may then clean up the WAL
        super().close()
        filelocks.sweep()


# The oldest SQLite the schema runs on: unixepoch() (schemas 22, 23) and the ->> operator of the
# events view came in 3.38.0; FTS5's trigram tokenizer in 3.34. Python brings its own SQLite on
# Windows (3.39 and newer for 3.11) but uses the system's on Linux (Ubuntu 22.04: 3.37.2).
SQLITE_MIN = (3, 38, 0)


def sqlite_too_old(version: tuple[int, int, int] | None = None) -> str | None:
    """Why this Python's SQLite (or `version`) cannot run MotCua (a Vietnamese sentence), or
    None."""
    version = version or sqlite3.sqlite_version_info
    if tuple(version) >= SQLITE_MIN:
        return None
    have, need = ".".join(map(str, version)), ".".join(map(str, SQLITE_MIN))
    return (f"Python này dùng SQLite {have}, cũ hơn bản MotCua cần ({need} trở lên): hãy dùng "
            "Python 3.11 trở lên tải từ python.org, hoặc một bản Python kèm SQLite mới hơn.")


def connect(path: str | os.PathLike, *, create: bool = True) -> sqlite_utils.Database:
    """Open (or create) the database at `path` with WAL, foreign keys and a busy timeout.

    The connection is in autocommit mode: writes happen only inside `transaction()`.
    WAL is switched on by `enable_wal` once the file is known to be ours (it rewrites the
    header, and a foreign file must be left untouched).
    """
    too_old = sqlite_too_old()
    if too_old:  # before anything is read or written: the schema's SQL would fail halfway
        raise DatabaseEnvironmentError(too_old)
    path = Path(path)
    if not create and not path.exists():
        raise DatabaseEnvironmentError(f"Không tìm thấy tệp cơ sở dữ liệu: {path}")
    if create and not path.parent.exists():
        raise DatabaseEnvironmentError(f"Thư mục chứa cơ sở dữ liệu không tồn tại: {path.parent}")
    conn = _open_connection(path)
    db = sqlite_utils.Database(conn)
    db.path = str(path)  # type: ignore[attr-defined]
    return db


def _open_connection(path: Path) -> MotCuaConnection:
    conn = None
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False, factory=MotCuaConnection)
        conn.path = str(path)
        searchtext.register(conn)  # the search key is computed, not stored (schema 21)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new file is made with it
    except (sqlite3.Error, OSError) as exc:
        if conn is not None:
            conn.close()  # e.g. a full disk: never leave the file open behind the error
        raise_environment(exc, path)
        raise
    try:
        take_guard(conn)
    except sqlite3.DatabaseError:
        pass  # not readable as a database: the caller's checks say what is wrong with it
    return conn


def take_guard(connection: sqlite3.Connection) -> None:
    """In WAL mode: note which -wal/-shm files are ours and hold the guard locks on them
    (db.filelocks). Call again after the journal mode changed."""
    conn = own(connection)
    path = getattr(conn, "path", None)
    if path is None or conn.wal_guard is not None:
        return
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        conn.files = None
        return
    conn.execute("PRAGMA schema_version").fetchone()  # a read: from here the -wal and -shm exist
    conn.files = filelocks.files_of(path)
    key = filelocks.hold(path)
    if key is not None:
        conn.wal_guard = key
        conn._release = weakref.finalize(conn, filelocks.let_go, key)


def release_guard(connection: sqlite3.Connection) -> None:
    """Let go of the guard, e.g. to leave WAL mode (our own lock would refuse SQLite that)."""
    conn = own(connection)
    release = getattr(conn, "_release", None)
    if release is not None:
        release()
        conn._release, conn.wal_guard, conn.files = None, None, None


def enable_wal(db: sqlite_utils.Database) -> None:
    """Write-ahead logging: readers never block the writer; persistent in the file."""
    try:
        db.execute("PRAGMA journal_mode = WAL")
        take_guard(db.conn)
    except sqlite3.Error as exc:
        raise_environment(exc, getattr(db, "path", None))
        raise


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made (sqlite3 types `lastrowid` as optional)."""
    row_id = cursor.lastrowid
    if row_id is None:
        raise RuntimeError("no row id after an INSERT")
    return row_id


def own(conn: sqlite3.Connection) -> MotCuaConnection:
    """The connection as the MotCuaConnection every connect() makes (for the type checker)."""
    return cast(MotCuaConnection, conn)


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database, *,
                checkpoint_later: bool = False) -> Iterator[sqlite3.Connection]:
    """The one way to write: BEGIN IMMEDIATE … COMMIT, rolled back on any exception.

    Nested use joins the outer transaction (a savepoint), so helpers can be composed.
    sqlite-utils' own write helpers (table.insert …) commit on their own and must not be
    used inside; use parameterised `conn.execute` here instead.

    `checkpoint_later` (an outermost transaction that writes hundreds of MB: a month-end merge,
    core.exchange.merge.import_packages): its COMMIT runs no checkpoint (SQLite's automatic one
    copies the whole log into the database inside the COMMIT, seconds the clerk would wait
    for) and is durable by itself: `synchronous = FULL` for this transaction, so the log is
    synced to the disk before COMMIT returns (under NORMAL, a WAL commit is durable only once
    a checkpoint synced it). The checkpoint is owed (`checkpoint_owed`): the caller runs
    `checkpoint` once the result is handed over, and `close` runs it if nobody did. Till then
    the committed transaction lives in the log, which every reader reads and SQLite replays
    after a crash or a power cut (docs/import-export.md, "Kết thúc việc nhập").
    """
    if own(db.conn).depth == 0:
        verify_files(db)
    conn = own(db.conn)
    depth = conn.depth
    later = _checkpoint_later(conn) if checkpoint_later and depth == 0 else None
    _begin(db, conn, depth, later)
    conn.depth = depth + 1
    try:
        yield conn
    except BaseException as exc:
        conn.depth = depth
        _roll_back(conn, depth, later)
        if isinstance(exc, (sqlite3.Error, OSError)):  # by code: a bug is re-raised as it is
            raise_environment(exc, getattr(db, "path", None))
        raise
    conn.depth = depth
    _commit(db, conn, depth, later)


# The steps of `transaction`: `depth` is the connection's before it (0: the outermost, a
# transaction; more: a savepoint in it), `later` what _checkpoint_later changed, if it did.
def _begin(db: sqlite_utils.Database, conn: MotCuaConnection, depth: int,
           later: tuple[int, int] | None) -> None:
    try:
        if depth == 0:
            conn.execute("BEGIN IMMEDIATE")
        else:
            conn.execute(f"SAVEPOINT sp{depth}")
    except sqlite3.Error as exc:
        _checkpoint_now(conn, later)
        raise_environment(exc, getattr(db, "path", None))
        raise


def _roll_back(conn: MotCuaConnection, depth: int, later: tuple[int, int] | None) -> None:
    try:
        if conn.in_transaction:
            if depth == 0:
                conn.execute("ROLLBACK")
            else:
                conn.execute(f"ROLLBACK TO sp{depth}")
                conn.execute(f"RELEASE sp{depth}")
    finally:
        _checkpoint_now(conn, later)


def _commit(db: sqlite_utils.Database, conn: MotCuaConnection, depth: int,
            later: tuple[int, int] | None) -> None:
    try:
        if depth == 0:
            conn.execute("COMMIT")
            conn.checkpoint_owed |= later is not None
        else:
            conn.execute(f"RELEASE sp{depth}")
    except sqlite3.Error as exc:
        if depth == 0 and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise_environment(exc, getattr(db, "path", None))
        raise
    finally:
        _checkpoint_now(conn, later)


def _checkpoint_later(conn: MotCuaConnection) -> tuple[int, int] | None:
    """Outside a transaction, in WAL mode: the connection's commits synced (FULL) and
    checkpointing nothing by themselves; the settings it had, to put back (`_checkpoint_now`).
    None in another journal mode (an in-memory database: a dry run's)."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        return None
    kept = (conn.execute("PRAGMA synchronous").fetchone()[0],
            conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    conn.execute("PRAGMA synchronous = FULL")  # (SQLite refuses it inside a transaction)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    return kept


def _checkpoint_now(conn: MotCuaConnection, kept: tuple[int, int] | None) -> None:
    """The settings `_checkpoint_later` changed put back: the connection's next commits are as
    every other's (NORMAL, checkpointing by themselves)."""
    if kept is not None:
        conn.execute(f"PRAGMA synchronous = {int(kept[0])}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {int(kept[1])}")


def checkpoint(connection: sqlite3.Connection) -> tuple | None:
    """The checkpoint a `transaction(checkpoint_later=True)` left owed, run now on this
    connection (outside any transaction): the log copied into the database (PASSIVE: the
    other connections read and write meanwhile; it syncs the database once done), then cut
    to nothing (TRUNCATE, waiting at most CHECKPOINT_WAIT_MS for a reader still in the log or
    a writer; if it cannot, the log is cut to JOURNAL_SIZE_LIMIT when it next starts over).
    Returns (PASSIVE's, TRUNCATE's) rows of (busy, frames in the log, frames copied), or None
    when nothing was owed. A failure (a full disk) is logged, not raised: the committed data
    is in the log, which SQLite copies at a later checkpoint or replays on opening."""
    conn = own(connection)
    if not conn.checkpoint_owed or conn.in_transaction or conn.depth:
        return None
    conn.checkpoint_owed = False
    try:
        passive = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        conn.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
        try:
            truncate = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlite3.Error as exc:
        log.warning("checkpoint after a large transaction failed (%s); the log is kept", exc)
        return None
    return tuple(passive), tuple(truncate)


def verify_files(db: sqlite_utils.Database) -> None:
    """Before a write: are the -wal and -shm this connection uses still the ones on disk?

    If another program deleted them (db.filelocks makes that impossible for SQLite programs on
    Linux, but not everywhere), whatever we wrote next would go to a deleted file and be lost:
    reopen the connection first, so SQLite takes the files and its locks afresh.
    """
    conn = own(db.conn)
    if getattr(conn, "files", None) is None or conn.path is None:
        return
    if filelocks.files_of(conn.path) == conn.files:
        filelocks.ensure(conn.wal_guard)
        return
    log.warning("database files replaced under an open connection; reconnecting")
    if not Path(conn.path).exists():
        raise DatabaseEnvironmentError(
            f"Tệp cơ sở dữ liệu {conn.path} đã bị xoá hoặc di chuyển khi chương trình đang mở. "
            "Hãy đóng MotCua, kiểm tra tệp rồi mở lại.")
    path = conn.path
    conn.close()
    db.conn = _open_connection(Path(path))


@contextlib.contextmanager
def busy_timeout(db: sqlite_utils.Database, milliseconds: int) -> Iterator[None]:
    """Wait at most `milliseconds` for another writer meanwhile: the window tries briefly and
    shows that it waits, instead of freezing for BUSY_TIMEOUT_MS."""
    db.conn.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        db.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


@contextlib.contextmanager
def joined(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """The caller's transaction joined as it is, with no savepoint of its own (a transaction of
    its own, `transaction()`, when there is none): for a recomputation over many rows inside a
    bigger operation whose failure fails that whole operation (core.facts.refresh and
    rebuild_all). A failure inside leaves its partial writes to the caller's rollback, so a
    caller must not catch it and commit.

    Why not a savepoint: under one, SQLite copies every page changed into its sub-journal, and
    each later statement that needs a statement journal of its own (an UPDATE of dossier_rows:
    its trigger and CHECKs) and changes a page already copied adds that page again and, at the
    statement's end, cuts the sub-journal back, walking an in-memory one (temp_store = MEMORY:
    the demo's bulk settings, core.bulk, and the merge's before round 23, whose store is now a
    file, core.exchange.bulk.big_cache; an in-memory database) from its first KiB to
    where the statement began. Each row then cost as much as the rows before it: a merge's recompute of 5 × 20,000
    dossiers took 181 s CPU instead of 7 (docs/speed.md, "A package of another rules revision").
    """
    conn = own(db.conn)
    if conn.depth == 0:
        with transaction(db) as outer:
            yield outer
    else:
        yield conn


def in_transaction(db: sqlite_utils.Database) -> bool:
    return getattr(db.conn, "depth", 0) > 0
