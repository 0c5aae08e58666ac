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


def test_motcuas_missing_dossiers_open_in_the_papers_order(qtbot, dialog, tmp_path,  # noqa: F811
                                                           monkeypatch):
    """Section II of the PDF and the workbook's sheet list them by clerk, then reception; the
    window's tab opened in the matching's order, so the leader reading the paper beside the
    screen found another list (round 30)."""
    from core.reconcile.matching import to_enter_order
    from db.connection import transaction
    with transaction(dialog.db) as conn:  # the last received by the clerk first in the alphabet
        conn.execute("UPDATE dossiers SET received_by = CASE code WHEN 'XVQ-250107-0001' "
                     "THEN 'an.clerk' ELSE 'vy.clerk' END")
    rows = [r for r in province_rows() if r[0] == "XTD-250108-0009"]
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)
    ours = dialog.result.only_ours
    paper = [i.code for i in sorted(ours, key=to_enter_order)]
    assert len(paper) > 2 and paper != [i.code for i in ours]
    model = dialog.views["only_ours"].model()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == paper
