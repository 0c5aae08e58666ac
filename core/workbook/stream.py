"""A streaming writer of readable list workbooks: styled, frozen, filtered and printable.

openpyxl's write-only mode writes about 2,000 rows a second without lxml, so a register of
200,000 dossiers would take minutes. Like core.transfer.xlsx_writer, this writes the sheet
straight into the zip as the rows go by (memory flat), and adds what a reader needs: a styles
part (Times New Roman, date/money/count formats of core.workbook.look, a bordered grey header
that wraps), one style per column, title rows merged across the table, the frozen header row,
an autofilter, column widths, and A4 landscape fit to width with the header repeated on every
printed page (the _xlnm.Print_Titles name).
"""
from __future__ import annotations

import datetime as dt
import functools
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from core.errors import InputError, OperationError, os_reason
from core.paths import ordinary_file_mode, refuse_unfit_output
from core.textnorm import SUSPECTS, shown_text

# the package's fixed parts are the interchange writer's (one sheet, its styles part)
from core.transfer.xlsx_writer import CONTENT_TYPES, ROOT_RELS, WORKBOOK_RELS, column_letters
from core.workbook import look

XLSX_MAX_ROWS = 1_048_576
TEXT, CODE, WRAP, DATETIME, DATE, MONEY, COUNT, PERCENT = (
    "text", "code", "wrap", "datetime", "date", "money", "count", "percent")
# cellXfs index of each kind (the order of _XFS below); 1-3 are the title, note and header.
_STYLE = {TEXT: 4, CODE: 4, WRAP: 5, DATETIME: 6, DATE: 7, MONEY: 8, COUNT: 9, PERCENT: 10}
_TITLE, _NOTE, _HEADER = 1, 2, 3
_NUMBER_KINDS = {MONEY, COUNT, PERCENT}
_TIME_KINDS = {DATETIME, DATE}


Progress = Callable[[int, int], object]


def proceed(progress: Progress | None, done: int, total: int) -> None:
    """Tell `progress` how far a workbook is (total 0: not yet known); its False, the clerk's
    Cancel, stops the writing with InterruptedError, for which every writer here leaves no file
    (the lists' rows between chunks, the forms' between units and rows, before the swap)."""
    if progress is not None and progress(done, total) is False:
        raise InterruptedError("export cancelled")


@dataclass(frozen=True)
class Column:
    """One column of a list workbook: its Vietnamese header, kind and width (characters)."""
    header: str
    kind: str = TEXT
    width: float = 14


def _fonts() -> str:
    face = f'<name val="{look.FONT_NAME}"/><family val="1"/>'
    size = look.FONT_SIZE
    return (f'<fonts count="4"><font><sz val="{size}"/>{face}</font>'
            f'<font><b/><sz val="{size}"/>{face}</font>'
            f'<font><b/><sz val="{size + 3}"/>{face}</font>'
            f'<font><i/><sz val="{size}"/>{face}</font></fonts>')


def _xf(fmt: int, font: int = 0, fill: int = 0, border: int = 1, align: str = "") -> str:
    applied = ' applyNumberFormat="1"' if fmt else ""
    body = f"<alignment {align}/>" if align else ""
    return (f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
            f'{applied} applyFont="1" applyBorder="1" applyAlignment="1">{body}</xf>')


_XFS = [
    _xf(0, border=0),  # 0 default
    _xf(0, font=2, border=0, align='horizontal="center" vertical="center"'),  # 1 title
    _xf(0, font=3, border=0, align='horizontal="center" vertical="center"'),  # 2 note
    _xf(0, font=1, fill=2, align='horizontal="center" vertical="center" wrapText="1"'),  # 3 head
    _xf(0, align='vertical="top"'),  # 4 text
    _xf(0, align='vertical="top" wrapText="1"'),  # 5 wrapped text
    _xf(164, align='horizontal="center" vertical="top"'),  # 6 date and time
    _xf(165, align='horizontal="center" vertical="top"'),  # 7 date
    _xf(166, align='vertical="top"'),  # 8 money
    _xf(167, align='vertical="top"'),  # 9 count
    _xf(168, align='vertical="top"'),  # 10 percent
]


def styles_xml() -> str:
    formats = [(164, look.DATE_TIME_FORMAT), (165, look.DATE_FORMAT), (166, look.MONEY_FORMAT),
               (167, look.COUNT_FORMAT), (168, look.PERCENT_FORMAT)]
    numfmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{escape(code, {chr(34): "&quot;"})}"/>'
                      for i, code in formats)
    thin = '<left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/>'
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<numFmts count="{len(formats)}">{numfmts}</numFmts>{_fonts()}'
            '<fills count="3"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill><fill><patternFill '
            'patternType="solid"><fgColor rgb="FFD9E1F2"/><bgColor indexed="64"/></patternFill>'
            '</fill></fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/>'
            f'</border><border>{thin}<diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{len(_XFS)}">{"".join(_XFS)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            '</styleSheet>')


WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets><definedNames>{names}</definedNames>
</workbook>"""


# A cell shows its text as every export does (core.textnorm.shown_text): no bidi control (a
# payment's reference or a vote's comment holding U+202E read turned around in «Xuất Excel»), no
# format character, no control character (XML 1.0 forbids most: Excel refuses the file). Most
# cells hold none of these nor & < >: one C-level search decides, the rest runs only when needed.
_SPECIAL = re.compile(f"[&<>{SUSPECTS}]")


def _text(value) -> str:
    text = value if type(value) is str else str(value)
    if _SPECIAL.search(text) is None:
        return text
    return shown_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_EDGE = (" ", "\t", "\n", "\r")


def _string_cell(ref: str, style: int, value) -> str:
    """A text cell with its reference (the title and header rows)."""
    return f'<c r="{ref}"' + _text_writer(style)(value)[2:]


def _text_writer(style: int) -> Callable[[object], str]:
    head = f'<c s="{style}" t="inlineStr"><is><t>'
    kept = f'<c s="{style}" t="inlineStr"><is><t xml:space="preserve">'
    empty = f'<c s="{style}"/>'
    search = _SPECIAL.search

    def write(value) -> str:
        if value is None or value == "":
            return empty
        text = value if type(value) is str else str(value)
        if search(text) is not None:
            text = _text(text)
        if text[0] in _EDGE or text[-1] in _EDGE or "\n" in text:
            return f"{kept}{text}</t></is></c>"
        return f"{head}{text}</t></is></c>"
    return write


def _cell_writer(kind: str) -> Callable[[object], str]:
    """The XML of one cell of a column of `kind`: dates as day serials, amounts as numbers.
    An empty value still draws its bordered cell, so the table reads as one grid. Cells carry
    no reference: every row writes all its cells in order, which spreadsheet programs read
    as columns A, B, C… (ECMA-376 makes `r` optional); it saves a fifth of the time."""
    style = _STYLE[kind]
    text = _text_writer(style)
    if kind in (TEXT, CODE, WRAP):
        return text
    empty, number = f'<c s="{style}"/>', f'<c s="{style}"><v>'
    serial = look.excel_serial

    def write(value) -> str:
        if value is None or value == "":
            return empty
        if kind in _TIME_KINDS and isinstance(value, (dt.date, dt.datetime)):
            return f"{number}{serial(value)!r}</v></c>"
        if kind in _NUMBER_KINDS and isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{number}{value!r}</v></c>"
        return text(value)
    return write


@dataclass
class Sheet:
    """What goes around the rows: the sheet's name, the title lines and the columns."""
    name: str
    titles: Sequence[str]
    columns: Sequence[Column]

    @property
    def header_row(self) -> int:
        return len(self.titles) + 1


def _sheet_start(sheet: Sheet) -> str:
    top = sheet.header_row + 1
    cols = "".join(f'<col min="{i}" max="{i}" width="{c.width}" customWidth="1"/>'
                   for i, c in enumerate(sheet.columns, start=1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{sheet.header_row}" '
            f'topLeftCell="A{top}" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="A{top}" sqref="A{top}"/>'
            f'</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
            '<sheetData>')


def _head_rows(sheet: Sheet, letters: list[str]) -> str:
    out = []
    for number, title in enumerate(sheet.titles, start=1):
        style, height = (_TITLE, 21) if number == 1 else (_NOTE, 16)
        out.append(f'<row r="{number}" ht="{height}" customHeight="1">'
                   f'{_string_cell(f"A{number}", style, title)}</row>')
    number = sheet.header_row
    cells = "".join(_string_cell(f"{letter}{number}", _HEADER, column.header)
                    for letter, column in zip(letters, sheet.columns, strict=True))
    return "".join(out) + f'<row r="{number}" ht="32" customHeight="1">{cells}</row>'


def _sheet_end(sheet: Sheet, last: str, last_row: int) -> str:
    merges = "".join(f'<mergeCell ref="A{n}:{last}{n}"/>' for n in range(1, sheet.header_row))
    merged = f'<mergeCells count="{sheet.header_row - 1}">{merges}</mergeCells>' if merges else ""
    return (f'</sheetData><autoFilter ref="A{sheet.header_row}:{last}{last_row}"/>{merged}'
            '<printOptions horizontalCentered="1"/><pageMargins left="0.4" right="0.4" top="0.5" '
            'bottom="0.5" header="0.3" footer="0.3"/><pageSetup paperSize="9" '
            'orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            '<headerFooter><oddFooter>&amp;CTrang &amp;P / &amp;N</oddFooter></headerFooter>'
            '</worksheet>')


def _workbook(sheet: Sheet, last: str, last_row: int) -> str:
    name = sheet.name[:31]
    quoted = escape("'" + name.replace("'", "''") + "'")
    head = sheet.header_row
    names = (f'<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
             f'{quoted}!$A${head}:${last}${last_row}</definedName>'
             f'<definedName name="_xlnm.Print_Titles" localSheetId="0">{quoted}!${head}:${head}'
             '</definedName>')
    return WORKBOOK.format(name=escape(name, {'"': "&quot;"}), names=names)


# Characters of Times New Roman 11 a column of width 1 holds (the width counts digits of the
# default font; Vietnamese text in Times is narrower), and the height of a line in points.
CHARS_PER_WIDTH = 1.15
MAX_LINES = 6
LINE_HEIGHT = 13.5


@functools.lru_cache(maxsize=4096)  # procedure and unit names repeat on thousands of rows
def _lines(text: str, chars: int) -> int:
    """The lines a text takes wrapped at word boundaries in a line of `chars` characters."""
    lines, used = 1, 0
    for word in text.split():
        size = len(word)
        if used and used + 1 + size > chars:
            lines, used = lines + 1, 0
        used += size + (1 if used else 0)
        lines += (used - 1) // chars if used > chars else 0
        used = used % chars if used > chars else used
    return lines


def _height(wrapped: list[tuple[int, int]], row: Sequence) -> str:
    """The height of a row whose wrapped text needs more than one line. Spreadsheet programs
    size rows only when they are edited, so without it a long name overwrites the next row."""
    lines = 1
    for index, chars in wrapped:
        value = row[index] if index < len(row) else None
        if value and len(text := str(value)) > chars:
            lines = max(lines, min(MAX_LINES, _lines(text, chars)))
    return "" if lines == 1 else f' ht="{lines * LINE_HEIGHT + 2}" customHeight="1"'


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_sheet(target, sheet: Sheet, rows: Iterable[Sequence]) -> int:
    """Write the sheet with `rows` (one value per column, in the column's kind) into `target`
    (a path or a binary file); returns the number of rows written."""
    letters = column_letters(len(sheet.columns))
    writers = [_cell_writer(c.kind) for c in sheet.columns]
    wrapped = [(i, int(c.width * CHARS_PER_WIDTH)) for i, c in enumerate(sheet.columns)
               if c.kind == WRAP]
    number = sheet.header_row
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        with book.open(_entry("xl/worksheets/sheet1.xml"), "w", force_zip64=True) as raw:
            raw.write((_sheet_start(sheet) + _head_rows(sheet, letters)).encode("utf-8"))
            buffer: list[str] = []
            for number, row in enumerate(rows, start=sheet.header_row + 1):  # noqa: B007
                if number > XLSX_MAX_ROWS:
                    raise OperationError(f"Danh sách vượt {XLSX_MAX_ROWS - 1:,} dòng, giới hạn "
                                         "của một trang Excel; hãy lọc bớt.".replace(",", "."))
                cells = "".join([write(value) for write, value in zip(writers, row, strict=False)])
                height = _height(wrapped, row) if wrapped else ""
                buffer.append(f'<row r="{number}"{height}>{cells}</row>')
                if len(buffer) >= 1000:
                    raw.write("".join(buffer).encode("utf-8"))
                    buffer.clear()
            raw.write(("".join(buffer) + _sheet_end(sheet, letters[-1], number)).encode("utf-8"))
        parts = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS,
                 "xl/workbook.xml": _workbook(sheet, letters[-1], number),
                 "xl/_rels/workbook.xml.rels": WORKBOOK_RELS, "xl/styles.xml": styles_xml()}
        for name, text in parts.items():
            book.writestr(_entry(name), text)
    return number - sheet.header_row


def save_sheet(path: str | os.PathLike, sheet: Sheet, rows: Iterable[Sequence]) -> int:
    """write_sheet into `path` atomically: a half-written file never takes the name."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"Tệp “{path.name}” phải có đuôi .xlsx.")
    refuse_unfit_output(path)
    try:
        handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".motcua-", suffix=".xlsx")
    except OSError as exc:
        raise OperationError(f"Không ghi được vào thư mục {path.parent}: {os_reason(exc)}.") from exc
    os.close(handle)
    temp = Path(temp_name)
    try:
        count = write_sheet(temp, sheet, rows)
        os.chmod(temp, ordinary_file_mode(path))  # mkstemp makes it private
        os.replace(temp, path)
    except InterruptedError:  # cancelled (an OSError too): no message, no file
        temp.unlink(missing_ok=True)
        raise
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OperationError(f"Không ghi được tệp {path.name}: {os_reason(exc)}.") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return count
