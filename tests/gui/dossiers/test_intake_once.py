"""A dossier is received once however often «Lưu» is clicked (try25 F1).

Two clicks that X delivers before the first save is handled (a clerk clicking twice while the
save runs on a slow PC) both reached the dialog: the second, queued after accept(), still hit
the hidden dialog's button and received the same applicant again under a new code."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from gui import widgets
from gui.dossiers.intake import IntakeDialog


def queue_clicks(button, times: int = 2) -> None:
    """`times` press/release pairs posted to the button's window before any is handled, in the
    order the X server delivers a clerk's quick clicks (not a double-click: two clicks)."""
    window = button.window()
    local = QPointF(button.mapTo(window, button.rect().center()))
    screen = QPointF(button.mapToGlobal(button.rect().center()))
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for _ in range(times):
        for kind, held in ((QEvent.Type.MouseButtonPress, left),
                           (QEvent.Type.MouseButtonRelease, none)):
            QApplication.postEvent(window.windowHandle(), QMouseEvent(
                kind, local, screen, left, held, Qt.KeyboardModifier.NoModifier))


def count(db) -> int:
    return db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]


def filled(db) -> IntakeDialog:
    dialog = IntakeDialog(db)
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("X01"))
    dialog.procedure_edit.set_code("1.004227")
    dialog.name_edit.setText("Hoàng Thị Lan")
    return dialog


def run_with_queued_clicks(qtbot, dialog, button) -> int:
    """The dialog run as Ctrl+N runs it (modal), the two clicks queued once it is on screen."""
    def clicks():
        qtbot.waitExposed(dialog)
        queue_clicks(button)
    QTimer.singleShot(0, clicks)
    QTimer.singleShot(5000, dialog.reject)  # a dialog left open fails below, never hangs
    answer = widgets.exec_once(dialog)
    qtbot.wait(200)  # the second click, if it was queued behind the first save, lands now
    return answer


def test_two_queued_clicks_on_save_receive_one_dossier(qtbot, db, office):
    before = count(db)
    dialog = filled(db)
    assert run_with_queued_clicks(qtbot, dialog, dialog.save_button)
    assert count(db) == before + 1
    names = [r[0] for r in db.execute("SELECT code FROM dossiers WHERE applicant_name = ?",
                                      ["Hoàng Thị Lan"])]
    assert names == ["X01-250611-0001"]  # one code used, the next dossier gets -0002


def test_two_queued_clicks_on_save_and_print_receive_one_dossier(qtbot, db, office, monkeypatch):
    from gui import printing
    printed = []
    monkeypatch.setattr(printing, "show_slip", lambda _parent, _db, kind, code: printed.append(code))
    before = count(db)
    dialog = filled(db)
    assert run_with_queued_clicks(qtbot, dialog, dialog.print_button)
    assert count(db) == before + 1
    assert printed == ["X01-250611-0001"]  # one receipt, of the one dossier
