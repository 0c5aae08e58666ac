"""Never frozen, never a traceback: workers with progress and cancel, errors as Vietnamese messages."""
from __future__ import annotations

import sqlite3

from core.errors import OperationError
from db.connection import DatabaseEnvironmentError
from gui import errors, widgets
from gui.worker import run_in_background


def test_known_failures_keep_their_message_and_bugs_go_to_the_crash_log(data_dir):
    assert errors.message_for(OperationError("Không thể trả kết quả.")) == ("Không thể trả kết quả.", False)
    assert errors.message_for(DatabaseEnvironmentError("Ổ đĩa đã đầy.")) == ("Ổ đĩa đã đầy.", False)
    busy = sqlite3.OperationalError("database is locked")
    busy.sqlite_errorcode = 5  # SQLITE_BUSY, as SQLite reports it
    text, is_bug = errors.message_for(busy)
    assert (is_bug, text.startswith("Cơ sở dữ liệu đang bị một chương trình khác khoá")) == (False, True)
    try:
        raise KeyError("x")
    except KeyError as exc:
        text, is_bug = errors.message_for(exc)
    assert is_bug and "lỗi không mong muốn" in text
    logs = list((data_dir / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and "KeyError" in logs[0].read_text(encoding="utf-8")


def test_excepthook_shows_a_dialog_instead_of_a_traceback(qtbot, monkeypatch, data_dir,
                                                          message_boxes):
    shown = []
    monkeypatch.setattr(widgets, "run_message", lambda kind, box: shown.append(box.text()))
    try:
        raise ValueError("boom")
    except ValueError as exc:
        errors.excepthook(type(exc), exc, exc.__traceback__)
    assert len(shown) == 1 and "Chi tiết đã được ghi vào" in shown[0]


def test_worker_reports_progress_on_its_own_connection_and_succeeds(qtbot, db, db_path):
    results, seen = [], []

    def job(worker_db, progress):
        assert worker_db.conn is not db.conn  # a second connection, opened in the thread
        for i in range(3):
            seen.append(progress(i + 1, 3))
        return worker_db.execute("SELECT COUNT(*) FROM units").fetchone()[0]

    run_in_background(None, str(db_path), "Đang làm…", job, results.append)
    qtbot.waitUntil(lambda: results == [0], timeout=5000)
    assert seen == [True, True, True]


def test_cancel_stops_the_job_and_nothing_is_reported(qtbot, db, db_path):
    results = []

    def job(worker_db, progress):
        while progress(1, 10):
            pass
        return "done"

    worker = run_in_background(None, str(db_path), "Đang làm…", job, results.append)
    with qtbot.waitSignal(worker.cancelled, timeout=5000):
        worker.cancel()
    assert results == []


def test_failure_in_a_worker_becomes_a_message(qtbot, db, db_path, monkeypatch):
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, *_: shown.append(exc))

    def job(worker_db, progress):
        raise OperationError("Không ghi được tệp.")

    run_in_background(None, str(db_path), "Đang làm…", job)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)
    assert shown[0].message == "Không ghi được tệp."


def test_a_failed_job_names_what_failed_in_its_title(qtbot, db, db_path, message_boxes):
    """Round 31: every job's failure was a box titled "MotCua", whatever had failed."""
    def job(worker_db, progress):
        raise OperationError("Không ghi được tệp.")

    run_in_background(None, str(db_path), "Đang ghi kết quả đối chiếu…", job)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=5000)
    assert message_boxes[-1][:2] == ("warning", "Không thể ghi kết quả đối chiếu")
    assert errors.failure_title("Đang nhập đơn vị…") == "Không thể nhập đơn vị"
    assert errors.failure_title("Sao lưu") == "Sao lưu"


def _progress_dialogs():
    from PySide6.QtWidgets import QApplication, QProgressDialog
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QProgressDialog) and w.isVisible()]


def test_a_job_that_never_reports_still_shows_its_dialog_with_a_busy_bar(qtbot, db, db_path):
    # One long statement reports nothing: the dialog (and its Huỷ) appears after its delay all
    # the same, with a busy bar; a total of 0 is a busy bar too, never "0%".
    import threading
    release, results, seen = threading.Event(), [], []

    def job(worker_db, progress):
        release.wait(10)
        progress(0, 0)
        return "done"

    worker = run_in_background(None, str(db_path), "Đang đọc tệp…", job, results.append)
    qtbot.waitUntil(lambda: len(_progress_dialogs()) == 1, timeout=3000)
    dialog = _progress_dialogs()[0]
    seen.append((dialog.labelText(), dialog.maximum()))
    worker.progressed.connect(lambda *_: seen.append(dialog.maximum()))
    release.set()
    qtbot.waitUntil(lambda: results == ["done"], timeout=5000)
    assert seen == [("Đang đọc tệp…", 0), 0]
    qtbot.waitUntil(lambda: _progress_dialogs() == [], timeout=3000)
