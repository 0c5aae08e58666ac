"""How long a dossier has been overdue is one rule (spec 2.2: a day is 8 working hours): the
monthly report's section V says what the register, its Excel file and the dossier window say of
the same dossier at the same moment (core.live_due.overdue_span).

The report counted the days begun, at least one: a dossier due at 16:29 on Thursday 26/11/2026
was «3» days overdue at the end of November (24:00 on Monday 30/11: 31 minutes, Friday and
Monday, 16 h 31 min of working time) while the register said "Quá hạn 2 ngày"."""
from __future__ import annotations

import datetime as dt
import re

from openpyxl import load_workbook

import main
from core import timefmt
from tests.core.factories import add_dossier, add_procedures, add_units
from tests.pdfread import pdf_text

END_OF_NOVEMBER = dt.datetime(2026, 12, 1)  # 24:00 of 30/11: November's moment of evaluation
DUE = {  # code: its due time, what the report and the register say of it at END_OF_NOVEMBER
    "U1-261123-0001": (dt.datetime(2026, 11, 26, 16, 29), "2 ngày", "Quá hạn 2 ngày"),  # 16h31
    "U1-261123-0002": (dt.datetime(2026, 11, 27, 10, 0), "1 ngày 5 giờ",  # 13 h
                       "Quá hạn 1 ngày 5 giờ"),
    "U1-261123-0003": (dt.datetime(2026, 11, 30, 16, 0), "1 giờ", "Quá hạn 1 giờ"),
    "U1-261123-0004": (dt.datetime(2026, 11, 30, 16, 35), "25 phút", "Quá hạn 25 phút"),
    # overdue since 17:00 of 30/11 with no working time since: the register's bare word
    "U1-261123-0005": (dt.datetime(2026, 11, 30, 17, 0), "dưới 1 phút", "Quá hạn"),
}


def run(capsys, path, *args: str) -> None:
    capsys.readouterr()
    code = main.main(["--db", str(path), *args])
    assert code == 0, capsys.readouterr()


def test_the_report_says_how_long_overdue_as_the_register_does(db, db_path, tmp_path, capsys,
                                                             monkeypatch):
    add_units(db)
    add_procedures(db)
    for code, (due, *_) in DUE.items():
        add_dossier(db, code=code, received=dt.datetime(2026, 11, 23, 8, 0), due=due,
                    status="processing")
    monkeypatch.setattr(timefmt, "now", lambda: END_OF_NOVEMBER)
    pdf, book = tmp_path / "thang-11.pdf", tmp_path / "so.xlsx"
    run(capsys, db_path, "report", "monthly", "--month", "2026-11", "--out", str(pdf))
    run(capsys, db_path, "export", "register", "--from", "2026-11-01", "--to", "2026-11-30",
        str(book))
    text = " ".join(pdf_text(pdf).split())
    section = text[text.find("V. HỒ SƠ QUÁ HẠN"):text.find("VI. MỨC ĐỘ HÀI LÒNG")]
    register = {row[0]: row[7] for row in load_workbook(book).active.iter_rows(values_only=True)
                if row and row[0] in DUE}
    for code, (due, words, said) in DUE.items():
        assert register[code] == said  # the register's column, as before
        # the cell after the due time, up to the next row (no phone was recorded) or the note
        shown = re.search(re.escape(code) + r" .*? " + re.escape(f"{due:%H:%M} {due:%d/%m/%Y}")
                          + r" (.+?)(?= \d+ U1-| Thời gian quá hạn tính)", section)
        assert shown and shown.group(1) == words, (code, shown and shown.group(1))
    assert "Thời gian quá hạn Điện thoại" in section  # the column: a time, not a count
    assert "Thời gian quá hạn tính theo giờ làm việc" in section
