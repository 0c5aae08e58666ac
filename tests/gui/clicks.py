"""The clerk's mouse: a GUI test presses the button a clerk presses, never calls its handler
(issue 12 §4; tests/gui/test_clicks_rule.py keeps it so)."""
from __future__ import annotations

from PySide6.QtCore import Qt


def click(qtbot, button) -> None:
    """A left click on `button`, shown in its window first (a click on a hidden or disabled
    button does nothing: a test must fail there, as the clerk would be stuck there)."""
    _bring_forward(button)
    window = button.window()
    if not window.isVisible():
        window.show()
        qtbot.waitExposed(window)
    assert button.isVisible(), f"“{button.text()}” is not on the screen"
    assert button.isEnabled(), f"“{button.text()}” is disabled: {button.toolTip()}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def button_named(widget, text: str):
    """The one push button under `widget` that shows `text`, as the clerk finds it (its Alt
    letter's "&" is not shown: underlined)."""
    from PySide6.QtWidgets import QPushButton
    found = [b for b in widget.findChildren(QPushButton) if b.text().replace("&", "") == text]
    assert len(found) == 1, f"{len(found)} buttons “{text}”"
    return found[0]


def _bring_forward(widget) -> None:
    """Open the tab (page of a stacked widget) the button sits on, as the clerk would first."""
    from PySide6.QtWidgets import QStackedWidget
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QStackedWidget):
            parent.setCurrentWidget(child)
        child, parent = parent, parent.parentWidget()


def shortcut(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """The clerk's key combination in `window`, shown and active first (Qt matches a shortcut
    only in the active window; `qtbot.waitActive` waits only as a context manager)."""
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, key, modifier)


def menu_pick(qtbot, window, action) -> None:
    """The clerk opens `action`'s menu in the menu bar and clicks the item (a menu bar's menu
    is not modal: both clicks are real mouse clicks)."""
    from PySide6.QtWidgets import QMenu
    menu = next(m for m in window.menuBar().findChildren(QMenu) if action in m.actions())
    window.show()
    qtbot.waitExposed(window)
    bar = window.menuBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.actionGeometry(menu.menuAction()).center())
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    assert action.isEnabled(), f"“{action.text()}” is disabled"
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
