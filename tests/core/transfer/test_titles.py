"""Real exports: title lines above the header, a trailer (totals, signatures) below the data
(issue 16 §1). The header is found by the columns' names, the trailer is left out and named."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from core.errors import InputError
from core.transfer import import_file
from core.transfer.cli import summary
from core.transfer.layout import HEADER_SCAN, spans
from core.transfer.mapped import import_mapped
from core.transfer.profiles import NATIONAL_PROFILE, Profile, get_profile, save_profile
from tests.core.transfer.conftest import DOSSIERS_HEADER, count, dossier_row

TITLES = [["DANH SÁCH HỒ SƠ TIẾP NHẬN"],
          ["Từ ngày 01/01/2025 đến ngày 31/01/2025"],
          ["UBND xã Tân Đoàn"],
          []]
TRAILER = [[],
           ["Tổng cộng: 3 hồ sơ"],
           ["", "", "", "", "", "", "Tân Đoàn, ngày 31 tháng 01 năm 2025"],
           ["", "Người lập biểu", "", "", "", "", "Thủ trưởng đơn vị"],
           ["", "(Ký, ghi rõ họ tên)", "", "", "", "", "(Ký tên, đóng dấu)"],
           [],
           ["", "Nguyễn Thị Hoa", "", "", "", "", "Trần Văn Bình"]]


def export_rows(header: list[str], data: list[list]) -> list[list]:
    """A vendor's sheet: titles, a header with an STT column, data, totals and signatures."""
    body = [[str(n)] + row for n, row in enumerate(data, start=1)]
    return TITLES + [["STT"] + header] + body + TRAILER


def write_export(path: Path, rows: list[list]) -> Path:
    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows)
        return path
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    width = len(max(rows, key=len))
    for number, row in enumerate(rows, start=1):  # titles merged across, as vendors write them
        if len(row) == 1:
            sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
    book.save(path)
    return path


def dossiers(*bad) -> list[list]:
    rows = [dossier_row("XTD-250102-0001"),
            dossier_row("XTD-250102-0002", applicant_name="Trần Thị Bình"),
            dossier_row("XTD-250102-0003", applicant_name="Lê Văn Cường")]
    for index, column, value in bad:
        rows[index][DOSSIERS_HEADER.index(column)] = value
    return rows


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_titled_export_imports_and_names_the_rows_left_out(catalog, tmp_path, suffix):
    path = write_export(tmp_path / f"hoso{suffix}", export_rows(DOSSIERS_HEADER, dossiers()))
    result = import_file(catalog, "dossiers", path)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.rows, result.added) == (3, 3)
    assert count(catalog, "dossiers") == 3
    # header on row 5, data on rows 6–8, blank row 9, trailer 10–13 and 15 (14 blank)
    assert result.trailer == [10, 11, 12, 13, 15]
    text = summary(result)
    assert "Bỏ qua 5 dòng cuối không phải hồ sơ (tổng cộng, chữ ký…): dòng 10–13, 15." in text


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_errors_name_the_spreadsheets_rows(catalog, tmp_path, suffix):
    bad = dossiers((1, "channel", "fax"), (2, "status", ""))
    path = write_export(tmp_path / f"hoso{suffix}", export_rows(DOSSIERS_HEADER, bad))
    result = import_file(catalog, "dossiers", path)
    assert not result.written and count(catalog, "dossiers") == 0
    assert [(e.row, e.column) for e in result.errors] == [(7, "channel"), (8, "status")]


def test_a_row_missing_values_in_the_middle_is_still_an_error(catalog, tmp_path):
    rows = dossiers()
    rows.insert(1, ["", "", "", "", "", "", "", "", ""] + ["ghi chú của cán bộ"] + [""] * 7)
    path = write_export(tmp_path / "hoso.xlsx", export_rows(DOSSIERS_HEADER, rows))
    result = import_file(catalog, "dossiers", path)
    assert not result.ok
    assert {e.row for e in result.errors} == {7}  # the row between two dossiers
    assert result.trailer == [11, 12, 13, 14, 16]  # the real trailer is still told apart


def test_a_last_row_with_a_dossiers_values_is_data_not_trailer(catalog, tmp_path):
    rows = dossiers((2, "status", ""))  # the last dossier lacks its status: said, not dropped
    path = write_export(tmp_path / "hoso.csv", export_rows(DOSSIERS_HEADER, rows))
    result = import_file(catalog, "dossiers", path)
    assert [(e.row, e.column) for e in result.errors] == [(8, "status")]


def test_no_row_names_the_columns(catalog, tmp_path):
    header = ["Mã", "Đơn vị", "Thủ tục", "Người nộp", "Kênh", "Ngày nhận", "Trạng thái"]
    path = write_export(tmp_path / "hoso.xlsx", TITLES + [header, ["1"] * 7])
    with pytest.raises(InputError) as caught:
        import_file(catalog, "dossiers", path)
    message = str(caught.value)
    assert "thiếu cột bắt buộc: code, unit_code" in message
    assert ("Đã tìm dòng tiêu đề trong các dòng 1–6 của tệp nhưng không dòng nào có đủ các "
            "cột bắt buộc (code, unit_code, procedure_code, applicant_name, channel, "
            "received_at, status); đã lấy dòng 5 (dòng đầu tiên có nhiều ô có chữ, không "
            "phải dòng tên danh sách)") in message


def test_a_vendors_header_is_guessed_past_its_merged_titles(catalog, tmp_path):
    """A vendor's file names no column of the profile: the refusal (and the mapping step,
    which offers the columns of this row) showed the title "DANH SÁCH HỒ SƠ TIẾP NHẬN" as the
    file's one column (round 20). It shows the real header, under the titles."""
    header = ["STT", "Số hồ sơ", "Mã thủ tục", "Người nộp", "Hình thức nộp", "Ngày nhận",
              "Trạng thái"]
    path = write_export(tmp_path / "tinh.xlsx",
                        TITLES + [header, ["1", "X-1", "1.001612", "An", "Trực tiếp",
                                           "02/01/2025 08:00", "Đang xử lý"]])
    with pytest.raises(InputError) as caught:
        import_mapped(catalog, path, NATIONAL_PROFILE, dry_run=True)
    message = str(caught.value)
    assert ("Các cột của tệp (dòng 5): STT, Số hồ sơ, Mã thủ tục, Người nộp, Hình thức nộp, "
            "Ngày nhận, Trạng thái") in message, message
    assert "(theo mẫu cột 'national')" in message  # "hồ sơ" is a dossier to a clerk


def test_the_header_is_looked_for_in_the_top_rows_only(catalog, tmp_path):
    rows = [[f"Ghi chú {n}"] for n in range(HEADER_SCAN)] + [DOSSIERS_HEADER, dossier_row()]
    path = write_export(tmp_path / "hoso.csv", rows)
    with pytest.raises(InputError, match="trong các dòng 1–30 của tệp"):
        import_file(catalog, "dossiers", path)


def national(data: list[dict]) -> tuple[list[str], list[list]]:
    header = [NATIONAL_PROFILE.columns[f] for f in
              ("code", "unit_code", "procedure_code", "applicant_name", "channel",
               "received_at", "status", "finished_at", "returned_at")]
    base = {"code": "XTD-250102-0001", "unit_code": "XTD", "procedure_code": "1.001612",
            "applicant_name": "Nguyễn Văn An", "channel": "2", "received_at": "20250102080000",
            "status": "9", "finished_at": "20250103100000", "returned_at": "20250103150000"}
    fields = list(base)
    return header, [[{**base, **row}[f] for f in fields] for row in data]


def test_mapped_import_through_a_profile_finds_the_header(catalog, tmp_path):
    header, rows = national([{}, {"code": "XTD-250102-0002", "channel": "7"}])
    path = write_export(tmp_path / "tinh.xlsx", export_rows(header, rows))
    result = import_mapped(catalog, path, NATIONAL_PROFILE, dry_run=True)
    assert [(e.row, e.column) for e in result.errors] == [(7, "KenhThucHien (Kênh thực hiện)")]
    header, rows = national([{}, {"code": "XTD-250102-0002"}])
    path = write_export(tmp_path / "tinh.csv", export_rows(header, rows))
    result = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert result.ok and result.added == 2 and result.trailer == [9, 10, 11, 12, 14]


def test_a_profile_remembers_a_header_row_old_profiles_still_read(catalog, tmp_path):
    from db import settings

    settings.put(catalog, "import_profiles",
                 {"cu": {"columns": dict(NATIONAL_PROFILE.columns)}})  # saved before this change
    assert get_profile(catalog, "cu").header_row is None
    saved = save_profile(catalog, "iGate", dict(NATIONAL_PROFILE.columns), header_row=5)
    assert get_profile(catalog, "iGate") == saved and saved.header_row == 5
    header, rows = national([{}])
    # a second row naming the columns above the real one (a vendor's group heading)
    path = write_export(tmp_path / "tinh.csv", TITLES[:3] + [["STT"] + header]
                        + export_rows(header, rows)[4:])
    assert import_mapped(catalog, path, NATIONAL_PROFILE, dry_run=True).errors  # row 4 taken
    fixed = import_mapped(catalog, path, saved, dry_run=True)
    assert fixed.ok and fixed.rows == 1


def test_a_chosen_header_row_that_is_blank_is_said(catalog, tmp_path):
    header, rows = national([{}])
    path = write_export(tmp_path / "tinh.csv", export_rows(header, rows))
    with pytest.raises(InputError, match="dòng 4 trống, không phải dòng tiêu đề"):
        import_mapped(catalog, path, Profile("x", dict(NATIONAL_PROFILE.columns), header_row=4))


def test_row_spans_the_vietnamese_way():
    assert spans([1238, 1239, 1240, 1241]) == "1.238–1.241"
    assert spans([3, 5, 6]) == "3, 5–6"


def test_a_semicolon_export_under_a_title_holding_a_comma(catalog, tmp_path):
    """Excel with Vietnamese regional settings writes ';': the title's comma is no guide."""
    rows = [["Lạng Sơn, ngày 31 tháng 01 năm 2025"], []] + [["STT"] + DOSSIERS_HEADER] + [
        ["1"] + dossier_row()] + [["Tổng cộng: 1 hồ sơ"]]
    path = tmp_path / "hoso.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    result = import_file(catalog, "dossiers", path)
    assert result.ok and result.added == 1 and result.trailer == [5]


def test_a_row_wider_than_a_sheet_above_the_header_is_refused(catalog, tmp_path):
    from core import limits
    wide = ["x"] * (limits.COLUMNS_MAX + 1)
    path = write_export(tmp_path / "hoso.csv", TITLES + [wide, DOSSIERS_HEADER, dossier_row()])
    with pytest.raises(InputError) as caught:
        import_file(catalog, "dossiers", path)
    assert ("dòng 5 (một trong các dòng tìm dòng tiêu đề) có 16.385 cột, vượt giới hạn 16.384"
            in str(caught.value))


def test_a_units_file_with_its_total_under_the_code_column(db, tmp_path):
    from tests.core.transfer.conftest import UNITS, UNITS_HEADER
    rows = [["DANH MỤC ĐƠN VỊ"], UNITS_HEADER] + UNITS + [["Tổng cộng: 3 đơn vị"],
                                                         ["XYZ", "", "commune", "LS"]]
    path = write_export(tmp_path / "donvi.xlsx", rows[:-1])
    result = import_file(db, "units", path)
    assert result.ok and result.added == 3 and result.trailer == [6]
    assert "Bỏ qua 1 dòng cuối không phải dữ liệu" in summary(result)
    path = write_export(tmp_path / "donvi2.csv", rows)  # a unit after the total: data again
    result = import_file(db, "units", path)
    assert [(e.row, e.column) for e in result.errors] == [(6, "name"), (7, "name")]


def test_a_whole_dossier_row_is_never_a_trailer(catalog, tmp_path):
    rows = dossiers()
    rows.append(dossier_row("XTD-250102-0004", applicant_name="Tổng Văn Cộng"))
    header = ["applicant_name"] + [c for c in DOSSIERS_HEADER if c != "applicant_name"]
    moved = [[r[DOSSIERS_HEADER.index(c)] for c in header] for r in rows]
    moved[-1][0] = "Tổng cộng hồ sơ của ông An"  # worded like a total, yet a whole dossier
    path = write_export(tmp_path / "hoso.csv", TITLES + [header] + moved)
    result = import_file(catalog, "dossiers", path)
    assert result.ok and result.added == 4 and result.trailer == []
