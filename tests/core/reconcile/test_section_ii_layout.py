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
