"""Closing the main window, or stopping a job, while a job the clerk started still runs (issue
14.9).

An import, an export, a PDF, a recomputation run in a worker (gui.worker) with their own
connection. Quitting under them would kill the thread mid-write (the transaction rolls back,
but the clerk never learns the job did not finish) or crash Qt. So the window asks: cancel the
job and close, or go on working. A job that cannot stop halfway (a restore, a backup) is
waited for. Cancelling is the job's own clean cancel (progress returns False, the core rolls
back); the window closes once every job has ended.

The job's progress dialog is window-modal: Qt then keeps Ctrl+Q (and the title bar's ×) from
the main window. Over the dialog, Ctrl+Q asks the same quit question, and so does the main
window's own × (caught before Qt drops it: gui.blocked_close); Esc and the dialog's own × ask
only whether to stop the job (`guard`), as «Huỷ» does without asking. A window of its own
whose job it is (the reconciliation window) asks, at its own × (caught the same way), whether
to stop the job and close that window (`may_close_window`). Every question closes itself if
the job ends while it is open.
"""
from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from gui import blocked_close, keys, widgets, worker

TITLE = "Đóng chương trình"
CANCEL_AND_CLOSE = "Huỷ công việc và đóng"
WAIT_AND_CLOSE = "Đóng khi xong"
KEEP_WORKING = "Tiếp tục làm việc"
STOP = "Dừng"
GO_ON = "Tiếp tục"
NOTHING_WRITTEN = "Công việc bị huỷ không ghi gì vào dữ liệu; có thể làm lại sau."
QUIT_KEYS = "Ctrl+Q"


def may_close(window) -> bool:
    """True when the window may close now; otherwise it closes by itself once its jobs end
    (the clerk agreed) or stays open (the clerk chose to go on)."""
    jobs = worker.clerk_jobs()
    if not jobs:
        return True
    if closing_down(window):
        return False  # already stopping them: the window closes when they have ended
    stoppable = [job for job in jobs if job.cancellable]
    answer = _ask(window, TITLE, _question(jobs, stoppable),
                  CANCEL_AND_CLOSE if stoppable else WAIT_AND_CLOSE, KEEP_WORKING,
                  lambda: bool(worker.clerk_jobs()))
    if answer is None:  # the jobs ended first: their results are written and on screen
        window.statusBar().showMessage(JOBS_ENDED)
        return False
    if not answer:
        return False
    for job in stoppable:
        (job.stop or job.cancel)()  # its dialog says it is stopping, as after «Huỷ»
    window.statusBar().showMessage("Đang dừng công việc đang chạy; chương trình sẽ đóng khi xong…")
    _close_after(window, lambda: bool(worker.clerk_jobs()))
    return False


def closing_down(window) -> bool:
    """The clerk chose to cancel the jobs and close: the window closes once they have stopped
    (what they would say on ending is not shown: the question said it)."""
    return getattr(window, "_closing_after_jobs", None) is not None


JOBS_ENDED = ("Công việc đã xong trước khi anh/chị trả lời, nên chương trình chưa đóng; "
              "đóng lại nếu muốn.")


def _ask(parent, title: str, text: str, yes: str, no: str,
         running: Callable[[], bool]) -> bool | None:
    """The question: True (`yes`), False (`no`: go on), or None when the job ended (`running`
    turned False) while it was open. It then closes by itself: left open it would go on
    saying the job runs and that cancelling writes nothing, after the job had written its data
    (an exchange import that finished under it, try25 F3)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # jobs' titles, never read as markup
    accept = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
    refuse = box.addButton(no, QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(refuse)
    box.setEscapeButton(refuse)
    ended = []

    def watch() -> None:
        if not running():
            ended.append(True)
            timer.stop()
            box.done(0)
        elif box.isVisible() and QApplication.activeModalWidget() is box:
            # above the job's progress dialog, which shares its place and hid its text; never
            # above a newer box opened over it
            box.raise_()
    timer = QTimer(box)
    timer.setInterval(100)
    timer.timeout.connect(watch)
    timer.start()
    QTimer.singleShot(0, box, watch)
    clicked = widgets.run_message("question", box)
    if ended or not running():  # (or between the last check and the click)
        return None
    return clicked is accept


def _question(jobs, stoppable) -> str:
    names = "\n".join(f"• {job.title}" for job in jobs)
    if stoppable:
        return (f"Công việc sau đang chạy:\n{names}\n\nHuỷ công việc và đóng chương trình? "
                f"{NOTHING_WRITTEN}")
    return (f"Công việc sau đang chạy và không dừng giữa chừng được:\n{names}\n\n"
            "Chương trình sẽ đóng ngay khi công việc xong.")


def _close_after(window, running: Callable[[], bool]) -> None:
    """The window closes once `running` turns False (its stopped jobs have ended)."""
    timer = window._closing_after_jobs = QTimer(window)
    timer.setInterval(100)
    timer.timeout.connect(lambda: _close_when_done(window, running))
    timer.start()


def _close_when_done(window, running: Callable[[], bool]) -> None:
    if running():
        return
    window._closing_after_jobs.stop()
    window.close()


# ----- a window of its own above the main one (the reconciliation window) -----------------
STOP_AND_CLOSE = "Dừng và đóng cửa sổ"


def own_jobs(window: QWidget) -> list:
    """The guards of the jobs started from `window` (their dialogs its children) still
    running."""
    return [g for g in window.findChildren(_DialogGuard) if g._running()]


def close_window_title(job_title: str) -> str:
    """"Đang đối chiếu với hệ thống tỉnh…" → "Dừng đối chiếu với hệ thống tỉnh và đóng cửa
    sổ?"."""
    return f"{stop_title(job_title).removesuffix('?')} và đóng cửa sổ?"


def close_window_text(job_title: str, window_title: str) -> str:
    return (f"{close_window_title(job_title)}\n\n{NOTHING_WRITTEN} Cửa sổ «{window_title}» đóng "
            "ngay khi công việc đã dừng; chương trình vẫn mở.")


def may_close_window(window: QWidget) -> bool:
    """A window of its own closed (its title bar's ×, even while the job's dialog blocks it:
    gui.blocked_close) while a job started there runs: asks whether to stop the job and
    close; «Tiếp tục», the default and Esc, lets it go on. Stopping is the job's «Huỷ»
    (nothing written); the window closes once the job has ended. True: close now."""
    guards = own_jobs(window)
    if not guards:
        window._closing_after_jobs = None  # (opened again, a later × asks again)
        return True
    if closing_down(window):
        return False  # already stopping: the window closes when the job has ended
    if all(guard_.job.stopping for guard_ in guards):  # «Huỷ» pressed: nothing left to ask
        _close_after(window, lambda: bool(own_jobs(window)))
        return False
    title = guards[0].job.title
    answer = _ask(window, close_window_title(title),
                  close_window_text(title, window.windowTitle()), STOP_AND_CLOSE, GO_ON,
                  lambda: bool(own_jobs(window)))
    if not answer:  # go on, or the job ended first (its result is on the window)
        return False
    for guard_ in guards:
        guard_.stop()
    _close_after(window, lambda: bool(own_jobs(window)))
    return False


# ----- over the job's progress dialog -----------------------------------------------------
def stop_title(job_title: str) -> str:
    """The job-only question, named after the job: "Đang nhập gói trao đổi…" → "Dừng nhập gói
    trao đổi?" (every job's title begins "Đang …")."""
    what = job_title.strip().removesuffix("…").removesuffix("...").strip()
    if what.startswith("Đang "):
        what = what.removeprefix("Đang ")
        return f"{STOP} {what[:1].lower()}{what[1:]}?"
    return f"{STOP} công việc “{what}”?"


def stop_text(job_title: str) -> str:
    """Only the job stops; what stopping it writes (nothing), and how to close the program."""
    return (f"{stop_title(job_title)}\n\nCông việc dừng giữa chừng không ghi gì vào dữ liệu; có "
            "thể làm lại sau. Chương trình vẫn mở (muốn đóng chương trình: bấm Ctrl+Q).")


def guard(dialog: QProgressDialog, job) -> None:
    """Ctrl+Q, Esc and × over a job's window-modal progress dialog (see the module's note)."""
    _DialogGuard(dialog, job)


def _top_window(widget: QWidget) -> QWidget | None:
    """The main window above a job's dialog (its parent may be a window of its own, such as
    the reconciliation window): the one whose close asks about the running jobs."""
    parent = widget.parentWidget()
    while parent is not None and parent.parentWidget() is not None:
        parent = parent.parentWidget()
    return parent.window() if parent is not None else None


class _DialogGuard(QObject):
    def __init__(self, dialog: QProgressDialog, job):
        super().__init__(dialog)
        self.dialog, self.job = dialog, job
        self.asking = False
        # QProgressDialog's own Esc emits `canceled` at once, and without a «Huỷ» button
        # Esc hid the dialog (the job going on unseen): both now ask, or do nothing
        for shortcut in dialog.findChildren(QShortcut):
            if shortcut.key() == QKeySequence(QKeySequence.StandardKey.Cancel):
                shortcut.setEnabled(False)
        dialog.installEventFilter(self)
        keys.shortcut(QUIT_KEYS, dialog, self.quit)
        job.stop = self.stop
        blocked_close.watch(self)  # the main window's × asks as Ctrl+Q does

    def window(self) -> QWidget | None:
        return _top_window(self.dialog) if shiboken6.isValid(self.dialog) else None

    def stop(self) -> None:
        if shiboken6.isValid(self.dialog) and not self.job.stopping:
            self.dialog.canceled.emit()  # what «Huỷ» does: the dialog says it is stopping
        else:
            self.job.cancel()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        escape = (event.type() == QEvent.Type.KeyPress
                  and event.key() == Qt.Key.Key_Escape and not event.modifiers())
        if escape or event.type() == QEvent.Type.Close:
            event.ignore()  # (an accepted Close would hide the dialog, emitting `canceled`)
            if self.job.cancellable and not self.job.stopping:
                QTimer.singleShot(0, self, self.ask_stop)  # out of the event's delivery
            return True
        return False

    def ask_stop(self) -> None:
        if self.asking or self.job.stopping or not self._running():
            return
        self.asking = True
        try:
            owner = self.dialog.parentWidget()
            answer = _ask(owner, stop_title(self.job.title), stop_text(self.job.title), STOP,
                          GO_ON, self._running)
        finally:
            self.asking = False
        if answer:
            self.stop()
        self._back()

    def blocked(self) -> list[QWidget]:
        """The windows the dialog blocks: its owner, up to the main window."""
        windows: list[QWidget] = []
        parent = self.dialog.parentWidget() if shiboken6.isValid(self.dialog) else None
        while parent is not None:
            windows.append(parent.window())
            parent = windows[-1].parentWidget()
        return windows

    def quit(self) -> None:
        self.close_window(self.window())

    def close_window(self, window: QWidget | None) -> None:
        """What the window's own × asks when no job blocks it (its closeEvent): the main
        window's quit question (may_close, as Ctrl+Q), a window of its own's may_close_window
        — asked here for every such window, not only one whose closeEvent asks (the
        «Dữ liệu cá nhân» window closed at once under its anonymising job, going on unseen)."""
        if window is not None and shiboken6.isValid(window) and \
                (window is self.window() or may_close_window(window)):
            window.close()
        self._back()

    def _back(self) -> None:
        """The keys go to the dialog again once the question is answered (its owner, under
        the dialog, would be given them, and can take none)."""
        if shiboken6.isValid(self.dialog) and self.dialog.isVisible():
            self.dialog.activateWindow()

    def _running(self) -> bool:
        return shiboken6.isValid(self.job) and self.job in worker.clerk_jobs()
