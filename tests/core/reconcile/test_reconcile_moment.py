"""A reconciliation of a running period is one moment: its PDF and its workbook are dated the
day of the clock reading its figures were taken at, as the monthly report is (spec 2.3)."""
from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from core import timefmt
from core.pdf.reconcile import build_reconciliation
from core.reconcile import reconcile
from core.reconcile.workbook import save_workbook
from tests.core.reconcile.test_reconcile import FIRST, LAST, office, province_file  # noqa: F401
from tests.pdfread import page_texts

CLOCK = dt.datetime(2025, 1, 31, 23, 30)  # January still running, half an hour left


def test_the_papers_are_dated_the_day_of_their_figures(office, province_file,  # noqa: F811
                                                       monkeypatch, tmp_path):
    """Each reading the clock again when written, a comparison made at 23:30 and written past
    midnight said "ngày 01 tháng 02 năm 2025" above figures "tạm tính đến 23 giờ 30 phút, ngày
    31/01/2025"."""
    clock = {"now": CLOCK}
    monkeypatch.setattr(timefmt, "now", lambda: clock["now"])
    result = reconcile(office, province_file, FIRST, LAST)
    clock["now"] = dt.datetime(2025, 2, 1, 0, 5)  # the matching and the writing took a while
    assert result.ok and result.as_of == "2025-01-31 23:30:00"
    assert result.moment_line() == "Số liệu tạm tính đến 23 giờ 30 phút, ngày 31/01/2025"
    first = " ".join(page_texts(build_reconciliation(office, result))[0].split())
    assert "ngày 31 tháng 01 năm 2025" in first.lower() and "tháng 02" not in first
    save_workbook(result, tmp_path / "doi_chieu.xlsx")
    heading = [cell.value for row in load_workbook(tmp_path / "doi_chieu.xlsx").worksheets[0]
               .iter_rows(max_row=4) for cell in row if cell.value]
    assert any("ngày 31 tháng 01 năm 2025" in str(text).lower() for text in heading)
    assert not any("tháng 02" in str(text) for text in heading)
