"""A department's documents are signed by its head (Decree 30/2020 Art. 13.1, Phụ lục I ô 7):
its monthly report (headed «UBND HUYỆN VĂN QUAN / PHÒNG TƯ PHÁP» since mend38) printed no
signer's title at all, its Mẫu 04 the form's «THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ». One rule, the one a
commune's «TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH» comes from: core.report_header.made_header; a title
typed for the unit (Danh mục › Đơn vị) wins, as for every unit."""
from __future__ import annotations

import datetime as dt

import pytest

from core import report_header
from core.office_setup import SETUP_KEY
from core.pdf import slips
from core.pdf.monthly import build_monthly
from db import settings
from tests.core.pdf import sample
from tests.pdfread import pdf_text

ISSUED = dt.date(2026, 11, 5)
CODE = "H01-261005-0001"  # received at the district's one-stop, resolved by the department


@pytest.fixture
def district(db):
    sample.catalogue_only(db)
    settings.put(db, SETUP_KEY, {"unit_code": "H01", "date": "2026-01-01"})
    sample.resolved_by(db, CODE, "H01", dt.datetime(2026, 10, 5, 8, 0), "P01")
    sample.add_extension(db, CODE, dt.datetime(2026, 10, 20, 16, 0), "Cần xác minh thêm.")
    return db


def signature(pdf: bytes) -> str:
    """The words after «Nơi nhận:» to the report's fingerprint line."""
    text = " ".join(pdf_text(pdf).split())
    return text.split("Nơi nhận:")[-1].split("Dấu kiểm chứng")[0]


def test_the_departments_report_is_signed_by_its_head(district):
    signed = signature(build_monthly(district, "2026-10", unit="P01", issued=ISSUED))
    assert "TRƯỞNG PHÒNG" in signed, signed
    assert "CHỦ TỊCH" not in signed and "TM." not in signed


def test_the_departments_apology_is_signed_by_the_same_title(district):
    signed = signature(slips.build_apology(district, CODE))
    assert "TRƯỞNG PHÒNG" in signed and slips.HEAD_OF_BODY not in signed, signed


def test_a_title_typed_for_the_department_wins(district):
    settings.put(district, report_header.KEY, {"P01": dict(
        agency="PHÒNG TƯ PHÁP", signer_authority="KT. TRƯỞNG PHÒNG",
        signer_title="PHÓ TRƯỞNG PHÒNG", signer_name="Lê Văn Ký")})
    signed = signature(build_monthly(district, "2026-10", unit="P01", issued=ISSUED))
    assert "KT. TRƯỞNG PHÒNG PHÓ TRƯỞNG PHÒNG" in signed and "Lê Văn Ký" in signed, signed


def test_a_commune_is_still_signed_for_its_committee(district):
    signed = signature(build_monthly(district, "2026-10", unit="X01", issued=ISSUED))
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in signed, signed


@pytest.mark.parametrize(("name", "title"), [
    ("Phòng Tư pháp", "TRƯỞNG PHÒNG"), ("PHÒNG NỘI VỤ", "TRƯỞNG PHÒNG"),
    ("Văn phòng HĐND và UBND", "CHÁNH VĂN PHÒNG"), ("Sở Tư pháp", "GIÁM ĐỐC"),
    ("Thanh tra huyện", "CHÁNH THANH TRA"), ("Chi cục Thuế khu vực", ""),
    ("UBND xã Văn An", "CHỦ TỊCH"),
    # review39a: a land registration office's head is its director, a notary office's and a
    # clinic's no title made here (the form's own «THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ»)
    ("Văn phòng Đăng ký đất đai", "GIÁM ĐỐC"), ("VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI TỈNH LẠNG SƠN", "GIÁM ĐỐC"),
    ("Văn phòng công chứng Văn Quan", ""), ("Phòng khám đa khoa khu vực", "")])
def test_the_title_made_from_a_units_name(name, title):
    assert report_header.made_header(name)["signer_title"] == title
