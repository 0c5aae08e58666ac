"""The vote screen never waits for the clerk's dialogs (issue 14 item 1).

The taps go through the kiosk's QWindow (QTest's window path), the way a real touch arrives:
Qt drops input to a window that a modal dialog blocks, which a tap sent straight to the
button widget would not show.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from gui import widgets
from gui.dossiers.detail import DossierDialog
from gui.main_window import MainWindow


@pytest.fixture
def window(qtbot, db, db_path, office, monkeypatch):
    monkeypatch.setattr(widgets, "choose",
                        lambda parent, title, label, items, *a: next(i for i in items if i.endswith("(X01)")))
    win = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(win)
    win.show()
    return win


def tap(kiosk_window, rating: str) -> None:
    """A touch on a face: a press and release at its centre, delivered to the kiosk's window."""
    button = kiosk_window.start.buttons[rating]
    centre = button.mapTo(kiosk_window, button.rect().center())
    QTest.mouseClick(kiosk_window.windowHandle(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, centre)


def votes(db) -> int:
    return db.execute("SELECT COUNT(*) FROM votes").fetchone()[0]


def while_open(qtbot, dialog_class_check, action) -> list:
    """Run `action` once a modal dialog is up (checked by `dialog_class_check`), then close it."""
    seen = []

    def step():
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog_class_check(dialog):
            QTimer.singleShot(20, step)
            return
        try:
            seen.append(action())
        finally:
            if isinstance(dialog, QMessageBox):
                qtbot.mouseClick(dialog.button(QMessageBox.StandardButton.No),  # the clerk: "No"
                                 Qt.MouseButton.LeftButton)
            else:
                dialog.reject()
    QTimer.singleShot(0, step)
    return seen


def test_a_vote_is_stored_while_the_dossier_window_is_open(qtbot, window, db, office):
    kiosk_window = window.kiosk_link.open_kiosk()
    qtbot.waitExposed(kiosk_window)
    rating = next(iter(kiosk_window.start.buttons))
    before = votes(db)

    def tap_and_count():
        tap(kiosk_window, rating)
        return votes(db)
    seen = while_open(qtbot, lambda d: isinstance(d, DossierDialog), tap_and_count)
    DossierDialog(db, office["Nguyễn Thị Lan"], window).exec()
    assert seen == [before + 1]  # stored while the dossier window was still open


def test_a_vote_is_stored_while_a_question_is_asked(qtbot, window, db, monkeypatch):
    kiosk_window = window.kiosk_link.open_kiosk()
    qtbot.waitExposed(kiosk_window)
    rating = next(iter(kiosk_window.start.buttons))
    before = votes(db)

    def tap_and_count():
        tap(kiosk_window, rating)
        return votes(db)
    seen = while_open(qtbot, lambda d: isinstance(d, QMessageBox), tap_and_count)
    box = QMessageBox(QMessageBox.Icon.Question, "Gia hạn", "In phiếu?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, window)
    box.exec()
    assert seen == [before + 1]
