"""A refused save left a reference cycle (Op → its error → traceback → Op.run's frame → Op) that
kept the screen alive after its last reference went; Python's cycle collector then deleted the
window it owned in the middle of the window's own paint event: "Fatal Python error:
Segmentation fault" in gui/empty_list.py (UnitTree.paintEvent read its freed model) after
tests/gui/test_commune_report.py's first test. gui.ops drops a shown failure's frames."""
from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref
from pathlib import Path

from PySide6.QtWidgets import QLineEdit

from core.errors import FieldError
from gui import ops
from gui.forms import ErrorForm

ROOT = Path(__file__).resolve().parents[2]


def refuse(_db):
    raise FieldError("name", "Tên quá dài.")


def test_a_refused_op_and_its_screen_go_with_their_last_reference(qtbot, db):
    screen = ErrorForm()
    screen.add("name", "Tên", QLineEdit())
    op = ops.Op(screen, refuse, ops.CATALOGUE, form=screen)
    assert not op.run(db) and op.keep_form  # the refusal is kept for the caller to read
    assert screen.errors["name"].text() == "Tên quá dài."
    gone_op, gone_screen = weakref.ref(op), weakref.ref(screen)
    gc.disable()  # freed by their last reference, not whenever the cycle collector runs
    try:
        del op, screen
        assert gone_op() is None and gone_screen() is None
    finally:
        gc.enable()


SCRIPT = r'''
import gc, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
gc.disable()  # no collection before the paint below: the run is the same every time
from core.database import open_database
from db import actor
from gui.catalogue.units import UnitsTab
from tests.gui.accounts_setup import ADMIN, make_accounts
from tests.gui.clicks import button_named
from tests.gui.conftest import add_catalogue
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

db = open_database(sys.argv[1])
add_catalogue(db)
actor.sign_in(make_accounts(db)[ADMIN].as_actor())
tab = UnitsTab(db)
tab.resize(1300, 700)
tab.show()
tab.refresh()
tab.tree.setCurrentItem(tab.tree.findItems("X01", Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive, 1)[0])
QTest.mouseClick(button_named(tab, "Điền theo tên đơn vị"), Qt.MouseButton.LeftButton)
tab.unit_header_edits["office"].setValidator(None)  # its limit (gui.forms.limit_length) lifted
tab.unit_header_edits["office"].setText("X" * 201)
QTest.mouseClick(button_named(tab, "Lưu tiêu đề của đơn vị"), Qt.MouseButton.LeftButton)
assert tab.header_form.errors["office"].isVisible(), "the long line was not refused"
tab.tree.viewport().update()  # a paint of the tree waits
paint = app.processEvents  # bound first: nothing is allocated between here and the paint
del tab  # the screen's last reference: it goes now, or a collection takes it later
gc.set_threshold(1)  # the collector runs at the next allocation: in the tree's paintEvent
gc.enable()
paint()
gc.set_threshold(700)
app.processEvents()
print("survived")
'''


def test_the_units_screen_survives_a_refused_header_save_then_a_collection(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONFAULTHANDLER": "1"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "motcua.db")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "survived" in done.stdout, (
        f"the process died ({done.returncode}):\n{done.stderr[-3000:]}")
