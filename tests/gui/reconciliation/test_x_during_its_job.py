"""Round 29: the reconciliation window's own title-bar × did nothing while its job ran (the job's
window-modal progress dialog blocks the window under it, and Qt drops the window system's close
request to a blocked window). Caught as the main window's is (gui.blocked_close: one rule, the
window's own close), it now asks whether to stop the job and close the window: «Tiếp tục», the
default, lets the job go on and finish; «Dừng và đóng cửa sổ» stops it (its «Huỷ»: nothing
written) and closes the window once it has stopped, the program staying open. The close
requests are handed to the native filter exactly as the xcb and Windows platforms hand them;
the last test sends a real WM_DELETE_WINDOW on an X display (QT_QPA_PLATFORM=xcb, Xvfb)."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton

from gui import closing, worker
from gui.main_window import MainWindow
from gui.reconciliation import importing, screen
from tests.gui.clicks import click, menu_pick
from tests.gui.reconciliation.test_fits_office_screen import with_file
from tests.gui.reconciliation.test_screen import office  # noqa: F401 (fixture)
from tests.gui.test_progress_keys import answered, press
from tests.gui.test_x_during_job import _send_wm_delete, windows_close, wm_delete, x11  # noqa: F401

RUN_TITLE = "Dừng đối chiếu với hệ thống tỉnh và đóng cửa sổ?"
IMPORT_TITLE = "Dừng nhập hồ sơ từ tệp và đóng cửa sổ?"


@pytest.fixture
def released():
    """The held job's release, set at the end whatever happens (no worker left waiting)."""
    release = threading.Event()
    yield release
    release.set()
    worker.wait_all()


def progress_of(window):
    shown = [p for p in window.findChildren(QProgressDialog) if p.isVisible()]
    return shown[0] if shown else None


def reconciliation(qtbot, office, db_path, tmp_path, monkeypatch):  # noqa: F811
    main = MainWindow(office, str(db_path), auto_backup=False)
    qtbot.addWidget(main)
    main.show()
    menu_pick(qtbot, main, main.reconcile_action)
    window = main.reconcile_dialog
    with_file(qtbot, window, tmp_path, monkeypatch)
    return main, window


def start_held_run(qtbot, window, monkeypatch, release) -> None:
    """The reconciliation started with its button and held inside its worker (its progress
    dialog perhaps not shown yet)."""
    started = threading.Event()
    real = screen.reconcile

    def slow(db, *args, progress, **kwargs):
        started.set()
        release.wait(20)
        return real(db, *args, progress=progress, **kwargs)
    monkeypatch.setattr(screen, "reconcile", slow)
    click(qtbot, window.run_button)
    assert started.wait(10)


def held_run(qtbot, window, monkeypatch, release):
    """The reconciliation held inside its worker, its progress dialog shown."""
    start_held_run(qtbot, window, monkeypatch, release)
    return shown_progress(qtbot, window)


def shown_progress(qtbot, window):
    qtbot.waitUntil(lambda: progress_of(window) is not None, timeout=5000)
    dialog = progress_of(window)
    qtbot.wait(100)  # the windows' own activations, shown one over the other, come first
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    return dialog


def tables(db) -> dict[str, list]:
    """Every row of every table (the GUI's connection)."""
    names = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND sql NOT LIKE 'CREATE VIRTUAL%'")]
    return {name: sorted(map(repr, db.execute(f'SELECT * FROM "{name}"').fetchall()))
            for name in names}


def test_x_asks_and_go_on_lets_the_reconciliation_finish(
        qtbot, office, db_path, tmp_path, monkeypatch, message_boxes, released, x11):  # noqa: F811
    main, window = reconciliation(qtbot, office, db_path, tmp_path, monkeypatch)
    buttons = []

    def keep_on(box):  # Esc: the default and the escape is «Tiếp tục»
        buttons.append(([b.text() for b in box.buttons()], box.defaultButton().text()))
        qtbot.keyClick(box, Qt.Key.Key_Escape)
    asked = answered(monkeypatch, message_boxes, keep_on)
    dialog = held_run(qtbot, window, monkeypatch, released)
    assert wm_delete(window)  # before round 29: not taken (Qt then drops it), nothing asked
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked[0] == (RUN_TITLE, closing.close_window_text("Đang đối chiếu với hệ thống tỉnh…",
                                                            screen.TITLE))
    assert "không ghi gì vào dữ liệu" in asked[0][1] and "chương trình vẫn mở" in asked[0][1]
    assert buttons == [([closing.STOP_AND_CLOSE, closing.GO_ON], closing.GO_ON)]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)  # keys back
    assert window.isVisible() and not worker.clerk_jobs()[0].stopping
    released.set()
    qtbot.waitUntil(lambda: window.result is not None, timeout=20000)
    assert window.isVisible() and main.isVisible() and len(asked) == 1
    assert window.pdf_button.isEnabled()
    window.close()  # no job: the window closes at once, nothing asked
    assert not window.isVisible() and len(asked) == 1


def test_x_then_stop_and_close_during_an_import_writes_nothing(
        qtbot, office, db_path, tmp_path, monkeypatch, message_boxes, released, x11):  # noqa: F811
    main, window = reconciliation(qtbot, office, db_path, tmp_path, monkeypatch)
    before = tables(office)
    reached = threading.Event()
    real = importing.import_mapped

    def held(db, path, profile, *, progress, duplicates, **kwargs):
        def hold(done, total):  # inside the import's transaction, rows written
            if duplicates is not None and db.conn.in_transaction and not reached.is_set():
                reached.set()
                released.wait(20)
            return progress(done, total)
        return real(db, path, profile, progress=hold, duplicates=duplicates, **kwargs)
    monkeypatch.setattr(importing, "import_mapped", held)
    asked = answered(monkeypatch, message_boxes, press(qtbot, closing.STOP_AND_CLOSE))
    message_boxes.answer = QMessageBox.StandardButton.Yes  # «Nhập», skip the likely duplicate
    click(qtbot, window.import_button)
    qtbot.waitUntil(reached.is_set, timeout=20000)
    shown_progress(qtbot, window)
    assert windows_close(window)  # Windows' WM_CLOSE to its HWND is taken the same way
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked[0][0] == IMPORT_TITLE
    qtbot.waitUntil(lambda: worker.clerk_jobs()[0].stopping, timeout=5000)
    assert window.isVisible()  # not before the import has stopped
    released.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    worker.wait_all()
    assert main.isVisible() and len(asked) == 1
    assert not any(m[1] == "Đã nhập" for m in message_boxes)
    assert tables(office) == before  # nothing half-written


def test_x_after_huy_asks_nothing_and_closes_once_stopped(
        qtbot, office, db_path, tmp_path, monkeypatch, message_boxes, released, x11):  # noqa: F811
    """«Huỷ» pressed, the job stopping (its dialog gone, the window no longer blocked: Qt hands
    the × to the window itself): nothing is left to ask; the window closes once it stopped."""
    main, window = reconciliation(qtbot, office, db_path, tmp_path, monkeypatch)
    asked = answered(monkeypatch, message_boxes, press(qtbot, closing.GO_ON))
    dialog = held_run(qtbot, window, monkeypatch, released)
    click(qtbot, dialog.findChild(QPushButton))  # «Huỷ»
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    window.close()  # what Qt does with the × of a window no dialog blocks
    qtbot.wait(200)
    assert window.isVisible() and not asked  # not before the job has stopped
    released.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    worker.wait_all()
    assert main.isVisible() and window.result is None and not asked


def test_the_main_windows_x_still_asks_the_quit_question(
        qtbot, office, db_path, tmp_path, monkeypatch, message_boxes, released, x11):  # noqa: F811
    main, window = reconciliation(qtbot, office, db_path, tmp_path, monkeypatch)
    asked = answered(monkeypatch, message_boxes, press(qtbot, closing.KEEP_WORKING))
    held_run(qtbot, window, monkeypatch, released)
    assert wm_delete(main)
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked[0][0] == closing.TITLE
    released.set()
    qtbot.waitUntil(lambda: window.result is not None, timeout=20000)
    assert main.isVisible() and window.isVisible() and len(asked) == 1


def test_a_window_managers_close_of_the_reconciliation_window_on_a_real_x_display(
        qtbot, office, db_path, tmp_path, monkeypatch, message_boxes, released):  # noqa: F811
    if QApplication.platformName() != "xcb":
        pytest.skip("needs the xcb platform (QT_QPA_PLATFORM=xcb on an X display)")
    main, window = reconciliation(qtbot, office, db_path, tmp_path, monkeypatch)
    asked = answered(monkeypatch, message_boxes, press(qtbot, closing.STOP_AND_CLOSE))
    held_run(qtbot, window, monkeypatch, released)
    _send_wm_delete(int(window.winId()))
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked[0][0] == RUN_TITLE
    released.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    worker.wait_all()
    assert main.isVisible() and window.result is None


def test_esc_before_the_jobs_dialog_shows_asks_as_x_does(
        qtbot, office, db_path, tmp_path, monkeypatch, message_boxes, released):  # noqa: F811
    """units29: the job's progress dialog shows after 300 ms; an Esc in the window before it
    (QDialog's own Esc: reject(), no close handling) hid the window, the job going on unseen.
    Esc now closes as × does: asked, «Tiếp tục» keeps the window and its job."""
    main, window = reconciliation(qtbot, office, db_path, tmp_path, monkeypatch)
    asked = answered(monkeypatch, message_boxes, lambda box: qtbot.keyClick(box, Qt.Key.Key_Escape))
    start_held_run(qtbot, window, monkeypatch, released)
    assert progress_of(window) is None  # its dialog not shown yet
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked[0][0] == RUN_TITLE
    assert window.isVisible() and not worker.clerk_jobs()[0].stopping
    released.set()
    qtbot.waitUntil(lambda: window.result is not None, timeout=20000)
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # no job: closes at once, nothing asked
    assert not window.isVisible() and main.isVisible() and len(asked) == 1
