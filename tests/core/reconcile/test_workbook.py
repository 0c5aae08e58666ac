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
    assert book.sheetnames == ["Chỉ tiêu", "Thiếu trên hệ thống tỉnh", "Thiếu trong MotCua",
                               "Khác nhau", "Ghép không theo mã", "Đã ghép"]
    missing = book["Thiếu trên hệ thống tỉnh"]
    head = _title_row(missing, "STT")
    assert [c.value for c in missing[head]][:4] == ["STT", "Người tiếp nhận", "Mã hồ sơ",
                                                    "Mã thủ tục"]
    first = [c for c in missing[head + 1]]
    assert first[2].value == "XTD-250102-0002" and first[0].value == 1
    received = first[6]
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


def test_sheets_follow_the_reports_sections_and_every_pair_is_listed_like_the_window(
        office, province_file, db_path, tmp_path):  # noqa: F811
    """A leader holding the PDF finds each section in the sheet of the same place, headed with
    the section's own title; the annex of every pair (the window's "Đã ghép") lists what the
    window lists (the pair made without a code first, both receptions, the gap) and what
    differs in each pair. It had four columns (two codes and how) in matching order, after
    section V and before section VI."""
    from core.reconcile import SECTIONS
    office.close()
    path = tmp_path / "doi_chieu.xlsx"
    assert command(_args(db_path, province_file, out=str(path))) == 0
    book = load_workbook(path)
    for key, sheet in zip(["indicators", "only_ours", "only_theirs", "differences", "near",
                           "pairs"], book.worksheets, strict=True):
        title, what = SECTIONS[key]
        assert sheet.title == title
        words = [v for row in sheet.iter_rows(max_row=_title_row(sheet, "STT"), values_only=True)
                 for v in row if isinstance(v, str)]
        assert any(w.startswith(what) for w in words), (title, words)
    pairs = book["Đã ghép"]
    head = _title_row(pairs, "STT")
    assert [c.value for c in pairs[head]] == [
        "STT", "Mã hồ sơ (MotCua)", "Mã trên hệ thống tỉnh", "Chủ hồ sơ", "Thủ tục",
        "Tiếp nhận (MotCua)", "Tiếp nhận (hệ thống tỉnh)", "Lệch (phút)", "Cách ghép",
        "Nội dung khác nhau"]
    rows = [r for r in pairs.iter_rows(min_row=head + 1, values_only=True) if r[0]]
    assert [r[1] for r in rows][0] == "XTD-250106-0002"  # the one made without a code
    assert rows[0][2] == "XTD-250106-9042" and rows[0][7] == 15 and rows[0][3] == "Phạm *** Dung"
    assert rows[0][5] == dt.datetime(2025, 1, 6, 9, 0)
    assert pairs.cell(head + 1, 6).number_format == DATE_TIME_FORMAT
    by_code = {r[1]: r for r in rows}
    assert by_code["XTD-250102-0001"][7] is None and not by_code["XTD-250102-0001"][9]
    assert "Trạng thái" in by_code["XTD-250106-0001"][9]
    assert len(rows) == 4


def test_the_change_is_a_signed_number_beside_the_figures(office, province_file, db_path,  # noqa: F811
                                                          tmp_path):
    """'Thay đổi' held text ('+1', '0', '+0,08 điểm %') among number cells: a leader could not
    sort or add it. Now dossiers on count rows and percentage points on rate rows, numbers
    shown with their sign; '—' where no change can be said."""
    from core.reconcile import reconcile
    from tests.core.reconcile.test_reconcile import FIRST, LAST
    result = reconcile(office, province_file, FIRST, LAST)
    office.close()
    path = tmp_path / "doi_chieu.xlsx"
    assert command(_args(db_path, province_file, out=str(path))) == 0
    sheet = load_workbook(path)["Chỉ tiêu"]
    top = _title_row(sheet, "STT") + 2
    for offset, row in enumerate(result.indicators):
        cell = sheet.cell(top + offset, 10)
        assert sheet.cell(top + offset, 2).value == row.name
        if row.delta is None:
            assert cell.value == "—" and row.change == "—"
        else:
            assert cell.value == row.delta and isinstance(cell.value, (int, float))
            assert cell.number_format.startswith("+#,##0" if row.is_count else "+0.00")
    counts = [r for r in result.indicators if r.is_count]
    assert counts and counts[0].delta == 1 and counts[0].change == "+1"


def test_the_paper_and_the_workbook_bear_one_title(office, province_file, db_path,  # noqa: F811
                                                    tmp_path):
    """Round 17: the PDF was "KẾT QUẢ ĐỐI CHIẾU HỒ SƠ với Hệ thống thông tin giải quyết thủ tục
    hành chính của tỉnh", the workbook "KẾT QUẢ ĐỐI CHIẾU SỐ LIỆU VỚI HỆ THỐNG … TTHC CỦA
    TỈNH": one report under two names."""
    from tests.pdfread import pdf_text
    office.close()
    pdf, book = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    assert command(_args(db_path, province_file, out=str(pdf))) == 0
    assert command(_args(db_path, province_file, out=str(book))) == 0
    sheet = load_workbook(book)["Chỉ tiêu"]
    titles = [c.value for row in sheet.iter_rows(max_row=8) for c in row
              if isinstance(c.value, str) and "KẾT QUẢ" in c.value]
    paper = " ".join(pdf_text(pdf).split())
    assert titles == ["BÁO CÁO KẾT QUẢ ĐỐI CHIẾU HỒ SƠ VỚI HỆ THỐNG THÔNG TIN GIẢI QUYẾT THỦ "
                      "TỤC HÀNH CHÍNH CỦA TỈNH"]
    assert ("BÁO CÁO Kết quả đối chiếu hồ sơ với Hệ thống thông tin giải quyết thủ tục hành "
            "chính của tỉnh") in paper
