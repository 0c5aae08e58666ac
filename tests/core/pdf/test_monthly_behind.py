"""Section IV of the monthly report: what each unit behind a target lacks, in the dashboard's
sentence (core.indicators.gaps), wrapped inside its column."""
from __future__ import annotations

import pypdfium2
from reportlab.platypus import Paragraph

from core.indicators import gaps
from core.pdf import monthly_sections
from core.pdf.document import A4_PORTRAIT
from core.pdf.monthly import render_monthly
from tests.core.pdf.test_monthly_layout import busy
from tests.pdfread import pdf_text


def _flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_a_closed_month_says_what_each_unit_lacked_with_its_fractions():
    """October is over: X01's 150/170 on time was 3 short of 90%, said as the dashboard says
    it, not as a bare '3 hồ sơ …' that reads as if three more would still do."""
    text = _flat(render_monthly(busy()))
    assert "Mục tiêu Để đạt mục tiêu" in text and "Mục tiêu Còn thiếu" not in text
    assert ("Giải quyết đúng hạn 88,24% (150/170) 90% Cần 153/170 hồ sơ giải quyết đúng hạn "
            "để đạt 90%, thực tế 150/170 (thiếu 3)") in text
    assert ("Trực tuyến toàn trình 62,50% (25/40) 70% Cần 28/40 hồ sơ nộp trực tuyến toàn trình "
            "để đạt 70%, thực tế 25/40 (thiếu 3)") in text
    assert ("Thanh toán trực tuyến 22,50% (9/40) 45% Cần 18/40 hồ sơ thanh toán trực tuyến "
            "để đạt 45%, thực tế 9/40 (thiếu 9)") in text


def test_the_sentence_is_the_dashboards_one():
    """The cell is core.indicators.gaps' sentence (the dashboard's card), capitalised."""
    data = busy()
    unit = data.kpi["units"][0]
    for key in ("on_time", "online_full", "online_payment"):
        sentence = gaps.gap(key, unit, data.kpi["targets"][key], "eligible", True).sentence
        assert monthly_sections._missing(data, unit, key) == sentence[:1].upper() + sentence[1:]


def test_a_running_month_says_how_many_more_are_needed():
    data = busy()
    data.kpi["as_of"] = "2026-10-20 10:15:00"  # inside October: provisional
    text = _flat(render_monthly(data))
    assert "Cần thêm Giải quyết đúng hạn" not in text
    assert "Mục tiêu Để đạt mục tiêu" in text  # the heading does not repeat the cell's words
    assert "Mục tiêu Cần thêm" not in text
    assert ("Giải quyết đúng hạn 88,24% (150/170) 90% Cần thêm 30 hồ sơ giải quyết đúng hạn "
            "để đạt 90%") in text


def test_the_sentence_wraps_inside_its_column_and_the_page():
    data = busy()
    table = monthly_sections.behind(data, A4_PORTRAIT.frame_width)[-1]
    widths = table._colWidths
    assert sum(widths) <= A4_PORTRAIT.frame_width + 0.01
    for row in table._cellvalues[1:]:
        cell = row[5]
        assert isinstance(cell, Paragraph)  # wraps, never runs over the next column
        used, _height = cell.wrap(widths[5] - 4, 1000)
        assert used <= widths[5] - 4 + 0.01
        assert max(cell.getActualLineWidths0()) <= widths[5] - 4 + 0.01


def test_no_letter_of_the_report_leaves_the_page():
    pdf = pypdfium2.PdfDocument(render_monthly(busy()))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            width = page.get_width()
            text = page.get_textpage()
            for char in range(text.count_chars()):
                left, _bottom, right, _top = text.get_charbox(char)
                assert 0 <= left and right <= width - 20, (index, text.get_text_range(char, 1))
    finally:
        pdf.close()
