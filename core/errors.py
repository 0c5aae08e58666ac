"""The two kinds of failure a user may see, besides database environment problems.

`InputError` (exit code 2): the user gave something wrong; the message names it.
`OperationError` (exit code 1): the action cannot be done now (wrong status, file not writable…).
Anything else is a bug: it goes to the crash log.
"""
from __future__ import annotations

from collections.abc import Callable


class MotCuaError(Exception):
    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InputError(MotCuaError):
    exit_code = 2


class OperationError(MotCuaError):
    exit_code = 1


class FieldError(InputError):
    """Bad input in one field of a form; the GUI shows it next to that field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class FieldErrors(FieldError):
    """Several fields wrong at once (core.errors.collect): `errors` maps each field to its
    first problem, in the order the rules ran; `field` is the first's, `message` names them all,
    one a line (the command line shows every one)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors)), "\n".join(errors.values()))
        self.errors = dict(errors)


def collect(*checks: Callable[[], object]) -> None:
    """Run every check, then raise FieldErrors naming each wrong field's first problem: a form
    shows all its problems after one save, not one per save (a FieldErrors raised by a check
    adds its own fields)."""
    found: dict[str, str] = {}
    for check in checks:
        try:
            check()
        except FieldErrors as exc:
            for field, message in exc.errors.items():
                found.setdefault(field, message)
        except FieldError as exc:
            found.setdefault(exc.field, exc.message)
    if found:
        raise FieldErrors(found)


def fail_if(wrong: bool, field: str, message: str) -> Callable[[], None]:
    """A check for collect: FieldError(field, message) when `wrong`."""
    def check() -> None:
        if wrong:
            raise FieldError(field, message)
    return check


# errno -> Vietnamese reason. The OS's own text (exc.strerror) is English on Linux and often on
# Windows too ("Read-only file system"), so it is never put in front of a clerk as is.
_OS_REASONS: dict[int | None, str] = {
    2: "không tìm thấy tệp hoặc thư mục",                       # ENOENT
    1: "không có quyền ghi", 13: "không có quyền ghi",         # EPERM, EACCES
    30: "ổ đĩa hoặc thư mục chỉ cho phép đọc (USB/thẻ nhớ bị khoá ghi?)",  # EROFS
    28: "ổ đĩa đã đầy",                                        # ENOSPC
    122: "vượt hạn mức dung lượng của ổ đĩa",                  # EDQUOT
    21: "đó là một thư mục, không phải tệp",                   # EISDIR
    20: "một phần của đường dẫn không phải thư mục",           # ENOTDIR
    16: "tệp đang được chương trình khác sử dụng",             # EBUSY
    36: "tên tệp hoặc đường dẫn quá dài",                      # ENAMETOOLONG
    5: "lỗi đọc/ghi của ổ đĩa",                                # EIO
}
_WINERROR_REASONS = {32: "tệp đang mở trong chương trình khác (Excel?)",
                     33: "tệp đang mở trong chương trình khác (Excel?)",
                     112: "ổ đĩa đã đầy", 19: "ổ đĩa chỉ cho phép đọc (USB bị khoá ghi?)"}


def read_reason(exc: BaseException) -> str:
    """Why a file could not be READ: os_reason says 'không có quyền ghi' for a refused
    permission, which sends a clerk holding an unreadable or locked file the wrong way."""
    if getattr(exc, "errno", None) in (1, 13) or getattr(exc, "winerror", None) in (32, 33):
        return "không có quyền đọc tệp, hoặc tệp đang mở trong chương trình khác"
    return os_reason(exc)


def os_reason(exc: BaseException) -> str:
    """Why a file operation failed, in Vietnamese (for messages shown to the user)."""
    winerror = getattr(exc, "winerror", None)
    if winerror in _WINERROR_REASONS:
        return _WINERROR_REASONS[winerror]
    reason = _OS_REASONS.get(getattr(exc, "errno", None))
    if reason:
        return reason
    code = getattr(exc, "errno", None)
    return f"lỗi hệ điều hành số {code}" if code else "lỗi hệ điều hành"
