"""Every keyboard shortcut of gui/ is made by gui.keys.shortcut, which sets its context after
construction: PySide6 drops a context passed to QShortcut's constructor with a slot, and the
register's Enter, meant for the list, took Enter from the whole window (walk35)."""
from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtWidgets import QLineEdit, QTableView, QVBoxLayout, QWidget

from gui import keys

ROOT = Path(__file__).resolve().parents[2]


FIXTURE = Path(__file__).with_name("fixtures") / "shortcuts_made_elsewhere.py"


def _last_name(node: ast.expr) -> str | None:
    """`QShortcut` of QShortcut, QtGui.QShortcut, a.b.QShortcut: the callee's last name."""
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _aliases(tree: ast.Module) -> set[str]:
    """The names a module gives the class: its own, `import … QShortcut as X`, `X = ….QShortcut`
    (and so on, an alias of an alias)."""
    names = {"QShortcut"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {alias.asname for alias in node.names
                      if alias.name == "QShortcut" and alias.asname}
    grew = True
    while grew:
        before = len(names)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and _last_name(node.value) in names:
                names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        grew = len(names) > before
    return names


def _made_in(path: Path) -> list[int]:
    """The lines of `path` that construct a QShortcut, whatever the callee is called."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _aliases(tree)
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and _last_name(node.func) in names]


def _made_outside_keys() -> list[str]:
    found = []
    for path in sorted((ROOT / "gui").rglob("*.py")):
        if path.name == "keys.py" and path.parent.name == "gui":
            continue
        found += [f"{path.relative_to(ROOT)}:{line}" for line in _made_in(path)]
    return found


def test_no_shortcut_in_gui_is_made_but_by_gui_keys():
    assert _made_outside_keys() == []


def test_the_rule_names_every_way_of_making_one():
    """Bare, through QtGui or its alias, imported or assigned under another name (review36:
    the rule saw only a bare `QShortcut(`)."""
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    expected = sorted(n for n, line in enumerate(lines, 1)
                      if "(sequence, parent)" in line and "#" in line)
    assert len(expected) == 5
    assert sorted(_made_in(FIXTURE)) == expected


def test_gui_keys_itself_is_seen_making_one():
    """The one place allowed is skipped by name, not missed: the rule sees its call."""
    assert _made_in(ROOT / "gui" / "keys.py")


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
