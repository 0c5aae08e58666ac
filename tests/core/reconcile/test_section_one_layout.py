"""Section I of the reconciliation's PDF, the indicators of both sets side by side: a page
breaks its table only between its sets of figures (the counts, Biểu 06, 766), the header
repeated. Split anywhere, a commune's month (walk33) printed 766's 4.1, 4.2 and 5.4 alone at
the top of page 2, the leader turning the page in the middle of the set begun on page 1."""
from __future__ import annotations

from itertools import groupby

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from core.pdf.document import A4_LANDSCAPE, render
from core.pdf.reconcile import story
from core.reconcile import SECTIONS, reconcile
from tests.core.reconcile.test_reconcile import FIRST, LAST, office, province_file  # noqa: F401
from tests.pdfread import page_texts_pdfium


def _key(row) -> str:
    """How a row's line starts in the page's text (a long count's name wraps)."""
    return f"{row.name} {row.source}" if row.source else row.name[:20]


def _pages(pdf: bytes, rows) -> list[set[int]]:
    """The pages (0-based) each indicator's row is printed on."""
    texts = [[line.strip() for line in text.splitlines()] for text in page_texts_pdfium(pdf)]
    return [{n for n, lines in enumerate(texts) if any(line.startswith(_key(row))
                                                        for line in lines)} for row in rows]


def test_section_one_breaks_only_between_its_sets(office, province_file):  # noqa: F811
    result = reconcile(office, province_file, FIRST, LAST)
    rows = result.indicators
    assert [source for source, _g in groupby(r.source for r in rows)] == ["", "Biểu 06", "766"]
    width = A4_LANDSCAPE.frame_width
    frame = A4_LANDSCAPE.size[1] - A4_LANDSCAPE.top - A4_LANDSCAPE.bottom
    flowables = story(office, result, width, LAST)
    start = next(i for i, f in enumerate(flowables)
                 if getattr(f, "getPlainText", lambda: "")().startswith(SECTIONS["indicators"][1]))
    title = sum(f.wrap(width, frame)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                for f in flowables[:start])
    split_seen = set()
    for room in range(50, 165, 5):  # from the heading and first set only to the whole table
        pdf = render([Spacer(1, frame - title - room * mm)] + story(office, result, width, LAST),
                     A4_LANDSCAPE, title="t", draft=False)
        pages = _pages(pdf, rows)
        assert all(len(p) == 1 for p in pages), (room, pages)  # each row printed once
        assert pages[0] == {0}, room  # section I begins under the title (round 32's rule)
        for source, members in groupby(zip(rows, pages, strict=True), key=lambda p: p[0].source):
            seen = {n for _row, p in members for n in p}
            assert len(seen) == 1, (room, source or "counts", seen)  # one set, one page
        split_seen.add(len({n for p in pages for n in p}))
    assert split_seen == {1, 2}  # the sweep has laid the table out whole and broken


def test_a_lists_table_leaves_no_short_end():
    """Sections III–VI's tables broken at a page's foot keep three rows on each side, a table
    of five moves whole (walk33: section V's three pairs printed one on page 5, two on 6)."""
    from core.pdf.reconcile import END_ROWS, chunked
    width = A4_LANDSCAPE.frame_width
    for count in (2, 5, 6, 10):
        table = chunked([["STT", "Tên"]], [[str(n), f"Dòng {n}"] for n in range(count)],
                        [width / 4, width * 3 / 4], left_cols=(1,))[0]
        _w, tall = table.wrap(width, 1e6)
        for room in range(10, int(tall), 3):
            parts = table.split(width, room)
            if parts:  # header + rows on each side
                sides = [len(part._cellvalues) - 1 for part in parts]
                assert min(sides) >= END_ROWS and sum(sides) == count, (count, room, sides)
        assert table.opening_rows == (count if count < 2 * END_ROWS else END_ROWS)


def test_a_short_list_taller_than_a_page_is_printed_not_refused():
    """review34d: a list of four or five rows moves whole (recon34, NOSPLIT over all of it);
    five dossiers of a procedure named at its limit (500 characters, some 120 pt a row) are
    taller than a landscape page, and reportlab refused the whole PDF (LayoutError «too large
    on page 2»). A block no page can hold is split as if not asked; every row printed."""
    from core.pdf import blocks
    from core.pdf.reconcile import ITEM_HEAD, _widths, chunked
    name = ("1.001776 Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh "
            "phí chăm sóc, nuôi dưỡng hàng tháng ") * 4
    rows = [[str(n), f"000.44.00.H37-261102-{n:04d}", name, "Lâm *** Hùng", "Trực tuyến",
             "08:49 02/11/2026", "17:00 02/11/2026", "Đã trả kết quả"] for n in range(1, 6)]
    width = A4_LANDSCAPE.frame_width
    pdf = render([blocks.body("III. Hồ sơ có trên hệ thống tỉnh, chưa có trong MotCua")]
                 + chunked([ITEM_HEAD], rows, _widths(width), left_cols=(2, 3)),
                 A4_LANDSCAPE, title="Đối chiếu", draft=False)
    text = "\n".join(page_texts_pdfium(pdf))
    assert all(f"000.44.00.H37-261102-{n:04d}" in text for n in range(1, 6))
