"""Imports point one way, gui -> core -> db: core/ and db/ never import Qt, db/ never imports core."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

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


# ----- one rule, one place (issue 11): a dossier at a moment lives in core/moment.py ----------
PRODUCT = ("core", "db", "gui")
HOME = "core/moment.py"
# The open-status triple spelled out as a group (db/schema.py's STATUSES goes on past it).
OPEN_TRIPLE = re.compile(r"""received['"]\s*,\s*['"]processing['"]\s*,\s*['"]supplement['"](?!\s*,)""")
# A walk DOWN the unit tree (a unit and its sub-units); the catalogue's walk up to the
# ancestors joins the other way and is not a scope.
SUBTREE = re.compile(r"WITH RECURSIVE[^;]*?parent_code\s*=\s*\w+\.code", re.S)
EFFECTIVE_DUE = re.compile(r"\b(effective_due|due_pause|due_restart)\(")
WAITS_FROM_ROWS = re.compile(r"Wait\(\s*(timefmt\.)?parse_db_time")
# The unit a dossier counts at (spec 5: its competent unit, else the receiving unit).
COUNTED_UNIT = re.compile(r"COALESCE\(\s*[\w.]*competent_unit_code\s*,\s*[\w.]*unit_code", re.I)
SINGLE_HOMES = {
    "the open-status triple": (OPEN_TRIPLE, {HOME}),
    "the unit subtree query": (SUBTREE, {HOME}),
    # core/due.py defines the arithmetic; the demo generator plans synthetic waits with it
    # before any dossier exists (no stored row to read).
    "an effective-due computation": (EFFECTIVE_DUE, {HOME, "core/due.py", "core/demo/lifecycle.py"}),
    "a loader of supplement waits": (WAITS_FROM_ROWS, {HOME}),
    # db cannot import core: the stored facts' codec spells it for its trigger and upgrade
    # (tests/db/test_facts_codec.py checks the two agree)
    "the unit a dossier counts at": (COUNTED_UNIT, {HOME, "db/facts_codec.py"}),
}


def _product_files():
    for package in PRODUCT:
        yield from sorted((ROOT / package).rglob("*.py"))
    yield ROOT / "main.py"


def outside_home(pattern: re.Pattern, allowed: set[str], files) -> list[str]:
    found = []
    for path in files:
        name = path.relative_to(ROOT).as_posix()
        if name not in allowed and pattern.search(path.read_text(encoding="utf-8")):
            found.append(name)
    return found


@pytest.mark.parametrize("what", sorted(SINGLE_HOMES))
def test_each_rule_has_one_home(what):
    pattern, allowed = SINGLE_HOMES[what]
    assert outside_home(pattern, allowed, _product_files()) == [], \
        f"{what} belongs in {sorted(allowed)}: use core.moment"


def test_the_single_home_check_sees_a_copy(tmp_path):
    copy = tmp_path / "copy.py"
    copy.write_text('OPEN_SQL = "status IN (\'received\', \'processing\', \'supplement\')"\n'
                    'SQL = "WITH RECURSIVE t(code) AS (SELECT ? UNION SELECT u.code FROM units u '
                    'JOIN t ON u.parent_code = t.code)"\n'
                    "x = effective_due(cal, due=d)\nw = Wait(parse_db_time(a))\n"
                    'U = "COALESCE(d.competent_unit_code, d.unit_code)"\n')
    schema = tmp_path / "schema.py"
    schema.write_text('STATUSES = ("received", "processing", "supplement", "done")\n')
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        for pattern, _ in SINGLE_HOMES.values():
            assert outside_home(pattern, set(), [copy, schema]) == ["copy.py"]
    finally:
        ROOT = saved


def test_label_tables_live_in_core_labels():
    """One table of words per enum: the screens and documents import core.labels'."""
    from core import dossiers, explain, kiosk, labels
    from gui.dossiers import actions
    assert dossiers.STATUS_VI is labels.STATUS_VI and dossiers.CHANNEL_VI is labels.CHANNEL_VI
    assert kiosk.RATING_LABELS is labels.RATING_VI and actions.RATING_VI is labels.RATING_VI
    assert actions.METHOD_VI is labels.METHOD_VI
    assert explain.ONLINE_VI is labels.ONLINE_LEVEL_VI
    assert explain.LIMIT_UNIT_VI is labels.LIMIT_UNIT_VI
    from gui.settings.screen import POLICY_VI
    assert POLICY_VI["supplement_policy"][1] is labels.SUPPLEMENT_POLICY_VI
    assert POLICY_VI["due_basis"][1] is labels.DUE_BASIS_VI
    assert POLICY_VI["online_denominator"][1] is labels.ONLINE_DENOMINATOR_VI


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


def test_no_qt_date_or_time_spin_field_is_left_in_the_screens():
    """QDateEdit, QDateTimeEdit and QTimeEdit turn a typed value into another one without a
    word (docs/typed-dates.md): every date, moment and time of day is a gui.date_fields field."""
    found = [f"{path.relative_to(ROOT)}:{number}"
             for path in sorted((ROOT / "gui").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\bQ(Date|DateTime|Time)Edit\b", line) and not line.lstrip().startswith("#")
             and path.name != "date_fields.py"]
    assert found == []


# Packages split to keep style.md's "modules under about 400 lines": each of their modules
# stays under it, so a new piece of them goes into a well-named module, not back into one file
SPLIT_PACKAGES = ("core/exchange/fastcopy", "core/exchange/merge", "core/exchange/package",
                  "core/transfer",
                  "core/exchange/part", "core/exchange/recode",
                  "gui/dossiers")  # (detail.py split: its actions in detail_actions.py)
MODULE_MOST = 400


def oversized(package: str, most: int = MODULE_MOST, deep: bool = False) -> list[str]:
    """The modules of `package` over `most` lines; `deep`: its sub-packages' too."""
    paths = (ROOT / package).rglob("*.py") if deep else (ROOT / package).glob("*.py")
    return [f"{path.relative_to(ROOT)}: {lines} lines" for path in sorted(paths)
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > most]


@pytest.mark.parametrize("package", SPLIT_PACKAGES)
def test_a_split_package_keeps_its_modules_small(package):
    assert (ROOT / package / "__init__.py").exists()
    assert oversized(package) == []


def test_the_size_check_sees_a_large_module():
    assert oversized("core/exchange/fastcopy", most=200) != []


# Packages all of whose modules, sub-packages' included, stay under the limit: gui/ since
# gui/reports.py was split (Biểu 06's table in gui/report_table.py), which also holds the modules
# split out of gui/widgets.py and gui/main_window.py; core/demo since chunk.py was split (a
# chunk's rows and their packing in rows.py), core/exchange since store.py was split (the
# clerk's choices in choices.py), core/reconcile since __init__.py and matching.py were split
# (the result and its report's words in report.py, what differs within a pair in differing.py);
# all of core/ since core/dossiers.py was split (the lifecycle's table in core/transitions.py),
# after core/validation.py (names in core/name_rules.py) and core/database.py (a new file's rows
# in core/new_file_rows.py); db/ since schema.py (scripts by era in schema_v1_v7.py and
# schema_v8_on.py, their CHECKs' values in schema_values.py), events_codec.py (the view in
# events_view.py, the details' coding in events_details.py) and chain.py (the hashing in
# chain_hashing.py, its upgrades in chain_upgrade.py) were split
WHOLE_PACKAGES = ("gui", "core", "db")


@pytest.mark.parametrize("package", WHOLE_PACKAGES)
def test_a_whole_package_keeps_its_modules_small(package):
    assert oversized(package, deep=True) == []


def test_the_deep_size_check_sees_a_sub_package():
    assert all(entry.count("/") == 1 for entry in oversized("gui", most=300))
    assert any(entry.startswith("gui/dossiers/") for entry in oversized("gui", most=300, deep=True))


# ----- small functions (style.md): none over FUNCTION_MOST lines, from its `def` to its last
# line. The longer ones of today are listed with their length, which may only shrink: a split
# lowers its entry or drops it, and no other function joins the list.
FUNCTION_MOST = 60
LONG_FUNCTIONS = {
    "core/exchange/fastcopy/facts_job.py:_facts_job": 61,
}


def long_functions(files, most: int = FUNCTION_MOST) -> dict[str, int]:
    """'path:Class.function' -> lines, of each function over `most` lines in `files`."""
    found = {}
    for path in files:
        name = path.relative_to(ROOT).as_posix()
        for qualname, node in _functions(ast.parse(path.read_text(encoding="utf-8"))):
            lines = node.end_lineno - node.lineno + 1
            if lines > most:
                found[f"{name}:{qualname}"] = lines
    return found


def _functions(tree: ast.AST, prefix: str = ""):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            qualname = prefix + node.name
            if not isinstance(node, ast.ClassDef):
                yield qualname, node
            yield from _functions(node, qualname + ".")
        else:
            yield from _functions(node, prefix)


def test_no_function_is_longer_than_allowed():
    found = long_functions(_product_files())
    grown = {name: lines for name, lines in found.items()
             if lines > LONG_FUNCTIONS.get(name, FUNCTION_MOST)}
    assert grown == {}, f"split into named steps (style.md: functions under {FUNCTION_MOST} lines)"


def test_the_long_functions_list_follows_each_split():
    found = long_functions(_product_files())
    shrunk = {name: found.get(name, "gone") for name, lines in LONG_FUNCTIONS.items()
              if found.get(name, 0) < lines}
    assert shrunk == {}, "lower the entry to the function's length now, or drop it"


def test_the_length_check_sees_a_long_method(tmp_path):
    sample = tmp_path / "sample.py"
    body = "".join(f"        x = {n}\n" for n in range(60))
    sample.write_text(f"class Box:\n    def fill(self):\n{body}\n"
                      f"def outer():\n    def inner():\n        pass\n    return inner\n")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert long_functions([sample]) == {"sample.py:Box.fill": 61}
        assert long_functions([sample], most=2) == {"sample.py:Box.fill": 61,
                                                    "sample.py:outer": 4}
    finally:
        ROOT = saved
