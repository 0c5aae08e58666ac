"""Where things live: the user's data folder, the default database, bundled resources.

Kept in small functions so Windows paths can be tested on Linux.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

import platformdirs

from core.errors import InputError
from db import filelocks

APP_NAME = "MotCua"


def is_frozen() -> bool:
    """True inside a PyInstaller build."""
    return bool(getattr(sys, "frozen", False))


def app_root() -> Path:
    """The folder holding `resources/`: the source tree, or PyInstaller's bundle folder."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """The one way to find a bundled file, frozen or not."""
    return app_root().joinpath("resources", *parts)


def data_dir(env: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    """The user's data folder: %LOCALAPPDATA%\\MotCua on Windows, platformdirs elsewhere.

    MOTCUA_DATA_DIR overrides it (tests, portable installs).
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if env.get("MOTCUA_DATA_DIR"):
        return Path(env["MOTCUA_DATA_DIR"])
    if platform.startswith("win") and env.get("LOCALAPPDATA"):
        return Path(env["LOCALAPPDATA"]) / APP_NAME
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def default_db_path() -> Path:
    return data_dir() / "motcua.db"


def demo_db_path() -> Path:
    """The demo's own file, next to the real database and never the same (issue 14)."""
    return data_dir() / "motcua-demo.db"


def log_dir() -> Path:
    return data_dir() / "logs"


def backup_dir(db_path: str | os.PathLike | None = None) -> Path:
    """Where a database's backups go. The usual database's (or with no path): the data folder's
    backups/, as always. Any other file (opened with --db: a second office's file, a copy, the
    demo) has a folder of its own inside it, named after the file and where it lies: the
    automatic backup's once-a-day rule and its thinning then never count, or remove, the copies
    of another database (they did: the demo's daily copy stood for the real one's)."""
    folder = data_dir() / "backups"
    if db_path is None:
        return folder
    where = os.path.normcase(os.path.abspath(db_path))  # Windows names ignore case
    if where == os.path.normcase(os.path.abspath(default_db_path())):
        return folder
    tag = hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return folder / f"{Path(db_path).stem}-{tag}"


def refuse_live_database(path: str | os.PathLike) -> None:
    """Never read, copy or overwrite the open database (or its -wal/-shm/-journal) as an ordinary
    file: on Linux merely opening and closing it drops this process's SQLite locks, and a second
    MotCua process may then delete what this one still writes to (docs/reliability.md)."""
    if filelocks.is_live(path):
        raise InputError(f"Tệp {path} là cơ sở dữ liệu MotCua đang mở (hoặc tệp đi kèm của nó), "
                         "không dùng làm tệp nhập/xuất được. Hãy chọn tệp khác.")


def refuse_unfit_output(path: str | os.PathLike) -> None:
    """The one check of a file MotCua is about to write (a PDF, a workbook, a CSV, a package):
    never the open database, and never a device, a pipe or a socket. Every output is written
    beside its name and then swapped in, and the swap replaces whatever held the name: a report
    "saved" to /dev/full replaced the device itself with the PDF (and reported success)."""
    refuse_live_database(path)
    _refuse_special(path, "không ghi vào đó")


def require_folder(path: str | os.PathLike) -> None:
    """The folder a file is to be written in exists: a folder typed wrong or gone is bad input
    (spec 6: exit 2), said before anything is written, naming the folder. The one rule of
    the files written through core.transfer.files and core.pdf.document.check_writable
    (exports, workbooks, reports, slips, the reconciliation's report, profiles) and of
    the exchange package (core.exchange.export.refuse_target)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if folder.is_file():  # a file typed where its folder goes: there, but no folder
        raise InputError(f"{folder} là một tệp, không phải thư mục; không ghi được tệp "
                         f"{target.name} vào đó. Hãy chọn một thư mục. Chưa ghi gì.")
    if not folder.is_dir():
        raise InputError(f"Thư mục {folder} không tồn tại; không ghi được tệp {target.name}. "
                         "Hãy chọn một thư mục có sẵn (ổ USB đã cắm chưa, tên thư mục có gõ sai "
                         "không?). Chưa ghi gì.")


OVERWRITE = "--overwrite"
EXISTS = "Tệp '{path}' đã có. Chưa ghi gì. {remedy}"
ADD_OVERWRITE = f"Muốn thay tệp ấy, thêm {OVERWRITE}."
# the window's way: its save dialog asked about the file that was there; this one came meanwhile
SAVE_AGAIN = "Hãy lưu lại: chọn tên khác, hoặc đồng ý ghi đè khi được hỏi."


def refuse_existing(path: str | os.PathLike, overwrite: bool, remedy: str = ADD_OVERWRITE) -> None:
    """The one overwrite rule of every file MotCua writes from the command line (core.cli
    .WRITES): a name that holds a file already is refused (spec 6: exit 2, nothing written)
    unless the user said OVERWRITE — that file may be one nobody can make again (a provincial
    export about to be imported, a commune's package, last month's report). A replacement is
    written under a temporary name in the same folder and renamed over the old file only once
    complete (core.transfer.files.write_table, core.pdf.document.write_atomic, core.workbook,
    core.exchange.package), so the old file stays whole on any failure or cancel. A folder is
    left to the writer, which says it is one; the window's save dialogs ask "Ghi đè?" instead
    (gui.file_dialogs.save_path)."""
    refuse_unfit_output(path)  # the open database, a device, a pipe: said as what they are
    if not overwrite and os.path.lexists(path) and not os.path.isdir(path):
        raise InputError(EXISTS.format(path=path, remedy=remedy))


def refuse_unfit_input(path: str | os.PathLike) -> None:
    """The same for a file MotCua is about to read (an import, a package): never the open
    database, never a device or a pipe (reading a pipe waits for a writer: the import hung)."""
    refuse_live_database(path)
    _refuse_special(path, "không đọc từ đó")


def _refuse_special(path: str | os.PathLike, what: str) -> None:
    try:
        mode = os.stat(path).st_mode
    except OSError:  # nothing there yet (or unreadable): the read or write says what is wrong
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):  # a folder: each caller says so
        raise InputError(f"{path} không phải một tệp thông thường (là thiết bị, ống dẫn hoặc "
                         f"socket của hệ thống): MotCua {what}. Hãy chọn tệp khác.")


# What Windows forbids in a file name (and what no system allows: '/', NUL and the other
# controls), and the names it reserves for devices whatever their ending.
_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_DEVICE_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                           *(f"LPT{i}" for i in range(1, 10))})


def file_name_part(text: str) -> str:
    """`text` (a dossier code, a unit's name) made fit to stand in a file name the save dialog
    suggests, on Windows as on Linux: a code a package brought ("../../x", "A:B") cannot point
    the suggestion at another folder or a device; forbidden characters become "_", the trailing
    dots and spaces Windows drops are dropped."""
    part = _NOT_IN_NAMES.sub("_", text).strip().rstrip(". ") or "_"
    return f"_{part}" if part.split(".")[0].upper() in _DEVICE_NAMES else part


def ordinary_file_mode(path: str | os.PathLike) -> int:
    """The mode an ordinary new file at `path` would get (or the replaced file's own): what a
    file written through a private temporary (mkstemp: 0600) is given before it is swapped in,
    so a shared folder's readers can open the PDF or workbook."""
    target = Path(path)
    if target.exists():
        return target.stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
