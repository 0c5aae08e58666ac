"""The agency's lines of a Decree 30/2020 header (core.pdf.blocks.header_block, line_rooms):
only a line level with the Quốc hiệu keeps clear of it; the lines below it take the column's
whole width. An A5 slip printed "ỦY BAN NHÂN DÂN / TỈNH / THỪA THIÊN HUẾ" in three lines
because every line kept a tenth of its ~43 mm column clear."""
from __future__ import annotations

import pytest
from reportlab.lib.units import mm

from core.pdf import blocks, slips
from core.pdf.document import A4_PORTRAIT

A5 = (slips.WIDTH, slips.SIZE)
A4 = (A4_PORTRAIT.frame_width, 13)
HCM = "Ủy ban nhân dân Thành phố Hồ Chí Minh"
CENTRE = "Trung tâm Phục vụ hành chính công tỉnh Bà Rịa - Vũng Tàu"
ISLAND = "Ủy ban nhân dân đặc khu Bạch Long Vĩ"
CITY = "Ủy ban nhân dân thành phố Hà Nội"
WARD = "Ủy ban nhân dân phường Nguyễn Thái Bình"


def _columns(parent: str, agency: str, page: tuple[float, float]):
    """The header's left lines (parent's, then agency's with their boldness) and its widths."""
    width, size = page
    table = blocks.header_block(parent, agency, None, None, width, size=size)
    cells = table._cellvalues[0][0][:-1]
    lines = [(line, para is cells[-1]) for para in cells for line in para.text.split("<br/>")]
    return lines, table._colWidths[0], table._colWidths[1], size


def _assert_clear_of_the_nation(parent: str, agency: str, page: tuple[float, float]):
    """Every line inside its column; a line level with the Quốc hiệu's box (its first line's
    leading) at least 3.5 mm from the box's left edge."""
    lines, left_w, right_w, size = _columns(parent, agency, page)
    small = size - 1
    nation_left = left_w + (right_w - blocks.text_width(blocks.NATION, small, True)) / 2
    for k, (line, bold) in enumerate(lines):
        right_edge = (left_w + blocks.text_width(line, small, bold)) / 2
        assert right_edge <= left_w + 0.01, line
        if k * small * 1.2 < small * 1.2:  # level with "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
            assert nation_left - right_edge >= 3.5 * mm, line


@pytest.mark.parametrize(("page", "parent", "agency", "expected"), [
    (A5, "", "Ủy ban nhân dân tỉnh Thừa Thiên Huế", ["ỦY BAN NHÂN DÂN", "TỈNH THỪA THIÊN HUẾ"]),
    (A5, "", HCM, ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ", "HỒ CHÍ MINH"]),
    (A5, "", CENTRE, ["TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG", "TỈNH", "BÀ RỊA - VŨNG TÀU"]),
    (A5, "", ISLAND, ["ỦY BAN NHÂN DÂN", "ĐẶC KHU", "BẠCH LONG VĨ"]),
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
    lines, *_ = _columns(parent, agency, page)
    assert [line for line, _ in lines] == expected
    _assert_clear_of_the_nation(parent, agency, page)


def test_a_line_below_the_nation_takes_the_whole_column():
    """"TỈNH THỪA THIÊN HUẾ" is wider than the first line's room on an A5 slip, not than the
    column: it fits on the second line, level with the narrower Tiêu ngữ."""
    width, size = A5
    right_w = blocks.text_width(blocks.NATION, size - 1, True) + 3 * mm
    rooms = blocks.line_rooms(width - right_w, right_w, size)
    place = blocks.text_width("TỈNH THỪA THIÊN HUẾ", size - 1, True)
    assert rooms[0] < place <= rooms[1] == rooms[-1] == width - right_w
