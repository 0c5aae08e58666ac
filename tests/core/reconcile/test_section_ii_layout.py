"""Section II of the reconciliation's PDF, the list a commune enters before the cut-off: one
table per clerk, the day a spanning row inside it (round 30: a table per clerk and day, each
with its column header and heading, took 26 pages for a commune's 197 dossiers)."""
from __future__ import annotations

import datetime as dt

from reportlab.platypus import Table

from core.pdf.document import A4_LANDSCAPE, render
from core.pdf.reconcile import _missing_table
from core.reconcile import Reconciliation
from core.reconcile.matching import Item
from tests.pdfread import page_texts

DAYS = 60  # one dossier a day: the old layout printed a header and a heading for each


def _result() -> Reconciliation:
    result = Reconciliation("tinh.xlsx", dt.date(2026, 10, 1), dt.date(2026, 11, 30), None, "",
                            "national", 30)
    start = dt.date(2026, 10, 1)
    result.only_ours = [
        Item(n, f"X-{n:03d}", "1.001193", "Nguyễn Thị Lan", "direct",
             f"{start + dt.timedelta(days=n)} 08:00:00", "returned", None, None,
             "X", None, "Lê Kim Huyền", 0, False)
        for n in range(DAYS)]
    return result


def _section(result: Reconciliation) -> list:
    width = A4_LANDSCAPE.frame_width
    return _missing_table(result, {"1.001193": "Đăng ký khai sinh"}, width)


def test_one_clerk_over_many_days_is_one_table():
    tables = [f for f in _section(_result()) if isinstance(f, Table)]
    assert len(tables) == 1
    assert tables[0].repeatRows == 2  # the columns' header and the clerk, on every page


def test_each_code_once_each_day_a_row_and_fewer_pages():
    result = _result()
    pages = page_texts(render(_section(result), A4_LANDSCAPE, title="t", draft=False))
    text = "\n".join(pages)
    for item in result.only_ours:
        assert text.count(item.code) == 1, item.code
    assert text.count("Ngày 01/10/2026 — 1 hồ sơ") == 1
    assert text.count("Ngày ") == DAYS and text.count("Lê Kim Huyền — 60 hồ sơ") == len(pages)
    assert "Nguyễn *** Lan" in text and "Nguyễn Thị Lan" not in text  # masked, a report
    # a table a day took 7 pages: the columns' header and a heading row over each dossier
    assert len(pages) <= 5, len(pages)


def test_a_long_list_goes_on_in_a_next_table_with_every_code_once(monkeypatch):
    """Past CLERK_ROWS rows a clerk's list goes on in a next table (reportlab re-measures the
    rest of a table at every page: one table of 9,127 dossiers took four times as long); a
    day's row never ends a table without its first dossier, and the numbering goes on."""
    from core.pdf import reconcile as pdf
    monkeypatch.setattr(pdf, "CLERK_ROWS", 5)
    result = _result()
    tables = [f for f in _section(result) if isinstance(f, Table)]
    assert len(tables) == 30  # 120 rows, 4 a table: the 5th, a day's row, goes on with its dossier
    assert all(len(t._cellvalues) == 2 + 4 for t in tables)
    text = "\n".join(page_texts(render(_section(result), A4_LANDSCAPE, title="t", draft=False)))
    for item in result.only_ours:
        assert text.count(item.code) == 1, item.code
    assert text.count("Ngày ") == DAYS and "\n60\n" in text
