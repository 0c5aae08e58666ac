"""The province's dossiers MotCua lacks have no clerk (its file does not say who received them):
the window's tab showed a "Người tiếp nhận" column empty on every row, stretched over half the
width at 1366 px (round 30); the PDF and the workbook list them without it. MotCua's missing
dossiers keep it: the clerk who must enter each."""
from __future__ import annotations

from PySide6.QtCore import Qt

from gui import file_dialogs
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.reconciliation.test_screen import (  # noqa: F401  (fixtures)
    choose,
    dialog,
    office,
    run,
)

CLERK = "Người tiếp nhận"


def _headers(model) -> list[str]:
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def test_the_provinces_list_has_no_empty_clerk_column(qtbot, dialog, tmp_path,  # noqa: F811
                                                       monkeypatch):
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)
    assert dialog.result.only_theirs and dialog.result.only_ours
    theirs = dialog.views["only_theirs"].model()
    assert CLERK not in _headers(theirs)
    assert all(theirs.index(0, c).data() for c in range(theirs.columnCount()))
    assert _headers(dialog.views["only_ours"].model())[-1] == CLERK
