"""How failures reach the clerk: a Vietnamese message, never a traceback.

Known failures (bad input, an action not allowed now, a locked or full database) are shown as
they are. Anything else is a bug: it goes to a crash log (core.crashlog) and the clerk is told
where the log is.
"""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from core import crashlog
from core.errors import MotCuaError
from db.connection import DatabaseEnvironmentError, environment_message

TITLE = "MotCua"  # only where the caller cannot know what failed (excepthook)
# what opening the database does, for its failure's title (at start, after a restore, a switch)
OPENING_DATABASE = "mở cơ sở dữ liệu"


def message_for(exc: BaseException) -> tuple[str, bool]:
    """(text, is_bug) for an exception: known failures keep their own message."""
    if isinstance(exc, (MotCuaError, DatabaseEnvironmentError)):
        return exc.message, False
    env = environment_message(exc)
    if env:
        return env, False
    log = crashlog.write(exc)
    return ("Đã xảy ra lỗi không mong muốn của chương trình. Dữ liệu đã lưu trước đó không bị "
            f"ảnh hưởng.\nChi tiết đã được ghi vào: {log}\nHãy gửi tệp này cho bộ phận hỗ trợ."), True


def failure_title(doing: str) -> str:
    """The title of the box a failure shows, naming what failed (a box titled "MotCua" said
    nothing of which of the clerk's operations had failed): from a job's progress line, "Đang
    nhập đơn vị…" -> "Không thể nhập đơn vị"; from what an interactive save does (gui.ops.Op's
    `doing`), "lưu đơn vị" -> "Không thể lưu đơn vị". A line of another form is the title as
    it is."""
    words = doing.strip().rstrip("…").rstrip(".").strip()
    if words.startswith("Đang "):
        words = words[len("Đang "):]
    elif words[:1].isupper():
        return words
    return "Không thể " + words if words else TITLE


def show_error(parent: QWidget | None, exc: BaseException, title: str = TITLE) -> None:
    """`title`: what failed (failure_title), where the caller knows it."""
    text, is_bug = message_for(exc)
    from gui import widgets
    widgets.inform(parent, title, text, kind="critical" if is_bug else "warning")


def excepthook(exc_type, exc, tb) -> None:
    """sys.excepthook for the GUI: an exception escaping a slot becomes a dialog, not a crash."""
    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.quit()
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    show_error(QApplication.activeWindow(), exc)


def install() -> None:
    sys.excepthook = excepthook
