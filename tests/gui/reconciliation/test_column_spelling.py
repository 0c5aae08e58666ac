"""The column-mapping step names a file's columns as the file spells them (round 13 review):
its note listed them lower-cased ("số hồ sơ, matthc…"), a column chosen twice was named
lower-cased, and a mapping saved kept the lower-cased names for every later message. Picked
with real keys; matched case-insensitively as before."""
from __future__ import annotations

from PySide6.QtCore import Qt

from core.transfer.profiles import get_profile
from gui import file_dialogs, widgets
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_xlsx
from tests.gui.clicks import click
from tests.gui.reconciliation.test_screen import choose, dialog, office  # noqa: F401  (fixtures)

NAMES = {"MaHoSo": "Số Hồ Sơ", "MaTTHC": "Mã TTHC", "ChuHoSo": "NguoiNop",
         "KenhThucHien": "KenhNop", "NgayTiepNhan": "NgayNhan", "TrangThaiHoSo": "TinhTrang",
         "NgayKetThucXuLy": "NgayXong"}


def _pick(qtbot, picker, text: str) -> None:
    picker.setFocus()
    qtbot.keyClick(picker, Qt.Key.Key_Home)
    for _ in range(picker.findText(text)):
        qtbot.keyClick(picker, Qt.Key.Key_Down)
    assert picker.currentText() == text


def test_the_mapping_names_the_files_columns_as_it_spells_them(qtbot, dialog, office,  # noqa: F811
                                                               tmp_path, monkeypatch):
    keep = [PROVINCE_HEADER.index(n) for n in NAMES]
    rows = [[r[i] for i in keep] for r in province_rows()]
    source = write_xlsx(tmp_path / "igate.xlsx", list(NAMES.values()), rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    panel = dialog.mapping
    note = panel.note.text()
    assert ("Các cột của tệp (dòng 1): Số Hồ Sơ, Mã TTHC, NguoiNop, KenhNop, NgayNhan, "
            "TinhTrang, NgayXong.") in note, note
    fields = {"code": "Số Hồ Sơ", "procedure_code": "Mã TTHC", "applicant_name": "NguoiNop",
              "channel": "KenhNop", "received_at": "NgayNhan", "status": "TinhTrang",
              "finished_at": "NgayXong"}
    for field, column in fields.items():
        _pick(qtbot, panel.pickers[field], column)
    assert panel.note.text() == ""
    _pick(qtbot, panel.pickers["due_at"], "KenhNop")  # one column for two fields: said
    assert panel.note.text() == ("Cột 'KenhNop' được chọn cho cả 'Kênh thực hiện' và 'Ngày hẹn "
                                 "trả'; mỗi cột chỉ cho một trường.")
    _pick(qtbot, panel.pickers["due_at"], "(không có)")
    monkeypatch.setattr(widgets, "ask_text", lambda *a, **k: "iGate Lạng Sơn")
    click(qtbot, panel.save_button)
    saved = get_profile(office, "iGate Lạng Sơn")
    assert {k: saved.columns[k] for k in fields} == fields  # kept as the file spells them
    assert panel.profiles.currentData() == "iGate Lạng Sơn"
    assert panel.pickers["code"].currentText() == "Số Hồ Sơ"  # and matched again
