"""An agency's name typed in capitals in the header, as a slip's sentence writes it (Decree
30/2020, Phụ lục II: the first letter and the place's own name capitalised, the kinds in lower
case): "Ủy ban nhân dân xã Yên Phúc tiếp nhận hồ sơ của", never "…xã yên phúc" (the sentence
lowercased everything after its first letter). One rule: core.pdf.agency_case.sentence_name."""
from __future__ import annotations

import datetime as dt

import pytest

from core.pdf import slips
from core.pdf.agency_names import sentence_name
from core.pdf.slip_data import desk_phrase
from db import settings
from tests.core.pdf import sample
from tests.pdfread import pdf_text

NAMES = [
    ("BỘ PHẬN MỘT CỬA", "Bộ phận Một cửa"),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "Ủy ban nhân dân thành phố Hồ Chí Minh"),
    ("ỦY BAN NHÂN DÂN XÃ YÊN PHÚC", "Ủy ban nhân dân xã Yên Phúc"),
    ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH BÀ RỊA - VŨNG TÀU",
     "Trung tâm Phục vụ hành chính công tỉnh Bà Rịa - Vũng Tàu"),
    ("ỦY BAN NHÂN DÂN PHƯỜNG HẢI CHÂU", "Ủy ban nhân dân phường Hải Châu"),
    ("UBND PHƯỜNG HẢI CHÂU THÀNH PHỐ ĐÀ NẴNG", "UBND phường Hải Châu thành phố Đà Nẵng"),
    ("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", "Bộ phận Tiếp nhận và Trả kết quả"),
    ("CHI NHÁNH TẠI VĂN QUAN", "Chi nhánh tại Văn Quan"),
    ("CHI NHÁNH TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH TẠI VĂN QUAN",
     "Chi nhánh Trung tâm Phục vụ hành chính công tỉnh tại Văn Quan"),
    ("ĐIỂM TIẾP NHẬN XÃ YÊN PHÚC TẠI AN SƠN", "Điểm tiếp nhận xã Yên Phúc tại An Sơn"),
    ("ỦY BAN NHÂN DÂN ĐẶC KHU PHÚ QUỐC", "Ủy ban nhân dân đặc khu Phú Quốc"),
    ("ỦY BAN NHÂN DÂN THỊ TRẤN VĂN QUAN HUYỆN VĂN QUAN",
     "Ủy ban nhân dân thị trấn Văn Quan huyện Văn Quan"),
    ("ỦY BAN NHÂN DÂN PHƯỜNG 1 QUẬN 3", "Ủy ban nhân dân phường 1 quận 3"),
    ("UBND PHƯỜNG XÃ ĐÀN", "UBND phường Xã Đàn"),  # a place's name, not a second kind
    ("ỦY BAN NHÂN DÂN HUYỆN M'ĐRẮK", "Ủy ban nhân dân huyện M'Đrắk"),
    ("ỦY BAN NHÂN DÂN TỈNH BÀ RỊA-VŨNG TÀU", "Ủy ban nhân dân tỉnh Bà Rịa-Vũng Tàu"),
    ("CHI NHÁNH KHU VỰC II", "Chi nhánh khu vực II"),
    ("ủy ban nhân dân xã yên phúc", "Ủy ban nhân dân xã Yên Phúc"),  # typed all in lower case
    # no kind word: a place's own name, each syllable capitalised (the lead's decision, round
    # 39: «NÀ LẦU» was «Nà lầu»)
    ("NÀ LẦU", "Nà Lầu"), ("VĂN QUAN", "Văn Quan"), ("văn quan", "Văn Quan"),
    # a body's field after its kind as Decree 30/2020 (Phụ lục II) writes it: the first
    # syllable, and each after "và", a comma or a dash, capitalised (round 39: «Phòng Tư Pháp»)
    ("VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI", "Văn phòng Đăng ký đất đai"),
    ("PHÒNG TƯ PHÁP", "Phòng Tư pháp"), ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Sở Tài nguyên và Môi trường"),
    ("PHÒNG TÀI CHÍNH - KẾ HOẠCH", "Phòng Tài chính - Kế hoạch"),
    ("PHÒNG KINH TẾ, HẠ TẦNG VÀ ĐÔ THỊ", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Sở Lao động - Thương binh và Xã hội"),
    ("PHÒNG TƯ PHÁP HUYỆN VĂN QUAN", "Phòng Tư pháp huyện Văn Quan"),
    ("VĂN PHÒNG HĐND VÀ UBND HUYỆN VĂN QUAN", "Văn phòng HĐND và UBND huyện Văn Quan"),
    ("BẢO HIỂM XÃ HỘI HUYỆN VĂN QUAN", "Bảo hiểm xã hội huyện Văn Quan"),
    # a kind of body in a place's name is the name's ("xã Phòng Điền", "xã Ban Công")
    ("ỦY BAN NHÂN DÂN XÃ PHÒNG ĐIỀN", "Ủy ban nhân dân xã Phòng Điền"),
    ("XÃ BAN CÔNG", "Xã Ban Công"),
    # review39a: a desk of another name is a «Bộ phận», not «Bộ Phận»; a province or the
    # country after a field is a place's name; a place after its kind holds no body; a
    # numeral after a place's kind, an abbreviation without a vowel stay upper case
    ("BỘ PHẬN PHỤC VỤ HÀNH CHÍNH CÔNG", "Bộ phận Phục vụ hành chính công"),
    ("BẢO HIỂM XÃ HỘI VIỆT NAM", "Bảo hiểm xã hội Việt Nam"),
    ("SỞ TƯ PHÁP HÀ NỘI", "Sở Tư pháp Hà Nội"),
    ("XÃ PHÚ HỘI AN TÂY", "Xã Phú Hội An Tây"), ("HỘI AN TÂY", "Hội An Tây"),
    ("PHƯỜNG IV", "Phường IV"), ("XÃ TÂN PHÚ III", "Xã Tân Phú III"),
    ("CHI CỤC THUẾ KHU VỰC XVII", "Chi cục Thuế khu vực XVII"),
    ("TP.HCM", "TP.HCM"), ("SỞ KH&ĐT", "Sở KH&ĐT"),
    # review39b: a field's "xã hội" is no commune, unless a name follows it
    ("TRUNG TÂM BẢO TRỢ XÃ HỘI TỈNH LẠNG SƠN", "Trung tâm Bảo trợ xã hội tỉnh Lạng Sơn"),
    ("PHÒNG VĂN HÓA XÃ HỘI", "Phòng Văn hóa xã hội"),
    ("TRUNG TÂM Y TẾ XÃ HỘI HOAN", "Trung tâm Y tế xã Hội Hoan"),
]
# typed in upper and lower case: the clerk wrote it so, kept as typed
TYPED = ["Ủy ban nhân dân xã Yên Phúc", "UBND xã Yên Phúc", "Bộ phận một cửa",
         "Trung tâm Phục vụ Hành chính công tỉnh Bà Rịa - Vũng Tàu"]


@pytest.mark.parametrize(("line", "phrase"), NAMES)
def test_a_header_line_in_capitals_reads_as_a_sentence_writes_it(line, phrase):
    assert desk_phrase({"office": line}) == phrase
    assert sentence_name(line) == phrase


@pytest.mark.parametrize("typed", TYPED)
def test_a_name_typed_in_upper_and_lower_case_is_kept_as_typed(typed):
    assert desk_phrase({"office": typed}) == typed
    assert desk_phrase({"office": "BỘ PHẬN MỘT CỬA", "desk": typed}) == typed


def test_no_office_line_names_the_one_stop_desk():
    assert sentence_name("") == "" and sentence_name("   ") == ""
    for header in ({}, {"office": ""}, {"office": "  "}, {"office": "", "desk": ""}):
        assert desk_phrase(header) == "Bộ phận Một cửa"


def test_a_desk_named_in_capitals_reads_as_a_sentence_writes_it():
    header = {"office": "BỘ PHẬN MỘT CỬA", "desk": "ĐIỂM TIẾP NHẬN XÃ YÊN PHÚC TẠI AN SƠN"}
    assert desk_phrase(header) == "Điểm tiếp nhận xã Yên Phúc tại An Sơn"


@pytest.mark.parametrize(("agency", "office", "phrase"), [
    ("ỦY BAN NHÂN DÂN HUYỆN VĂN QUAN", "ỦY BAN NHÂN DÂN XÃ YÊN PHÚC",
     "Ủy ban nhân dân xã Yên Phúc"),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
     "Ủy ban nhân dân thành phố Hồ Chí Minh")])
def test_the_receipts_sentences_capitalise_the_place(db, write_pdf, agency, office, phrase):
    sample.catalogue_only(db)
    header = dict(settings.get(db, "report_header"), agency=agency, office=office)
    settings.put(db, "report_header", header)
    sample.add_dossier(db, "X02-261005-0001", "X02", dt.datetime(2026, 10, 5, 8, 0))
    text = " ".join(pdf_text(write_pdf(slips.build_receipt(db, "X02-261005-0001"))).split())
    assert f"{phrase} tiếp nhận hồ sơ của" in text
    assert f"Đăng ký nhận kết quả tại: {phrase} – UBND xã Tràng Phái." in text
    assert phrase.lower() not in text


@pytest.mark.parametrize(("place", "written"), [
    ("HỘI AN TÂY", "Hội An Tây"), ("PHÒNG ĐIỀN", "Phòng Điền"), ("BAN CÔNG", "Ban Công"),
    ("NÀ LẦU", "Nà Lầu"), ("TP.HCM", "TP.HCM"), ("Văn Quan", "Văn Quan")])
def test_the_place_line_reads_a_place_never_a_body(place, written):
    """review39a: the place of «…, ngày …» went through the agencies' rule and «HỘI AN TÂY»
    came out «Hội An tây», a ward taken for a «Hội»: a place line holds a place alone."""
    from core.pdf.vnformat import place_date
    assert place_date(place, dt.date(2026, 11, 5)) == f"{written}, ngày 05 tháng 11 năm 2026"
