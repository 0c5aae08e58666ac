"""A report of a unit with thousands of units under it (a crafted catalogue; round 31's 40,000
did not finish in 300 s): its cost grows with the units, not with their square, and its
figures are the engine's.

reportlab's Table, cut at a page's foot, hands the next page a Table of every row left, which
measures all of them again: rows measured grew as rows × pages. The tests count the rows given
to reportlab's Table (each one is measured once per Table) and the engine's queries — shapes,
not seconds."""
from __future__ import annotations

import datetime as dt

import pytest
from reportlab.platypus import Table

from core import indicators
from core.indicators.listing import LIST_ALL_UP_TO, is_quiet, listing
from core.pdf import blocks, monthly_data
from core.pdf.document import A4_PORTRAIT, render
from core.pdf.monthly import render_monthly
from core.pdf.monthly_data import MonthlyData
from core.pdf.monthly_sections import table06_row
from core.periods import parse_month
from db.connection import transaction
from tests.core.factories import add_dossier, add_procedures
from tests.core.pdf.helpers import figures, kpi_doc
from tests.core.pdf.test_monthly import table06_numbers
from tests.core.pdf.test_monthly_layout import header
from tests.pdfread import page_texts, pdf_text

DAY = dt.datetime(2026, 10, 6, 9, 0)


@pytest.fixture
def measured(monkeypatch) -> list[int]:
    """The number of rows of each reportlab Table made from now on."""
    sizes: list[int] = []
    made = Table.__init__

    def counting(self, data, *args, **kwargs):
        sizes.append(len(data))
        made(self, data, *args, **kwargs)
    monkeypatch.setattr(Table, "__init__", counting)
    return sizes


def _pages(table) -> list[str]:
    return page_texts(render([table], A4_PORTRAIT, title="Bảng", draft=False))


def _report(busy: int, quiet: int, late: int = 1) -> MonthlyData:
    """`busy` units with figures (behind three targets unless `late` is 0), `quiet` without."""
    units = [(f"B{i:05d}", f"UBND xã có hồ sơ {i}",
              figures(direct=3, early=1, late=late, fee=2, paid=2 - late, satisfied=2 - late,
                      votes=2))
             for i in range(busy)]
    units += [(f"Q{i:05d}", f"UBND xã không hồ sơ {i}", figures()) for i in range(quiet)]
    return MonthlyData(parse_month("2026-10"), kpi_doc(units), header(), dt.date(2026, 11, 5),
                       "Tỉnh lớn")


def test_a_long_table_measures_each_row_a_few_times_not_once_a_page(measured):
    rows = [["STT", "Đơn vị", "Số"]] + [[str(i), f"UBND xã số {i}", str(i)] for i in range(2000)]
    texts = _pages(blocks.grid(rows, [30, 200, 40], paged=True))
    assert len(texts) > 35  # a table over many pages
    assert "UBND xã số 0" in texts[0] and "UBND xã số 1999" in texts[-1]
    assert all(t.count("Đơn vị") == 1 for t in texts)  # the heading once on each page
    # before: 2,000 rows over 40 pages were measured about 80,000 times
    assert sum(measured) < 3 * len(rows)


def test_a_long_table_prints_what_one_table_prints():
    rows = [["STT", "Đơn vị"]] + [[str(i), f"Xã {i} " * (1 + i % 7)] for i in range(400)]
    widths = [20, 120]
    one = _pages(blocks.grid(rows, widths, bold_rows=(5, 399)))
    assert _pages(blocks.grid(rows, widths, bold_rows=(5, 399), paged=True)) == one


def _cells(pages: list[str]) -> list[str]:
    """The words of the body rows, in order, the headings of the pages left out."""
    words = " ".join(pages).split()
    return [w for w in words if w not in ("ST", "T", "Đơn", "vị")]


def test_rows_taller_than_the_space_left_go_on_over_the_page():
    """Rows of 1,000 characters, cut inside at a page's foot (splitInRow): what is left of one
    leads the next page, every word printed once, in order (the numbers, centred in a cut
    row, may stand on either part; the pages after a cut may hold a row more than one Table's)."""
    rows = [["STT", "Đơn vị"]] + [[str(i), f"Xã {i} " * (1 + i % 7)] for i in range(400)]
    for i in range(3, 400, 37):
        rows[i][1] = f"Hàng dài {i} " + "chữ " * 250
    one = _cells(_pages(blocks.grid(rows, [20, 120])))
    pages = _pages(blocks.grid(rows, [20, 120], paged=True))
    assert all("ST\n T\n Đơn vị" in page for page in pages)  # the heading on each page
    paged = _cells(pages)  # numbers aside (the pages' too: one page fewer here)
    assert [w for w in paged if not w.isdigit()] == [w for w in one if not w.isdigit()]
    assert {str(i) for i in range(400)} <= set(paged)


def test_a_report_of_400_units_with_figures_measures_rows_in_proportion(measured):
    text = pdf_text(render_monthly(_report(busy=400, quiet=0, late=0)))
    assert "UBND xã có hồ sơ 399" in text and "đều đạt các chỉ tiêu" in text
    # Biểu 06, satisfaction, payment and 766 list 400 units each, over 8 pages: before, each
    # page of each table measured every row left again (about 14,000 rows in all)
    assert sum(measured) < 2.5 * 4 * 400


def test_quiet_units_are_one_counted_line_whose_figures_are_theirs():
    data = _report(busy=3, quiet=2997)
    assert [u["code"] for u in data.listing.shown] == ["B00000", "B00001", "B00002"]
    assert len(data.listing.folded) == 2997 and all(map(is_quiet, data.listing.folded))
    texts = page_texts(render_monthly(data), layout=True)
    text = "\n".join(texts)
    assert len(texts) < 12  # not 2,997 rows of zeros in five tables (some 300 pages)
    assert table06_numbers(text, "2.997 đơn vị khác: không") == [0] * 11
    assert table06_numbers(text, "Tổng cộng") == [9, 0, 9, 0, 6, 3, 0, 3, 3, 3, 0]


def test_a_few_hundred_units_are_all_listed_zeros_too():
    units = [{"code": str(i), **figures()} for i in range(LIST_ALL_UP_TO)]
    assert listing(units).shown == units and listing(units).folded == []
    assert listing(units + [units[0]]).folded  # one more: the quiet ones are counted


def _province(db, count: int) -> None:
    """BIG with `count` communes under it, three of them with a dossier."""
    add_procedures(db)
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level) VALUES ('BIG', 'Tỉnh lớn', 'province')")
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                         [(f"C{i:05d}", f"Xã {i:05d}", "commune", "BIG") for i in range(count)])
    for i in (0, 7, count - 1):
        add_dossier(db, code=f"HS-{i}", unit=f"C{i:05d}", received=DAY,
                    due=DAY + dt.timedelta(days=1))


def _queries(db) -> int:
    said: list[str] = []
    db.conn.set_trace_callback(said.append)
    monthly_data.gather(db, "2026-10", "BIG", issued=dt.date(2026, 11, 5))
    db.conn.set_trace_callback(None)
    return len(said)


def test_the_report_of_3000_units_asks_as_many_queries_as_of_30(db, tmp_path):
    from core.database import open_database
    _province(db, 3000)
    small = open_database(tmp_path / "small.db")
    _province(small, 30)
    assert _queries(db) == _queries(small)  # no query a unit
    small.close()


def test_the_report_of_3000_units_says_the_engines_figures(db):
    _province(db, 3000)
    data = monthly_data.gather(db, "2026-10", "BIG", issued=dt.date(2026, 11, 5))
    kpi = indicators.compute(db, dt.date(2026, 10, 1), dt.date(2026, 10, 31), unit="BIG")
    assert data.kpi["total"] == kpi["total"]
    assert [u["code"] for u in data.listing.shown] == ["C00000", "C00007", "C02999"]
    text = "\n".join(page_texts(render_monthly(data), layout=True))
    for unit in data.listing.shown:
        assert table06_numbers(text, unit["name"]) == [int(x) for x in table06_row(unit)]
    assert table06_numbers(text, "Tổng cộng") == [int(x) for x in table06_row(kpi["total"])]
    assert table06_numbers(text, "2.998 đơn vị khác: không") == [0] * 11


def test_tall_rows_make_pieces_of_about_a_page(measured):
    """Rows of three lines (a unit's 200-character name, recon34): a page's piece was made of
    space / one line's height rows, three times what the page holds, and the rest thrown away
    at every page (5,000 such units: 42 s of CPU for `report monthly --by unit`). The heights
    measured by a piece size the next one; the pages print what one Table prints."""
    rows = [["STT", "Đơn vị"]] + [[str(i), f"Trung tâm Phục vụ hành chính công xã số {i} " * 4]
                                 for i in range(600)]
    widths = [30, 200]
    one = _pages(blocks.grid(rows, widths))
    measured.clear()
    assert _pages(blocks.grid(rows, widths, paged=True)) == one
    assert sum(measured) < 5 * len(rows)  # rows given to Tables: 7.1 times before, 4.3 now
