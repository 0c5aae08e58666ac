"""The clerk's unsaved mapping survives choosing another file (round 31, a clerk's walk): the
pickers went back to the profile at every file chosen, and the seven columns picked by hand for
last month's export were to be picked again for this month's. They are kept where the new file
has the column; a column it lacks goes back to the profile, and the panel names it."""
from __future__ import annotations

from core.transfer.profiles import FIELDS
from gui import file_dialogs
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv, write_xlsx
from tests.gui.reconciliation.test_column_spelling import NAMES, _pick
from tests.gui.reconciliation.test_screen import (  # noqa: F401  (fixtures)
    choose,
    dialog,
    office,
    run,
)

FIELDS_PICKED = {"code": "Số Hồ Sơ", "procedure_code": "Mã TTHC", "applicant_name": "NguoiNop",
                 "channel": "KenhNop", "received_at": "NgayNhan", "status": "TinhTrang",
                 "finished_at": "NgayXong"}  # the second file lacks it


def test_choosing_another_file_keeps_the_columns_picked(qtbot, dialog, tmp_path,  # noqa: F811
                                                         monkeypatch):
    keep = [PROVINCE_HEADER.index(n) for n in NAMES]
    rows = [[r[i] for i in keep] for r in province_rows()]
    first = write_xlsx(tmp_path / "thang_truoc.xlsx", list(NAMES.values()), rows)
    # this month's export names the end of processing as the national profile does
    second = write_csv(tmp_path / "thang_nay.csv", list(NAMES.values())[:-1]
                       + ["NgayKetThucXuLy"], rows)
    chosen = iter([str(first), str(second)])
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: next(chosen))
    choose(qtbot, dialog)
    panel = dialog.mapping
    for field, column in FIELDS_PICKED.items():
        _pick(qtbot, panel.pickers[field], column)
    choose(qtbot, dialog)
    assert dialog.path.text() == str(second)
    for field, column in FIELDS_PICKED.items():
        expected = "NgayKetThucXuLy" if field == "finished_at" else column
        assert panel.pickers[field].currentText() == expected, field
    said = panel.header_how.text()
    assert "giữ 6 cột đã chọn (chưa lưu) ở tệp trước" in said, said
    assert f"{FIELDS['finished_at']} (NgayXong)" in said, said
    assert panel.profile().columns["code"] == "Số Hồ Sơ"
    run(qtbot, dialog)
    assert dialog.result.ok and dialog.result.pairs and not dialog.result.unread_rows
