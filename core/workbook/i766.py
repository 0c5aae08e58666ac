"""The Decision 766/QĐ-TTg table (spec 5.1) as a printable workbook: per unit and the total, each
of the six figures with its numerator, denominator and rate (a number in percent format, '—' on
a zero denominator), then the year's targets and whether the total meets them.

Every figure is the engine's `i766` object (core.indicators.compute, i.e. `kpi --json`), rates
as the engine rounds them; whether a target is met is core.indicators.i766.meets (the exact
rate, spec 5) — the monthly report's section asks the same functions.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from core.accounts import require
from core.indicators import i766
from core.indicators.vocabulary import met_word
from core.workbook import forms
from core.workbook.bieu06 import Form06, gather
from core.workbook.stream import Progress, proceed

TITLE = "KẾT QUẢ CÁC CHỈ SỐ ĐÁNH GIÁ CHẤT LƯỢNG PHỤC VỤ THEO QUYẾT ĐỊNH 766/QĐ-TTg"
FORM = "Bộ chỉ số 766/QĐ-TTg"
PARTS = ("Tử số", "Mẫu số", "Tỷ lệ")
COLUMNS = 2 + 3 * len(i766.KEYS)
RATE_COLUMNS = tuple(2 + 3 * i + 3 for i in range(len(i766.KEYS)))  # 1-based
FIRST_COLUMNS = tuple(c - 2 for c in RATE_COLUMNS)  # a target spans its figure's columns
WIDTHS = [5, 30] + [8, 8, 9] * len(i766.KEYS)


def head_rows() -> tuple[list[list[str]], list]:
    """Two header rows (the figure over its three parts) and the column numbers."""
    top, parts = ["STT", "Đơn vị"], ["", ""]
    spans: list = [((0, 0), (0, 1)), ((1, 0), (1, 1))]
    for index, key in enumerate(i766.KEYS):
        figure = i766.FIGURES[key]
        top += [f"{figure.code}. {figure.short.replace(' (766)', '')}", "", ""]
        parts += list(PARTS)
        first = 2 + 3 * index
        spans.append(((first, 0), (first + 2, 0)))
    return [top, parts, [f"({i})" for i in range(1, COLUMNS + 1)]], spans


def figure_cells(figures: dict) -> list:
    """num, den, rate of each figure: the engine's `i766` object of a unit or the total."""
    out: list = []
    for key in i766.KEYS:
        part = figures["i766"][key]
        out += [part["num"], part["den"], part["rate"]]
    return out


def _target_rows(form: Form06, targets: dict) -> list[list]:
    total = form.kpi["total"]["i766"]
    aim: list = ["", f"Mục tiêu năm {form.period.end.year}"]
    verdict: list = ["", "Đánh giá (tổng cộng)"]
    for key in i766.KEYS:
        aim += [targets[key], None, None]
        verdict += [met_word(i766.meets(total[key], targets[key])), None, None]
    return [aim, verdict]


def write(book, form: Form06, targets: dict, progress: Progress | None = None) -> None:
    from core.workbook.bieu06 import heading as heading06
    sheet = forms.Sheet(book, "Chỉ số 766")
    forms.widths(sheet, WIDTHS)
    base = heading06(form)
    top = forms.write_heading(sheet, forms.Heading(base.header, TITLE, base.lines, FORM,
                                                       base.issued), COLUMNS)
    rows, spans = head_rows()
    last_head = forms.write_table_head(sheet, top, rows, spans)
    row = last_head
    units = form.kpi["units"]
    for index, unit in enumerate(units, start=1):
        row += 1
        forms.write_row(sheet, row, [str(index), unit["name"], *figure_cells(unit)],
                        percent_cols=RATE_COLUMNS)
        proceed(progress, index, len(units) + 1)  # the save is the last step
    row += 1
    forms.write_row(sheet, row, ["", "Tổng cộng", *figure_cells(form.kpi["total"])], bold=True,
                    percent_cols=RATE_COLUMNS)
    for values in _target_rows(form, targets):
        row += 1
        forms.write_row(sheet, row, values, bold=True, percent_cols=FIRST_COLUMNS)
        for first in FIRST_COLUMNS:
            sheet.merge_cells(start_row=row, start_column=first, end_row=row,
                              end_column=first + 2)
    forms.put(sheet, row + 2, 1, COLUMNS, _note(), forms.font(10, italic=True), forms.LEFT)
    sheet.row_dimensions[row + 2].height = 42
    forms.signatures(sheet, row + 4, COLUMNS, form.header)
    forms.print_setup(sheet, top, last_head, COLUMNS, f"{FORM} — {form.period.phrase()}")


def _note() -> str:
    from core.pdf.monthly_766 import NOTE  # the monthly report's words: one text, one place
    return "Ghi chú: " + NOTE[:1].lower() + NOTE[1:]


def save_i766(db, path: str | os.PathLike, first: dt.date, last: dt.date,
              unit: str | None = None, progress: Progress | None = None) -> Path:
    """The table saved at `path`; `progress` False (Cancel) stops it between steps, no file."""
    from db import settings
    require("report.print")
    form = gather(db, first, last, unit, "unit", progress)
    targets = settings.targets_766_for_year(db, last.year)
    return forms.build(path, lambda book: write(book, form, targets, progress), progress)
