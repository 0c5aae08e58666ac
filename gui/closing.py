"""Closing the main window while a job the clerk started still runs (issue 14.9).

An import, an export, a PDF, a recomputation run in a worker (gui.worker) with their own
connection. Quitting under them would kill the thread mid-write (the transaction rolls back,
but the clerk never learns the job did not finish) or crash Qt. So the window asks: cancel the
job and close, or go on working. A job that cannot stop halfway (a restore, a backup) is
waited for. Cancelling is the job's own clean cancel (progress returns False, the core rolls
back); the window closes once every job has ended.
"""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from gui import widgets, worker

TITLE = "Đóng chương trình"
CANCEL_AND_CLOSE = "Huỷ công việc và đóng"
WAIT_AND_CLOSE = "Đóng khi xong"
KEEP_WORKING = "Tiếp tục làm việc"


def may_close(window) -> bool:
    """True when the window may close now; otherwise it closes by itself once its jobs end
    (the clerk agreed) or stays open (the clerk chose to go on)."""
    jobs = worker.clerk_jobs()
    if not jobs:
        return True
    if getattr(window, "_closing_after_jobs", None) is not None:
        return False  # already stopping them: the window closes when they have ended
    stoppable = [job for job in jobs if job.cancellable]
    answer = _ask(window, _question(jobs, stoppable),
                  CANCEL_AND_CLOSE if stoppable else WAIT_AND_CLOSE)
    if answer is None:  # the jobs ended first: their results are written and on screen
        window.statusBar().showMessage(JOBS_ENDED)
        return False
    if not answer:
        return False
    for job in stoppable:
        job.cancel()
    window.statusBar().showMessage("Đang dừng công việc đang chạy; chương trình sẽ đóng khi xong…")
    timer = window._closing_after_jobs = QTimer(window)
    timer.setInterval(100)
    timer.timeout.connect(lambda: _close_when_done(window))
    timer.start()
    return False


JOBS_ENDED = ("Công việc đã xong trước khi anh/chị trả lời, nên chương trình chưa đóng; "
              "đóng lại nếu muốn.")


def _ask(window, text: str, yes: str) -> bool | None:
    """The question: True (cancel or wait, then close), False (go on working), or None when
    every job ended while it was open. It then closes by itself: left open it would go on
    saying the job runs and that cancelling writes nothing, after the job had written its data
    (an exchange import that finished under it, try25 F3)."""
    box = QMessageBox(QMessageBox.Icon.Question, TITLE, text, parent=window)
    accept = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
    refuse = box.addButton(KEEP_WORKING, QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(refuse)
    box.setEscapeButton(refuse)
    ended = []

    def watch() -> None:
        if not worker.clerk_jobs():
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
    if ended or not worker.clerk_jobs():  # (or between the last check and the click)
        return None
    return clicked is accept


def _question(jobs, stoppable) -> str:
    names = "\n".join(f"• {job.title}" for job in jobs)
    if stoppable:
        return (f"Công việc sau đang chạy:\n{names}\n\nHuỷ công việc và đóng chương trình? "
                "Công việc bị huỷ không ghi gì vào dữ liệu; có thể làm lại sau.")
    return (f"Công việc sau đang chạy và không dừng giữa chừng được:\n{names}\n\n"
            "Chương trình sẽ đóng ngay khi công việc xong.")


def _close_when_done(window) -> None:
    if worker.clerk_jobs():
        return
    window._closing_after_jobs.stop()
    window.close()
