"""The reconciliation is a document a leader signs and sends (Decree 30/2020, round 18): the list
a commune must enter before the cut-off. The PDF carried the header and the title but no number
(Số/ký hiệu), no signer and no Nơi nhận, and under the office's header even for a commune's list;
the workbook had no number and no signer. Both now use the monthly report's parts
(core.pdf.blocks.report_opening/report_closing) and its rule of whose header a unit's document
bears (core.report_header.header_for)."""
from __future__ import annotations

from openpyxl import load_workbook

from core import office_settings, report_header
from core.office_setup import SETUP_KEY
from core.reconcile.cli import command
from db import settings
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (fixtures)
    _args,
    office,
    province_file,
)
from tests.pdfread import page_texts

OFFICE = {"parent_agency": "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
          "agency": "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "office": "",
          "place": "Lạng Sơn", "doc_symbol": "BC-TTPVHCC", "signer_authority": "KT. GIÁM ĐỐC",
          "signer_title": "PHÓ GIÁM ĐỐC", "signer_name": "Hoàng Thị Mai"}
COMMUNE = {"parent_agency": "", "agency": "ỦY BAN NHÂN DÂN XÃ TÂN ĐOÀN", "place": "Tân Đoàn",
           "doc_symbol": "BC-UBND", "signer_authority": "TM. ỦY BAN NHÂN DÂN",
           "signer_title": "CHỦ TỊCH", "signer_name": "Lương Văn Toản"}


def _set_up(db) -> None:
    office_settings.save_header(db, OFFICE, ["Văn phòng UBND tỉnh", "Lưu: VT"])
    settings.put(db, SETUP_KEY, {"unit_code": "LS", "date": "2025-01-01"})
    report_header.save_unit_header(db, "XTD", COMMUNE, ["UBND tỉnh Lạng Sơn"])


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_bears_number_place_date_signer_and_recipients(office, province_file,  # noqa: F811
                                                              db_path, tmp_path, capsys):
    _set_up(office)
    office.close()
    whole, commune = tmp_path / "toan_bo.pdf", tmp_path / "tan_doan.pdf"
    assert command(_args(db_path, province_file, out=str(whole))) == 0
    assert command(_args(db_path, province_file, out=str(commune), unit="XTD")) == 0
    out = capsys.readouterr().out.splitlines()  # whose they are, said as `report monthly` does
    assert out.count("Tiêu đề và người ký: của cơ quan (TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG), "
                     "theo Cài đặt › Tiêu đề văn bản.") == 1
    assert out[-1] == ("Tiêu đề và người ký: của đơn vị (ỦY BAN NHÂN DÂN XÃ TÂN ĐOÀN), theo "
                       "Danh mục › Đơn vị.")
    pages = [_flat(t) for t in page_texts(whole.read_bytes())]
    assert "Số: /BC-TTPVHCC" in pages[0] and "Lạng Sơn, ngày" in pages[0]
    assert "BÁO CÁO Kết quả đối chiếu hồ sơ với Hệ thống thông tin" in pages[0]
    last = pages[-1]
    assert ("Trên đây là kết quả đối chiếu hồ sơ với Hệ thống thông tin giải quyết thủ tục hành "
            "chính của tỉnh từ ngày 01/01/2025 đến ngày 31/01/2025./.") in last
    for words in ("Nơi nhận:", "- Văn phòng UBND tỉnh;", "- Lưu: VT.", "KT. GIÁM ĐỐC",
                  "PHÓ GIÁM ĐỐC", "Hoàng Thị Mai"):
        assert words in last, words
    # a commune's list is the commune's document, signed by its chairman
    pages = [_flat(t) for t in page_texts(commune.read_bytes())]
    assert "ỦY BAN NHÂN DÂN XÃ TÂN ĐOÀN" in pages[0] and "Tân Đoàn, ngày" in pages[0]
    assert "Số: /BC-UBND" in pages[0] and "TRUNG TÂM PHỤC VỤ" not in pages[0]
    last = pages[-1]
    assert "đến ngày 31/01/2025 của UBND xã Tân Đoàn./." in last
    for words in ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lương Văn Toản", "- UBND tỉnh Lạng Sơn;"):
        assert words in last, words
    assert "Hoàng Thị Mai" not in last and "GIÁM ĐỐC" not in last


def test_the_workbook_bears_the_same_heading_and_signer(office, province_file,  # noqa: F811
                                                        db_path, tmp_path):
    _set_up(office)
    office.close()
    book = tmp_path / "tan_doan.xlsx"
    assert command(_args(db_path, province_file, out=str(book), unit="XTD")) == 0
    workbook = load_workbook(book)
    for sheet in workbook.worksheets:
        top = [c.value for row in sheet.iter_rows(max_row=4) for c in row if c.value]
        assert "ỦY BAN NHÂN DÂN XÃ TÂN ĐOÀN" in top, sheet.title
        assert "Số:" + "\u00a0" * 12 + "/BC-UBND" in top, (sheet.title, top)
        assert any(str(v).startswith("Tân Đoàn, ngày") for v in top), (sheet.title, top)
    cells = [c.value for row in workbook["Chỉ tiêu"].iter_rows() for c in row if c.value]
    assert cells[-1] == "Lương Văn Toản" and "Hoàng Thị Mai" not in cells
    assert {"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Ký tên, đóng dấu)"} <= set(cells[-7:])
