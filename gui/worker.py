"""Slow work off the GUI thread: a worker with its own database connection, progress and cancel.

    run_in_background(parent, db_path, "Đang tạo dữ liệu mẫu…", fn, on_success)

`fn(db, progress)` runs in a QThread on a second connection (SQLite connections must not be
shared across threads mid-transaction; with db_path None it gets no connection, for work on the
database file itself such as a backup or a restore); `progress(done, total)` returns False once the clerk
pressed Cancel, which core functions honour by rolling back. The function never touches widgets;
`on_success(result)` runs back on the GUI thread, followed by one "data changed" notice.
A checkpoint the job left owed (a month-end merge: db.connection.checkpoint) runs in the worker
after its result is handed over, off the GUI thread and no longer a job the clerk waits for.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QProgressDialog, QPushButton, QWidget

from db import actor
from db.connection import checkpoint, connect
from gui import bus, errors

_running: set[Worker] = set()
AGE_TICK_MS = 1000  # how often a told line's age is shown again (run_in_background `aged`)
STOPPING_VI = "Đang dừng theo yêu cầu «Huỷ», xin chờ…"


class Cancelled(Exception):
    """Raised inside a job when the clerk cancelled; nothing was written."""


class Progress:
    """What a job is handed as its `progress`: called (done, total), it moves the bar; its
    `tell(text)` shows a line under the dialog's title — why the bar stands where it does (an
    import that begins again: core.exchange.passes)."""

    def __init__(self, worker: Worker):
        self.worker = worker

    def __call__(self, done: int, total: int) -> bool:
        return self.worker._progress(done, total)

    def tell(self, text: str) -> None:
        self.worker.told.emit(str(text))


# a job: given the worker's own connection (None without a database) and its Progress
Job = Callable[[Any, Progress], Any]


class Worker(QThread):
    progressed = Signal(int, int)
    told = Signal(str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    title: str | None = None  # what the clerk started ("Đang nhập hồ sơ…"); None: background
    cancellable = True
    ended = False  # succeeded, failed or cancelled: its dialog has nothing more to show
    # a job that honours Huỷ only by raising (an import: its transaction rolled back): once it
    # returned, its work is done and kept, a Huỷ clicked too late is not reported as a cancel
    done_once_returned = False
    handed_over = False  # its result is handed over; what is left is its connection's checkpoint
    stop: Callable[[], None] | None = None  # «Huỷ» as its dialog shows it (gui.closing.guard)
    told_at: tuple[str, float] = ("", 0.0)  # the line it told last, and when (its dialog's age)

    def __init__(self, db_path: str | None, fn: Job, parent=None):
        super().__init__(parent)
        self.db_path = db_path
        self.fn = fn
        self._cancel = False
        self._shown: tuple[int, int] | None = None
        self.started_by = actor.current()  # the job writes for its starter (db.actor)

    def cancel(self) -> None:
        self._cancel = True

    @property
    def stopping(self) -> bool:
        """The clerk pressed Huỷ; the job stops at its next report (or has ended)."""
        return self._cancel

    def _progress(self, done: int, total: int) -> bool:
        # a signal only when the bar moves (a register calls this 1,500 times), at most ~100
        step = (int(total), int(done) * 100 // max(int(total), 1))
        if step != self._shown:
            self._shown = step
            self.progressed.emit(int(done), int(total))
        return not self._cancel

    def run(self) -> None:  # runs in the worker thread
        db = None
        try:
            db = connect(self.db_path, create=False) if self.db_path else None
            with actor.in_this_thread(self.started_by):
                result = self.fn(db, Progress(self))
        except (Cancelled, InterruptedError):
            self.cancelled.emit()
        except BaseException as exc:  # handed to the GUI thread, shown there
            if self._cancel:
                self.cancelled.emit()
            else:
                self.failed.emit(exc)
        else:
            if self._cancel and not self.done_once_returned:
                self.cancelled.emit()
            else:
                self.handed_over = True  # (before the signal: the clerk may close at once)
                self.succeeded.emit(result)
                if db is not None:  # the clerk has the result: the checkpoint left owed now
                    checkpoint(db.conn)
        finally:
            if db is not None:
                db.close()


def clerk_jobs() -> list[Worker]:
    """The jobs the clerk started that still run (closing the window asks about them); not
    one whose result is handed over (its checkpoint runs on: `run_gui` waits for it)."""
    return [w for w in _running if w.title is not None and shiboken6.isValid(w)
            and not w.handed_over and w.isRunning()]


def wait_handed_over(timeout_ms: int = 60000) -> None:
    """Block until the jobs whose result is handed over have finished their checkpoint (the
    process quitting: a month-end merge's takes seconds; the thread must end before the
    process does). The other background jobs (a history check) are not waited for."""
    for worker in list(_running):
        if worker.handed_over and shiboken6.isValid(worker):
            worker.wait(timeout_ms)


def wait_all(timeout_ms: int = 30000) -> None:
    """Block until every running worker has finished (quitting, tests)."""
    for worker in list(_running):
        worker.wait(timeout_ms)


# A file this big reads its start-up figures in a worker, after the window has painted (issue
# 18); a smaller one in a few milliseconds on the spot, with no second connection or thread.
BACKGROUND_BYTES = 64 * 1024 * 1024


def background_path(db) -> str | None:
    """The file a worker should read figures from, or None to read them on the spot: a small,
    in-memory or read-only database (a worker's own connection could not open the latter)."""
    path = getattr(db, "path", None)
    if not path or getattr(db, "read_only", False):
        return None
    try:
        big = os.path.getsize(path) >= BACKGROUND_BYTES
    except OSError:
        return None
    return path if big else None


def _start(db_path: str | None, fn: Job) -> Worker:
    # no Qt parent: a closing window must never destroy a thread still running; the module
    # keeps the worker alive until it has finished
    worker = Worker(db_path, fn)
    _running.add(worker)
    worker.finished.connect(lambda: _running.discard(worker))
    worker.finished.connect(worker.deleteLater)
    return worker


def run_quietly(db_path: str | None, fn: Job, on_success: Callable[[Any], None],
                on_failure: Callable[[BaseException], None]) -> Worker:
    """Start `fn` in a worker with no dialog at all: work the clerk did not ask for (the start-up
    backup). The caller decides how a failure shows; nothing is notified."""
    worker = _start(db_path, fn)
    worker.succeeded.connect(on_success)
    worker.failed.connect(on_failure)
    worker.start()
    return worker


def run_in_background(parent: QWidget | None, db_path: str | None, title: str, fn: Job,
                      on_success: Callable[[Any], None] | None = None,
                      *, notify: bool = True,
                      on_failure: Callable[[BaseException], None] | None = None,
                      cancellable: bool = True,
                      on_cancel: Callable[[], None] | None = None,
                      done_once_returned: bool = False,
                      aged: Callable[[str, float], str] | None = None) -> Worker:
    """Start `fn` in a worker with a modal progress dialog; returns the worker (tests wait on it).

    `on_failure(exc)` runs before the error is shown; `cancellable=False` hides the Cancel button
    (for work that cannot stop halfway, like a restore). `on_cancel()` runs once the job has
    ended cancelled (what the clerk is told: nothing written); with it, the dialog stays after
    Huỷ, saying it is stopping, till the job has stopped. `done_once_returned`: see Worker.
    `aged(text, seconds)`: the job's told line as shown once it has stood `seconds` (an
    import's phase no report can count says its age: core.exchange.phase_steps.aged), asked
    every second here, on the GUI thread (the job's thread may be inside one long step).
    """
    dialog, bar = _progress_dialog(parent, title, cancellable)
    worker = _start(db_path, fn)
    worker.title, worker.cancellable = title, cancellable
    worker.done_once_returned = done_once_returned
    _follow_progress(worker, dialog, bar, title)
    _follow_end(worker, dialog, parent, (on_success, on_failure, on_cancel), notify,
                errors.failure_title(title))
    _stop_on_cancel(worker, dialog, bar, title, on_cancel)
    from gui import closing  # (closing reads this module's jobs)
    closing.guard(dialog, worker)  # Ctrl+Q, Esc and × over the dialog ask first
    QTimer.singleShot(dialog.minimumDuration(), dialog,
                      lambda: _show_if_still_running(worker, dialog))
    if aged is not None:
        _show_told_age(worker, dialog, title, aged)
    worker.start()
    return worker


def _progress_dialog(parent: QWidget | None, title: str,
                     cancellable: bool) -> tuple[QProgressDialog, QProgressBar]:
    """The modal dialog of a job, shown after 300 ms, and its bar (busy till a report)."""
    dialog = QProgressDialog(title, "Huỷ", 0, 0, parent)
    label = QLabel(dialog)  # the job's lines may name a file: never read as rich text
    label.setTextFormat(Qt.TextFormat.PlainText)
    dialog.setLabel(label)
    dialog.setLabelText(title)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setWindowTitle("MotCua")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    # The bar is moved directly, never through QProgressDialog.setValue: on a modal dialog
    # already shown, setValue processes events, and the job's end (queued right behind its last
    # progress) then ran inside it: finish() deleted the dialog and on_success opened a preview
    # whose modal loop could carry out that deletion while setValue was still running, a
    # segmentation fault (tests/gui/test_worker_reentry.py).
    bar = QProgressBar(dialog)
    bar.setRange(0, 0)
    dialog.setBar(bar)
    return dialog, bar


def _follow_progress(worker: Worker, dialog: QProgressDialog, bar: QProgressBar,
                     title: str) -> None:
    """The bar follows the job's reports, the label the line it told last."""
    def on_progress(done: int, total: int) -> None:
        if not shiboken6.isValid(bar) or worker.stopping:
            return
        if total <= 0:  # a step of unknown length: a busy bar, not "0%"
            bar.setRange(0, 0)
            return
        # in whole percents rounded down: the bar reads 100 % only once the job is done (Qt
        # rounds 999 of 1000 up to "100%")
        bar.setRange(0, 100)
        bar.setValue(min(done, total) * 100 // total)

    def on_told(text: str) -> None:
        worker.told_at = (text, time.monotonic())
        if shiboken6.isValid(dialog) and not worker.stopping:
            dialog.setLabelText(f"{title}\n{text}")

    worker.progressed.connect(on_progress)
    worker.told.connect(on_told)


def _show_told_age(worker: Worker, dialog: QProgressDialog, title: str,
                   aged: Callable[[str, float], str]) -> None:
    """Every second, the told line as `aged` says it once it has stood that long."""
    def show_age() -> None:
        text, at = worker.told_at
        if text and not worker.stopping and not worker.ended and shiboken6.isValid(dialog):
            said = aged(text, time.monotonic() - at)
            if dialog.labelText() != f"{title}\n{said}":
                dialog.setLabelText(f"{title}\n{said}")

    clock = QTimer(dialog)  # (the dialog's child: stops with it)
    clock.timeout.connect(show_age)
    clock.start(AGE_TICK_MS)


def _follow_end(worker: Worker, dialog: QProgressDialog, parent: QWidget | None,
                ends: tuple[Callable[[Any], None] | None, Callable[[BaseException], None] | None,
                            Callable[[], None] | None], notify: bool, failed_title: str) -> None:
    """The job's end closes its dialog, then hands on its result, its error (in a box titled
    `failed_title`: what failed) or its cancel (`ends`: on_success, on_failure, on_cancel)."""
    on_success, on_failure, on_cancel = ends
    def finish() -> None:
        worker.ended = True
        if not shiboken6.isValid(dialog):
            return  # its window was closed meanwhile
        dialog.reset()
        dialog.hide()
        dialog.deleteLater()

    def ok(result) -> None:
        finish()
        if on_success is not None:
            on_success(result)
        if notify:
            bus.notify_changed()

    def failed(exc) -> None:
        finish()
        if on_failure is not None:
            on_failure(exc)
        errors.show_error(parent, exc, failed_title)

    worker.succeeded.connect(ok)
    worker.failed.connect(failed)
    worker.cancelled.connect(finish)
    if on_cancel is not None:
        worker.cancelled.connect(on_cancel)


def _stop_on_cancel(worker: Worker, dialog: QProgressDialog, bar: QProgressBar, title: str,
                    on_cancel: Callable[[], None] | None) -> None:
    """Huỷ asks the job to stop; a job that says how it ended shows it is stopping till then."""
    def stopping() -> None:
        # QProgressDialog hides itself on Huỷ, but the job stops only at its next report (an
        # index made again, a rollback: seconds). A job that tells the clerk how it ended
        # (`on_cancel`) is shown stopping meanwhile, not nothing; one whose result is merely
        # dropped (figures being read) lets the clerk go on at once
        worker.cancel()
        if on_cancel is None or worker.ended or not shiboken6.isValid(dialog):
            return
        dialog.setLabelText(f"{title}\n{STOPPING_VI}")
        bar.setRange(0, 0)
        for button in dialog.findChildren(QPushButton):
            button.hide()
        dialog.show()

    dialog.canceled.connect(stopping)


def _show_if_still_running(worker: Worker, dialog: QProgressDialog) -> None:
    # QProgressDialog shows itself only from its own setValue after its delay (never called
    # here, see the bar above): without this the clerk would see no sign of work, no Huỷ.
    if shiboken6.isValid(dialog) and not worker.ended and not dialog.isVisible():
        dialog.show()
