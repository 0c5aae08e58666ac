"""The mapping step with a vendor's export that starts with title lines: the header row found
by the profile's names and shown, changed by the clerk with the keys, the preview following,
the trailer named, and the choice carried into the reconciliation and a saved profile."""
from __future__ import annotations

from PySide6.QtCore import Qt

from core.transfer.profiles import get_profile
from gui import file_dialogs, widgets
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.test_titles import TITLES, export_rows, write_export
from tests.gui.clicks import click
from tests.gui.reconciliation.test_screen import choose, dialog, office, run  # noqa: F401


def _open(qtbot, dialog, monkeypatch, path) -> None:  # noqa: F811
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(path))
    choose(qtbot, dialog)


def _step(qtbot, spin, key, times=1) -> None:
    spin.setFocus()
    for _ in range(times):
        qtbot.keyClick(spin, key)


def test_header_row_found_shown_and_changed(qtbot, dialog, tmp_path, monkeypatch):  # noqa: F811
    path = write_export(tmp_path / "tinh.xlsx", export_rows(PROVINCE_HEADER, province_rows()))
    _open(qtbot, dialog, monkeypatch, path)
    panel = dialog.mapping
    assert panel.header_row.text() == "dòng 5" and panel.header_row.isEnabled()
    assert panel.header_how.text() == "(tìm theo tên cột)"
    assert panel.preview.rowCount() == 5
    assert panel.preview.item(0, 0).text() == "XTD-250102-0001"
    assert panel.note.text() == ("Bỏ qua 5 dòng cuối không phải hồ sơ (tổng cộng, chữ ký…): "
                                 "dòng 12–15, 17.")
    _step(qtbot, panel.header_row, Qt.Key.Key_Up)  # the clerk tries the row below
    assert panel.header_row.text() == "dòng 6" and panel.header_how.text() == "(đã chọn)"
    assert panel.preview.rowCount() == 0
    assert "thiếu cột" in panel.note.text() and "(dòng 6)" in panel.note.text()
    _step(qtbot, panel.header_row, Qt.Key.Key_Down, 2)  # row 4 is blank: said, not a crash
    assert "dòng 4 trống, không phải dòng tiêu đề" in panel.note.text()
    _step(qtbot, panel.header_row, Qt.Key.Key_Up)
    assert panel.preview.item(0, 0).text() == "XTD-250102-0001"
    assert panel.pickers["code"].currentText() == "MaHoSo"


def test_the_clerks_row_is_used_by_the_run_and_kept_by_a_saved_profile(
        qtbot, dialog, tmp_path, monkeypatch):  # noqa: F811
    # a vendor's group heading names the columns once above the real header (row 4 and 5)
    rows = export_rows(PROVINCE_HEADER, province_rows())
    rows = TITLES[:3] + [["STT"] + PROVINCE_HEADER] + rows[4:]
    path = write_export(tmp_path / "igate.csv", rows)
    _open(qtbot, dialog, monkeypatch, path)
    panel = dialog.mapping
    assert panel.header_row.text() == "dòng 4"
    assert panel.preview.item(0, 0).text() == "MaHoSo"  # the real header read as a dossier
    spin = panel.header_row
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "5")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.text() == "dòng 5"
    assert panel.preview.item(0, 0).text() == "XTD-250102-0001"
    run(qtbot, dialog)
    assert dialog.result.ok and dialog.result.file_rows == 5
    assert "dòng 12–15, 17" in dialog.summary.text()
    monkeypatch.setattr(widgets, "ask_text", lambda *a, **k: "iGate có tiêu đề")
    click(qtbot, panel.save_button)
    assert get_profile(dialog.db, "iGate có tiêu đề").header_row == 5
    assert panel.profiles.currentData() == "iGate có tiêu đề" and spin.text() == "dòng 5"


def test_no_row_names_the_profiles_columns(qtbot, dialog, tmp_path, monkeypatch):  # noqa: F811
    header = ["So ho so" if h == "MaHoSo" else h for h in PROVINCE_HEADER]
    path = write_export(tmp_path / "igate.xlsx", export_rows(header, province_rows()))
    _open(qtbot, dialog, monkeypatch, path)
    panel = dialog.mapping
    # the header is guessed past the titles (one cell each): its columns are offered at once
    assert panel.header_row.text() == "dòng 5"
    assert panel.header_how.text() == "(đoán, hãy kiểm tra: 17 dòng đầu không có đủ tên cột)"
    # the fields in Vietnamese, the profile's column names in brackets (walk33)
    assert ("Đã tìm dòng tiêu đề trong các dòng 1–17 của tệp nhưng không dòng nào có đủ các cột "
            "bắt buộc: Mã hồ sơ (MaHoSo), Mã thủ tục (MaTTHC)") in panel.note.text()
    _step(qtbot, panel.header_row, Qt.Key.Key_Down, 4)
    assert panel.header_row.text() == "dòng 1"
    assert panel.pickers["code"].findText("So ho so") < 0  # a title line offers no columns
    _step(qtbot, panel.header_row, Qt.Key.Key_Up, 4)
    assert panel.header_row.text() == "dòng 5"
    assert panel.pickers["code"].findText("So ho so") > 0  # now offered to the clerk
    assert panel.pickers["channel"].currentText() == "KenhThucHien"


def test_the_guess_is_no_longer_one_once_every_required_column_is_chosen(
        qtbot, dialog, tmp_path, monkeypatch):  # noqa: F811
    """walk33: "(đoán, hãy kiểm tra: … dòng đầu không có đủ tên cột)" stayed beside the header
    row after the clerk had chosen every required column in it, and the missing-column note
    named the national profile's columns, not the fields."""
    header = ["So ho so" if h == "MaHoSo" else h for h in PROVINCE_HEADER]
    path = write_export(tmp_path / "igate.xlsx", export_rows(header, province_rows()))
    _open(qtbot, dialog, monkeypatch, path)
    panel = dialog.mapping
    assert panel.header_how.text().startswith("(đoán, hãy kiểm tra")
    assert "thiếu cột: Mã hồ sơ" in panel.note.text()
    picker = panel.pickers["code"]
    picker.setFocus()
    qtbot.keyClick(picker, Qt.Key.Key_Home)
    while picker.currentText() != "So ho so":
        qtbot.keyClick(picker, Qt.Key.Key_Down)
    assert panel.header_how.text().startswith("(dòng có đủ các cột bắt buộc đã chọn)")
    assert "thiếu cột" not in panel.note.text() and panel.preview.rowCount() > 0
