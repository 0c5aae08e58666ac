"""Restore: put a backup in place of the current database, or leave everything as it was.

The order matters for the clerk's data:
1. copy the chosen file with the backup API into a temporary file next to the database and
   refuse it (exit 2, nothing changed) unless it is an intact MotCua database this version
   understands;
2. back up the current database (it is what the clerk loses if they picked the wrong file);
3. make sure no other MotCua window has the database open, drop its -wal/-shm companions (an old
   write-ahead log must never be replayed onto the restored file) and swap the file in with one
   atomic rename;
4. open it the way the app does, which migrates an older schema (after its own safety copy).
"""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core import paths
from core.accounts import require
from core.database import open_database
from core.errors import InputError, OperationError, os_reason
from core.maintenance import encryption, leftovers
from core.maintenance.audit import compare_chains
from core.maintenance.backup import DamagedSource, keep_raw_copy, make_backup, remove_quietly
from core.maintenance.inspect import EXAMPLES, examine
from core.stopping import ask
from db.connection import APPLICATION_ID, DatabaseEnvironmentError
from db.errors import NOT_A_FILE, environment_message, error_kind
from db.readonly import read_connection, read_only_uri
from db.schema import SCHEMA_VERSION

SIDECARS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Restored:
    database: Path
    previous_backup: Path | None  # the copy of what was there before, if anything was
    schema_before: int  # the restored file's schema version before it was migrated
    chain: str = ""  # where the restored history stands against the replaced one (audit)
    newer: int = 0  # the schema of the replaced file when a newer MotCua wrote it (kept whole)

    def kept_text(self) -> str:
        """What the copy of the replaced file is, when it is not what its name would suggest:
        a newer version's file (going back to the old program after an update) is kept as raw
        bytes since this program cannot read it, but it is not damaged (round 34's walk: the
        previous release named it «…-damaged.db»)."""
        if not self.newer:
            return ""
        return (f"Tệp ấy là dữ liệu của bản MotCua mới hơn (lược đồ {self.newer}), không hỏng: bản "
                "này không đọc được nó. Giữ lại tệp ấy nếu sau này cập nhật lại (docs/updating.md,"
                " mục 6).")


def restore(source_file: str | os.PathLike, db_path: str | os.PathLike, *,
            backup_folder: str | os.PathLike | None = None,
            moment: dt.datetime | None = None, passphrase: str | None = None,
            progress: Callable[[int, int], object] | None = None) -> Restored:
    """An encrypted backup (`….db.enc`) needs its passphrase; it is decrypted into the staged
    copy, and every check below runs on that copy. `progress` (the command line's Ctrl+C,
    core.stopping) is asked once the copy is staged and checked, before anything of the
    database in use is touched: its False stops there with InterruptedError, the staged copy
    removed and the database as it was."""
    require("data.restore")
    source, target = Path(source_file), Path(db_path)
    _refuse_obvious(source, target)
    _make_parent(target)
    leftovers.clean(target.parent)  # what an interrupted restore left behind
    staged = _stage_copy(source, target.parent, passphrase)
    try:
        version = validate(staged, source)
        ask(progress)
        previous = None
        if target.exists():
            ensure_not_in_use(target)  # before the backup too: fail early, leave no stray copy
            newer = newer_schema(target)
            previous = preserve_current(target, backup_folder, moment, newer)
            ensure_not_in_use(target)
        remove_quietly(*(Path(f"{target}{suffix}") for suffix in SIDECARS))
        _swap_in(staged, target)
    except BaseException:
        remove_quietly(staged, *(Path(f"{staged}{suffix}") for suffix in SIDECARS))
        raise
    open_database(target).close()
    return Restored(target, previous, version, _chain_position(target, previous),
                    newer if previous is not None else 0)


def _swap_in(staged: Path, target: Path) -> None:
    """The system names the staged copy when the swap fails (a database file marked read-only,
    on Windows by its attribute): said of the file the clerk knows, not of the hidden copy."""
    try:
        os.replace(staged, target)
    except OSError as exc:
        raise OperationError(f"Không thay được tệp dữ liệu {target} bằng bản khôi phục: "
                             f"{os_reason(exc)}. Dữ liệu hiện tại không bị thay đổi.") from exc


def _chain_position(restored: Path, previous: Path | None) -> str:
    """The restored chain against the one it replaced (its backup copy), read-only; a replaced
    file that cannot be read (damaged, kept as raw bytes) has nothing to compare."""
    if previous is None:
        return ""
    try:
        mine, theirs = read_connection(restored), read_connection(previous)
    except sqlite3.Error:
        return ""
    try:
        return compare_chains(mine, theirs)
    except sqlite3.Error:
        return "Không so được chuỗi lịch sử với dữ liệu trước đó (tệp cũ không đọc được)."
    finally:
        mine.close()
        theirs.close()


def preserve_current(target: Path, folder, moment, newer: int = 0) -> Path:
    """Back up the database about to be replaced; a damaged one is kept as raw bytes instead,
    since restoring over a damaged database is exactly when a restore is needed; so is one of
    a newer schema (`newer`), named for it (`…-v26-newer.db`), not "damaged"."""
    try:
        return make_backup(target, folder, moment=moment)
    except (DamagedSource, DatabaseEnvironmentError):
        tail = f"-v{newer}-newer.db" if newer else "-damaged.db"
        return keep_raw_copy(target, Path(folder) if folder else paths.backup_dir(target), moment,
                             tail)


def newer_schema(path: Path) -> int:
    """The schema version of a MotCua file written by a newer program (its header says so), or
    0: an older or current one, another program's, or one that cannot be read."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0
    return version if app_id == APPLICATION_ID and version > SCHEMA_VERSION else 0


def _refuse_obvious(source: Path, target: Path | None) -> None:
    if not source.exists():
        raise InputError(f"Không tìm thấy tệp sao lưu {source}.")
    paths.refuse_unfit_input(source)  # a pipe or a device: reading a pipe waits for ever
    if not source.is_file():
        raise InputError(f"{source} là một thư mục; hãy chọn tệp sao lưu .db bên trong.")
    if target is not None and target.exists() and not (target.is_file() or target.is_dir()):
        raise InputError(NOT_A_FILE.format(path=target))
    if target is not None and target.exists() and os.path.samefile(source, target):
        raise InputError(f"Tệp {source} chính là cơ sở dữ liệu đang dùng; hãy chọn một bản sao lưu.")


def _make_parent(target: Path) -> None:
    """A new PC has no data folder yet: create it, but only for the app's own data folder."""
    if target.parent.is_dir():
        return
    if target.parent != paths.data_dir():
        raise OperationError(f"Thư mục {target.parent} không tồn tại.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OperationError(f"Không tạo được thư mục dữ liệu {target.parent}: {os_reason(exc)}.") from exc


def _stage_copy(source: Path, folder: Path, passphrase: str | None = None) -> Path:
    """Copy `source` into a new temporary file in `folder` (same disk, so the rename is atomic);
    an encrypted backup is decrypted into it (refused whole unless every chunk is authentic)."""
    encrypted = encryption.is_encrypted(source)
    if encrypted:
        encryption.read_header(source)  # a damaged header is refused before the passphrase
        if passphrase is None:
            raise encryption.PassphraseNeeded(f"Bản sao lưu {source} được mã hoá; cần mật khẩu "
                                              "để khôi phục.")
    try:
        handle, name = tempfile.mkstemp(prefix=f".motcua-restore-{os.getpid()}-", suffix=".db",
                                        dir=folder)
    except OSError as exc:
        raise OperationError(f"Không ghi được vào thư mục {folder}: {os_reason(exc)}.") from exc
    os.close(handle)
    staged = Path(name)
    try:
        if encrypted and passphrase is not None:
            encryption.decrypt_file(source, staged, passphrase)
        else:
            _backup_api_copy(source, staged)
    except BaseException:
        remove_quietly(staged, Path(f"{staged}-journal"))
        raise
    return staged


def _backup_api_copy(source: Path, staged: Path) -> None:
    # read-only on a write-protected USB stick, else an ordinary connection (only read from),
    # whose close tidies the -wal/-shm a read-only one would leave beside the user's file
    writable = os.access(source, os.W_OK) and os.access(source.parent, os.W_OK)
    src = sqlite3.connect(str(source)) if writable else \
        sqlite3.connect(read_only_uri(source), uri=True)
    try:
        dst = sqlite3.connect(str(staged))
        try:
            src.execute("PRAGMA schema_version").fetchone()  # fails here for a non-SQLite file
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        raise _source_error(exc, source) from exc
    finally:
        src.close()


def _source_error(exc: sqlite3.DatabaseError, source: Path) -> Exception:
    kind = error_kind(exc)
    if kind == "notadb":
        return InputError(f"Tệp {source} không phải là cơ sở dữ liệu MotCua (không phải tệp SQLite).")
    if kind == "damaged":
        return InputError(f"Tệp {source} đã bị hỏng, không khôi phục được. Hãy chọn bản sao lưu khác.")
    message = environment_message(exc, source)
    if message is None:
        raise exc  # a bug, not the file: the crash log gets it
    return OperationError(message)


def check_backup(source: str | os.PathLike, passphrase: str | None = None,
                 workdir: str | os.PathLike | None = None) -> int:
    """Examine a chosen backup before anything is asked or written; return its schema version.

    Refuses (InputError naming every problem) a file that is not an intact MotCua database
    with exactly the expected schema and readable derived data. An encrypted one is decrypted
    into a temporary file in `workdir` (the database's folder: the data is there in clear
    already), examined and removed.
    """
    source = Path(source)
    _refuse_obvious(source, None)
    if not encryption.is_encrypted(source):
        return validate(source, source)
    staged = _stage_copy(source, Path(workdir) if workdir else paths.data_dir(), passphrase)
    try:
        return validate(staged, source)
    finally:
        remove_quietly(staged, *(Path(f"{staged}{suffix}") for suffix in SIDECARS))


def validate(staged: Path, source: Path) -> int:
    """Refuse a foreign, newer, damaged or altered file (named as the clerk chose it)."""
    problems = [f.text.rstrip(".") for f in examine(staged, shown_as=source) if not f.ok]
    if problems:
        shown = "; ".join(problems[:EXAMPLES])
        more = f" (và {len(problems) - EXAMPLES} vấn đề khác)" if len(problems) > EXAMPLES else ""
        raise InputError(f"Không khôi phục từ tệp {source}: {shown}{more}. Dữ liệu hiện tại không "
                         "bị thay đổi; hãy chọn bản sao lưu khác.")
    conn = read_connection(staged)  # an ordinary one where it can: it tidies its -wal/-shm
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def ensure_not_in_use(target: Path) -> None:
    """Fail unless this process can take the database for itself (no MotCua window has it open).

    Leaving WAL mode needs exclusive access, and it also folds the log into the file.
    """
    conn = sqlite3.connect(str(target), isolation_level=None, timeout=1)
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if error_kind(exc) != "busy":
            return  # a damaged file: SQLite cannot even say; it has been kept byte for byte
        mode = None
    finally:
        conn.close()
    if mode != "delete":
        raise OperationError(
            f"Cơ sở dữ liệu {target} đang được mở bởi MotCua hoặc chương trình khác. "
            "Hãy đóng mọi cửa sổ MotCua rồi thử lại; dữ liệu hiện tại chưa bị thay đổi.")
