"""The package preview with conflicts to choose, from the keyboard: a clerk moving through the
conflicts and pressing Enter (as in a spreadsheet) imported the packages at once, every
conflict decided by what was ticked by default — the issue asks for an explicit choice. Enter
among the choices now does nothing; «Nhập gói» is pressed (clicked, or reached with Tab and
Enter). A preview with nothing to choose still imports on Enter."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from core import dossiers as D
from gui import file_dialogs, worker
from gui.packages import PreviewDialog
from tests.gui.clicks import menu_pick
from tests.gui.conftest import NOW
from tests.gui.test_packages import counter_package, open_dialog, window  # noqa: F401


def counts(db) -> tuple:
    return db.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM events) FROM dossiers").fetchone()


def test_enter_in_the_conflicts_does_not_import(window, db, qtbot, monkeypatch,  # noqa: F811
                                                message_boxes, counter_package):  # noqa: F811
    package, codes = counter_package
    assert D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                            applicant_name="Khách Của Máy Này",
                            received_at=NOW - dt.timedelta(hours=1))[1] == codes[0]
    before = counts(db)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert preview.result.dossiers["conflict"] == 1
    preview.conflicts.setFocus()
    qtbot.keyClick(preview.conflicts, Qt.Key.Key_Down)
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        qtbot.keyClick(preview.conflicts, key)
        qtbot.keyClick(preview.boxes()[0], key)  # on the row's own tick box too
    qtbot.wait(200)
    worker.wait_all()
    assert preview.isVisible()  # still there to choose
    assert not message_boxes
    assert counts(db) == before
    # the button itself, reached from the keyboard, imports
    preview.go.setFocus()
    qtbot.keyClick(preview.go, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    assert counts(db)[0] == before[0] + 2  # the new one, and the clash kept both (ticked)


def test_enter_imports_a_package_with_nothing_to_choose(window, db, qtbot, monkeypatch,  # noqa: F811
                                                        message_boxes, counter_package):  # noqa: F811
    package, _ = counter_package
    before = counts(db)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert preview.result.dossiers["conflict"] == 0
    qtbot.keyClick(preview, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    assert counts(db)[0] == before[0] + 2
