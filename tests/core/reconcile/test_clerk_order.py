"""Section II, the list a commune enters before the cut-off, per clerk and day: the clerks in
Vietnamese alphabetical order, in the PDF and the workbook alike (round 20: "Nguyễn Đức Bình"
came after "Nguyễn Văn Hùng", Đ sorted by its code point after every Latin letter)."""
from __future__ import annotations

import datetime as dt

from core.pdf.reconcile import by_clerk_and_day
from core.reconcile import Reconciliation
from core.reconcile.matching import Item
from core.reconcile.workbook import _lists

CLERKS = ["Nguyễn Văn Hùng", None, "Nguyễn Đức Bình", "Lê Kim Huyền", "Nguyễn Thu Dung"]
ORDER = ["Lê Kim Huyền", "Nguyễn Đức Bình", "Nguyễn Thu Dung", "Nguyễn Văn Hùng", None]


def _items() -> list[Item]:
    return [Item(n, f"X-2610{n:02d}-0001", "1.001612", "An", "direct",
                 f"2026-10-{n:02d} 08:00:00", "returned", None, None, "X", None, clerk, 0, False)
            for n, clerk in enumerate(CLERKS, start=1)]


def test_the_pdf_lists_clerks_in_vietnamese_order():
    assert [clerk for clerk, _day, _group in by_clerk_and_day(_items())][:4] == ORDER[:4]


def test_the_workbook_lists_clerks_in_the_pdfs_order():
    result = Reconciliation("tinh.xlsx", dt.date(2026, 10, 1), dt.date(2026, 10, 31), None, "",
                            "national", 30)
    result.only_ours = _items()
    sheet = _lists(result)[0][3]  # the rows of "Thiếu trên hệ thống tỉnh", the clerk beside STT
    assert [row[1] for row in sheet] == ORDER


def test_section_ii_opens_with_how_many_each_clerk_enters():
    """The leader shares the list out before the cut-off: section II opens with each clerk's
    count, in the list's order (round 30: only the clerk-and-day headings said it, 21 pages of
    them for a commune's 197 dossiers, never a total per clerk)."""
    from core.pdf.document import A4_LANDSCAPE
    from core.pdf.reconcile import _missing_table
    result = Reconciliation("tinh.xlsx", dt.date(2026, 10, 1), dt.date(2026, 10, 31), None, "",
                            "national", 30)
    result.only_ours = _items() + _items()[:1]
    line = ("Cần nhập 6 hồ sơ lên hệ thống tỉnh: Lê Kim Huyền 1, Nguyễn Đức Bình 1, Nguyễn Thu "
            "Dung 1, Nguyễn Văn Hùng 2, (không rõ người tiếp nhận) 1.")
    assert result.to_enter_line() == line
    assert _missing_table(result, {}, A4_LANDSCAPE.frame_width)[0].text == line
    result.only_ours = []
    assert result.to_enter_line() is None
