"""A name typed all in capitals without a kind word, in running text and on the place line
(the lead's decision, round 39): a body's or a place's own name capitalises every syllable, so
«NÀ LẦU» is written «Nà Lầu» — it was «Nà lầu» in a slip's sentence, and the place line printed
«NÀ LẦU, ngày …». The header's own upper-case lines stay upper case. One rule:
core.pdf.agency_case.sentence_name (the slips' sentences, core.pdf.vnformat.place_date)."""
from __future__ import annotations

import datetime as dt

from core.pdf import slips
from core.pdf.monthly import build_monthly
from db import settings
from db.connection import transaction
from tests.core.pdf import sample
from tests.pdfread import pdf_text

ISSUED = dt.date(2026, 11, 5)
CODE = "X02-261005-0001"


def words(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def capitals(db, **fields) -> None:
    sample.catalogue_only(db)
    header = dict(settings.get(db, "report_header"), agency="ỦY BAN NHÂN DÂN XÃ NÀ LẦU",
                  office="BỘ PHẬN MỘT CỬA", place="NÀ LẦU")
    settings.put(db, "report_header", dict(header, **fields))
    sample.add_dossier(db, CODE, "X02", dt.datetime(2026, 10, 5, 8, 0))


def test_the_monthly_report_is_dated_at_the_place_written_as_a_name(db):
    capitals(db)
    text = words(build_monthly(db, "2026-10", issued=ISSUED))
    assert "Nà Lầu, ngày 05 tháng 11 năm 2026" in text, text[:400]
    assert "ỦY BAN NHÂN DÂN XÃ NÀ LẦU" in text  # the header's line stays upper case
    assert "NÀ LẦU, ngày" not in text and "Nà lầu" not in text


def test_the_slips_write_the_place_and_the_desk_as_names(db):
    capitals(db, office="NÀ LẦU")  # a desk named without its kind word
    receipt = words(slips.build_receipt(db, CODE))
    assert "Nà Lầu, ngày 05 tháng 10 năm 2026" in receipt, receipt[:400]
    assert "Nà Lầu tiếp nhận hồ sơ của" in receipt, receipt
    assert "Nà lầu" not in receipt and "NÀ LẦU tiếp nhận" not in receipt


def test_a_commune_named_in_capitals_in_the_catalogue_is_dated_at_its_name(db):
    """A unit whose catalogue name is in capitals: the made header's lines are upper case, its
    place (taken from the name) is written as a name on the place line."""
    sample.catalogue_only(db)
    with transaction(db) as conn:
        conn.execute("UPDATE units SET name = 'UBND XÃ NÀ LẦU' WHERE code = 'X02'")
    sample.add_dossier(db, CODE, "X02", dt.datetime(2026, 10, 5, 8, 0))
    text = words(build_monthly(db, "2026-10", unit="X02", issued=ISSUED))
    assert "ỦY BAN NHÂN DÂN XÃ NÀ LẦU" in text and "Nà Lầu, ngày 05 tháng 11 năm 2026" in text


def test_a_resolving_body_named_in_capitals_is_written_as_a_name_in_the_apology(db):
    """The lead's reading of round 39: Mẫu 04's running text named the department as the
    catalogue holds it, «PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI chưa trả kết quả», and the
    receiving desk «Bộ phận Một cửa – UBND HUYỆN VĂN QUAN»: the one rule writes both."""
    from core.office_setup import SETUP_KEY
    sample.catalogue_only(db)
    settings.put(db, SETUP_KEY, {"unit_code": "H01", "date": "2026-01-01"})
    sample.resolved_by(db, "H01-261005-0001", "H01", dt.datetime(2026, 10, 5, 8, 0), "P01")
    with transaction(db) as conn:
        conn.execute("UPDATE units SET name = 'PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI' "
                     "WHERE code = 'P01'")
        conn.execute("UPDATE units SET name = 'UBND HUYỆN VĂN QUAN' WHERE code = 'H01'")
    sample.add_extension(db, "H01-261005-0001", dt.datetime(2026, 10, 20, 16, 0), "Chờ xác minh.")
    text = words(slips.build_apology(db, "H01-261005-0001"))
    assert "Tuy nhiên đến nay, Phòng Lao động - Thương binh và Xã hội chưa trả" in text, text
    assert "Phòng Lao động - Thương binh và Xã hội xin trân trọng" in text, text
    assert "– UBND huyện Văn Quan tiếp nhận" in text, text
    assert "VÀ XÃ HỘI chưa" not in text and "UBND HUYỆN VĂN QUAN tiếp" not in text


def test_the_monthly_report_of_a_unit_named_in_capitals_names_it_as_a_sentence_does(db):
    """The lead's reading of round 39: the report's title line and first sentence said «… của
    PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI»; the header's lines above stay upper case."""
    sample.catalogue_only(db)
    sample.resolved_by(db, "H01-261005-0001", "H01", dt.datetime(2026, 10, 5, 8, 0), "P01")
    with transaction(db) as conn:
        conn.execute("UPDATE units SET name = 'PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI' "
                     "WHERE code = 'P01'")
    text = words(build_monthly(db, "2026-10", unit="P01", issued=ISSUED))
    said = "của Phòng Lao động - Thương binh và Xã hội"
    assert f"tháng 10 năm 2026 {said}" in text, text[:600]
    assert f"Kết quả giải quyết thủ tục hành chính {said} trong" in text, text[:900]
    assert "THƯƠNG BINH VÀ XÃ HỘI" in text  # the header's line
    assert "của PHÒNG" not in text
