"""Imports point one way, gui -> core -> db: core/ and db/ never import Qt, db/ never imports core."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offending(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def test_core_does_not_import_qt_or_gui():
    assert offending("core", ("PySide6", "gui", "shiboken6")) == []


def test_db_imports_neither_qt_nor_core_nor_gui():
    assert offending("db", ("PySide6", "core", "gui", "shiboken6")) == []


def test_the_check_itself_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("from PySide6 import QtCore\nimport core.due\n")
    assert imported_modules(sample) == {"PySide6", "core.due"}
