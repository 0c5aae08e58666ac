"""The streaming list workbook read back as a spreadsheet program reads it (openpyxl): real
dates and numbers with their formats, the frozen header, filter, merged titles, print setup."""
from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from core.errors import InputError
from core.workbook import look
from core.workbook.stream import (
    CODE,
    COUNT,
    DATETIME,
    MONEY,
    TEXT,
    WRAP,
    Column,
    Sheet,
    save_sheet,
)

COLUMNS = [Column("Mã hồ sơ", CODE, 27), Column("Tiếp nhận", DATETIME, 17),
           Column("Số tiền", MONEY, 14), Column("Số lượng", COUNT, 10), Column("Ghi chú", TEXT, 20),
           Column("Thủ tục", WRAP, 20)]
SHEET = Sheet("Khoản thu", ["CÁC KHOẢN ĐÃ THU", "Tất cả đơn vị — từ 01/11/2026 đến 30/11/2026",
                            "Số liệu lúc 10:15 30/11/2026 — 2 dòng"], COLUMNS)
ROWS = [["000.00.00.H00-261103-0001", dt.datetime(2026, 11, 3, 7, 26, 32), 1250000, 3,
         "a & <b> \x01c", "Ngắn"],
        ["X01-261104-0002", None, None, 0, "  lề trái", "Chứng thực bản sao từ bản chính giấy "
         "tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp"]]


@pytest.fixture
def sheet(tmp_path):
    path = tmp_path / "list.xlsx"
    assert save_sheet(path, SHEET, ROWS) == 2
    return openpyxl.load_workbook(path).active


def test_cells_are_dates_and_numbers_with_their_formats(sheet):
    first = [c for c in sheet[5]]
    assert first[0].value == "000.00.00.H00-261103-0001"  # the whole code, as text
    assert first[1].value == dt.datetime(2026, 11, 3, 7, 26, 32)
    assert first[1].number_format == look.DATE_TIME_FORMAT
    assert first[2].value == 1250000 and first[2].number_format == look.MONEY_FORMAT
    assert first[3].value == 3 and first[3].number_format == look.COUNT_FORMAT
    assert first[4].value == "a & <b> c"  # XML escaped, a control character dropped
    assert sheet["B6"].value is None and sheet["D6"].value == 0
    assert sheet["E6"].value == "  lề trái"


def test_header_is_frozen_filtered_and_repeated_on_printed_pages(sheet):
    assert [c.value for c in sheet[4]] == [c.header for c in COLUMNS]
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:F6"
    assert sheet.print_title_rows == "$4:$4"
    assert sheet["A4"].font.b and sheet["A4"].fill.fgColor.rgb == "FFD9E1F2"
    assert sheet["A4"].alignment.wrap_text and sheet["A5"].border.left.style == "thin"


def test_title_rows_are_merged_across_the_table(sheet):
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:F1", "A2:F2", "A3:F3"}
    assert sheet["A1"].value == "CÁC KHOẢN ĐÃ THU" and sheet["A1"].font.b
    assert sheet["A1"].font.name == look.FONT_NAME
    assert sheet["A3"].value.startswith("Số liệu lúc 10:15 30/11/2026")


def test_print_setup_widths_and_wrapped_rows(sheet):
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == \
        ("landscape", 9, 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["A"].width == 27 and sheet.column_dimensions["F"].width == 20
    assert sheet["F6"].alignment.wrap_text
    assert sheet.row_dimensions[6].height > 2 * 13 and sheet.row_dimensions[5].height is None


def test_an_empty_list_keeps_its_header(tmp_path):
    path = tmp_path / "empty.xlsx"
    assert save_sheet(path, Sheet("Trống", ["T"], COLUMNS), []) == 0
    sheet = openpyxl.load_workbook(path).active
    assert sheet.max_row == 2 and sheet.auto_filter.ref == "A2:F2"


def test_a_failed_export_leaves_no_file(tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()

    def rows():
        yield ROWS[0]
        raise InterruptedError("cancelled")
    with pytest.raises(InterruptedError):
        save_sheet(tmp_path / "x.xlsx", SHEET, rows())
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InputError, match=r"\.xlsx"):
        save_sheet(tmp_path / "x.csv", SHEET, ROWS)


def test_the_file_is_the_same_bytes_for_the_same_rows(tmp_path):
    save_sheet(tmp_path / "a.xlsx", SHEET, ROWS)
    save_sheet(tmp_path / "b.xlsx", SHEET, ROWS)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    names = zipfile.ZipFile(tmp_path / "a.xlsx").namelist()
    assert "xl/styles.xml" in names and "xl/worksheets/sheet1.xml" in names
