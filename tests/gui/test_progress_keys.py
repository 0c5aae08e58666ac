"""Round 25's open point: over an import's window-modal progress dialog, Ctrl+Q and the title
bar's × never reached the main window (Qt blocks a window under a modal one), and the dialog's
own Esc and × cancelled the import at once, with no question. Now, with real keys on a real
package import held inside its work: Ctrl+Q asks the quit question, Esc and × ask only whether
to stop the import («Dừng» / «Tiếp tục»), the program stays open, and a stopped import has
written nothing. A question the import outlives closes itself."""
from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from core.exchange import merge, phases
from gui import closing, exchange_cancel, widgets, worker
from tests.gui.clicks import button_named, click
from tests.gui.test_packages import counter_package, window  # noqa: F401 (fixtures)
from tests.gui.test_packages_progress import (  # noqa: F401 (fixtures)
    held_at,
    let_go,
    progress_dialog,
    showing,
    start_import,
    state,
)

STOP_TITLE = "Dừng nhập gói trao đổi?"
CTRL = Qt.KeyboardModifier.ControlModifier


def held_import(qtbot, window, monkeypatch, package, let_go):  # noqa: F811
    """The import started from the menu and held inside a phase after its rows."""
    reached, release = held_at(monkeypatch, merge._Run, "write_facts")
    let_go.append(release)
    start_import(qtbot, window, monkeypatch, package)
    qtbot.waitUntil(lambda: reached.is_set() and bool(showing(phases.TEXTS[phases.FACTS])),
                    timeout=20000)
    dialog = progress_dialog()
    qtbot.wait(100)  # the windows' own activations come first
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    return dialog, release


def answered(monkeypatch, message_boxes, act):
    """The questions over the job are shown for real and answered by `act(box)` (keys or a
    click); every other box goes to the message_boxes recorder. Returns what was asked."""
    asked: list[tuple[str, str]] = []
    others = widgets.run_message

    def run(kind, box):
        if box.windowTitle() != closing.TITLE and not box.windowTitle().startswith("Dừng"):
            return others(kind, box)
        asked.append((box.windowTitle(), box.text()))
        QTimer.singleShot(50, box, lambda: act(box))

        def stale():  # a question left open: closed, so the test fails instead of hanging
            if shiboken6.isValid(box) and box.isVisible():
                asked.append(("stale", box.text()))
                box.done(0)
        QTimer.singleShot(10000, box, stale)
        box.exec()
        return box.clickedButton()
    monkeypatch.setattr(widgets, "run_message", run)
    return asked


def press(qtbot, text):
    return lambda box: click(qtbot, button_named(box, text))


def test_escape_asks_and_stop_writes_nothing(  # noqa: F811
        window, db, qtbot, monkeypatch, message_boxes, counter_package, let_go):  # noqa: F811
    package, codes = counter_package
    before = state(db)
    asked = answered(monkeypatch, message_boxes, press(qtbot, closing.STOP))
    dialog, release = held_import(qtbot, window, monkeypatch, package, let_go)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked[0] == (STOP_TITLE, closing.stop_text("Đang nhập gói trao đổi…"))
    assert asked[0][1].startswith(STOP_TITLE) and "không ghi gì" in asked[0][1]
    # «Dừng» is «Huỷ»: the dialog says it is stopping till the job has stopped
    qtbot.waitUntil(lambda: showing(worker.STOPPING_VI) is not None, timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes == [("information", exchange_cancel.TITLE,
                              exchange_cancel.import_text(1))]
    assert window.isVisible() and len(asked) == 1  # the program stays open; asked once
    assert state(db) == before
    assert not {row[0] for row in db.execute("SELECT code FROM dossiers")} & set(codes)


def test_the_dialogs_x_asks_and_go_on_lets_the_import_finish(
        window, db, qtbot, monkeypatch, message_boxes, counter_package, let_go):  # noqa: F811
    package, codes = counter_package
    asked = answered(monkeypatch, message_boxes,
                     lambda box: qtbot.keyClick(box, Qt.Key.Key_Escape))  # «Tiếp tục»
    dialog, release = held_import(qtbot, window, monkeypatch, package, let_go)
    dialog.close()  # what the title bar's × sends the dialog
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    qtbot.wait(200)
    assert asked == [(STOP_TITLE, asked[0][1])]
    assert progress_dialog() is dialog and not worker.clerk_jobs()[0].stopping
    release.set()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes
    assert window.isVisible()
    assert set(codes) <= {row[0] for row in db.execute("SELECT code FROM dossiers")}


def test_ctrl_q_over_the_dialog_asks_the_quit_question(
        window, db, qtbot, monkeypatch, message_boxes, counter_package, let_go):  # noqa: F811
    package, codes = counter_package
    before = state(db)
    asked = answered(monkeypatch, message_boxes, press(qtbot, closing.KEEP_WORKING))
    dialog, release = held_import(qtbot, window, monkeypatch, package, let_go)
    qtbot.keyClick(dialog, Qt.Key.Key_Q, CTRL)
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked[0][0] == closing.TITLE and "Đang nhập gói trao đổi…" in asked[0][1]
    assert "Huỷ công việc và đóng chương trình?" in asked[0][1]
    qtbot.wait(200)
    assert window.isVisible() and progress_dialog() is dialog  # «Tiếp tục làm việc»
    # asked again, the clerk cancels and closes: the window waits for the job, then closes
    again = answered(monkeypatch, message_boxes, press(qtbot, closing.CANCEL_AND_CLOSE))
    # the keys went back to the dialog once the question was answered (guard._back)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    qtbot.keyClick(dialog, Qt.Key.Key_Q, CTRL)
    qtbot.waitUntil(lambda: bool(again), timeout=5000)
    assert again[0][0] == closing.TITLE
    qtbot.waitUntil(lambda: showing(worker.STOPPING_VI) is not None or not window.isVisible(),
                    timeout=5000)
    assert window.isVisible()  # not before the job has stopped
    release.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    worker.wait_all()
    # no «Đã huỷ nhập gói» box flashing up as the window closes: the question said it
    assert not [m for m in message_boxes if m[1] == exchange_cancel.TITLE]
    assert state(db) == before
    assert not {row[0] for row in db.execute("SELECT code FROM dossiers")} & set(codes)


def test_a_stop_question_the_import_outlives_closes_itself(
        window, db, qtbot, monkeypatch, message_boxes, counter_package, let_go):  # noqa: F811
    package, codes = counter_package
    releases = []
    asked = answered(monkeypatch, message_boxes, lambda box: releases[0].set())
    dialog, release = held_import(qtbot, window, monkeypatch, package, let_go)
    releases.append(release)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: any(m[1] == "Đã nhập gói" for m in message_boxes), timeout=20000)
    worker.wait_all()
    qtbot.waitUntil(lambda: QMessageBox not in {type(w) for w in _visible()}, timeout=5000)
    assert [title for title, _ in asked] == [STOP_TITLE]  # never "stale": it closed itself
    assert window.isVisible()
    assert set(codes) <= {row[0] for row in db.execute("SELECT code FROM dossiers")}
    assert not any(exchange_cancel.TITLE == m[1] for m in message_boxes)


def _visible():
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_the_dialogs_line_is_plain_text(  # noqa: F811
        window, db, qtbot, monkeypatch, message_boxes, counter_package, let_go):  # noqa: F811
    package, _ = counter_package
    dialog, release = held_import(qtbot, window, monkeypatch, package, let_go)
    label = dialog.findChild(QLabel)
    assert label.textFormat() == Qt.TextFormat.PlainText
    release.set()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()


def test_a_job_that_cannot_stop_keeps_its_dialog_on_escape_and_x(qtbot, window, message_boxes):  # noqa: F811
    import threading
    window.show()
    go = threading.Event()
    job = worker.run_in_background(window, None, "Đang khôi phục dữ liệu…",
                                   lambda _db, _progress: go.wait(20), cancellable=False,
                                   notify=False)
    qtbot.waitUntil(lambda: progress_dialog() is not None, timeout=5000)
    dialog = progress_dialog()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.close()
    qtbot.wait(200)
    # before: Esc hid it (the job unseen), × marked the job cancelled and its result dropped
    assert progress_dialog() is dialog and not job.stopping
    go.set()
    worker.wait_all()
