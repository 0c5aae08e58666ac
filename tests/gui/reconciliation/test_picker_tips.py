"""A column picker narrower than the file's column name (at 1366 px the fourth column of
pickers shows "DuocThanhToanTrucTu", round 30) says the whole name when the pointer rests on
it, as the column chosen changes."""
from __future__ import annotations

from gui import file_dialogs
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.reconciliation.test_screen import choose, dialog, office  # noqa: F401  (fixtures)

LONG = "DuocThanhToanTrucTuyen"


def test_each_picker_tells_its_whole_column_name(qtbot, dialog, tmp_path,  # noqa: F811
                                                  monkeypatch):
    header = [LONG if c == "ThanhToanTrucTuyen" else c for c in PROVINCE_HEADER]
    source = write_csv(tmp_path / "tinh.csv", header, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    pickers = dialog.mapping.pickers
    assert pickers["paid_online"].currentText() == LONG
    assert pickers["paid_online"].toolTip() == LONG
    for picker in pickers.values():
        assert picker.toolTip() == picker.currentText()
