"""A demo database shared by the workbook tests, and how to read a form workbook back."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

TODAY = dt.date(2026, 11, 20)  # the demo's last day: November 2026 is still running
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def make_demo(path: Path, dossiers: int = 1500) -> Path:
    from core.database import open_database
    from core.demo import generate
    db = open_database(path)
    try:
        generate(db, dossiers=dossiers, seed=7, today=TODAY, workers=1)
    finally:
        db.close()
    return path


def column_numbers_row(sheet: Worksheet) -> int:
    """The row holding (1), (2), …: the table's header ends there."""
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == "(1)":
            return row[0].row
    raise AssertionError("no row of column numbers")


def body(sheet: Worksheet, first: int, width: int) -> list[list]:
    """The rows under the header down to the total ('Tổng cộng') included."""
    out = []
    for values in sheet.iter_rows(min_row=first, max_col=width, values_only=True):
        out.append(list(values))
        if values[1] == "Tổng cộng":
            return out
    raise AssertionError("no total row")


def texts(sheet: Worksheet, last_row: int) -> list[str]:
    return [str(v) for row in sheet.iter_rows(max_row=last_row, values_only=True)
            for v in row if v]
