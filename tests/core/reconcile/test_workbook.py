"""The reconciliation workbook people read and print: the report header, Vietnamese titles,
real date/time cells, rates as percent numbers, frozen header and autofilter, A4 landscape with
the header row on every page."""
from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from core.reconcile.cli import command
from core.workbook.look import DATE_TIME_FORMAT, PERCENT_FORMAT
from tests.core.reconcile.test_reconcile import _args, office, province_file  # noqa: F401


def _title_row(sheet, first: str) -> int:
    return next(r[0].row for r in sheet.iter_rows(min_col=1, max_col=1) if r[0].value == first)


def test_saved_workbook_has_types_formats_and_print_setup(office, province_file, db_path, tmp_path):  # noqa: F811
    office.close()
    path = tmp_path / "doi_chieu.xlsx"
    assert command(_args(db_path, province_file, out=str(path))) == 0
    book = load_workbook(path)
    assert book.sheetnames == ["Chỉ tiêu", "Thiếu trên HT tỉnh", "Thiếu trong MotCua",
                               "Khác nhau", "Ghép không theo mã", "Đã ghép"]
    missing = book["Thiếu trên HT tỉnh"]
    head = _title_row(missing, "STT")
    assert [c.value for c in missing[head]][:3] == ["STT", "Mã hồ sơ", "Mã thủ tục"]
    first = [c for c in missing[head + 1]]
    assert first[1].value == "XTD-250102-0002" and first[0].value == 1
    received = first[5]
    assert isinstance(received.value, dt.datetime) and received.number_format == DATE_TIME_FORMAT
    assert missing.auto_filter.ref.startswith(f"A{head}:")
    assert missing.freeze_panes == f"A{head + 1}"
    assert missing.page_setup.orientation == "landscape"
    assert missing.print_title_rows == f"${head}:${head}"
    words = [str(v) for row in missing.iter_rows(max_row=head, values_only=True) for v in row if v]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words
    assert "(Từ ngày 01/01/2025 đến ngày 31/01/2025)" in words
    indicators = book["Chỉ tiêu"]
    top = _title_row(indicators, "STT")
    assert f"D{top}:E{top}" in {str(r) for r in indicators.merged_cells.ranges}
    rates = [indicators.cell(r, 4) for r in range(top + 2, indicators.max_row + 1)
             if indicators.cell(r, 4).number_format == PERCENT_FORMAT]
    assert rates and all(isinstance(c.value, (int, float)) or c.value == "—" for c in rates), \
        [c.value for c in rates]


def test_every_sheets_agency_block_is_wide_enough_for_its_name(office, province_file,  # noqa: F811
                                                               db_path, tmp_path):
    """The short lists (Khác nhau, Đã ghép) had 6 + 24 characters under the agency's name, and
    "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" printed over "ỦY BAN NHÂN DÂN TỈNH …"."""
    from openpyxl.utils import get_column_letter
    office.close()
    path = tmp_path / "doi_chieu.xlsx"
    assert command(_args(db_path, province_file, out=str(path))) == 0
    for sheet in load_workbook(path):
        block = next(r for r in sheet.merged_cells.ranges if r.min_row == 1 and r.min_col == 1)
        width = sum(sheet.column_dimensions[get_column_letter(c)].width
                    for c in range(block.min_col, block.max_col + 1))
        assert width >= 45, (sheet.title, width)


def test_differences_sheet_names_the_applicant_as_the_pdf_does(office, province_file,  # noqa: F811
                                                               db_path, tmp_path):
    office.close()
    path = tmp_path / "doi_chieu.xlsx"
    assert command(_args(db_path, province_file, out=str(path))) == 0
    sheet = load_workbook(path)["Khác nhau"]
    head = _title_row(sheet, "STT")
    titles = [c.value for c in sheet[head]]
    assert titles[:5] == ["STT", "Mã hồ sơ (MotCua)", "Mã trên hệ thống tỉnh", "Chủ hồ sơ",
                          "Nội dung"]
    rows = {r[1]: r[3] for r in sheet.iter_rows(min_row=head + 1, values_only=True) if r[1]}
    assert rows["XTD-250106-0001"] == "Lê *** Cường"  # masked, as the PDF does
