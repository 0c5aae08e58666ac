"""Readable workbooks built from a demo office, for tests that look at them whole: the
LibreOffice render test of CI (issue 19) calls `sample_register_workbook(tmp_path)`."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

TODAY = dt.date(2026, 11, 27)  # a Friday: the demo's last day, open dossiers late and due soon
MOMENT = dt.datetime(2026, 11, 27, 15, 0)


def demo_office(path: Path, dossiers: int = 800):
    """A demo database of `dossiers` dossiers ending TODAY (opened; the caller closes it)."""
    from core import demo
    from core.database import open_database

    db = open_database(path)
    demo.generate(db, dossiers=dossiers, seed=5, today=TODAY)
    return db


def sample_register_workbook(tmp_path: Path) -> Path:
    """`export register` of the demo's last two months, evaluated at MOMENT: a register
    workbook with title rows, wrapped procedure names, dates, and several printed pages."""
    from core.workbook.register import write_register

    db = demo_office(tmp_path / "demo.db")
    try:
        out = tmp_path / "so-ho-so.xlsx"
        write_register(db, out, dt.date(2026, 10, 1), TODAY, now=lambda: MOMENT)
    finally:
        db.close()
    return out
