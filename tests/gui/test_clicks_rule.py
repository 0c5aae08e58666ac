"""GUI tests press the buttons and keys a clerk presses (issue 12 §4): a test that calls a
screen's handler directly passes even when the button is hidden, disabled or wired to the wrong
slot. This check names every direct call of a clerk's handler in tests/gui and tests/reliability;
tests/gui/clicks.py gives the real click (`click`) and key (`shortcut`)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("tests/gui", "tests/reliability")

# The slots behind the clerk's buttons, menus and shortcuts in gui/ (and QAbstractButton.click
# and QAction.trigger, which skip the mouse: a disabled or hidden button would still "work"). `refresh` is not here:
# a test that builds a screen alone calls it as the main window does when showing the screen.
HANDLERS = frozenset({
    "save", "save_document", "save_hours", "save_targets", "save_policies", "save_header",
    "print_document", "print_slip", "run_action", "record_payment", "cancel_payment",
    "cancel_vote", "take_vote", "invite", "correct", "extend", "refuse", "record",
    "cancel_selected", "remove_current", "move_current", "add_row", "update_official",
    "monthly_pdf", "book_pdf", "import_data", "export_data", "clear_filters", "new_dossier",
    "open_figure", "make_demo", "later", "click", "animateClick", "trigger",
})

# (file, "receiver.handler"): the justified exceptions, each with its reason.
ALLOWED = {
    # openpyxl's Workbook.save writes the test's input file, no GUI involved
    ("tests/reliability/test_input.py", "book.save"),
    ("tests/gui/test_package_refusals.py", "book.save"),
    # plain Python lists collecting what a test saw
    ("tests/gui/menus.py", "seen.extend"),
    ("tests/gui/test_office_screen.py", "found.extend"),
    ("tests/gui/test_ops.py", "seen.extend"),
    # a figure is a link inside a rich-text label: Qt gives no position to click for it
    ("tests/gui/dashboard/test_dashboard.py", "screen.open_figure"),
}


def _imported_names(tree: ast.AST) -> set[str]:
    """Modules and objects a file imports: `dossiers.extend(...)` calls core, not a screen."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def handler_calls(path: Path) -> list[tuple[int, str]]:
    """(line, "receiver.handler") of every direct handler call in one test file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = _imported_names(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in HANDLERS:
            continue
        receiver = ast.unparse(node.func.value)
        if receiver.split(".")[0] in imported:
            continue
        found.append((node.lineno, f"{receiver}.{node.func.attr}"))
    return found


def _scanned_files():
    for folder in SCANNED:
        yield from sorted((ROOT / folder).rglob("*.py"))


def test_gui_tests_click_instead_of_calling_handlers():
    offences = []
    for path in _scanned_files():
        relative = path.relative_to(ROOT).as_posix()
        offences += [f"{relative}:{line}: {call}()" for line, call in handler_calls(path)
                     if (relative, call) not in ALLOWED]
    assert offences == [], ("click the button (tests.gui.clicks.click), press the key "
                            "(shortcut) or pick the menu item (menu_pick) instead of calling:\n"
                            + "\n".join(offences))


def test_every_allowed_call_still_exists():
    """An exception whose call is gone is removed, or it would excuse a new one later."""
    seen = set()
    for path in _scanned_files():
        relative = path.relative_to(ROOT).as_posix()
        seen.update((relative, call) for _, call in handler_calls(path))
    assert ALLOWED - seen == set()


def test_the_check_sees_a_handler_call_and_spares_core(tmp_path):
    source = tmp_path / "test_x.py"
    source.write_text("from core import dossiers\n"
                      "def test_x(qtbot, detail, dialog, db):\n"
                      "    dossiers.extend(db, 1)\n"
                      "    assert detail.run_action('finish')\n"
                      "    dialog.save(print_receipt=False)\n"
                      "    detail.action_buttons['invite'].click()\n"
                      "    screen.refresh()\n", encoding="utf-8")
    assert handler_calls(source) == [(4, "detail.run_action"), (5, "dialog.save"),
                                     (6, "detail.action_buttons['invite'].click")]
