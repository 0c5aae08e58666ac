"""A provincial file with nothing in the period and unit chosen (round 30): a file of a header
alone, or of another month or commune, was reconciled silently — every dossier of MotCua listed
"to enter before the cut-off" and the province's figures 0 — and a leader who had exported the
wrong month would have the clerks enter 200 dossiers twice. The command, the PDF, the workbook
and the window's summary now say it first (result.warnings), the figures still shown: a commune
that entered nothing on the provincial system has such a file too."""
from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from core.reconcile import reconcile
from core.reconcile.cli import command
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (fixtures)
    FIRST,
    LAST,
    PROVINCE_HEADER,
    _args,
    office,
    province_file,
    province_rows,
)
from tests.core.transfer.conftest import write_csv
from tests.pdfread import pdf_text


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_header_alone_is_said_before_the_list_to_enter(office, tmp_path):  # noqa: F811
    result = reconcile(office, write_csv(tmp_path / "t.csv", PROVINCE_HEADER, []), FIRST, LAST)
    assert result.ok and result.only_ours
    assert result.warnings[0].startswith("Tệp t.csv không có dòng dữ liệu nào dưới dòng tiêu đề")
    assert "kiểm tra lại" in result.warnings[0]


def test_a_file_of_another_month_is_said(office, province_file):  # noqa: F811
    result = reconcile(office, province_file, dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert result.ok and not result.pairs and result.outside == 5
    assert result.warnings[0] == (
        "Không dòng nào trong 5 dòng của tệp tinh.csv thuộc kỳ từ ngày 01/03/2025 đến ngày "
        "31/03/2025: kiểm tra lại kỳ, đơn vị và tệp đã chọn (tệp của tháng hoặc đơn vị khác?) "
        "trước khi nhập các hồ sơ thiếu trên hệ thống tỉnh.")
    within = reconcile(office, province_file, FIRST, LAST)
    assert not any("Không dòng nào" in w or "không có dòng dữ liệu" in w for w in within.warnings)


def test_the_command_the_pdf_and_the_workbook_say_it(office, tmp_path, db_path,  # noqa: F811
                                                     capsys):
    source = write_csv(tmp_path / "t.csv", PROVINCE_HEADER, [])
    office.close()
    pdf, book = tmp_path / "dc.pdf", tmp_path / "dc.xlsx"
    assert command(_args(db_path, source, out=str(pdf))) == 0
    assert command(_args(db_path, source, out=str(book))) == 0
    said = "Tệp t.csv không có dòng dữ liệu nào dưới dòng tiêu đề"
    assert f"Lưu ý: {said}" in capsys.readouterr().out
    assert said in _flat(pdf_text(pdf))
    cells = [v for row in load_workbook(book)["Chỉ tiêu"].iter_rows(values_only=True)
             for v in row if isinstance(v, str)]
    assert any(said in v for v in cells)


def test_a_merged_unit_of_the_same_name_is_said(office, province_file):  # noqa: F811
    """walk33: the window's unit list holds the commune merged in 2025 beside its successor,
    both "UBND xã Tân Đoàn"; picked by mistake, the warning said only "kiểm tra lại kỳ, đơn vị"
    and the leader saw the right name. It now says the unit chosen was not in being and names
    the one that took it over."""
    from core.catalogue import save_unit
    save_unit(office, "XTC", "UBND xã Tân Đoàn", "commune", "LS", valid_to=dt.date(2024, 12, 31),
              successor_code="XTD")
    result = reconcile(office, province_file, FIRST, LAST, unit="XTC")
    assert result.ok and not result.pairs and not result.only_ours
    assert result.warnings[0] == (
        "Không dòng nào trong 5 dòng của tệp tinh.csv thuộc kỳ từ ngày 01/01/2025 đến ngày "
        "31/01/2025 của UBND xã Tân Đoàn: đơn vị đã chọn, UBND xã Tân Đoàn (XTC; hoạt động "
        "đến hết 31/12/2024; đơn vị kế thừa: UBND xã Tân Đoàn (XTD)) không hoạt động ngày nào "
        "từ 01/01/2025 đến 31/01/2025; hãy chọn đơn vị hoạt động trong kỳ rồi đối chiếu lại.")
    assert not reconcile(office, province_file, FIRST, LAST, unit="XTD").unit_gone
