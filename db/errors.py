"""Which database failures are the machine's or the file's fault, decided by SQLite's error code.

The primary result code (`sqlite_errorcode & 0xff`) says what happened; the English text of the
message never decides anything (a bug such as `no such column: locked` is not a locked
database). Environment problems become `DatabaseEnvironmentError` with a Vietnamese message
shown as is; everything else is a bug and goes to the crash log (qutebrowser's
`misc/sql.py` does the same).
"""
from __future__ import annotations

import errno
import os
import shutil
import sqlite3

# SQLite primary result codes (https://sqlite.org/rescode.html) -> kind of environment problem.
_SQLITE_KINDS = {
    3: "readonly",    # SQLITE_PERM: access permission denied
    5: "busy",        # SQLITE_BUSY
    6: "busy",        # SQLITE_LOCKED
    7: "memory",      # SQLITE_NOMEM
    8: "readonly",    # SQLITE_READONLY
    10: "io",         # SQLITE_IOERR
    11: "damaged",    # SQLITE_CORRUPT
    13: "full",       # SQLITE_FULL
    14: "cantopen",   # SQLITE_CANTOPEN
    26: "notadb",     # SQLITE_NOTADB
}
_OS_KINDS: dict[int | None, str] = {errno.ENOSPC: "full", errno.EDQUOT: "full", errno.EROFS: "readonly",
             errno.EACCES: "readonly", errno.EPERM: "readonly", errno.EIO: "io",
             errno.ENAMETOOLONG: "toolong"}

FULL_BELOW = 1024 * 1024  # bytes free under which an I/O error is taken for a full disk
DAMAGED = ("Tệp dữ liệu {path} bị hỏng hoặc đã bị sửa đổi bên ngoài MotCua{detail}. MotCua không "
           "dùng tệp này và không ghi gì vào nó. Hãy chạy lệnh check để xem chi tiết, rồi khôi "
           "phục từ bản sao lưu (lệnh restore).")
READ_ONLY = ("Tệp dữ liệu chỉ đọc: không ghi được vào {path} (tệp, thư mục hoặc ổ đĩa chỉ cho "
             "phép đọc). Các lệnh chỉ xem (kpi, export, report) vẫn dùng được; để ghi, hãy chép "
             "tệp sang thư mục có quyền ghi hoặc bỏ khoá ghi của USB/thẻ nhớ.")
FULL = ("Ổ đĩa đầy: không ghi được vào {path}. Hãy giải phóng dung lượng ổ đĩa rồi thử lại; "
        "dữ liệu đã lưu trước đó không bị ảnh hưởng.")
_MESSAGES = {
    "busy": ("Cơ sở dữ liệu {path} đang bị một chương trình khác khoá. Hãy đóng các cửa sổ MotCua "
             "khác rồi thử lại."),
    "readonly": READ_ONLY,
    "full": FULL,
    "memory": "Máy không đủ bộ nhớ để xử lý cơ sở dữ liệu {path}. Hãy đóng bớt chương trình rồi thử lại.",
    "io": ("Lỗi đọc/ghi ổ đĩa khi truy cập cơ sở dữ liệu {path}. Hãy kiểm tra ổ đĩa (USB bị rút?) "
           "rồi thử lại."),
    "cantopen": ("Không mở được tệp dữ liệu {path}: thư mục không tồn tại, không có quyền truy cập "
                 "hoặc chỉ cho phép đọc."),
    # a name the system refuses (more than 255 bytes a part, or 4096 in all on Linux): the
    # user's choice of file, never a bug (export, import, --db, backup --to all crashed on it)
    "toolong": ("Tên tệp hoặc đường dẫn quá dài, hệ điều hành không mở và không ghi được: {path}. "
                "Hãy chọn tên tệp ngắn hơn, hoặc một thư mục gần gốc ổ đĩa hơn."),
    "notadb": ("Tệp {path} không phải là cơ sở dữ liệu MotCua (không phải tệp SQLite, hoặc phần đầu "
               "tệp đã bị hỏng). MotCua không ghi gì vào tệp này. Hãy kiểm tra lại đường dẫn, hoặc "
               "khôi phục từ bản sao lưu (lệnh restore)."),
}

# a pipe or a device named as the database (exit 2, as a folder is)
NOT_A_FILE = ("{path} không phải một tệp thông thường (là thiết bị, ống dẫn hoặc socket của hệ "
              "thống), không phải tệp cơ sở dữ liệu; hãy kiểm tra lại đường dẫn --db.")


class DatabaseEnvironmentError(Exception):
    """A problem of the machine or the file, not of the program: shown to the user as is."""

    def __init__(self, message: str, kind: str = "other"):
        super().__init__(message)
        self.message = message
        self.kind = kind

    @property
    def exit_code(self) -> int:
        """The command line's exit code: a folder (or a pipe, a device) named as the database
        is the caller's mistake, bad input (spec 6: 2); the rest is the machine's or the file's
        (1)."""
        return 2 if self.kind == "directory" else 1


class DatabaseBusyError(DatabaseEnvironmentError):
    """Another connection holds the write lock longer than the busy timeout: worth waiting for
    (the window waits visibly, the kiosk queues the vote), nothing was written."""

    def __init__(self, message: str, kind: str = "busy"):
        super().__init__(message, kind)


def is_busy(exc: BaseException) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED, by SQLite's primary error code."""
    return error_kind(exc) == "busy"


class DatabaseDamagedError(DatabaseEnvironmentError):
    """The file is a damaged or altered MotCua database: never used, never written."""

    def __init__(self, path, problems: list[str] | None = None):
        self.problems = list(problems or [])
        super().__init__(damaged_message(path, self.problems), "damaged")


def damaged_message(path, problems: list[str] | None = None) -> str:
    """The one message every command and the window give for a damaged database."""
    shown = "; ".join(problems[:3]) if problems else ""
    more = f" (và {len(problems) - 3} vấn đề khác)" if problems and len(problems) > 3 else ""
    text = DAMAGED.format(path=path or "", detail=f" ({shown}{more})" if shown else "")
    return text.replace("  ", " ")


def error_kind(exc: BaseException, path=None) -> str | None:
    """The kind of environment problem behind `exc`, or None when it is a bug."""
    if isinstance(exc, DatabaseEnvironmentError):
        return exc.kind
    kind = None
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        kind = _SQLITE_KINDS.get(code & 0xFF) if isinstance(code, int) else None
    elif isinstance(exc, OSError):
        kind = _OS_KINDS.get(exc.errno)
    if kind == "io" and path and disk_full(path):
        # SQLite reports a full disk met while growing its -shm index (or a write) as an I/O
        # error (IOERR_SHMSIZE, IOERR_WRITE); the free space says which it really was.
        kind = "full"
    return kind


def disk_full(path) -> bool:
    """Is the disk that holds `path` (nearly) out of space?"""
    try:
        return shutil.disk_usage(os.path.dirname(os.path.abspath(path)) or ".").free < FULL_BELOW
    except OSError:
        return False


def environment_message(exc: BaseException, path: str | os.PathLike | None = None) -> str | None:
    """The Vietnamese message for an error caused by the environment, or None for a bug."""
    if isinstance(exc, DatabaseEnvironmentError):
        return exc.message
    kind = error_kind(exc, path)
    if kind is None:
        return None
    if path is None and isinstance(exc, OSError) and exc.filename:
        path = exc.filename  # the file the system names (the window passes no path)
    if kind == "damaged":
        return damaged_message(path)
    return _MESSAGES[kind].format(path=path or "").replace("  ", " ")


def as_environment_error(exc: BaseException, path=None) -> DatabaseEnvironmentError | None:
    """`exc` as the matching DatabaseEnvironmentError, or None when it is a bug."""
    kind = error_kind(exc, path)
    if kind is None:
        return None
    if isinstance(exc, DatabaseEnvironmentError):
        return exc
    if kind == "damaged":
        return DatabaseDamagedError(path)
    message = environment_message(exc, path) or ""  # a kind always has its message
    if kind == "busy":
        return DatabaseBusyError(message)
    return DatabaseEnvironmentError(message, kind)


def raise_environment(exc: BaseException, path=None) -> None:
    """Re-raise `exc` as DatabaseEnvironmentError when it is an environment problem."""
    error = as_environment_error(exc, path)
    if error is not None and error is not exc:
        raise error from exc
