"""Backups: a consistent single-file copy of the database, verified before it gets its name.

SQLite's online backup API copies a snapshot even while the app is writing (WAL), so a backup
can be taken at any time. The copy is written under a hidden temporary name, checked with
`PRAGMA integrity_check`, and only then renamed to `motcua-YYYYMMDD-HHMMSS.db`: a failed or
interrupted backup never leaves a file that looks like a good one.

Automatic backups (`auto_backup`, at most one a day, called by the app at start-up) end in
`-auto.db` and are thinned like Anki's: the newest of each of the last 7 days with a backup,
then one a week for 4 weeks, then one a month for 12 months. Backups the clerk made by hand
are never deleted.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from core import paths, timefmt
from core.accounts import require
from core.database import one_line, refuse_empty, verify_structure
from core.errors import InputError, OperationError
from core.maintenance import encryption, leftovers
from core.stopping import ask
from db import filelocks
from db.connection import BUSY_TIMEOUT_MS
from db.errors import (
    NOT_A_FILE,
    damaged_message,
    environment_message,
    error_kind,
    raise_environment,
)
from db.readonly import read_connection

STAMP_FORMAT = "%Y%m%d-%H%M%S"
NAME_PATTERN = re.compile(r"^motcua-(\d{8}-\d{6})(?:-\d+)?(-auto)?\.db$")
KEEP = {"daily": 7, "weekly": 4, "monthly": 12}


class DamagedSource(OperationError):
    """The database itself is damaged, so no verified copy of it can be made."""


def make_backup(db_path: str | os.PathLike, target_dir: str | os.PathLike | None = None, *,
                auto: bool = False, moment: dt.datetime | None = None,
                passphrase: str | None = None,
                progress: Callable[[int, int], object] | None = None) -> Path:
    """Copy the database into `target_dir` (default: its backups folder, paths.backup_dir); return
    the copy.

    With a passphrase the copy is `motcua-….db.enc`, encrypted (core.maintenance.encryption).
    `progress` (the command line's Ctrl+C, core.stopping) is asked once the copy is made and
    verified, before it is encrypted and before it takes its name: its False stops there with
    InterruptedError, the partial copy removed.
    """
    require("data.backup")
    source = Path(db_path)
    if passphrase is not None and (problem := encryption.passphrase_problem(passphrase)):
        raise InputError(problem)
    if source.exists() and not (source.is_file() or source.is_dir()):
        # a pipe or a device: the caller's mistake (exit 2), as core.database.open_database says
        raise InputError(NOT_A_FILE.format(path=source))
    if not source.is_file():
        raise OperationError(f"Không tìm thấy cơ sở dữ liệu {source}, không có gì để sao lưu.")
    folder = Path(target_dir) if target_dir else paths.backup_dir(source)
    # a folder the caller named (`backup --to`) that was made for this copy goes with it when
    # the copy fails (nothing left behind); the database's own backups folder stays
    made = missing_top(folder) if target_dir else None
    try:
        _prepare_folder(folder)
        return _copy_into(source, folder, auto, moment, passphrase, progress)
    except BaseException:
        if made is not None:
            _remove_empty(folder, made)
        raise


def _copy_into(source: Path, folder: Path, auto: bool, moment: dt.datetime | None,
               passphrase: str | None, progress: Callable[[int, int], object] | None) -> Path:
    leftovers.clean(folder)  # what an interrupted backup left behind
    tail = ".db" + encryption.SUFFIX if passphrase is not None else None
    final = free_name(folder, moment or timefmt.now(), auto, tail)
    partial = leftovers.temporary_name(folder, final.name, "part")
    plain = partial if passphrase is None else _plain_snapshot_name(source, final.name)
    try:
        copy_database(source, plain, folder)
        verify_copy(plain, source)
        ask(progress)
        if passphrase is not None:
            encryption.encrypt_file(plain, partial, passphrase)
            encryption.decrypt_file(partial, None, passphrase)  # it reads back whole
            ask(progress)
        os.replace(partial, final)
    except BaseException:
        discard_after_failure(partial, plain, Path(f"{plain}-journal"))
        raise
    finally:
        if plain != partial:
            discard_after_failure(plain, Path(f"{plain}-journal"))
    return final


def _plain_snapshot_name(source: Path, name: str) -> Path:
    """Where the clear copy waits to be encrypted: beside the database, which holds the same
    data in clear anyway, never in the target folder (a USB stick must get only the encrypted
    file, even if the program is killed halfway). A leftover there is removed at a later start
    (core.maintenance.leftovers)."""
    folder = source.parent if os.access(source.parent, os.W_OK) else Path(tempfile.gettempdir())
    return leftovers.temporary_name(folder, name.removesuffix(encryption.SUFFIX), "part")


def missing_top(folder: Path) -> Path | None:
    """The outermost of `folder` and its parents that is not there (what `_prepare_folder`
    makes), or None when `folder` is there."""
    top = None
    while not os.path.lexists(folder):
        top = folder
        if folder.parent == folder:
            break
        folder = folder.parent
    return top


def _remove_empty(folder: Path, top: Path) -> None:
    """Remove `folder` and its parents up to `top`, each only while it is empty."""
    while True:
        try:
            folder.rmdir()
        except OSError:  # not empty, not there, not ours to remove: left
            return
        if folder == top or folder.parent == folder:
            return
        folder = folder.parent


def _prepare_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise OperationError(f"{folder} là một tệp, không phải thư mục để chứa bản sao lưu.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OperationError(_unwritable(folder, exc)) from exc


def _unwritable(folder: Path, exc: BaseException) -> str:
    if error_kind(exc) == "full":
        return f"Ổ đĩa chứa thư mục {folder} đã đầy, không ghi được bản sao lưu."
    return (f"Không ghi được bản sao lưu vào thư mục {folder}: thư mục không có quyền ghi "
            "hoặc không tồn tại. Hãy chọn thư mục khác (ví dụ USB hoặc Tài liệu).")


def free_name(folder: Path, moment: dt.datetime, auto: bool, tail: str | None = None) -> Path:
    """motcua-YYYYMMDD-HHMMSS[-auto].db, with -2, -3 … if that second is already taken."""
    base = f"motcua-{moment.strftime(STAMP_FORMAT)}"
    tail = tail or ("-auto.db" if auto else ".db")
    candidate, number = folder / f"{base}{tail}", 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{base}-{number}{tail}"
    return candidate


def copy_database(source: Path, dest: Path, folder: Path) -> None:
    """Snapshot `source` into the new file `dest` with the backup API, as one self-contained file."""
    refuse_empty(source)
    db = open_plain(source)
    try:
        verify_structure(db, source)  # a damaged or altered file is refused, not copied
        try:
            target = sqlite3.connect(str(dest))
        except sqlite3.Error as exc:
            raise OperationError(_unwritable(folder, exc)) from exc
        try:
            db.conn.backup(target)
            # The source is in WAL mode; a backup file should not need -wal/-shm companions.
            target.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as exc:
            raise _copy_error(exc, source, folder) from exc
        finally:
            target.close()
    finally:
        db.close()


def _copy_error(exc: sqlite3.Error, source: Path, folder: Path) -> Exception:
    """Why the backup API failed, by SQLite's error code: the source, or the target folder."""
    kind = error_kind(exc, source)
    if kind in ("damaged", "notadb"):
        return DamagedSource(damaged_message(source))
    if kind == "full":
        return OperationError(_unwritable(folder, exc))
    if kind in ("busy", "memory"):
        return OperationError(environment_message(exc, source) or str(exc))
    if kind is None:
        return exc  # a bug: it goes to the crash log as it is
    return OperationError(_unwritable(folder, exc))


def open_plain(path: Path) -> sqlite_utils.Database:
    """Open an existing file without changing it (no journal-mode switch, no migration)."""
    try:  # read-only: a read-only file or folder, or one on a full disk, can still be backed up
        conn = read_connection(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise_environment(exc, path)
        raise
    db = sqlite_utils.Database(conn)
    db.path = str(path)  # type: ignore[attr-defined]  # messages name the file
    return db


def verify_copy(copy: Path, source: Path) -> None:
    """Refuse a copy that SQLite itself does not find intact."""
    conn = sqlite3.connect(str(copy))
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if problems == ["ok"]:
            problems = _unreadable_facts(conn)
    finally:
        conn.close()
    if problems != ["ok"]:
        raise DamagedSource(damaged_message(source, [one_line(problems[0])]))


def _unreadable_facts(conn: sqlite3.Connection) -> list[str]:
    """Derived data that no longer parses means the file was altered outside MotCua."""
    if conn.execute("PRAGMA user_version").fetchone()[0] < 2:
        return ["ok"]  # version 1 had no facts
    row = conn.execute("SELECT code FROM dossiers WHERE facts IS NOT NULL AND NOT json_valid(facts) "
                       "LIMIT 1").fetchone()
    return [f"facts của hồ sơ {row[0]} không đọc được"] if row else ["ok"]


def keep_raw_copy(source: Path, folder: Path, moment: dt.datetime | None = None,
                  tail: str = "-damaged.db") -> Path:
    """Keep a damaged database byte for byte (with its write-ahead log) before it is replaced.

    Such a file cannot be copied through SQLite, but it may still hold data worth rescuing.
    Never while this process has it open: closing the copy's handle would drop its SQLite locks.
    """
    if filelocks.is_live(source):
        raise OperationError(f"Cơ sở dữ liệu {source} đang được mở trong MotCua; hãy đóng nó "
                             "trước khi khôi phục.")
    _prepare_folder(folder)
    final = free_name(folder, moment or timefmt.now(), False, tail=tail)
    pairs = [(source, final)]
    if Path(f"{source}-wal").is_file():
        pairs.append((Path(f"{source}-wal"), Path(f"{final}-wal")))
    for original, copy in pairs:
        partial = leftovers.temporary_name(copy.parent, copy.name, "part")
        try:
            shutil.copyfile(original, partial)
            os.replace(partial, copy)
        except OSError as exc:
            remove_quietly(partial, *(c for _, c in pairs))
            raise OperationError(_unwritable(folder, exc)) from exc
    return final


def remove_quietly(*files: Path) -> None:
    for file in files:
        try:
            file.unlink()
        except FileNotFoundError:
            continue


def discard_after_failure(*files: Path) -> None:
    """Remove leftovers of a failed write without hiding why it failed: on a read-only or
    vanished folder nothing can be (or needs to be) removed, and the error being raised is
    the one the user must see."""
    for file in files:
        try:
            file.unlink()
        except OSError:
            continue


def backups_in(folder: Path, *, auto: bool | None = None) -> list[tuple[dt.datetime, Path]]:
    """The backups in `folder` (only automatic or only manual ones if asked), newest first."""
    found: list[tuple[dt.datetime, Path]] = []
    if not folder.is_dir():
        return found
    for file in folder.iterdir():
        match = NAME_PATTERN.match(file.name)
        if not match or (auto is not None and bool(match.group(2)) != auto):
            continue
        found.append((dt.datetime.strptime(match.group(1), STAMP_FORMAT), file))
    return sorted(found, key=lambda item: (item[0], item[1].name), reverse=True)


def obsolete(stamps: list[dt.datetime], keep: dict[str, int] = KEEP) -> list[dt.datetime]:
    """Which automatic backups thinning removes (Anki's scheme: daily, then weekly, then monthly)."""
    left = dict(keep)
    last: dict[str, object] = {"daily": None, "weekly": None, "monthly": None}
    drop = []
    for stamp in sorted(stamps, reverse=True):
        buckets = {"daily": stamp.date(), "weekly": stamp.isocalendar()[:2],
                   "monthly": (stamp.year, stamp.month)}
        level = next((name for name in ("daily", "weekly", "monthly")
                      if left[name] > 0 and buckets[name] != last[name]), None)
        if level is None:
            drop.append(stamp)
            continue
        left[level] -= 1
        last = buckets
    return drop


def auto_backup(db_path: str | os.PathLike, folder: str | os.PathLike | None = None, *,
                moment: dt.datetime | None = None) -> Path | None:
    """The app's start-up backup: at most one a day, then thin the old automatic ones.

    Returns the new backup, or None when there is no database yet or today's copy exists.
    Slow on a big database (it verifies the copy): call it from a worker, not the GUI thread.
    """
    moment = moment or timefmt.now()
    folder = Path(folder) if folder else paths.backup_dir(db_path)
    leftovers.clean(folder, Path(db_path).parent)  # at every start: interrupted backups/restores
    if not Path(db_path).is_file():
        return None
    existing = backups_in(folder, auto=True)
    if any(stamp.date() == moment.date() for stamp, _ in existing):
        return None
    created = make_backup(db_path, folder, auto=True, moment=moment)
    doomed = set(obsolete([stamp for stamp, _ in existing] + [moment]))
    remove_quietly(*(file for stamp, file in existing if stamp in doomed))
    return created
