"""walk33: next month, the window opened on the built-in national profile whatever had been
saved, and the vendor's export of last month's mapping showed "thiếu cột: Kênh thực hiện, Chủ
hồ sơ…" until the clerk thought of picking the saved name in «Mẫu cột». The one saved profile
whose required columns the file has is now chosen, and said beside the header row; a file the
chosen profile reads stays with it, and two saved profiles that both fit are left to the clerk."""
from __future__ import annotations

from core.transfer.profiles import save_profile
from gui import file_dialogs
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv, write_xlsx
from tests.gui.reconciliation.test_screen import choose, dialog, office, run  # noqa: F401

NAMES = {"MaHoSo": "So ho so", "MaTTHC": "Ma TTHC", "ChuHoSo": "Nguoi nop",
         "KenhThucHien": "Kenh", "NgayTiepNhan": "Ngay nhan", "TrangThaiHoSo": "Tinh trang",
         "NgayKetThucXuLy": "Ngay xong"}
COLUMNS = {"code": "So ho so", "procedure_code": "Ma TTHC", "applicant_name": "Nguoi nop",
           "channel": "Kenh", "received_at": "Ngay nhan", "status": "Tinh trang",
           "finished_at": "Ngay xong"}


def vendor_file(tmp_path):
    """Last month's vendor export: two title lines above its header."""
    keep = [PROVINCE_HEADER.index(n) for n in NAMES]
    rows = [["DANH SÁCH HỒ SƠ"] + [""] * 6, [""] * 7, list(NAMES.values())]
    rows += [[r[i] for i in keep] for r in province_rows()]
    return write_xlsx(tmp_path / "igate.xlsx", rows[0], rows[1:])


def test_the_saved_profile_the_file_fits_is_chosen(qtbot, dialog, office, tmp_path,  # noqa: F811
                                                   monkeypatch):
    save_profile(office, "iGate Lạng Sơn", COLUMNS)
    dialog.mapping.reload_profiles()  # saved since the window opened (the fixture's)
    assert dialog.mapping.profiles.currentData() == "national"
    source = vendor_file(tmp_path)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    mapping = dialog.mapping
    assert mapping.profiles.currentData() == "iGate Lạng Sơn"
    assert mapping.pickers["channel"].currentData() == "kenh"
    assert mapping.note.text() == ""  # nothing missing
    assert "đã chọn mẫu cột 'iGate Lạng Sơn'" in mapping.header_how.text()
    assert mapping.header_row.value() == 3
    run(qtbot, dialog)
    assert dialog.result.profile == "iGate Lạng Sơn" and len(dialog.result.only_theirs) == 1


def test_a_file_the_chosen_profile_reads_keeps_it(qtbot, dialog, office, tmp_path,  # noqa: F811
                                                  monkeypatch):
    save_profile(office, "iGate Lạng Sơn", COLUMNS)
    dialog.mapping.reload_profiles()
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    assert dialog.mapping.profiles.currentData() == "national"
    assert "đã chọn mẫu cột" not in dialog.mapping.header_how.text()


def test_two_fitting_profiles_are_left_to_the_clerk(qtbot, dialog, office, tmp_path,  # noqa: F811
                                                    monkeypatch):
    save_profile(office, "iGate Lạng Sơn", COLUMNS)
    save_profile(office, "iGate cũ", {k: v for k, v in COLUMNS.items() if k != "finished_at"})
    dialog.mapping.reload_profiles()
    source = vendor_file(tmp_path)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    assert dialog.mapping.profiles.currentData() == "national"
    assert "thiếu cột" in dialog.mapping.note.text()
