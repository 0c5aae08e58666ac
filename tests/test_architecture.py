"""Imports point one way, gui -> core -> db: core/ and db/ never import Qt, db/ never imports core."""
from __future__ import annotations

import ast
import re
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


# A write from the window goes through core (one transaction, its recomputation with it) and is
# run by gui.ops; only a connection's own scratch tables (temp.*) may be written by a screen.
WRITE_SQL = re.compile(r"\b((INSERT\s+(OR\s+\w+\s+)?|REPLACE\s+)INTO\s+(?!temp\.)[\w.]+"
                       r"|UPDATE\s+(?!temp\.)[\w.]+\s+SET\b|DELETE\s+FROM\s+(?!temp\.)[\w.]+)",
                       re.IGNORECASE)


def writes_in(path: Path) -> list[tuple[int, str]]:
    """(line, what) of each transaction, settings.put or write SQL statement in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "transaction" or ast.unparse(node.func) == "settings.put":
                found.append((node.lineno, f"{ast.unparse(node.func)}("))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and WRITE_SQL.search(node.value):
            found.append((node.lineno, node.value[:40]))
    return sorted(found)


def test_no_gui_module_opens_a_transaction_or_writes_sql():
    found = [f"{path.relative_to(ROOT)}:{line} {what}"
             for path in sorted((ROOT / "gui").rglob("*.py")) for line, what in writes_in(path)]
    assert found == []


def test_the_write_check_sees_a_transaction_and_write_sql(tmp_path):
    sample = tmp_path / "gui_sample.py"
    sample.write_text("with transaction(db) as conn:\n"
                      "    conn.execute('UPDATE dossiers SET note = ? WHERE id = ?', [n, i])\n"
                      "conn.execute('DELETE FROM temp.live_due')\n"
                      "settings.put(db, 'targets', {})\n"
                      "label = 'Update the list before saving'\n"
                      "sql = 'insert into settings(key) values (?)'\n")
    assert [line for line, _ in writes_in(sample)] == [1, 2, 4, 6]
