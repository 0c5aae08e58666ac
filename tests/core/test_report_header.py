"""Whose header and signer a unit's documents print (core.report_header): a commune's monthly
report is the commune's, never issued under the office's header and signer (round 10, defect 1)."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import catalogue, office_settings, report_header
from core.errors import FieldError
from core.office_setup import SETUP_KEY
from core.pdf.book import gather as book_gather
from core.pdf.monthly import build_monthly
from core.workbook.bieu06 import gather as bieu06_gather
from db import settings
from tests.core.factories import add_dossier, add_procedures
from tests.pdfread import page_texts

T = dt.datetime
OFFICE = {"parent_agency": "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
          "agency": "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "office": "CHI NHÁNH TẠI VĂN QUAN",
          "place": "Lạng Sơn", "doc_symbol": "BC-TTPVHCC", "signer_authority": "KT. GIÁM ĐỐC",
          "signer_title": "PHÓ GIÁM ĐỐC", "signer_name": "Hoàng Thị Mai"}


def office(db) -> None:
    """The demo's shape: the provincial centre's branch is the office; communes report directly."""
    catalogue.save_unit(db, "LS", "UBND tỉnh Lạng Sơn", "province", None)
    catalogue.save_unit(db, "TT", "Trung tâm Phục vụ hành chính công tỉnh", "centre", "LS")
    catalogue.save_unit(db, "CN", "Chi nhánh tại Văn Quan", "branch", "TT")
    catalogue.save_unit(db, "YP", "UBND xã Yên Phúc", "commune", "LS")
    catalogue.save_unit(db, "YP1", "Điểm tiếp nhận xã Yên Phúc tại An Sơn", "reception_point",
                        "YP")
    catalogue.save_unit(db, "DH", "UBND xã Điềm He", "commune", "LS")
    office_settings.save_header(db, OFFICE, ["Sở Nội vụ", "Lưu: VT"])
    settings.put(db, SETUP_KEY, {"unit_code": "CN", "date": "2025-07-01"})
    add_procedures(db)
    add_dossier(db, code="YP-1", unit="YP", received=T(2026, 10, 5, 8))


def first_and_last(data: bytes) -> tuple[str, str]:
    pages = page_texts(data)
    return pages[0], pages[-1]


def test_a_commune_report_is_issued_under_the_commune_not_the_office(db):
    office(db)
    first, last = first_and_last(build_monthly(db, "2026-10", unit="YP"))
    # in two lines, as officials write it (core.pdf.blocks.header_block)
    assert "ỦY BAN NHÂN DÂN\n XÃ YÊN PHÚC" in first and "Yên Phúc, ngày" in first
    assert "TRUNG TÂM PHỤC VỤ" not in first and "BC-TTPVHCC" not in first
    assert "TM. ỦY BAN NHÂN DÂN" in last and "CHỦ TỊCH" in last
    assert "Hoàng Thị Mai" not in last and "GIÁM ĐỐC" not in last  # no one else's signature
    made = report_header.header_for(db, "YP")
    assert made.source == report_header.MADE and made.header["signer_name"] == ""
    assert "chưa có tiêu đề báo cáo riêng" in made.note and "họ tên người ký" in made.note
    # the office's own documents keep the office's header
    first, last = first_and_last(build_monthly(db, "2026-10"))
    assert "BC-TTPVHCC" in first and "Hoàng Thị Mai" in last
    for unit in ("CN", "LS", "TT"):  # the office's unit, one above it, the province
        assert report_header.header_for(db, unit).source == report_header.OFFICE


def test_a_communes_own_header_and_signer_print_on_all_its_documents(db):
    office(db)
    fields = {"parent_agency": "", "agency": "Ủy ban nhân dân xã Yên Phúc",
              "office": "Trung tâm Phục vụ hành chính công xã", "place": "Yên Phúc",
              "doc_symbol": "BC-UBND", "signer_authority": "KT. CHỦ TỊCH",
              "signer_title": "PHÓ CHỦ TỊCH", "signer_name": "  Lương Văn Toản "}
    report_header.save_unit_header(db, "YP", fields, ["UBND tỉnh Lạng Sơn", ""])
    first, last = first_and_last(build_monthly(db, "2026-10", unit="YP"))
    assert "ỦY BAN NHÂN DÂN\n XÃ YÊN PHÚC" in first
    assert "KT. CHỦ TỊCH" in last and "PHÓ CHỦ TỊCH" in last and "Lương Văn Toản" in last
    assert "UBND tỉnh Lạng Sơn" in last and "Sở Nội vụ" not in last
    # the reception point's report is its commune's; the register and Biểu 06 in Excel too
    first, last = first_and_last(build_monthly(db, "2026-10", unit="YP1"))
    assert "Lương Văn Toản" in last
    assert report_header.header_for(db, "YP1").source == report_header.ABOVE
    assert book_gather(db, dt.date(2026, 10, 1), dt.date(2026, 10, 31), "YP").header[
        "office"] == "Trung tâm Phục vụ hành chính công xã"
    assert bieu06_gather(db, dt.date(2026, 10, 1), dt.date(2026, 10, 31), "YP1").header[
        "signer_name"] == "Lương Văn Toản"
    # another commune is untouched; all fields emptied: back to the header made from the name
    assert report_header.header_for(db, "DH").header["agency"] == "ỦY BAN NHÂN DÂN XÃ ĐIỀM HE"
    report_header.save_unit_header(db, "YP", dict.fromkeys(fields, " "), [])
    assert report_header.header_for(db, "YP").source == report_header.MADE
    # a header typed for the province is the province's: never a commune's below it
    report_header.save_unit_header(db, "LS", {"agency": "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN"}, [])
    assert report_header.header_for(db, "LS").source == report_header.OWN
    assert report_header.header_for(db, "YP1").owner == "YP"
    assert report_header.header_for(db, "YP").source == report_header.MADE


def test_a_units_header_follows_the_offices_rules(db):
    office(db)
    base = {"agency": "UBND XÃ YÊN PHÚC"}
    with pytest.raises(FieldError, match="^Họ tên người ký dài 201 ký tự") as error:
        report_header.save_unit_header(db, "YP", dict(base, signer_name="X" * 201), [])
    assert error.value.field == "signer_name"  # said under that line (round 19)
    with pytest.raises(FieldError) as error:
        report_header.save_unit_header(db, "YP", base, [f"Nơi {i}" for i in range(11)])
    assert error.value.field == "recipients"
    with pytest.raises(FieldError) as error:
        report_header.save_unit_header(db, "YP", {"signer_name": "Lương Văn Toản"}, [])
    assert error.value.field == "agency"
    with pytest.raises(FieldError):
        report_header.save_unit_header(db, "KHONG", base, [])
    assert report_header.stored(db) == {}  # nothing of a refused save kept


def test_the_header_made_from_a_name_invents_nothing():
    made = report_header.made_header("UBND  phường Tam Thanh")
    assert (made["agency"], made["place"], made["signer_name"]) == \
        ("ỦY BAN NHÂN DÂN PHƯỜNG TAM THANH", "Tam Thanh", "")
    other = report_header.made_header("Ban Quản lý khu kinh tế")
    assert other["agency"] == "BAN QUẢN LÝ KHU KINH TẾ"
    assert other["place"] == other["signer_title"] == other["signer_authority"] == ""


def test_the_cli_says_whose_header_it_printed(db, db_path, tmp_path, capsys):
    office(db)
    db.close()
    out = tmp_path / "yp.pdf"
    assert main.main(["--db", str(db_path), "report", "monthly", "--month", "2026-10",
                      "--unit", "YP", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "UBND xã Yên Phúc chưa có tiêu đề báo cáo riêng" in said
    assert "Danh mục › Đơn vị" in said
    assert main.main(["--db", str(db_path), "report", "monthly", "--month", "2026-10",
                      "--out", str(tmp_path / "all.pdf")]) == 0
    assert "của cơ quan (TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG)" in capsys.readouterr().out


def test_an_office_whose_header_is_not_set_is_told_so_plainly(db, db_path, tmp_path, capsys):
    """A new office's Cài đặt › Tiêu đề văn bản is empty: the CLI said "của cơ quan (—)"."""
    office(db)
    office_settings.save_header(db, {key: "" for key in OFFICE}, [])
    db.close()
    out = tmp_path / "all.pdf"
    assert main.main(["--db", str(db_path), "report", "monthly", "--month", "2026-10",
                      "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "(—)" not in said
    assert ("Tiêu đề và người ký của cơ quan: chưa đặt — báo cáo in trống tên cơ quan ban hành "
            "và người ký. Vào Cài đặt › Tiêu đề văn bản để nhập.") in said
    assert "TRUNG TÂM PHỤC VỤ" not in first_and_last(out.read_bytes())[0]
