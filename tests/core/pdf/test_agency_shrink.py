"""A place's name keeps whole on its line (core.pdf.agency_names): on an A5 form's 43.4 mm
agency column "THÀNH PHỐ HỒ CHÍ MINH" (46.3 mm at 10 pt bold) was broken after its kind, three
lines for one name ("ỦY BAN NHÂN DÂN / THÀNH PHỐ / HỒ CHÍ MINH"). A typesetter sets that line a
little smaller, down to 9 pt, and breaks between words only when 9 pt does not hold it; an A4
document prints the names at 12 pt, Decree 30/2020's least, and never shrinks them."""
from __future__ import annotations

import time

import pypdfium2
import pytest
from reportlab.lib.units import mm

from core.pdf import agency_names, blocks, slips
from core.pdf.document import A4_PORTRAIT, A5_PORTRAIT, render

A5 = (slips.WIDTH, slips.SIZE)
A4 = (A4_PORTRAIT.frame_width, 13)
HCM = "Ủy ban nhân dân Thành phố Hồ Chí Minh"
HUE = "Ủy ban nhân dân thành phố Huế"
HUE_OLD = "Ủy ban nhân dân tỉnh Thừa Thiên Huế"
ISLAND = "Ủy ban nhân dân đặc khu Bạch Long Vĩ"
CENTRE = "Trung tâm Phục vụ hành chính công tỉnh Bà Rịa - Vũng Tàu"
DESK_HCM = ("Bộ phận Tiếp nhận và Trả kết quả giải quyết thủ tục hành chính Ủy ban nhân dân "
            "thành phố Hồ Chí Minh")
DESK_COMMUNE = ("Bộ phận Tiếp nhận và Trả kết quả Văn phòng Hội đồng nhân dân và Ủy ban nhân "
                "dân xã Yên Phúc")
HOSTILE = {  # 300 letters each: words, one word, words under a kind of place
    "words": " ".join(["Nguyễn Văn Abcdefgh"] * 16)[:300],
    "one-word": "X" * 300,
    "commune": ("Ủy ban nhân dân xã " + " ".join(["Lũng Vài Ngườm"] * 30))[:300],
}


def rooms(page: tuple[float, float], skip: int = 0) -> list[float]:
    """The rooms of the agency's lines (blocks.line_rooms), after `skip` lines of the parent."""
    width, size = page
    right_w = blocks.text_width(blocks.NATION, size - 1, True) + 3 * mm
    all_rooms = blocks.line_rooms(width - right_w, right_w, size)
    return all_rooms[skip:] or all_rooms[-1:]


def assert_inside(lines, room_list: list[float], bold: bool = True, floor: float = 9):
    for i, line in enumerate(lines):
        room = room_list[min(i, len(room_list) - 1)]
        assert blocks.text_width(line.text, line.size, bold) <= room, line
        assert line.size >= floor, line


@pytest.mark.parametrize(("parent", "agency", "expected"), [
    ("", HCM, [("ỦY BAN NHÂN DÂN", 10), ("THÀNH PHỐ HỒ CHÍ MINH", 9.3)]),
    ("", HUE, [("ỦY BAN NHÂN DÂN", 10), ("THÀNH PHỐ HUẾ", 10)]),
    ("", HUE_OLD, [("ỦY BAN NHÂN DÂN", 10), ("TỈNH THỪA THIÊN HUẾ", 10)]),
    ("", ISLAND, [("ỦY BAN NHÂN DÂN", 10), ("ĐẶC KHU BẠCH LONG VĨ", 9.9)]),
    ("", CENTRE, [("TRUNG TÂM PHỤC VỤ", 10), ("HÀNH CHÍNH CÔNG", 10),
                  ("TỈNH BÀ RỊA - VŨNG TÀU", 9.9)]),
    # a phường within a thành phố: the city's name (regular) a hair smaller, the ward's whole
    (HCM, "Ủy ban nhân dân phường Sài Gòn",
     [("ỦY BAN NHÂN DÂN", 10), ("THÀNH PHỐ HỒ CHÍ MINH", 9.9),
      ("ỦY BAN NHÂN DÂN", 10), ("PHƯỜNG SÀI GÒN", 10)]),
    # 46.5 mm even at 9 pt: only then is the place broken, after its kind, at its own size
    ("Ủy ban nhân dân thành phố Hà Nội", "Ủy ban nhân dân phường Nguyễn Thái Bình",
     [("ỦY BAN NHÂN DÂN", 10), ("THÀNH PHỐ HÀ NỘI", 10),
      ("ỦY BAN NHÂN DÂN", 10), ("PHƯỜNG", 10), ("NGUYỄN THÁI BÌNH", 10)]),
], ids=["hcm", "hue", "hue-old", "island", "centre", "ward-in-hcm", "ward-too-long"])
def test_an_a5_place_keeps_whole_on_its_line_a_little_smaller(parent, agency, expected):
    above, names = blocks.agency_column(parent, agency, *A5)
    assert [(line.text, line.size) for line in [*above, *names]] == expected
    assert_inside(above, rooms(A5), bold=False)
    assert_inside(names, rooms(A5, len(above)))


@pytest.mark.parametrize(("agency", "place"), [
    (DESK_HCM, ("THÀNH PHỐ HỒ CHÍ MINH", 9.3)),
    (DESK_COMMUNE, ("XÃ YÊN PHÚC", 10)),
], ids=["desk-hcm", "desk-commune"])
def test_only_the_place_shrinks_the_agencys_kind_keeps_its_size(agency, place):
    """A one-stop desk's kind that four lines do not hold ("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ
    …"): its first two lines were set at 9.2 pt, the next at 10, even where the place needed
    no shrinking ("XÃ YÊN PHÚC"). The kind keeps the header's size in as many balanced lines as
    it takes, never a compound cut; only the place's line is set smaller."""
    _, names = blocks.agency_column("", agency, *A5)
    assert (names[-1].text, names[-1].size) == place
    assert {line.size for line in names[:-1]} == {10}
    assert_inside(names, rooms(A5))
    assert not any(line.text.endswith(("ỦY", "ỦY BAN", "NHÂN")) for line in names)


@pytest.mark.parametrize("agency", [HCM, HUE, HUE_OLD, ISLAND, CENTRE,
                                    "Ủy ban nhân dân phường Nguyễn Thái Bình"])
def test_an_a4_header_never_shrinks_below_the_decrees_12_pt(agency):
    above, names = blocks.agency_column(HCM, agency, *A4)
    assert {line.size for line in [*above, *names]} == {12}
    assert agency_names.floor_of(12) == 12 and agency_names.floor_of(10) == 9


def _column(header, page: tuple[float, float]) -> tuple[float, float]:
    """The agency column's left and right edges on the page (the frame has no padding)."""
    left = (A5_PORTRAIT if page == A5 else A4_PORTRAIT).left
    return left, left + header._colWidths[0]


def _printed(parent: str, agency: str, page: tuple[float, float]):
    """The header rendered alone: its page, the printed text, each character's box."""
    width, size = page
    header = blocks.header_block(parent, agency, None, None, width, size=size)
    data = (slips.render_a5([header], "t", False) if page == A5
            else render([header], A4_PORTRAIT, title="t", draft=False))
    pdf_page = pypdfium2.PdfDocument(data)[0]
    text_page = pdf_page.get_textpage()
    text = text_page.get_text_range()
    return header, pdf_page, text, [text_page.get_charbox(i) for i in range(len(text))]


def test_the_printed_place_is_one_line_centred_in_the_column():
    """On the rendered A5 header «THÀNH PHỐ HỒ CHÍ MINH» stands on one baseline, centred in the
    agency's column (as the kind above it), inside it, and 9.3/10 as tall as the kind."""
    header, page, text, boxes = _printed("", HCM, A5)
    place, kind = text.index("THÀNH PHỐ HỒ CHÍ MINH"), text.index("ỦY BAN NHÂN DÂN")
    inked = [boxes[i] for i in range(place, place + 21) if text[i].strip()]
    assert max(b[1] for b in inked) - min(b[1] for b in inked) < 3  # one line (accents apart)
    column = _column(header, A5)
    x0, x1 = min(b[0] for b in inked), max(b[2] for b in inked)
    assert column[0] <= x0 and x1 <= column[1]
    assert abs((x0 + x1) / 2 - sum(column) / 2) < 0.5 * mm
    kind_boxes = [boxes[i] for i in range(kind, kind + 15) if text[i].strip()]
    kind_centre = (min(b[0] for b in kind_boxes) + max(b[2] for b in kind_boxes)) / 2
    assert abs((x0 + x1) / 2 - kind_centre) < 0.5 * mm
    assert "HỒ CHÍ MINH" not in text[:place]  # no third line


@pytest.mark.parametrize("page", [A5, A4], ids=["a5", "a4"])
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_300_letter_name_ends_and_stays_inside_its_column(page, name):
    """No real agency has it; still the layout ends at once, loses no letter, keeps each line
    in its room and every printed letter inside the column and the page (a 300-letter word ran
    off the page; 300 letters of words gave four lines each wider than the column)."""
    agency = HOSTILE[name]
    started = time.monotonic()
    _, names = blocks.agency_column("", agency, *page)
    assert time.monotonic() - started < 2
    assert "".join(line.text for line in names).replace(" ", "") == \
        agency.upper().replace(" ", "")
    assert_inside(names, rooms(page), floor=page[1] - 1)
    header, pdf_page, text, boxes = _printed("", agency, page)
    column_end = _column(header, page)[1]
    at = text.index(blocks.NATION)
    inked = [boxes[i] for i in range(len(text)) if text[i].strip()]
    assert all(0 <= b[0] and b[2] <= pdf_page.get_width() and 0 <= b[1]
               and b[3] <= pdf_page.get_height() for b in inked)
    assert all(boxes[i][2] <= column_end + 0.5 for i in range(at) if text[i].strip())


def test_a_smaller_line_prints_a_name_with_markup_letters_as_typed():
    """A place's line set smaller goes into `<font size=…>` markup: a unit's name with '<', '&'
    and '"' is escaped there as on every other line, and prints as typed, parent (regular) and
    agency (bold) alike. Unescaped, «<TRÍ>» would be read as a tag and the slip not made."""
    name = 'Ủy ban nhân dân phường Văn <Trí> & Hạ'
    above, names = blocks.agency_column(name, name, *A5)
    assert [line.size for line in [*above, *names]] == [10, 9.9, 10, 9.5]
    header, _, text, boxes = _printed(name, name, A5)
    assert text.count("PHƯỜNG VĂN <TRÍ> & HẠ") == 2
    for at in (text.index("PHƯỜNG VĂN"), text.rindex("PHƯỜNG VĂN")):
        inked = [boxes[i] for i in range(at, at + 20) if text[i].strip()]
        assert max(b[1] for b in inked) - min(b[1] for b in inked) < 3  # one line
        assert max(b[2] for b in inked) <= _column(header, A5)[1]


TWO_SYLLABLES = {"hội đồng", "văn phòng", "một cửa", "chi nhánh"}
OFFICES = [DESK_COMMUNE,
           "Bộ phận Tiếp nhận và Trả kết quả thuộc Văn phòng Hội đồng nhân dân và Ủy ban nhân dân "
           "huyện Văn Quan",
           "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện Văn Quan",
           "Bộ phận Một cửa Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã Điềm He",
           "Chi nhánh Trung tâm Phục vụ hành chính công tỉnh tại Văn Quan"]


@pytest.mark.parametrize("page", [A5, A4], ids=["a5", "a4"])
@pytest.mark.parametrize("agency", OFFICES, ids=["desk", "desk-district", "district-office",
                                             "commune-desk", "branch"])
def test_an_offices_name_is_never_broken_inside_a_word_of_two_syllables(page, agency):
    """"VĂN PHÒNG HỘI / ĐỒNG NHÂN DÂN VÀ" was printed (a district's office on both papers), as
    "BỘ PHẬN MỘT CỬA VĂN / PHÒNG …" on A4: «hội đồng», «văn phòng», «một cửa», «chi nhánh» are
    one word each, kept on one line like «ủy ban» and «nhân dân»."""
    _, names = blocks.agency_column("", agency, *page)
    for above, below in zip(names, names[1:], strict=False):
        pair = f"{above.text.split()[-1]} {below.text.split()[0]}".lower()
        assert pair not in {*TWO_SYLLABLES, *agency_names.AGENCY_COMPOUNDS}, (above, below)
    assert_inside(names, rooms(page), floor=page[1] - 1)


def test_a_kind_no_number_of_lines_holds_is_left_to_the_fallbacks():
    """kind_lines' search ends with None when one piece is wider than every line (nothing to
    balance: the name is then filled and cut, agency_lines), and finds the fewest lines else."""
    assert agency_names._fewest_lines(["W" * 30, "A"], 50.0, 10, True) is None
    assert agency_names._fewest_lines(["AB", "CD", "EF"], [15.0, 30.0], 10, True) == \
        ["AB", "CD EF"]
