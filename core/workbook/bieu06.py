"""Biểu 06/VPCP/KSTT as a workbook laid out like the official form (Circular 01/2020/TT-VPCP):
the report header, the two-level header with its merges and the column numbers (1)…(13), the
rows grouped by level (I. Cấp tỉnh, II. Cấp huyện, III. Cấp xã) with each level's subtotal in
bold, and the total.

Every figure is the engine's: by unit, core.indicators.compute (what `kpi --json` and the
monthly report print); by field, core.indicators.by_field.compute_by_field (the monthly report's
Biểu 06 by field, levels and subtotals included). By unit, a level's subtotal is the sum of its
units' rows: a dossier counts in its competent unit's row only (spec 5), so the sum is that
level's count; the total row is the engine's own total.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from core.accounts import require
from core.indicators.by_field import LEVELS, check_by, unit_levels
from core.indicators.vocabulary import is_final, moment_line
from core.pdf.monthly_sections import FIELD_COLUMN, ROMAN, TABLE06_HEAD, TABLE06_SPANS
from core.periods import Period
from core.workbook import forms
from core.workbook.stream import Progress, proceed

TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT"
FORM = "Biểu số 06/VPCP/KSTT"
COLUMNS = 13
# (path in the engine's figures) for columns (3)…(13), in the order of the official form
FIGURE_PATHS = ("received.total", "received.online", "received.direct_postal",
                "received.carried_over", "resolved.total", "resolved.early", "resolved.on_time",
                "resolved.late", "in_progress.total", "in_progress.within_time",
                "in_progress.overdue")
WIDTHS = [6, 38] + [10.5] * 11


def value_at(figures: dict, path: str) -> int:
    for part in path.split("."):
        figures = figures[part]
    return figures  # type: ignore[return-value]


def columns_3_13(figures: dict) -> list[int]:
    """Columns (3)…(13) for one unit, field, level or the total, as the engine gives them."""
    return [value_at(figures, path) for path in FIGURE_PATHS]


@dataclass
class Form06:
    period: Period
    kpi: dict              # core.indicators.compute: units, total, as_of
    by: str                # "unit" | "field"
    header: dict
    scope_name: str | None
    levels: dict[str, str]  # unit code -> Biểu 06 level (by unit)
    by_field: dict | None = None
    issued: dt.date | None = None  # the heading's date: the day of the figures' clock reading

    @property
    def provisional(self) -> bool:
        return not is_final(self.kpi)


def gather(db, first: dt.date, last: dt.date, unit: str | None = None,
           by: str = "unit", progress: Progress | None = None) -> Form06:
    """The engine's figures of [first, last] for `unit` and the units below it (or all); the
    clerk's Cancel is heard after each of the engine's computations (the long steps)."""
    from core import indicators
    from core.indicators.by_field import compute_by_field
    from core.report_header import header_for
    from core.timefmt import now
    check_by(by)
    # the clock read once: the figures, by field too (one sheet, one moment, spec 2.3), and
    # the heading's date (read again when written, near midnight "ngày 01 tháng 12" headed
    # figures of 23:59 on 30/11)
    clock = now()
    kpi = indicators.compute(db, first, last, unit=unit, now=clock)
    proceed(progress, 0, 0)
    by_field = compute_by_field(db, first, last, unit=unit, now=clock) \
        if by == "field" else None
    proceed(progress, 0, 0)
    scope = dict(indicators.scope_units(db, unit)) if unit else {}
    return Form06(period=Period(first, last), kpi=kpi, by=by,
                  header=header_for(db, unit).header,
                  scope_name=scope.get(unit) if unit else None, levels=unit_levels(db),
                  by_field=by_field, issued=clock.date())


def _added(rows: list[dict]) -> list[int]:
    sums = [0] * len(FIGURE_PATHS)
    for figures in rows:
        sums = [a + b for a, b in zip(sums, columns_3_13(figures), strict=True)]
    return sums


def body_rows(form: Form06) -> list[tuple[str, str, list[int], bool]]:
    """(STT, name, columns 3–13, bold) of every row under the header, the total last."""
    out: list[tuple[str, str, list[int], bool]] = []
    if form.by_field is not None:
        for number, level in zip(ROMAN, form.by_field["levels"], strict=False):
            out.append((number, level["name"], columns_3_13(level["total"]), True))
            out += [(str(i), row["field"], columns_3_13(row), False)
                    for i, row in enumerate(level["fields"], start=1)]
        return out + [("", "Tổng cộng", columns_3_13(form.by_field["total"]), True)]
    numbers = iter(ROMAN)
    for level, name in LEVELS:
        units = [u for u in form.kpi["units"] if form.levels.get(u["code"], "commune") == level]
        if not units:
            continue
        out.append((next(numbers), name, _added(units), True))
        out += [(str(i), u["name"], columns_3_13(u), False) for i, u in enumerate(units, start=1)]
    return out + [("", "Tổng cộng", columns_3_13(form.kpi["total"]), True)]


def heading(form: Form06) -> forms.Heading:
    period = form.period
    phrase = period.phrase()
    if period.kind() != "other":  # "từ ngày … đến ngày …" is already the phrase of the others
        phrase += f", từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}"
    lines = [f"({phrase[:1].upper()}{phrase[1:]})"]
    if form.scope_name:
        lines.append(f"Đơn vị: {form.scope_name}")
    lines.append(moment_line(form.kpi))
    return forms.Heading(form.header, TITLE, tuple(lines), FORM, form.issued)


def _head_rows(form: Form06) -> list[list[str]]:
    rows = [list(r) for r in TABLE06_HEAD]  # the monthly report's header: one text, one place
    rows[0][1] = FIELD_COLUMN if form.by == "field" else "Đơn vị"
    return rows


def write(book, form: Form06, progress: Progress | None = None) -> None:
    sheet = forms.Sheet(book, "Biểu 06")
    forms.widths(sheet, WIDTHS)
    top = forms.write_heading(sheet, heading(form), COLUMNS)
    unit_cell = sheet.cell(row=top - 1, column=COLUMNS, value="Đơn vị tính: Số hồ sơ TTHC")
    unit_cell.font, unit_cell.alignment = forms.font(11, italic=True), forms.RIGHT
    last_head = forms.write_table_head(sheet, top, _head_rows(form), TABLE06_SPANS)
    row, body = last_head, body_rows(form)
    for number, name, values, bold in body:
        row += 1
        forms.write_row(sheet, row, [number, name, *values], bold=bold)
        proceed(progress, row - last_head, len(body) + 1)  # the save is the last step
    withdrawn = form.kpi["total"]["withdrawn"]
    if withdrawn:
        row += 2
        note = (f"Ghi chú: {withdrawn} hồ sơ công dân rút hoặc dừng giải quyết trong kỳ không tính "
                "vào cột (7) và cột (11); cột (3) bằng cột (7) cộng cột (11) cộng số hồ sơ rút, dừng.")
        forms.put(sheet, row, 1, COLUMNS, note, forms.font(11, italic=True), forms.LEFT)
        sheet.row_dimensions[row].height = 30
    forms.signatures(sheet, row + 2, COLUMNS, form.header)
    forms.print_setup(sheet, top, last_head, COLUMNS, f"{FORM} — {form.period.phrase()}")


def save_bieu06(db, path: str | os.PathLike, first: dt.date, last: dt.date,
                unit: str | None = None, by: str = "unit",
                progress: Progress | None = None) -> Path:
    """The form saved at `path`; `progress` False (Cancel) stops it between steps, no file."""
    require("report.print")
    form = gather(db, first, last, unit, by, progress)
    return forms.build(path, lambda book: write(book, form, progress), progress)
