"""A moment held in two columns, the date in one and the time of day in another (vendors'
exports): a time column mapped beside its date column (core.transfer.profiles.TIME_OF_DAY), in
a saved profile, on import, in errors and in `export --profile`. It could not be mapped: the
reception was read as the date alone."""
from __future__ import annotations

import datetime as dt

import pytest

from core.errors import InputError
from core.transfer.mapped import import_mapped
from core.transfer.profile_export import export_profile
from core.transfer.profiles import get_profile, save_profile
from tests.core.transfer.conftest import write_csv, write_xlsx

HEADER = ["Số hồ sơ", "Mã TTHC", "Người nộp", "Hình thức", "Ngày nhận", "Giờ nhận",
          "Ngày hẹn", "Giờ hẹn", "Ngày xong", "Giờ xong", "Ngày trả", "Giờ trả", "Tình trạng"]
COLUMNS = {"code": "Số hồ sơ", "procedure_code": "Mã TTHC", "applicant_name": "Người nộp",
           "channel": "Hình thức", "received_at": "Ngày nhận", "received_at_time": "Giờ nhận",
           "due_at": "Ngày hẹn", "due_at_time": "Giờ hẹn", "finished_at": "Ngày xong",
           "finished_at_time": "Giờ xong", "returned_at": "Ngày trả",
           "returned_at_time": "Giờ trả", "status": "Tình trạng"}


def row(code="XTD-250102-0001", **cells):
    base = {"Số hồ sơ": code, "Mã TTHC": "1.001612", "Người nộp": "Nguyễn Văn An",
            "Hình thức": "Trực tiếp", "Ngày nhận": "02/01/2025", "Giờ nhận": "8h30",
            "Ngày hẹn": "07/01/2025", "Giờ hẹn": "08:30", "Ngày xong": "03/01/2025",
            "Giờ xong": "10:15", "Ngày trả": "03/01/2025", "Giờ trả": "03:00 CH",
            "Tình trạng": "Đã trả kết quả"}
    base.update(cells)
    return [base[c] for c in HEADER]


def _moments(db, code="XTD-250102-0001"):
    return tuple(db.execute("SELECT received_at, COALESCE(due_at, calc_due_at), finished_at, returned_at "
                            "FROM dossiers "
                            "WHERE code = ?", [code]).fetchone())


def test_a_saved_profile_reads_the_date_and_the_time_together(catalog, tmp_path):
    save_profile(catalog, "Phần mềm huyện", COLUMNS)
    profile = get_profile(catalog, "Phần mềm huyện")
    assert profile.columns["received_at_time"] == "Giờ nhận"  # kept, reused
    result = import_mapped(catalog, write_csv(tmp_path / "h.csv", HEADER, [row()]), profile)
    assert result.ok, result.errors
    assert _moments(catalog) == ("2025-01-02 08:30:00", "2025-01-07 08:30:00",
                                 "2025-01-03 10:15:00", "2025-01-03 15:00:00")
    assert not result.warnings  # nothing was a day alone


def test_workbook_cells_date_and_time(catalog, tmp_path):
    cells = row()
    cells[HEADER.index("Ngày nhận")] = dt.datetime(2025, 1, 2)
    cells[HEADER.index("Giờ nhận")] = dt.time(8, 30)
    path = write_xlsx(tmp_path / "h.xlsx", HEADER, [cells])
    save_profile(catalog, "Phần mềm huyện", COLUMNS)
    result = import_mapped(catalog, path, get_profile(catalog, "Phần mềm huyện"))
    assert result.ok, result.errors
    assert _moments(catalog)[0] == "2025-01-02 08:30:00"


def test_an_empty_time_leaves_the_date_alone_under_the_rule_of_days(catalog, tmp_path):
    save_profile(catalog, "Phần mềm huyện", COLUMNS)
    result = import_mapped(catalog, write_csv(tmp_path / "h.csv", HEADER, [row(**{"Giờ nhận": ""})]),
                           get_profile(catalog, "Phần mềm huyện"))
    assert result.ok, result.errors
    assert _moments(catalog)[0] == "2025-01-02 07:00:00"
    assert any("cột Ngày nhận (Ngày tiếp nhận) chỉ ghi ngày" in w for w in result.warnings)


def test_a_bad_time_is_named_by_its_column_nothing_written(catalog, tmp_path):
    save_profile(catalog, "Phần mềm huyện", COLUMNS)
    result = import_mapped(catalog, write_csv(tmp_path / "h.csv", HEADER,
                                              [row(**{"Giờ nhận": "tám rưỡi"})]),
                           get_profile(catalog, "Phần mềm huyện"))
    assert [str(e) for e in result.errors] == [
        "Dòng 2, cột Ngày nhận (Ngày tiếp nhận), giá trị '02/01/2025 tám rưỡi': giờ ở cột Giờ "
        "nhận (Giờ tiếp nhận) ('tám rưỡi') không đúng dạng giờ; hãy ghi HH:MM (ví dụ 08:30, "
        "14:05) hoặc 8h30"]
    assert catalog.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0


def test_a_time_column_without_its_date_column_is_refused(catalog):
    columns = dict(COLUMNS)
    del columns["due_at"]
    with pytest.raises(InputError, match="'Giờ hẹn trả' cần chọn cả cột 'Ngày hẹn trả'"):
        save_profile(catalog, "Sai", columns)


def test_export_through_the_profile_writes_both_columns_and_imports_again(catalog, tmp_path):
    save_profile(catalog, "Phần mềm huyện", COLUMNS)
    profile = get_profile(catalog, "Phần mềm huyện")
    assert import_mapped(catalog, write_csv(tmp_path / "h.csv", HEADER, [row()]), profile).ok
    out = tmp_path / "ra.csv"
    assert export_profile(catalog, out, profile) == 1
    text = out.read_text(encoding="utf-8-sig")
    assert "Giờ nhận" in text.splitlines()[0] and "08:30:00" in text
    again = import_mapped(catalog, out, profile)
    assert again.ok and again.unchanged == 1 and not again.warnings, again.errors


def test_a_time_without_its_date_is_said_not_dropped(catalog, tmp_path):
    save_profile(catalog, "Phần mềm huyện", COLUMNS)
    result = import_mapped(catalog, write_csv(tmp_path / "h.csv", HEADER,
                                              [row(**{"Ngày xong": "", "Giờ xong": "10:15"})]),
                           get_profile(catalog, "Phần mềm huyện"))
    assert any("có giờ ở cột Giờ xong (Giờ kết thúc xử lý) ('10:15') nhưng không có ngày"
               in str(e) for e in result.errors), result.errors
