"""The Biểu 06 and 766 workbooks of a running month read the clock once: their heading's date
is the day of their figures' moment (round 35). Read again when the heading was written, near
midnight "ngày 01 tháng 12" headed figures "tạm tính đến 23 giờ 59 phút, ngày 30/11/2026"."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

import main
from core import timefmt
from tests.core.factories import add_dossier, add_procedures, add_units

CLOCK = dt.datetime(2026, 11, 30, 23, 59, 30)  # November still running, half a minute left


@pytest.mark.parametrize("kind", ["bieu06", "i766"])
def test_the_heading_is_dated_the_day_of_the_figures(db, db_path, tmp_path, capsys, monkeypatch,
                                                     kind):
    add_units(db)
    add_procedures(db)
    add_dossier(db, code="U1-261124-0001", received=dt.datetime(2026, 11, 24, 8, 0),
                status="processing")
    readings = iter(CLOCK + dt.timedelta(minutes=i) for i in range(1000))  # a loaded PC
    monkeypatch.setattr(timefmt, "now", lambda: next(readings))
    book = tmp_path / f"{kind}.xlsx"
    assert main.main(["--db", str(db_path), "export", kind, "--from", "2026-11-01", "--to",
                      "2026-11-30", str(book)]) == 0, capsys.readouterr()
    cells = [str(v) for row in load_workbook(book).active.iter_rows(max_row=12, values_only=True)
             for v in row if v]
    assert any("23 giờ 59 phút, ngày 30/11/2026" in c for c in cells), "\n".join(cells)
    assert any("ngày 30 tháng 11 năm 2026" in c.lower() for c in cells), "\n".join(cells)
