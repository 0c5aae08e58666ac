"""The end of a job never runs inside its own progress dialog's setValue.

A modal QProgressDialog already shown processes events in setValue: the job's end, queued right
behind its last progress, ran there; it deleted the dialog (deleteLater) and opened the
preview's modal loop, still inside setValue. Wherever that deletion is carried out before
setValue returns, setValue goes on in freed memory: a segmentation fault. The clerk's crash on
"In ngay" after "Gia hạn (Mẫu 04)…" (dmesg: general protection fault in libQt6Core) had this
sequence: a slip slower than the dialog's 300 ms delay, its preview opened from the job's end."""
from __future__ import annotations

import datetime as dt
import time

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog, QWidget

from core.pdf import dossier_forms
from gui import preview, worker
from gui.dossiers.detail import DossierDialog
from tests.gui.clicks import click
from tests.gui.menus import pick_print

SLOWER_THAN_THE_DIALOG_DELAY = 0.6  # seconds; the progress dialog shows after 0.3


@pytest.fixture
def busy_window(monkeypatch):
    """The window is busy (painting, a loaded machine) while the job ends: its last progress
    and its end wait in the queue together, as they did for the clerk (a test waiting idle
    would take each signal the moment it comes, and leave the crash to chance)."""
    start = worker._start

    def started(*args):
        job = start(*args)
        QTimer.singleShot(0, lambda: job.wait(15000))  # the GUI thread holds until it ends
        return job
    monkeypatch.setattr(worker, "_start", started)


@pytest.fixture
def inside_set_value(monkeypatch):
    """[True] while a progress dialog's setValue runs (it processes events when modal)."""
    inside = [False]

    class Watched(QProgressDialog):
        def setValue(self, value: int) -> None:
            inside[0] = True
            try:
                super().setValue(value)
            finally:
                inside[0] = False
    monkeypatch.setattr(worker, "QProgressDialog", Watched)
    return inside


def slow_job(db, progress):
    time.sleep(SLOWER_THAN_THE_DIALOG_DELAY)  # the progress dialog is on the screen
    progress(1, 3)
    progress(2, 3)  # the end follows at once
    return "made"


def test_a_preview_opened_at_a_jobs_end_does_not_free_its_dialog_under_it(qtbot, busy_window):
    """Events handled by processEvents, out of any event loop (as gui.app does while it
    upgrades): the dialog deleted in the preview's loop was freed under its running setValue.
    Crashed the test process with a segmentation fault on the old code (3 runs out of 3)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    ended: list = []

    def show(result):
        dialog = QDialog(parent)  # the preview: a modal loop of its own
        QTimer.singleShot(300, dialog.reject)
        dialog.exec()
        ended.append(result)

    worker.run_in_background(parent, None, "Đang lập…", slow_job, show, notify=False)
    deadline = time.monotonic() + 15
    while not ended and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    for _ in range(10):
        QApplication.processEvents()
    assert ended == ["made"]


def test_in_ngay_after_an_extension_opens_the_slip_outside_the_progress_dialog(
        qtbot, db, office, answer_dialogs, message_boxes, monkeypatch, busy_window,
        inside_set_value):
    """The clerk's sequence in one dossier window: receipt preview opened and closed, supplement
    asked and received, extension, "In ngay", the apology's preview opened and closed (real
    modal loops), the window closed. The slip takes longer than the dialog's delay. On the old
    code the preview opened inside the progress dialog's setValue (every run)."""
    build = dossier_forms.build

    def slow_build(*args, **kwargs):
        time.sleep(SLOWER_THAN_THE_DIALOG_DELAY / 2)  # made twice: draft and final
        return build(*args, **kwargs)
    monkeypatch.setattr(dossier_forms, "build", slow_build)
    opened: list = []

    def exec_and_close(dialog):
        opened.append((dialog.windowTitle(), inside_set_value[0]))
        QTimer.singleShot(200, dialog.reject)
        return QDialog.exec(dialog)
    monkeypatch.setattr(preview.PdfPreviewDialog, "exec", exec_and_close)

    detail = DossierDialog(db, office["Đồng Văn Giáp"])
    qtbot.addWidget(detail)
    detail.show()
    pick_print(qtbot, detail, "receipt")  # "In phiếu ▾", then its entry, clicked
    qtbot.waitUntil(lambda: len(opened) == 1 and not worker._running, timeout=15000)

    def at(moment, reason=None):
        def fill(dialog):
            dialog.at_edit.set_value(moment)
            if reason:
                dialog.reason_edit.setPlainText(reason)
        return fill
    answer_dialogs.append(at(dt.datetime(2025, 6, 10, 10, 0), "Thiếu bản vẽ"))
    click(qtbot, detail.action_buttons["request_supplement"])
    assert detail.d["status"] == "supplement"
    answer_dialogs.append(at(dt.datetime(2025, 6, 10, 14, 0)))
    click(qtbot, detail.action_buttons["receive_supplement"])
    assert detail.d["status"] != "supplement"

    def extend(dialog):
        dialog.due_edit.set_value(dt.datetime(2025, 7, 31, 17, 0))
        dialog.reason_edit.setPlainText("Chờ ý kiến cơ quan chuyên môn")
    answer_dialogs.append(extend)
    message_boxes.answer = QMessageBox.StandardButton.Yes  # "In ngay"
    click(qtbot, detail.action_buttons["extend"])
    qtbot.waitUntil(lambda: len(opened) == 2 and not worker._running, timeout=15000)
    assert "Mẫu 04" in message_boxes[-1][2] and detail.d["extended_due_at"]
    code = detail.d["code"]
    assert [title.endswith(code) for title, _ in opened] == [True, True]
    assert [inside for _, inside in opened] == [False, False]
    detail.close()
    qtbot.wait(50)
    assert not [d for d in detail.findChildren(QProgressDialog) if shiboken6.isValid(d)
                and d.isVisible()]
