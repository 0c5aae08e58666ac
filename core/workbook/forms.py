"""What every printable form workbook shares (Biểu 06, the 766 table, the reconciliation): the
report header of Decree 30/2020 above the table, the table's header rows with their merges and
column numbers, the print setup (A4 landscape, fit to width, header rows repeated on every
page) and the safe save. The figures are written by the form modules, from the engine only.

Written through `Sheet`, openpyxl's write-only mode addressed by row and column: a form has a few
hundred rows, but the reconciliation's lists reach 100,000 (normal mode took minutes and 400 MB
there), and one way of writing serves both.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import os
import tempfile
import weakref
from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from core import timefmt
from core.errors import OperationError, os_reason
from core.paths import ordinary_file_mode, refuse_unfit_output
from core.pdf.blocks import MOTTO, NATION
from core.pdf.vnformat import place_date
from core.textnorm import shown_text
from core.workbook.look import COUNT_FORMAT, FONT_NAME, FONT_SIZE, PERCENT_FORMAT
from core.workbook.stream import Progress, proceed

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
DASH = "—"  # a rate with a zero denominator (spec 5), never 0 or 100%


class Sheet:
    """A write-only worksheet written cell by cell, rows in increasing order.

    Rows wait in `pending` while `hold` is true — the header, until write_table_head has set the
    frozen panes (a write-only sheet writes its view before its first row) — then each row goes
    to the file as soon as a later row is started. Row heights must be set before that."""

    def __init__(self, book: Workbook, title: str):
        self.ws = book.create_sheet(title)
        # every form prints one page wide; the flag goes out with the sheet's first row
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.pending: dict[int, dict[int, WriteOnlyCell]] = {}
        self.written = 0
        self.max_row = 0
        self.hold = True
        _SHEETS.setdefault(book, []).append(self)

    def __getattr__(self, name: str):  # page_setup, row_dimensions, merged_cells, …
        return getattr(self.ws, name)

    def cell(self, row: int, column: int, value=None) -> WriteOnlyCell:
        if row <= self.written:
            raise ValueError(f"row {row} of {self.ws.title} is written already")
        if not self.hold:
            self.flush(row - 1)
        cell = WriteOnlyCell(self.ws, _plain(value))
        if cell.data_type == "f":
            cell.data_type = "s"  # a citizen's "=HYPERLINK(…)" is text, never a formula (OWASP)
        self.pending.setdefault(row, {})[column] = cell
        self.max_row = max(self.max_row, row)
        return cell

    def merge_cells(self, start_row: int, start_column: int, end_row: int,
                    end_column: int) -> None:
        self.ws.merged_cells.add(CellRange(min_col=start_column, min_row=start_row,
                                           max_col=end_column, max_row=end_row))

    def flush(self, upto: int) -> None:
        while self.written < upto:
            self.written += 1
            cells = self.pending.pop(self.written, {})
            self.ws.append([cells.get(c) for c in range(1, max(cells, default=0) + 1)])


_SHEETS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _plain(value):
    """Text without the control characters XML forbids (openpyxl refuses the whole cell, and
    the form with it, for one stored by an older version or read from a province's file), nor
    a bidi or format character (core.textnorm.shown_text: no letters turned around)."""
    return shown_text(value) if isinstance(value, str) else value



@functools.lru_cache(maxsize=64)
def font(size: float = FONT_SIZE, bold: bool = False, italic: bool = False) -> Font:
    """One Font object per look: a long list styles hundreds of thousands of cells."""
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


@dataclass(frozen=True)
class Heading:
    """What the report header says above a table (Decree 30/2020, ô 1–2 and 5)."""
    header: dict           # settings' report_header (core.limits.clip_header applied)
    title: str             # the document's name in capitals
    lines: tuple[str, ...]  # under the title: period, scope, moment of the figures
    form: str = ""         # "Biểu số 06/VPCP/KSTT": the form's number, under the agency
    issued: dt.date | None = None


def put(sheet: Sheet, row: int, first: int, last: int, value, cell_font: Font,
         align: Alignment = CENTRE) -> None:
    cell = sheet.cell(row=row, column=first, value=value or None)
    cell.font, cell.alignment = cell_font, align
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def write_heading(sheet: Sheet, heading: Heading, columns: int) -> int:
    """The header block across `columns` columns; returns the first row after it. Left: the
    parent agency, the agency (bold) and the form's number; right: Quốc hiệu, Tiêu ngữ and the
    place and date; then the title and its lines centred across the page."""
    header = heading.header
    split = max(2, columns * 2 // 5)  # the agency's share of the width, as on paper
    issued = heading.issued or timefmt.now().date()
    left = [(header.get("parent_agency", "").upper(), font(12)),
            (header.get("agency", "").upper(), font(12, bold=True)),
            (heading.form, font(11, italic=True))]
    right = [(NATION, font(12, bold=True)), (MOTTO, font(13, bold=True)),
             (place_date(header.get("place", ""), issued), font(12, italic=True))]
    for offset, ((l_text, l_font), (r_text, r_font)) in enumerate(zip(left, right, strict=True)):
        put(sheet, 1 + offset, 1, split, l_text, l_font)
        put(sheet, 1 + offset, split + 1, columns, r_text, r_font)
    row = 5
    put(sheet, row, 1, columns, heading.title, font(14, bold=True))
    sheet.row_dimensions[row].height = 36
    for line in heading.lines:
        row += 1
        put(sheet, row, 1, columns, line, font(12, italic=True))
    return row + 2


def write_table_head(sheet: Sheet, top: int, rows: list[list[str]],
                     spans: list[tuple[tuple[int, int], tuple[int, int]]]) -> int:
    """The table's header rows from `top`, boxed, bold and centred; `spans` are merges as
    reportlab's ((col0, row0), (col1, row1)), 0-based inside the head (core.pdf's tables use
    the same). Freezes the panes under it. Returns the last header row (print titles repeat
    top..last)."""
    last = top + len(rows) - 1
    for r, values in enumerate(rows):
        numbers = all(v.startswith("(") for v in values)
        sheet.row_dimensions[top + r].height = 15 if numbers else 31  # a title: two lines
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=top + r, column=c, value=value or None)
            cell.font = font(10 if numbers else 11, bold=not numbers, italic=numbers)
            cell.alignment, cell.border = CENTRE, BOX
    for (c0, r0), (c1, r1) in spans:
        sheet.merge_cells(start_row=top + r0, start_column=c0 + 1,
                          end_row=top + r1, end_column=c1 + 1)
    sheet.ws.freeze_panes = f"A{last + 1}"
    sheet.hold = False
    return last


def _height(sheet: Sheet, values: list, columns, bold: bool = False) -> float:
    """Points a row needs so its wrapped text shows whole: spreadsheet programs do not grow a
    row written by a file on opening, so the print would cut a long unit name in half."""
    lines = 1
    for c in columns:
        value = values[c - 1]
        if isinstance(value, str) and value:
            width = sheet.column_dimensions[get_column_letter(c)].width or 8.43
            per_line = max(1.0, (width - 1) * (1.15 if bold else 1.3))  # Times: narrow
            lines = max(lines, sum(math.ceil(len(part) / per_line) or 1
                                   for part in value.split("\n")))
    return 15.0 * lines + 1


_LOOKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _styled(cell, bold: bool, align: Alignment, number: str) -> None:
    """Give `cell` the boxed look of a body cell: its font, alignment and number format.

    Setting a font, border and alignment hashes each style object against the workbook's list,
    which made a 100,000-row reconciliation take minutes; the first cell's style indices are
    reused instead (openpyxl's own copy of a worksheet copies `_style` the same way)."""
    looks = _LOOKS.setdefault(cell.parent.parent, {})
    key = (bold, id(align), number)
    found = looks.get(key)
    if found is None:
        cell.font, cell.border, cell.alignment = font(11, bold=bold), BOX, align
        cell.number_format = number
        looks[key] = copy(cell._style)
    else:
        cell._style = copy(found)


def write_row(sheet: Sheet, row: int, values: list, bold: bool = False,
              left_cols: tuple[int, ...] = (2,), percent_cols: tuple[int, ...] = (),
              formats: dict[int, str] | None = None) -> None:
    """One boxed body row: counts as numbers with the count format, rates as numbers with the
    percent format (None -> '—'), text left-aligned in `left_cols` (1-based); `formats` gives
    a column its own number format (a date and time)."""
    for c, value in enumerate(values, start=1):
        if value is None and c in percent_cols:
            value = DASH
        cell = sheet.cell(row=row, column=c, value=value)
        if formats and c in formats and value is not None:
            number, align = formats[c], CENTRE
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            number, align = PERCENT_FORMAT if c in percent_cols else COUNT_FORMAT, RIGHT
        else:
            number, align = "General", LEFT if c in left_cols else CENTRE
        _styled(cell, bold, align, number)
    # every text cell wraps, centred ones too ("không so sánh được (*)" in a figure column)
    sheet.row_dimensions[row].height = _height(sheet, values, range(1, len(values) + 1), bold)


def signatures(sheet: Sheet, row: int, columns: int, header: dict) -> int:
    """Who made the form (left) and the head of the body who signs it (right), as Biểu 06 and
    the monthly report end; returns the row after the signer's name."""
    split = max(2, columns * 2 // 5)
    left = [("NGƯỜI LẬP BIỂU", font(12, bold=True)), ("(Ký, ghi rõ họ tên)", font(11, italic=True))]
    right = [(header.get("signer_authority", "").upper(), font(12, bold=True)),
             (header.get("signer_title", "").upper(), font(12, bold=True)),
             ("(Ký tên, đóng dấu)", font(11, italic=True))]
    for offset in range(len(right)):
        if offset < len(left):
            put(sheet, row + offset, 1, split, left[offset][0], left[offset][1])
        put(sheet, row + offset, split + 1, columns, right[offset][0], right[offset][1])
    name_row = row + len(right) + 3  # room for the signature and the seal
    put(sheet, name_row, split + 1, columns, header.get("signer_name", ""), font(12, bold=True))
    return name_row + 1


def widths(sheet: Sheet, sizes: Sequence[float]) -> None:
    for index, size in enumerate(sizes, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = size


def print_setup(sheet: Sheet, head_top: int, head_last: int, columns: int,
                title: str) -> None:
    """A4 landscape, one page wide and as many long as needed, the table's header rows on every
    page, the page number and the title in the footer."""
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = "9"  # A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.ws.print_title_rows = f"{head_top}:{head_last}"
    sheet.ws.print_area = f"A1:{get_column_letter(columns)}{max(sheet.max_row, head_last)}"
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.5
    margins.top, margins.bottom = 0.6, 0.7
    sheet.oddFooter.left.text = title[:70]  # left and right: a long title never runs
    sheet.oddFooter.right.text = "Trang &P/&N"  # into the page number


def new_book() -> Workbook:
    return Workbook(write_only=True)


def build(path: str | os.PathLike, write: Callable[[Workbook], None],
          progress: Progress | None = None) -> Path:
    """The form `write` fills into a new book, saved at `path`. The clerk's Cancel, heard by
    `write` between its rows (core.workbook.stream.proceed) and here before the swap, stops it
    and leaves no file."""
    book = new_book()
    try:
        write(book)
    except InterruptedError:
        _SHEETS.pop(book, None)
        _close(book)
        raise
    return save(book, path, progress)


def _close(book: Workbook) -> None:
    for sheet in book.worksheets:  # end each sheet's row writer now, not noisily at exit
        if not sheet.closed:
            sheet.close()


def save(book: Workbook, path: str | os.PathLike, progress: Progress | None = None) -> Path:
    """Write beside the target, then replace it: a failed or cancelled save never leaves half a
    file (nor the whole one, cancelled before the swap)."""
    target = Path(path)
    refuse_unfit_output(target)
    for sheet in _SHEETS.pop(book, []):
        sheet.flush(sheet.max_row)
    folder = target.parent if str(target.parent) else Path(".")
    temp = None
    try:
        handle, temp = tempfile.mkstemp(prefix=".motcua-", suffix=".xlsx", dir=folder)
        os.close(handle)
        book.save(temp)
        os.chmod(temp, ordinary_file_mode(target))  # mkstemp makes it private
        proceed(progress, 1, 1)
        os.replace(temp, target)
    except InterruptedError:  # cancelled (an OSError too): no message, no file
        _close(book)
        raise
    except OSError as exc:
        _close(book)
        raise OperationError(f"Không ghi được tệp {target}: {os_reason(exc)}.") from exc
    finally:
        if temp and os.path.exists(temp):  # failed before the swap: leave no half file behind
            os.unlink(temp)
    return target
