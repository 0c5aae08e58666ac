"""Issue 16 §2, "each match shows how it was made": the pairs made without a code (procedure +
applicant + reception time within the tolerance) are LISTED — both codes, how, both receptions,
the gap — in the PDF, the workbook and the command's output (the window: tests/gui/
reconciliation), the applicant masked by the program's one rule (core.privacy.masking) wherever
a report's reader sees a name."""
from __future__ import annotations

import datetime as dt

from core import empty_lists
from core.reconcile import NEAR_HEAD, reconcile
from core.reconcile.cli import command
from tests.core.reconcile.test_reconcile import (  # noqa: F401
    FIRST,
    LAST,
    PROVINCE_HEADER,
    _args,
    office,
    province_file,
    province_rows,
)
from tests.core.transfer.conftest import write_csv

NEAR = [1, "XTD-250106-0002", "XTD-250106-9042", "Phạm *** Dung", "1.001612",
        dt.datetime(2025, 1, 6, 9, 0), dt.datetime(2025, 1, 6, 9, 15), 15,
        "thủ tục + chủ hồ sơ + giờ tiếp nhận, cùng đơn vị tiếp nhận"]


def test_the_list_of_pairs_made_without_a_code(office, province_file):  # noqa: F811
    result = reconcile(office, province_file, FIRST, LAST)
    assert len(result.pairs) == 4 and result.by_code == 3
    assert result.near_table() == [NEAR]
    assert [p.gap for p in result.pairs if p.by_code] == [None] * 3


def test_an_uncertain_pair_says_so_in_the_list(office, tmp_path):  # noqa: F811
    rows = province_rows() + [province_rows()[2]]
    rows[-1][0] = "XTD-250106-9043"
    rows[-1][PROVINCE_HEADER.index("NgayTiepNhan")] = "20250106085500"
    result = reconcile(office, write_csv(tmp_path / "t.csv", PROVINCE_HEADER, rows), FIRST, LAST)
    [near] = result.near_table()
    assert near[2] == "XTD-250106-9043" and near[7] == 5
    # no MaDonViTiepNhan: the unit is the code's, the resolving unit (spec 4)
    assert near[8] == ("thủ tục + chủ hồ sơ + giờ tiếp nhận, cùng đơn vị giải quyết; không "
                       "chắc chắn: còn 1 hồ sơ "
                       "khác trong độ lệch")


def test_the_pdf_lists_them_with_the_names_masked(office, province_file, db_path,  # noqa: F811
                                                  tmp_path, capsys):
    from tests.pdfread import pdf_text
    office.close()
    pdf = tmp_path / "dc.pdf"
    assert command(_args(db_path, province_file, out=str(pdf))) == 0
    text = " ".join(pdf_text(pdf).split())
    assert "liệt kê ở mục V)" in text
    section = text.split("V. Hồ sơ ghép không theo mã (cùng thủ tục, chủ hồ sơ, đơn vị; giờ tiếp "
                         "nhận gần nhau)")[1]
    assert section.startswith(" 1 cặp hồ sơ ghép không theo mã")
    for words in (" ".join(NEAR_HEAD[:4]), "XTD-250106-0002 XTD-250106-9042 Phạm *** Dung "
                  "1.001612 09:00 06/01/2025 09:15 06/01/2025 15 thủ tục + chủ hồ sơ + giờ "
                  "tiếp nhận"):
        assert words in section, words
    assert "Dung" in text and "Phạm Thị Dung" not in text and "PHẠM THỊ DUNG" not in text
    out = capsys.readouterr().out
    assert ("  1. XTD-250106-0002 ↔ XTD-250106-9042 (Phạm *** Dung, thủ tục 1.001612): lệch "
            "15 phút; thủ tục + chủ hồ sơ + giờ tiếp nhận, cùng đơn vị tiếp nhận"
            ) in out.splitlines()
    assert "Phạm Thị Dung" not in out


def test_the_workbook_lists_them_with_real_times(office, province_file, db_path,  # noqa: F811
                                                 tmp_path):
    from openpyxl import load_workbook

    from core.workbook.look import DATE_TIME_FORMAT
    office.close()
    book = tmp_path / "dc.xlsx"
    assert command(_args(db_path, province_file, out=str(book))) == 0
    sheet = load_workbook(book)["Ghép không theo mã"]
    head = next(r[0].row for r in sheet.iter_rows(min_col=1, max_col=1) if r[0].value == "STT")
    assert [c.value for c in sheet[head]] == NEAR_HEAD
    cells = sheet[head + 1]
    assert [c.value for c in cells] == NEAR
    assert cells[5].number_format == DATE_TIME_FORMAT
    assert sheet.cell(head + 2, 2).value is None
    every = [c for sheet in load_workbook(book, read_only=True) for r in sheet.values
             for c in r if isinstance(c, str)]
    assert not [v for v in every if "Thị Dung" in v or "Thị Bình" in v or "Văn Cường" in v]


def test_when_every_match_is_by_code_the_pdf_says_so(office, tmp_path, db_path):  # noqa: F811
    from tests.pdfread import pdf_text
    rows = [r for r in province_rows() if r[0] != "XTD-250106-9042"]
    path = write_csv(tmp_path / "t.csv", PROVINCE_HEADER, rows)
    office.close()
    pdf = tmp_path / "dc.pdf"
    assert command(_args(db_path, path, out=str(pdf))) == 0
    text = " ".join(pdf_text(pdf).split())
    assert "V. Hồ sơ ghép không theo mã" in text and empty_lists.NEAR_NONE in text
    assert "liệt kê ở mục V" not in text


def test_a_pair_made_by_time_lists_its_reception_gap_among_the_differences(
        office, province_file, db_path, tmp_path):  # noqa: F811
    """Issue 16 §2 ("the same dossier with a different … reception"): walk33 found the gap of
    a pair made by procedure + applicant + time only in «Đã ghép» and section V, not among
    the differences of the screen, the PDF, the workbook and the command."""
    result = reconcile(office, province_file, FIRST, LAST)
    gaps = [(d.pair.ours.code, d.field, d.ours, d.theirs) for d in result.differences
            if d.field == "Tiếp nhận"]
    assert gaps == [("XTD-250106-0002", "Tiếp nhận", "09:00 06/01/2025", "09:15 06/01/2025")]
    office.close()
    book = tmp_path / "doi_chieu.xlsx"
    assert command(_args(db_path, province_file, out=str(book))) == 0
    from openpyxl import load_workbook
    rows = list(load_workbook(book, read_only=True)["Khác nhau"].values)
    assert any("XTD-250106-0002" in row and "Tiếp nhận" in row for row in rows), rows
