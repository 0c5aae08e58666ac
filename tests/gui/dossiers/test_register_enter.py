"""Enter on the register opens the dossier the clerk just searched for, never the one that was
current before (walk35: a name typed and Enter at once opened the previous search's dossier)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.dossiers.register_view import RegisterScreen


def _shown_active(qtbot, screen) -> None:
    screen.refresh()
    screen.show()
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is screen)


def test_enter_after_a_second_search_opens_its_first_result_not_the_previous_one(
        qtbot, db, office, monkeypatch):
    from gui.dossiers import detail
    opened = []
    monkeypatch.setattr(detail.DossierDialog, "exec", lambda dialog: opened.append(dialog.dossier_id))
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    _shown_active(qtbot, screen)  # the window is the clerk's: its shortcuts are live
    screen.focus_search()
    qtbot.keyClicks(screen.search, "dong van giap")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert opened == [office["Đồng Văn Giáp"]]
    screen.focus_search()  # Ctrl+F: the search again, what was typed selected
    qtbot.keyClicks(screen.search, "le thi ha")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)  # at once, before the search timer
    assert screen.model.filter.search == "le thi ha"
    assert opened == [office["Đồng Văn Giáp"], office["Lê Thị Hà"]]


def test_enter_in_a_filter_box_does_not_open_the_current_dossier(qtbot, db, office, monkeypatch):
    """Enter belongs to the list only when the list has the focus: in the unit box it opens
    nothing (it opened the current row from anywhere on the screen)."""
    from gui.dossiers import detail
    opened = []
    monkeypatch.setattr(detail.DossierDialog, "exec", lambda dialog: opened.append(dialog.dossier_id))
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    _shown_active(qtbot, screen)
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    assert len(opened) == 1
    screen.clear_button.setFocus()
    qtbot.keyClick(screen.clear_button, Qt.Key.Key_Down)
    qtbot.keyClick(screen.date_to.edit, Qt.Key.Key_Return)
    assert len(opened) == 1
