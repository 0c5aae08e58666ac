"""Every keyboard shortcut of gui/ is made by gui.keys.shortcut, which sets its context after
construction: PySide6 drops a context passed to QShortcut's constructor with a slot, and the
register's Enter, meant for the list, took Enter from the whole window (walk35)."""
from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtWidgets import QLineEdit, QTableView, QVBoxLayout, QWidget

from gui import keys

ROOT = Path(__file__).resolve().parents[2]


def _made_outside_keys() -> list[str]:
    found = []
    for path in sorted((ROOT / "gui").rglob("*.py")):
        if path.name == "keys.py" and path.parent.name == "gui":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "QShortcut":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_shortcut_in_gui_is_made_but_by_gui_keys():
    assert _made_outside_keys() == []


def test_a_widget_shortcut_fires_only_where_it_belongs(qtbot):
    window = QWidget()
    table, search = QTableView(), QLineEdit()
    layout = QVBoxLayout(window)
    layout.addWidget(search)
    layout.addWidget(table)
    qtbot.addWidget(window)
    fired = []
    made = keys.shortcut("Return", table, lambda: fired.append(1), keys.WIDGET)
    assert made.context() == keys.WIDGET
    window.show()
    qtbot.waitExposed(window)
    search.setFocus()
    qtbot.keyClick(search, "\r")
    assert fired == []
