"""Keyboard shortcuts made one way: every QShortcut of gui/ is made here (tests/gui/test_shortcut_rule.py).

PySide6 drops the context given to QShortcut's constructor together with a slot (6.11: the
shortcut stays a WindowShortcut), so a shortcut meant for one list took its key from the whole
window — Enter typed in the Hồ sơ search opened the row current before the search (walk35).
The context is set after construction, the slot connected after that."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

WINDOW = Qt.ShortcutContext.WindowShortcut
WIDGET = Qt.ShortcutContext.WidgetShortcut


def shortcut(keys: str | QKeySequence, parent: QWidget, slot: Callable[[], object],
             context: Qt.ShortcutContext = WINDOW) -> QShortcut:
    """A shortcut for `keys` on `parent` calling `slot`, live only in `context`."""
    made = QShortcut(keys if isinstance(keys, QKeySequence) else QKeySequence(keys), parent)
    made.setContext(context)
    made.activated.connect(slot)
    return made
