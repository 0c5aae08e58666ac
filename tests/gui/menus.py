"""Driving the dossier window's "In phiếu ▾" menu with real clicks (a button's menu runs its
own event loop: the test acts from a timer while it is open, and never leaves it open)."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication


def _with_open_menu(qtbot, detail, then) -> None:
    """Click "In phiếu ▾" with the mouse; while its menu is open, `then(menu)` runs, then Esc
    closes whatever is still open (the menu's loop never waits for a test)."""
    done = []

    def act():
        menu = detail.print_menu
        if not menu.isVisible():
            QTimer.singleShot(50, act)  # Qt opens a button's menu just after the press
            return
        then(menu)
        if QApplication.activePopupWidget() is not None:
            qtbot.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_Escape)
        done.append(True)
    detail.show()
    QTimer.singleShot(50, act)
    qtbot.mouseClick(detail.action_buttons["print"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)


def print_menu_kinds(qtbot, detail) -> list[str]:
    seen: list[str] = []
    _with_open_menu(qtbot, detail, lambda menu: seen.extend(a.data() for a in menu.actions()))
    return seen


def pick_print(qtbot, detail, kind: str) -> None:
    """Open the menu and click the entry of `kind`, as a clerk would."""
    def choose(menu):
        action = next(a for a in menu.actions() if a.data() == kind)
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton,
                         pos=menu.actionGeometry(action).center())
    _with_open_menu(qtbot, detail, choose)
