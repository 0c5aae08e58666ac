"""A clerk's click is never lost to a busy database (issue 10 §5).

While another program holds the write lock (a long import, a demo, a second office PC), an
interactive write — a reception, an action, a payment, a vote — does not fail after the busy
timeout: it tries briefly, then shows "Đang chờ cơ sở dữ liệu…" and tries again a few times a
second until it goes through. Only if the clerk gives up, or the other writer still holds the
database after GIVE_UP_SECONDS, does it raise DatabaseBusyError; the caller shows it and keeps the
form as filled, so nothing typed is lost either. Each attempt is one whole transaction that a
busy database rolls back, so trying again is safe.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressDialog, QWidget

from db.connection import DatabaseBusyError, busy_timeout

T = TypeVar("T")
ATTEMPT_MS = 250  # how long one attempt waits for the lock: short, so the window stays alive
PAUSE_MS = 250  # between attempts, the window repaints and the clerk may cancel
GIVE_UP_SECONDS = 180
WAITING = ("Đang chờ cơ sở dữ liệu… Một chương trình khác (ví dụ đang nhập dữ liệu hoặc máy "
           "khác) đang ghi. Việc lưu sẽ tự tiếp tục ngay khi xong.")
GAVE_UP = ("Chưa lưu được: cơ sở dữ liệu vẫn đang bận vì một chương trình khác đang ghi. "
           "Thông tin vừa nhập vẫn còn nguyên; hãy bấm lưu lại sau ít phút.")


def run_write(parent: QWidget | None, db, write: Callable[[], T]) -> T:
    """`write()` (one transaction on `db`), waiting visibly for another writer to finish."""
    deadline = time.monotonic() + GIVE_UP_SECONDS
    note: WaitNote | None = None
    try:
        while True:
            try:
                with busy_timeout(db, ATTEMPT_MS):
                    return write()
            except DatabaseBusyError as exc:
                note = note or WaitNote(parent)
                if note.cancelled or time.monotonic() > deadline:
                    raise DatabaseBusyError(GAVE_UP) from exc
                note.pause(PAUSE_MS)
    finally:
        if note is not None:
            note.close()


class WaitNote:
    """The visible "waiting" state: a small window-modal note with a cancel button (it also
    keeps the clerk from pressing Save twice) and the same words in the status bar."""

    def __init__(self, parent: QWidget | None):
        self.dialog = QProgressDialog(WAITING, "Thôi, để lưu sau", 0, 0, parent)
        label = QLabel(WAITING)
        label.setWordWrap(True)
        self.dialog.setLabel(label)
        self.dialog.setMinimumWidth(440)
        self.dialog.setWindowTitle("Đang chờ cơ sở dữ liệu")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.show()
        self.status = _status_bar(parent)
        if self.status is not None:
            self.status.showMessage("Đang chờ cơ sở dữ liệu…")

    @property
    def cancelled(self) -> bool:
        return self.dialog.wasCanceled()

    def pause(self, milliseconds: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(milliseconds, loop.quit)
        loop.exec()

    def close(self) -> None:
        self.dialog.close()
        self.dialog.deleteLater()
        if self.status is not None:
            self.status.clearMessage()


def _status_bar(widget: QWidget | None):
    window = widget.window() if widget is not None else None
    while window is not None and not isinstance(window, QMainWindow):
        parent = window.parentWidget()
        window = parent.window() if parent is not None else None
    return window.statusBar() if window is not None else None
