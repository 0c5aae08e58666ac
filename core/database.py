"""Opening the application's database: connect, refuse foreign or damaged files, migrate, refresh.

What is opened, precisely:
- a path that does not exist becomes a new database only when the caller creates (`create`:
  `demo`, the window); it is built under a hidden name and renamed into place, so an
  interrupted creation never leaves a half-made file at the real name;
- an existing file is used only if SQLite reads it as a MotCua database (application_id)
  whose schema is exactly the one this program's migrations build (db.structure); a 0-byte
  file, a non-SQLite file, another program's database or a damaged/altered one is refused with
  a Vietnamese message, and nothing is written to it;
- a file the program may not write (read-only file, folder or medium) is opened read-only when
  the caller only reads (`mode="read"`: kpi, export, report, slip; `"browse"`: the window, which
  then says so); a command that writes is refused up front with the read-only message.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

import sqlite_utils

from core import paths, searchkey
from core.errors import OperationError, os_reason
from core.new_file_rows import _holds_only, _rows
from core.timefmt import vn_number
from db import ledger, schema, settings, structure
from db.connection import (
    APPLICATION_ID,
    DatabaseEnvironmentError,
    connect,
    raise_environment,
    transaction,
)
from db.errors import NOT_A_FILE, READ_ONLY, DatabaseDamagedError
from db.readonly import connect_read_only

EMPTY = ("Tệp {path} rỗng (0 byte), không phải là cơ sở dữ liệu MotCua. MotCua không tự biến nó "
         "thành cơ sở dữ liệu mới; hãy kiểm tra lại đường dẫn --db, hoặc khôi phục từ bản sao lưu.")
FOREIGN = ("Tệp {path} là cơ sở dữ liệu SQLite nhưng không phải của MotCua. MotCua không ghi gì "
           "vào tệp này; hãy kiểm tra lại đường dẫn --db.")
QUICK_CHECK_BYTES = 64 * 1024 * 1024  # about 40,000 dossiers: a quarter of a second at most
STALE_READ_ONLY = ("Tệp dữ liệu chỉ đọc ({path}) cần được nâng cấp hoặc tính lại số liệu trước "
                   "khi dùng, mà MotCua không ghi được vào nó. Hãy chép tệp sang thư mục có quyền "
                   "ghi rồi mở lại.")


# The command line's teller of the long steps of opening a file of an older version (`telling`,
# core.cli.dispatch): without it a `kpi` on a million dossiers sat ~30 s silent while the
# search index was rebuilt, where the window shows its progress.
_TOLD: ContextVar[StepsTold | None] = ContextVar("motcua_steps_told", default=None)
STEP_UPGRADE = "Đang nâng cấp tệp dữ liệu của phiên bản trước"
STEP_FACTS = "Đang tính lại số liệu chỉ tiêu"
STEP_SEARCH = "Đang dựng lại chỉ mục tìm kiếm (tệp của phiên bản trước)"


class StepsTold:
    """The long steps of opening a database told on the command line's stderr (never stdout:
    `kpi --json` stays JSON): each step's name when it starts, then every tenth of it."""

    def __init__(self, out=None):
        self.out = out

    def step(self, title: str) -> Callable[[int, int], bool]:
        shown = [-1]

        def told(done: int, total: int) -> bool:
            out = self.out or sys.stderr
            if shown[0] < 0:
                print(f"{title}…", file=out, flush=True)
                shown[0] = 0
            tenth = done * 10 // total if total > 0 else 0
            if total > 0 and tenth > shown[0]:
                shown[0] = tenth
                print(f"  {tenth * 10}% ({vn_number(min(done, total))}/{vn_number(total)})",
                      file=out, flush=True)
            return True
        return told


@contextlib.contextmanager
def telling(told: StepsTold) -> Iterator[None]:
    """Within it, a database opened without a `progress` of its own tells its long steps."""
    token = _TOLD.set(told)
    try:
        yield
    finally:
        _TOLD.reset(token)


def _step(progress, title: str):
    """The progress of one long step: the caller's own (the window's bar: told the step's title
    when it can take one, so its line names the work being done), else the command line's
    teller's, else none."""
    if progress is not None:
        titled = getattr(progress, "step", None)
        return titled(title) if callable(titled) else progress
    told = _TOLD.get()
    return None if told is None else told.step(title)


def resolve_path(db_arg: str | None) -> Path:
    return Path(db_arg) if db_arg else paths.default_db_path()


def open_database(path: str | Path, *, create: bool = True, mode: str = "write",
                  progress: Callable[[int, int], bool] | None = None) -> sqlite_utils.Database:
    """Open a MotCua database (see the module text for what is refused).

    `mode`: "write" (refuse a read-only file), "read" or "browse" (open it read-only then;
    `db.read_only` tells which). After an upgrade the derived indicator data is rebuilt first;
    `progress(done, total)` is told how far that has come and may return False to give up.
    """
    if str(path) == ":memory:":  # a scratch database (import --dry-run with no file yet)
        return _open_memory()
    path = Path(path)
    if not path.exists():
        if not create:
            raise DatabaseEnvironmentError(
                f"Không tìm thấy cơ sở dữ liệu {path}. Hãy mở ứng dụng để tạo nó (hoặc trên dòng "
                "lệnh: demo, import, exchange import).")
        _create_new(path)
    elif path.is_dir():
        raise DatabaseEnvironmentError(f"{path} là một thư mục, không phải tệp cơ sở dữ liệu.",
                                       "directory")
    elif not path.is_file():  # a pipe or a device: SQLite waits on it or calls it empty
        raise DatabaseEnvironmentError(NOT_A_FILE.format(path=path), "directory")
    refuse_empty(path)
    if not writable(path):
        if mode == "write":
            raise DatabaseEnvironmentError(READ_ONLY.format(path=path), "readonly")
        return _open_read_only(path)
    try:
        return _open_writable(path, progress)
    except DatabaseEnvironmentError as exc:
        if mode == "write" or exc.kind != "full" or _wal_holds_data(path):
            raise
        return _open_read_only(path, immutable=True)  # a full disk can still be read


def _wal_holds_data(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.is_file() and wal.stat().st_size > 0


def _open_writable(path: Path, progress) -> sqlite_utils.Database:
    db = connect(path, create=False)
    db.read_only = False  # type: ignore[attr-defined]
    try:
        verify_structure(db, path)
        _upgrade(db, _step(progress, STEP_UPGRADE))
        from core import facts
        if settings.get(db, "kpi_stale") or not facts.rules_current(db):
            # also when older time rules computed the due times
            facts.rebuild_all(db, _step(progress, STEP_FACTS))
        # keys of an older version: address and units searched too
        searchkey.rebuild_if_old(db, _step(progress, STEP_SEARCH))
        start_ledger(db)
        from core import installation
        installation.remember_home(db)  # a file of an older version: where it is now (spec 4)
        installation.keep_old_slot(db)  # and, if it issued codes, the slot it had: 1 of 1
    except BaseException:
        db.close()
        raise
    return db


def _upgrade(db: sqlite_utils.Database, progress) -> None:
    """Migrate; an upgrade of an older file can take a minute at a million dossiers (its backup
    copy, an index rebuilt, VACUUM): `progress` shows it has started and when it is over."""
    older = 0 < schema.version(db) < schema.SCHEMA_VERSION
    if older and progress is not None:
        progress(0, 1)
    schema.migrate(db, progress=progress)
    if older and progress is not None:
        progress(1, 1)


def _open_memory() -> sqlite_utils.Database:
    """A scratch database made as a new file is (its first contents too): a dry run against a
    database that does not exist yet previews what the import into the new file will do."""
    db = connect(":memory:")
    db.read_only = False  # type: ignore[attr-defined]
    schema.migrate(db)
    _first_contents(db)
    from core import facts
    facts.rebuild_all(db)
    start_ledger(db)
    return db


def start_ledger(db: sqlite_utils.Database) -> None:
    """A database of an earlier version gets, once, its ledger of payments, votes, waits and
    extensions and the record of its chain's head (db.ledger): from the data as it stands."""
    if ledger.is_new(db.conn):
        with transaction(db) as conn:
            ledger.ensure(conn)


def writable(path: Path) -> bool:
    """Can this process write the file and create its -wal/-shm companions next to it?"""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def refuse_empty(path: Path) -> None:
    """A 0-byte file is never taken for a new database (unless its data still sits in the -wal)."""
    if path.stat().st_size > 0:
        return
    wal = Path(f"{path}-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        return
    raise DatabaseEnvironmentError(EMPTY.format(path=path), "notadb")


def verify_structure(db: sqlite_utils.Database, path: Path) -> None:
    """The check made at every opening: ours, not newer, schema exactly as expected, and for a
    small file SQLite's quick_check (measured: 6 s for a million dossiers, 1.6 GB, so a big
    file relies on SQLite's CORRUPT errors during use and the full check of check/backup)."""
    schema.check_is_motcua(db)
    try:
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = schema.version(db)
        if app_id != APPLICATION_ID:
            raise DatabaseEnvironmentError(FOREIGN.format(path=path), "notadb")
        problems = structure.differences(db.conn, version)
        if not problems and path.stat().st_size <= QUICK_CHECK_BYTES:
            problems = _quick_check(db) or _unreadable_facts(db, version)
    except sqlite3.Error as exc:
        raise_environment(exc, path)
        raise
    if problems:
        raise DatabaseDamagedError(path, problems)


def _quick_check(db: sqlite_utils.Database) -> list[str]:
    found = [row[0] for row in db.execute("PRAGMA quick_check(1)")]
    return [] if found == ["ok"] else [f"quick_check: {one_line(found[0])}"]


def _unreadable_facts(db: sqlite_utils.Database, version: int) -> list[str]:
    if version < 2:
        return []  # version 1 had no derived data
    row = db.execute("SELECT code FROM dossiers WHERE facts IS NOT NULL AND NOT json_valid(facts) "
                     "LIMIT 1").fetchone()
    return [f"facts của hồ sơ {row[0]} không đọc được"] if row else []


def one_line(text: str, limit: int = 120) -> str:
    """SQLite's report of a damage, as one short printable line."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in str(text)).split())
    text = text.replace("*** in database main ***", "").strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _first_contents(db: sqlite_utils.Database) -> None:
    """What every new database starts with: the official day-off schedule of the known years
    (spec 2.1), since the `holidays` package cannot know the swapped Saturdays."""
    from core import official_calendar
    with transaction(db) as conn:
        official_calendar.load_into_new(conn)
    from core import facts
    facts.record_rules(db)  # nothing stored yet: nothing computed by older time rules


def _create_new(path: Path) -> None:
    """Build a new database under a hidden name, then rename it into place in one step."""
    if path.parent == paths.data_dir():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseEnvironmentError(
                f"Không tạo được thư mục dữ liệu {path.parent}: {os_reason(exc)}.") from exc
    partial = creation_name(path)
    remove_with_sidecars(partial)
    try:
        new_contents(partial)
        db = connect(partial, create=False)
        try:
            from core import installation
            installation.remember_home(db, path)  # the final name, not the partial one
        finally:
            db.close()
        # known as made here before it has its name (a rename keeps the file's identity): a
        # Ctrl-C just after the rename still finds it this run's own
        _MADE_HERE[os.path.abspath(path)] = _identity(partial)
        os.replace(partial, path)
    except OSError as exc:
        remove_with_sidecars(partial)
        raise_environment(exc, path)
        raise
    except BaseException:
        remove_with_sidecars(partial)
        raise


def new_contents(partial: Path) -> None:
    """What every new file holds, the same in each (its schema, its first contents), built at
    `partial`; what differs from file to file (its id, its place) `_create_new` adds after.
    (The tests copy, per new file, one file made by it: tests/new_database.py.)"""
    db = connect(partial, create=True)
    try:
        schema.migrate(db)
        _first_contents(db)
    finally:
        db.close()  # the last connection folds the -wal into the file and removes it


# The new database files this process made (`_create_new`): their path and the file's identity
# on the disk, so that what is at that path later is known to be the very file made, not one
# put there since (`fresh_and_made_here`).
_MADE_HERE: dict[str, tuple[int, int]] = {}


def _identity(path: Path) -> tuple[int, int]:
    found = os.stat(path)
    return found.st_dev, found.st_ino


def fresh_and_made_here(path: Path) -> bool:
    """Is the file at `path` a database this process made (`_create_new`) that holds nothing
    but rows every new file starts with — none that a command wrote and committed? The one
    test before a command stopped midway (Ctrl-C) removes the file it made (core.cli.dispatch).
    A file stopped during its first opening lacks some of those rows (the ledger's marks): a
    part of a new file's rows is nothing too. Any doubt (another file, a file that cannot be
    read, one row more or different) says no, and the file stays."""
    try:
        if _MADE_HERE.get(os.path.abspath(path)) != _identity(path):
            return False
        fresh = _open_memory()
        try:
            conn = connect_read_only(path, immutable=False).conn
            try:
                return _holds_only(conn, _rows(fresh.conn))
            finally:
                conn.close()
        finally:
            fresh.close()
    except Exception:  # unreadable, locked, gone: not known to hold nothing
        return False


def creation_name(path: Path) -> Path:
    """Hidden, and marked with this process's id so a later start can tidy it (core.maintenance.leftovers)."""
    return path.with_name(f".{path.name}.{os.getpid()}.new")


def remove_with_sidecars(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            Path(str(path) + suffix).unlink()
        except FileNotFoundError:
            continue


def _open_read_only(path: Path, immutable: bool | None = None) -> sqlite_utils.Database:
    """A database the program may not write: read it as it is, or say why it cannot be."""
    db = connect_read_only(path, immutable)
    try:
        verify_structure(db, path)
        from core import facts
        if (schema.version(db) != schema.SCHEMA_VERSION or settings.get(db, "kpi_stale")
                or not facts.rules_current(db)):
            raise DatabaseEnvironmentError(STALE_READ_ONLY.format(path=path), "readonly")
    except BaseException:
        db.close()
        raise
    return db


def require_units(db: sqlite_utils.Database) -> None:
    if not db.execute("SELECT 1 FROM units LIMIT 1").fetchone():
        raise OperationError("Cơ sở dữ liệu chưa có đơn vị nào. Hãy nhập danh mục đơn vị hoặc chạy lệnh demo.")
