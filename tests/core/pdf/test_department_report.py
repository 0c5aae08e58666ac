"""The monthly report of a department with no header of its own (core.report_header's rule, the
one Mẫu 04 of the department already followed): headed by the administration above it, then
itself, dated at the place that administration sits (Decree 30/2020 Phụ lục I II.2, II.4). It
printed «PHÒNG TƯ PHÁP» alone, dated «Ngày …» with no place (mend37's «Still open»)."""
from __future__ import annotations

import datetime as dt

import pytest

from core import report_header
from core.office_setup import SETUP_KEY
from core.pdf import slips
from core.pdf.monthly import build_monthly
from db import settings
from db.connection import transaction
from tests.core.pdf import sample
from tests.pdfread import pdf_text

ISSUED = dt.date(2026, 11, 5)
CODE = "H01-261005-0001"  # received at the district's one-stop, resolved by the department
AT_DESK = "P01-261005-0002"  # received at the department


@pytest.fixture
def district(db):
    """The sample catalogue, the office's unit the district; a dossier the department resolves
    (extended: its Mẫu 04) and one received at the department's desk."""
    sample.catalogue_only(db)
    settings.put(db, SETUP_KEY, {"unit_code": "H01", "date": "2026-01-01"})
    sample.resolved_by(db, CODE, "H01", dt.datetime(2026, 10, 5, 8, 0), "P01")
    sample.add_extension(db, CODE, dt.datetime(2026, 10, 20, 16, 0), "Cần xác minh thêm.")
    sample.add_dossier(db, AT_DESK, "P01", dt.datetime(2026, 10, 5, 9, 0))
    return db


def head(pdf: bytes, title: str) -> str:
    """The words above the document's title: the header, the number, the place and date (after
    the report's fingerprint line, which the text of a page gives first)."""
    return " ".join(pdf_text(pdf).split()).split(title)[0].split(")")[-1]


def test_a_departments_report_is_headed_by_the_body_above_and_dated_at_its_place(district):
    top = head(build_monthly(district, "2026-10", unit="P01", issued=ISSUED), "BÁO CÁO")
    assert top.strip().startswith("UBND HUYỆN VĂN QUAN PHÒNG TƯ PHÁP CỘNG HÒA"), top
    assert "Văn Quan, ngày 05 tháng 11 năm 2026" in top, top


def test_the_report_and_the_departments_letter_print_the_same_lines(district):
    """One rule: the header lines and the place of the report are those of Mẫu 04 the
    department writes as the resolving body."""
    report = head(build_monthly(district, "2026-10", unit="P01", issued=ISSUED), "BÁO CÁO")
    letter = head(slips.build_apology(district, CODE), "PHIẾU XIN LỖI")
    lines = "UBND HUYỆN VĂN QUAN PHÒNG TƯ PHÁP"
    assert report.strip().startswith(lines) and letter.strip().startswith(lines), letter
    assert "Văn Quan, ngày" in report and "Văn Quan, ngày" in letter, letter


def test_the_departments_desk_dates_its_receipt_where_it_sits(district):
    """The receipt stays the one-stop's (review37), now dated at the place too: «Ngày …» alone
    before."""
    top = head(slips.build_receipt(district, AT_DESK), "GIẤY TIẾP NHẬN")
    assert top.strip().startswith("UBND HUYỆN VĂN QUAN BỘ PHẬN MỘT CỬA"), top
    assert "Văn Quan, ngày 05 tháng 10 năm 2026" in top, top


def test_the_note_names_both_lines_and_no_missing_place(district):
    note = report_header.header_for(district, "P01").note
    assert "(UBND HUYỆN VĂN QUAN / PHÒNG TƯ PHÁP)" in note and "địa danh" not in note, note


def test_the_place_is_the_one_of_the_body_above_whatever_header_it_has(district):
    """A district with a header of its own (Danh mục › Đơn vị) gives its place; the office's
    own header is then no longer the district's."""
    settings.put(district, SETUP_KEY, {"unit_code": "X01", "date": "2026-01-01"})
    headers = {"H01": dict(agency="ỦY BAN NHÂN DÂN HUYỆN VĂN QUAN", place="Thị trấn Văn Quan")}
    settings.put(district, report_header.KEY, headers)
    made = report_header.header_for(district, "P01").header
    assert (made["parent_agency"], made["agency"], made["place"]) == \
        ("UBND HUYỆN VĂN QUAN", "PHÒNG TƯ PHÁP", "Thị trấn Văn Quan")


def test_a_commune_and_a_district_keep_their_own_lines(district):
    commune = report_header.header_for(district, "X01").header
    assert (commune["parent_agency"], commune["place"]) == ("", "Văn An")
    assert report_header.header_for(district, "H01").source == report_header.OFFICE


def test_a_loop_of_departments_ends(district):
    """Parents in a loop (refused at the desk and in the units file, possible by SQL): the
    department's lines ask the body above once, never round the loop again."""
    with transaction(district) as conn:
        conn.execute("INSERT INTO units(code, name, level, parent_code) VALUES "
                     "('P02', 'Phòng Nội vụ', 'department', 'P01')")
        conn.execute("UPDATE units SET parent_code = 'P02' WHERE code = 'P01'")
    made = report_header.header_for(district, "P01").header
    assert (made["parent_agency"], made["agency"]) == ("PHÒNG NỘI VỤ", "PHÒNG TƯ PHÁP")


def test_a_department_of_a_body_above_the_office_is_not_dated_at_the_offices_place(db):
    """review38: with the district as the office, the province's «Sở Tư pháp» was headed
    «UBND TỈNH LẠNG SƠN / SỞ TƯ PHÁP» but dated at «Văn Quan», the district office's place
    (the province's header is the office's by the rule of a unit above it): no place is
    better than a wrong one, and the header's note says it is empty."""
    sample.catalogue_only(db)
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level, parent_code) "
                     "VALUES ('T01', 'UBND tỉnh Lạng Sơn', 'province', NULL)")
        conn.execute("UPDATE units SET parent_code = 'T01' WHERE code = 'H01'")
        conn.execute("INSERT INTO units(code, name, level, parent_code) "
                     "VALUES ('S01', 'Sở Tư pháp', 'department', 'T01')")
    settings.put(db, SETUP_KEY, {"unit_code": "H01", "date": "2026-01-01"})
    assert report_header.header_for(db, "H01").header.get("place") == "Văn Quan"
    sở = report_header.header_for(db, "S01")
    assert sở.header["parent_agency"] == "UBND TỈNH LẠNG SƠN"
    assert sở.header.get("place", "") == "", sở.header
    assert report_header.header_for(db, "P01").header["place"] == "Văn Quan"  # as before
