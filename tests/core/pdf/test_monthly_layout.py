"""The monthly report's layout, checked on figures in the shape of spec 8 (no engine needed)."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from core.pdf.monthly import render_monthly
from core.pdf.monthly_data import MonthlyData, gap_sentence, needed
from core.pdf.queries import OverdueRow
from core.periods import parse_month
from db.settings import DEFAULTS
from tests.core.pdf import sample
from tests.core.pdf.helpers import figures, kpi_doc
from tests.pdfread import (
    page_sizes,
    page_texts,
    page_texts_pdfium,
    pdf_fonts,
    pdf_text,
    render_pages,
)

A4 = (595.276, 841.89)


def header(**changes) -> dict:
    out = dict(DEFAULTS["report_header"], **sample.HEADER, signer_name="Nguyễn Văn Ấn")
    out.update(changes)
    return out


def data(units, overdue=(), votes=None) -> MonthlyData:
    return MonthlyData(parse_month("2026-10"), kpi_doc(units), header(), dt.date(2026, 11, 5), None,
                       votes or {}, list(overdue))


def busy() -> MonthlyData:
    units = [("X01", "UBND xã Văn An", figures(online=30, direct=170, carried=12, early=90,
                                                on_time=60, late=20, withdrawn=2, overdue=3,
                                                full=25, eligible=40, paid=9, fee=40,
                                                satisfied=48, votes=50)),
             ("X02", "UBND xã Tràng Phái", figures(online=5, direct=20, early=10, on_time=5,
                                                   full=5, eligible=5, paid=3, fee=4,
                                                   satisfied=9, votes=9)),
             ("X03", "UBND xã Điềm He", figures())]
    overdue = [OverdueRow("X01-261001-0007", "Đăng ký khai sinh", "X01", "0382123428",
                          dt.datetime(2026, 10, 20, 17), "8 ngày")]
    return data(units, overdue, {"X01": {"very_satisfied": 30, "satisfied": 18, "neutral": 2},
                                 "X02": {"satisfied": 9}})


def test_header_lines_title_and_signature_are_the_decree_30_ones(write_pdf):
    path = write_pdf(render_monthly(busy()))
    text = pdf_text(path)
    for line in ("ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN", "HUYỆN VĂN QUAN",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Văn Quan, ngày 05 tháng 11 năm 2026", "BÁO CÁO",
                 "Kết quả giải quyết thủ tục hành chính tháng 10 năm 2026",
                 "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Ấn", "Nơi nhận:",
                 "- UBND tỉnh Lạng Sơn;", "- Lưu: VT."):
        assert line in text, line
    assert re.search(r"Số: {4,}/BC-UBND", pdf_text(path, layout=True))  # number left blank


def test_periodic_table_rows_carry_the_figures_per_unit_and_total(write_pdf):
    text = pdf_text(write_pdf(render_monthly(busy())), layout=True)
    rows = {name: re.search(re.escape(name) + r"\s+((?:[\d.]+\s+){10}[\d.]+)", text)
            for name in ("UBND xã Văn An", "UBND xã Tràng Phái", "Tổng cộng")}
    numbers = {k: [int(x.replace(".", "")) for x in m.group(1).split()] for k, m in rows.items()}
    assert numbers["UBND xã Văn An"] == [212, 30, 170, 12, 170, 90, 60, 20, 40, 37, 3]
    assert numbers["UBND xã Tràng Phái"] == [25, 5, 20, 0, 15, 10, 5, 0, 10, 10, 0]
    assert numbers["Tổng cộng"] == [237, 35, 190, 12, 185, 100, 65, 20, 50, 47, 3]


def test_indicators_show_pass_fail_and_the_gap_in_words(write_pdf):
    text = " ".join(pdf_text(write_pdf(render_monthly(busy()))).split())
    # Online payment: 12 of 44 paid online; 45% of 44 is 19.8, so 8 more are needed.
    assert "27,27% (12/44)" in text
    # October is over: its shortfall is stated, nobody is asked to act on it any more
    assert "cần 20/44 hồ sơ thanh toán trực tuyến để đạt 45%, thực tế 12/44 (thiếu 8)" in text
    assert "Chưa đạt" in text and "Đạt" in text
    # Units behind a target are listed with the failing figure.
    assert "Thanh toán trực tuyến 22,50% (9/40)" in text


def test_a_closed_month_states_what_was_missing_over_the_same_denominator(write_pdf):
    """October is over: X01's 150/170 on time (88,24%) was 3 short of 90% (153/170), not the
    30 more on-time dossiers a running month would need; the total's 165/185 was 2 short."""
    text = " ".join(pdf_text(write_pdf(render_monthly(busy()))).split())
    assert "cần 167/185 hồ sơ giải quyết đúng hạn để đạt 90%, thực tế 165/185 (thiếu 2)" in text
    assert ("cần 32/45 hồ sơ nộp trực tuyến toàn trình để đạt 70%, thực tế 30/45 (thiếu 2)"
            in text)
    # IV. Còn thiếu: the same sentence (tests/core/pdf/test_monthly_behind.py)
    assert "88,24% (150/170) 90% Cần 153/170 hồ sơ giải quyết đúng hạn" in text
    assert "62,50% (25/40) 70% Cần 28/40 hồ sơ nộp trực tuyến toàn trình" in text  # 28/40 = 70%
    assert needed(busy().kpi["units"][0], "on_time", 0.9, "eligible") == 30  # a running month


def test_zero_denominator_prints_a_dash_not_zero_percent(write_pdf):
    text = pdf_text(write_pdf(render_monthly(busy())), layout=True)
    line = next(ln for ln in text.splitlines() if "UBND xã Điềm He" in ln and "—" in ln)
    assert "0,00%" not in line


def test_overdue_dossiers_are_listed_with_a_masked_phone(write_pdf):
    text = pdf_text(write_pdf(render_monthly(busy())))
    assert "X01-261001-0007" in text and "0382****28" in text
    assert "0382123428" not in text


def test_a_month_without_data_says_so_in_words(write_pdf):
    empty = data([("X01", "UBND xã Văn An", figures())])
    path = write_pdf(render_monthly(empty))
    text = " ".join(pdf_text(path).split())
    assert "không có hồ sơ thủ tục hành chính nào được tiếp nhận" in text
    assert "%" not in text and "Tổng cộng" not in text
    assert "TM. ỦY BAN NHÂN DÂN" in text


def test_pages_are_a4_numbered_from_page_two_and_all_render(write_pdf, tmp_path):
    many = [(f"X{i:02d}", f"UBND xã Số {i}", figures(online=i, direct=50, early=40, on_time=5,
                                                     late=5, fee=10, paid=i % 10, votes=10,
                                                     satisfied=9)) for i in range(1, 21)]
    path = write_pdf(render_monthly(data(many)))
    sizes = page_sizes(path)
    assert len(sizes) >= 2 and all(abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1 for w, h in sizes)
    pages = pdf_text(path).split("\f")
    assert pages[0].strip().splitlines()[0] != "1"
    assert pages[1].strip().splitlines()[0] == "2"
    assert len(render_pages(path, tmp_path)) == len(sizes)
    assert all(f["emb"] == "yes" for f in pdf_fonts(path))


def test_draft_carries_the_mark_on_every_page_and_the_final_does_not(write_pdf):
    draft = page_texts_pdfium(write_pdf(render_monthly(busy(), draft=True), "d.pdf"))
    assert len(draft) >= 2 and all("BẢN NHÁP" in page for page in draft)
    final = page_texts_pdfium(write_pdf(render_monthly(busy()), "f.pdf"))
    assert not any("BẢN NHÁP" in page for page in final)


def test_needed_uses_the_exact_rate_and_the_engines_rule():
    # online payment: existing fee-bearing dossiers paid online (numerator only)
    assert needed(figures(paid=9, fee=20), "online_payment", 0.45, "eligible") == 0  # exactly 45%
    assert needed(figures(paid=8, fee=20), "online_payment", 0.45, "eligible") == 1
    assert needed(figures(), "on_time", 0.9, "eligible") is None
    # on time: each new on-time resolution adds to both sides: (8 + n) / (10 + n) >= 0.9
    assert gap_sentence(figures(early=8, late=2), "on_time", 0.9, "eligible") == \
        "cần thêm 10 hồ sơ giải quyết đúng hạn để đạt 90%"


def test_the_signature_never_stands_alone_on_its_page():
    # 3, 15, 32 and 39 units pushed the signature block alone onto a new page: the closing
    # sentence now travels with it, whatever the length of the report.
    for count in (3, 15, 32, 39):
        units = [(f"X{i:02d}", f"UBND xã Số {i}",
                  figures(online=30, direct=170, early=90, on_time=60, late=20, full=25,
                          eligible=40, paid=9, fee=40, satisfied=48, votes=50))
                 for i in range(count)]
        pages = page_texts(render_monthly(data(units)))
        signed = [text for text in pages if "Nơi nhận" in text]
        assert len(signed) == 1, count
        assert "Trên đây là báo cáo" in signed[0], count


def test_the_title_never_ends_on_one_word_alone(write_pdf):
    """try25: '… tháng 11 năm 2026 của UBND xã Văn' / 'Quan' split the commune's name."""
    one = MonthlyData(parse_month("2026-11"), kpi_doc([("X01", "UBND xã Văn Quan", figures())]),
                      header(), dt.date(2026, 12, 3), "UBND xã Văn Quan")
    lines = [line.replace("\xa0", " ").strip()
             for line in page_texts(write_pdf(render_monthly(one)))[0].splitlines()]
    assert "Quan" not in lines
    assert any(line.endswith("Văn Quan") for line in lines)


def test_a_communes_name_wraps_between_its_words_and_keeps_off_the_nation():
    """The demo's report of UBND xã Yên Phúc printed "ỦY BAN NHÂN DÂN XÃ YÊN PHÚC" on one line
    2 mm from "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (one line to the eye); given room it wrapped
    "ỦY BAN NHÂN / DÂN XÃ YÊN PHÚC". It now takes two lines as officials write them."""
    from reportlab.lib.units import mm

    from core.pdf import blocks
    from core.pdf.document import A4_PORTRAIT

    width = A4_PORTRAIT.frame_width
    table = blocks.header_block("", "Ủy ban nhân dân xã Yên Phúc", None, None, width)
    left_w = table._colWidths[0]
    agency = table._cellvalues[0][0][0]
    lines = agency.text.split("<br/>")
    assert lines == ["ỦY BAN NHÂN DÂN", "XÃ YÊN PHÚC"]
    widest = max(blocks.text_width(line, 12, True) for line in lines)
    assert (left_w - widest) / 2 >= 4 * mm  # its gap to the nation's line
    # a short name stays on one line, and the centre's keeps its words together
    short = blocks.header_block("", "UBND xã Hà", None, None, width)._cellvalues[0][0][0]
    assert "<br/>" not in short.text
    centre = blocks.header_block("", "Trung tâm Phục vụ hành chính công", None, None, width)
    assert centre._cellvalues[0][0][0].text.split("<br/>") == ["TRUNG TÂM PHỤC VỤ",
                                                               "HÀNH CHÍNH CÔNG"]


@pytest.mark.parametrize("agency, expected", [
    ("Ủy ban nhân dân phường Nguyễn Thái Bình", ["ỦY BAN NHÂN DÂN", "PHƯỜNG NGUYỄN THÁI BÌNH"]),
    ("Ủy ban nhân dân đặc khu Bạch Long Vĩ", ["ỦY BAN NHÂN DÂN", "ĐẶC KHU BẠCH LONG VĨ"]),
    ("Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", ["ỦY BAN NHÂN DÂN", "TỈNH BÀ RỊA - VŨNG TÀU"]),
    ("Ủy ban nhân dân Thành phố Hồ Chí Minh", ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"]),
    ("Trung tâm Phục vụ hành chính công tỉnh Thừa Thiên Huế",
     ["TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG", "TỈNH THỪA THIÊN HUẾ"]),
])
def test_an_agency_wraps_between_its_kind_and_its_place(agency, expected):
    """Decree 30/2020's header: the agency's kind on a line, its place (kind and name) on the
    next; "ỦY BAN NHÂN DÂN PHƯỜNG / NGUYỄN THÁI BÌNH" and "ỦY BAN NHÂN DÂN ĐẶC / KHU BẠCH LONG
    VĨ" were printed before."""
    from core.pdf import blocks
    from core.pdf.document import A4_PORTRAIT
    table = blocks.header_block("", agency, None, None, A4_PORTRAIT.frame_width)
    assert table._cellvalues[0][0][0].text.split("<br/>") == expected


@pytest.mark.parametrize("agency, expected", [
    ("Ủy ban nhân dân Thành phố Hồ Chí Minh",
     ["ỦY BAN NHÂN DÂN", '<font size="9.3">THÀNH PHỐ HỒ CHÍ MINH</font>']),
    ("Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu",
     ["ỦY BAN NHÂN DÂN", '<font size="9.9">TỈNH BÀ RỊA - VŨNG TÀU</font>']),
    ("Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn",
     ["TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG", "TỈNH LẠNG SƠN"]),
])
def test_an_a5_slips_narrow_column_keeps_a_long_place_whole_a_little_smaller(agency, expected):
    """An A5 slip's agency column (~43 mm): "THÀNH / PHỐ HỒ CHÍ MINH" and "HÀNH CHÍNH / CÔNG
    THÀNH / PHỐ …" were printed, then "THÀNH PHỐ / HỒ CHÍ MINH"; the place now keeps whole on
    its line, set a little smaller (core.pdf.agency_names)."""
    from core.pdf import blocks, slips
    table = blocks.header_block("", agency, None, None, slips.WIDTH, size=slips.SIZE)
    assert table._cellvalues[0][0][0].text.split("<br/>") == expected
