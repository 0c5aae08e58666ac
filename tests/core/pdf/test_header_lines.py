"""The agency's lines of a Decree 30/2020 header (core.pdf.blocks.header_block, line_rooms):
only a line level with the Quốc hiệu keeps clear of it; the lines below it take the column's
whole width. An A5 slip printed "ỦY BAN NHÂN DÂN / TỈNH / THỪA THIÊN HUẾ" in three lines
because every line kept a tenth of its ~43 mm column clear."""
from __future__ import annotations

import pypdfium2
import pytest
from reportlab.lib.units import mm

from core.pdf import blocks, slips
from core.pdf.document import A4_PORTRAIT, render

A5 = (slips.WIDTH, slips.SIZE)
A4 = (A4_PORTRAIT.frame_width, 13)
HCM = "Ủy ban nhân dân Thành phố Hồ Chí Minh"
CENTRE = "Trung tâm Phục vụ hành chính công tỉnh Bà Rịa - Vũng Tàu"
ISLAND = "Ủy ban nhân dân đặc khu Bạch Long Vĩ"
CITY = "Ủy ban nhân dân thành phố Hà Nội"
WARD = "Ủy ban nhân dân phường Nguyễn Thái Bình"


def _columns(parent: str, agency: str, page: tuple[float, float]):
    """The header's left lines: the parent's, then the agency's; a line set smaller than the
    column's size as (text, size)."""
    width, size = page
    above, names = blocks.agency_column(parent, agency, width, size)
    return [line.text if line.size == size - 1 else (line.text, line.size)
            for line in [*above, *names]]


def _boxes(page_text: str, boxes: list, start: int, end: int) -> tuple[float, ...]:
    """The box (left, bottom, right, top) around the printed characters start..end."""
    inked = [boxes[i] for i in range(start, end) if page_text[i].strip()]
    return (min(b[0] for b in inked), min(b[1] for b in inked),
            max(b[2] for b in inked), max(b[3] for b in inked))


def _assert_clear_of_the_nation(parent: str, agency: str, page: tuple[float, float]):
    """On the printed page, no letter of the agency's column stands level with the Quốc hiệu or
    the Tiêu ngữ nearer to it than the clearance the rule keeps (a twentieth of the column each
    side of a centred line, and the 1.5 mm before the Quốc hiệu): each letter's box as PDFium
    reads it (A4: 5.2 mm, an A5 slip: 3.7 mm; 'ỦY BAN NHÂN DÂN XÃ YÊN PHÚC' on one line
    stood 3.9 mm from it on A4)."""
    width, size = page
    header = blocks.header_block(parent, agency, None, None, width, size=size)
    clear = header._colWidths[0] / 20 + 1.5 * mm
    data = (slips.render_a5([header], "t", False) if page == A5
            else render([header], A4_PORTRAIT, title="t", draft=False))
    text_page = pypdfium2.PdfDocument(data)[0].get_textpage()
    text = text_page.get_text_range()
    boxes = [text_page.get_charbox(i) for i in range(len(text))]
    at, motto = text.index(blocks.NATION), text.index(blocks.MOTTO)
    right = [_boxes(text, boxes, at, at + len(blocks.NATION)),
             _boxes(text, boxes, motto, motto + len(blocks.MOTTO))]
    for i in range(at):
        if not text[i].strip():
            continue
        _, bottom, right_edge, top = boxes[i]
        for x0, y0, _, y1 in right:
            if bottom < y1 and top > y0:  # level with it
                assert x0 - right_edge >= clear, (text[:at].split()[0], text[i])


@pytest.mark.parametrize(("page", "parent", "agency", "expected"), [
    (A5, "", "Ủy ban nhân dân tỉnh Thừa Thiên Huế", ["ỦY BAN NHÂN DÂN", "TỈNH THỪA THIÊN HUẾ"]),
    (A5, "", HCM, ["ỦY BAN NHÂN DÂN", ("THÀNH PHỐ HỒ CHÍ MINH", 9.3)]),
    (A5, "", CENTRE, ["TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG", ("TỈNH BÀ RỊA - VŨNG TÀU", 9.9)]),
    (A5, "", ISLAND, ["ỦY BAN NHÂN DÂN", ("ĐẶC KHU BẠCH LONG VĨ", 9.9)]),
    (A5, CITY, WARD, ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI",
                      "ỦY BAN NHÂN DÂN", "PHƯỜNG", "NGUYỄN THÁI BÌNH"]),
    (A5, "", "Ủy ban nhân dân phường Hải Châu thành phố Đà Nẵng",
     ["ỦY BAN NHÂN DÂN", "PHƯỜNG HẢI CHÂU", "THÀNH PHỐ ĐÀ NẴNG"]),
    (A4, "", "Ủy ban nhân dân tỉnh Thừa Thiên Huế", ["ỦY BAN NHÂN DÂN", "TỈNH THỪA THIÊN HUẾ"]),
    (A4, "", HCM, ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"]),
    (A4, "", CENTRE, ["TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG", "TỈNH BÀ RỊA - VŨNG TÀU"]),
    (A4, "", ISLAND, ["ỦY BAN NHÂN DÂN", "ĐẶC KHU BẠCH LONG VĨ"]),
    (A4, CITY, WARD, ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI",
                      "ỦY BAN NHÂN DÂN", "PHƯỜNG NGUYỄN THÁI BÌNH"]),
    (A4, "", "Ủy ban nhân dân phường Hải Châu thành phố Đà Nẵng",
     ["ỦY BAN NHÂN DÂN", "PHƯỜNG HẢI CHÂU", "THÀNH PHỐ ĐÀ NẴNG"]),
], ids=["a5-province", "a5-hcm", "a5-centre", "a5-island", "a5-ward", "a5-nested",
        "a4-province", "a4-hcm", "a4-centre", "a4-island", "a4-ward", "a4-nested"])
def test_only_the_line_level_with_the_nation_keeps_clear_of_it(page, parent, agency, expected):
    assert _columns(parent, agency, page) == expected
    _assert_clear_of_the_nation(parent, agency, page)


def test_a_line_below_the_nation_takes_the_whole_column():
    """"TỈNH THỪA THIÊN HUẾ" is wider than the first line's room on an A5 slip, not than the
    column: it fits on the second line, level with the narrower Tiêu ngữ."""
    width, size = A5
    right_w = blocks.text_width(blocks.NATION, size - 1, True) + 3 * mm
    rooms = blocks.line_rooms(width - right_w, right_w, size)
    place = blocks.text_width("TỈNH THỪA THIÊN HUẾ", size - 1, True)
    assert rooms[0] < place <= rooms[1] == rooms[-1] == width - right_w
