"""Reading and writing the tables of an import/export file: CSV (UTF-8) or XLSX, first sheet.

A table is read twice during an import (check everything, then write) and streamed each time:
a million rows never sit in memory. A CSV is read afresh (reading it is cheap); an .xlsx is
parsed by openpyxl once (`XlsxRows`): its rows go to an unnamed temporary file as they are read
— the header search, the first pass — and later readers take them from there.
Writing goes to a temporary file next to the target, then `os.replace`, so a failure never
leaves a half-written file.

CSV cells that Excel would run as a formula (starting with = + - @, a tab or a carriage return)
are written with a leading apostrophe, as OWASP advises against CSV injection; reading a CSV
removes exactly that apostrophe again, so export → import gives back every value unchanged.
An .xlsx is checked (core.transfer.xlsx_guard) before openpyxl reads anything.
"""
from __future__ import annotations

import codecs
import csv
import os
import pickle
import re
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import ParseError

from openpyxl.worksheet import _reader as sheet_reader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from core import limits
from core.errors import InputError, OperationError, os_reason, read_reason
from core.paths import ordinary_file_mode, refuse_unfit_input, refuse_unfit_output, require_folder
from core.textnorm import shown_text
from core.timefmt import vn_number
from core.transfer.csv_quotes import RecordLines, unclosed_quote
from core.transfer.layout import (
    HEADER_SCAN,
    Expected,
    blank,
    column_key,
    find_header,
    search_note,
    split_trailer,
    title,
)
from core.transfer.xlsx_guard import check_xlsx
from core.transfer.xlsx_writer import write_xlsx

EXTENSIONS = (".csv", ".xlsx")
XLSX_MAX_ROWS = 1_048_576  # Excel's sheet limit, header included
SNIFF_BYTES = 1 << 16
# A CSV cell Excel would take for a formula; with apostrophes before it, one was added on export.
_FORMULA_LIKE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


class Uncached:
    """An XLSX formula cell saved without its computed value (openpyxl reads it as empty)."""

    def __str__(self) -> str:
        return "(công thức)"

    def __reduce__(self) -> str:
        return "UNCACHED"  # the one instance, read back from a spool (`cell is UNCACHED`)


UNCACHED = Uncached()
UNCACHED_REASON = "ô chứa công thức, không có giá trị (hãy mở tệp bằng Excel, lưu lại rồi nhập)"

# What the clerk does again once the file is saved right, where the message is shown: an import
# ("nhập lại"); the reconciliation window says its own (core.reconcile.AGAIN_WINDOW)
AGAIN_IMPORT = "nhập lại"


def utf8_advice(again: str = AGAIN_IMPORT) -> str:
    """How to save a CSV as UTF-8 from Excel, then `again`: one rule, its last step in the
    words of the place that shows it."""
    return ("Hãy lưu lại tệp dưới dạng \"CSV UTF-8\": trong Excel chọn File → Save As (Lưu "
            "thành), ở ô \"Save as type\" (Kiểu tệp) chọn \"CSV UTF-8 (Comma delimited) "
            f"(*.csv)\", rồi {again}. Hoặc lưu thành tệp Excel .xlsx.")


def original_advice(again: str = AGAIN_IMPORT) -> str:
    """What to do with a file whose Vietnamese was mangled by a save in the wrong encoding."""
    return (f"Hãy lấy lại tệp gốc (xuất lại từ hệ thống), không mở rồi lưu lại, rồi {again}. "
            "Chưa ghi gì.")


class EncodingError(InputError):
    """A CSV file not saved as UTF-8: what is wrong (`problem`) and what to do (`advice`, by
    default how to save it as UTF-8), whose last step names what to do again (`again`: an
    import's words by default)."""

    def __init__(self, problem: str, again: str = AGAIN_IMPORT, advice=utf8_advice):
        super().__init__(f"{problem} {advice(again)}")
        self.problem, self.advice = problem, advice

    def told_for(self, again: str) -> EncodingError:
        """The same error, its advice ending with `again` (where it is shown)."""
        return EncodingError(self.problem, again, self.advice)


def told_for(error: Exception, again: str) -> Exception:
    """`error` as a place that does not import the file says it: an EncodingError's advice
    ending with `again` (the reconciliation: open the file again, not "nhập lại"); any other
    error as it is."""
    return error.told_for(again) if isinstance(error, EncodingError) else error


def check_extension(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        hint = " Tệp .xls (Excel cũ) hãy mở bằng Excel và lưu thành .xlsx." if suffix == ".xls" else ""
        raise InputError(f"Tệp {path.name} phải có đuôi .csv hoặc .xlsx.{hint}")
    return suffix


@dataclass
class Table:
    """The header and a way to stream the data rows of one file."""

    path: Path
    header: list[str]          # lower-cased, trimmed column names ('' for blank header cells)
    header_row: int            # the spreadsheet row number of the header
    delimiter: str = ","
    formulas: bool = False     # an .xlsx holding formulas: their cached values are checked
    titles: list[str] = field(default_factory=list)  # the header as the file spells it, to show
    expected: Expected | None = None  # the columns the reader needs (core.transfer.layout)
    searched: int = 0          # > 0: no top row named them; rows 1..searched were looked at
    trailer: list[int] = field(default_factory=list)  # rows left out after the data, once read
    xlsx: XlsxRows | None = field(default=None, repr=False, compare=False)

    def records(self) -> Iterator[tuple[int, Sequence]]:
        """Every row of the file, numbered as a spreadsheet shows it."""
        if self.path.suffix.lower() == ".csv":
            return _csv_records(self.path, self.delimiter)
        if self.xlsx is None:
            self.xlsx = XlsxRows(self.path, self.formulas)
        return self.xlsx.records()

    def close(self) -> None:
        """Let go of the workbook and the rows kept of it (also done when the table goes)."""
        if self.xlsx is not None:
            self.xlsx.close()

    def rows(self) -> Iterator[tuple[int, dict[str, object]]]:
        """(spreadsheet row number, {column: raw cell}) for every non-blank data row; the
        trailer (totals, signatures: core.transfer.layout) is left out and kept in `trailer`."""
        names = self.expected.required if self.expected else ()
        required = [n.lower() for n in names if n.lower() in self.header]
        yield from split_trailer(self._data(), required, self.trailer)

    def _data(self) -> Iterator[tuple[int, dict[str, object]]]:
        for number, cells in self.records():
            if number <= self.header_row or blank(cells):
                continue
            # the row's own cells only (a missing one reads as absent, `.get` gives None): a
            # short row under a header of 16,384 columns costs what the row holds, not the header
            yield number, {name: cell for name, cell in zip(self.header, cells, strict=False)
                           if name}

    def search_note(self) -> str:
        """Said with a missing-columns refusal: where the header was looked for, and the
        other sheets of a workbook whose first sheet (the one read) is not the data."""
        return search_note(self.searched, self.expected, self.header_row) + sheets_note(self.path)

    def spelt(self, name: str) -> str:
        """The column `name` (matched by core.transfer.layout.column_key) as this file spells
        it ("SoDienThoai" for "sodienthoai"), or `name` itself when the file has no such
        column: what a message or the mapping step shows, never the lower-cased key."""
        key = column_key(name)
        for column, shown in zip(self.header, self.titles, strict=False):
            if column == key and column:
                return shown
        return name

    def shown_columns(self) -> list[str]:
        """The header's named columns, as the file spells them, in its order."""
        titles = self.titles or self.header
        return [shown for column, shown in zip(self.header, titles, strict=False) if column]



def open_table(path: str | os.PathLike, expected: Expected | None = None,
               header_row: int | None = None) -> Table:
    """Check the file can be read and find its header row: `header_row` when given, else the
    first top row naming the `expected` columns (core.transfer.layout.find_header); without
    `expected`, the first non-blank row."""
    path = Path(path)
    suffix = check_extension(path)
    if not path.exists():
        raise InputError(f"Không tìm thấy tệp {path}.")
    if path.is_dir():
        raise InputError(f"{path} là một thư mục, không phải tệp.")
    refuse_unfit_input(path)
    delimiter, formulas = ",", False
    if suffix == ".csv":
        delimiter = _check_csv_bytes(path)
    else:
        formulas = check_xlsx(path).has_formulas
    return table_at(Table(path, [], 0, delimiter, formulas, expected=expected), header_row)


def seen_as(table: Table, expected: Expected | None, header_row: int | None = None) -> Table:
    """`table`, opened already (its file checked once: check_xlsx, the workbook), with its
    header looked for again for `expected`: from the rows kept of an .xlsx, not the file."""
    table.expected, table.trailer = expected, []
    return table_at(table, header_row)


def table_at(table: Table, header_row: int | None = None) -> Table:
    """`table` with its header found among its own records (the file, or rows kept in memory)."""
    records = table.records()
    try:
        found = find_header(records, table.path.name, table.expected, header_row)
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()
    titles = [title(c) for c in found.cells]
    table.header, table.titles = [column_key(t) for t in titles], titles
    table.header_row, table.searched = found.number, found.searched
    return table


# ----- CSV -----------------------------------------------------------------------------------
def _read_head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputError(f"Không đọc được tệp {path}: {read_reason(exc)}.") from exc


def _check_csv_bytes(path: Path) -> str:
    """Refuse what is not UTF-8 with advice; return the delimiter found in the first line."""
    head = _read_head(path)
    if not head.strip() or head.strip() == codecs.BOM_UTF8:
        raise InputError(f"Tệp {path.name} trống: không có dòng tiêu đề và dữ liệu.")
    # UTF-16 text has a NUL in about every other byte; a few NULs mean a binary file
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or \
            head.count(b"\x00") >= len(head) // 4 > 0:
        raise EncodingError(f"Tệp {path.name} được lưu bằng mã UTF-16 (Unicode Text), "
                            "không phải CSV UTF-8.")
    if b"\x00" in head:
        raise InputError(f"Tệp {path.name} không phải tệp CSV: có ký tự nhị phân (byte 0), có "
                         "lẽ là tệp của chương trình khác được đặt tên .csv.")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        sample = decoder.decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    _refuse_mangled(path, sample)
    return _delimiter(sample.lstrip("\ufeff").splitlines()[:HEADER_SCAN])


# Vietnamese written in UTF-8, read as Windows-1252 (or Latin-1) and saved again as UTF-8: each
# letter with a mark becomes two or three ("ệ" → "á»‡", "ư" → "Æ°", "đ" → "Ä‘"). These pairs are
# in no Vietnamese word. Such a file is valid UTF-8: its names were refused one by one ("có ký
# hiệu không dùng trong họ tên: '¯'", 824 errors), its addresses would have been kept mangled.
_MANGLED = re.compile("á[»º]|Æ[°¡]|Ä[‘\x91]|Ã[¡-¿]")


def _refuse_mangled(path: Path, sample: str) -> None:
    for number, line in enumerate(sample.lstrip("\ufeff").splitlines(), start=1):
        found = _MANGLED.search(line)
        if found:
            raise EncodingError(
                f"Tệp {path.name} có chữ tiếng Việt đã bị hỏng mã (ví dụ '{found.group()}' ở "
                f"dòng {vn_number(number)}): tệp đã được mở bằng bảng mã sai (Windows-1252) rồi "
                "lưu lại, mọi chữ có dấu đều sai.", advice=original_advice)


def _delimiter(lines: list[str]) -> str:
    """Comma per spec 7; Excel set to Vietnamese regional settings writes ';' instead.

    A first line holding a comma (or else a ';', a tab) twice or more is the header and
    decides, as always. A title line does not ("Lạng Sơn, ngày 30 tháng 11" above a ';' file):
    then the top line holding the most of one of them, the header's place, decides."""
    first = lines[0] if lines else ""
    for candidate in (",", ";", "\t"):
        if first.count(candidate) >= 2:
            return candidate
    most = {d: max((line.count(d) for line in lines), default=0) for d in (",", ";", "\t")}
    best = max(most, key=lambda d: most[d])  # the first of equals: the comma
    return best if most[best] else ","


def _not_utf8(path: Path) -> InputError:
    return EncodingError(f"Tệp {path.name} không phải mã UTF-8 (có lẽ được Excel lưu bằng bảng "
                         "mã Windows-1258 hoặc Windows-1252, tiếng Việt sẽ bị lỗi font).")


class _LineTooLong(Exception):
    pass


def _bounded_lines(handle) -> Iterator[str]:
    """The file's lines, none longer than CSV_LINE_MAX characters.

    Iterating a file reads a whole line into memory before csv sees any of it: a file of one
    2 GB line would take gigabytes before the cell limit could refuse it.
    """
    while line := handle.readline(limits.CSV_LINE_MAX + 1):
        if len(line) > limits.CSV_LINE_MAX and line[-1] not in "\r\n":
            raise _LineTooLong
        yield line


def _csv_records(path: Path, delimiter: str) -> Generator[tuple[int, list], None, None]:
    """Records numbered as a spreadsheet shows them (a quoted line break stays in its row)."""
    number = 0
    try:
        with open(path, encoding="utf-8-sig", newline="", errors="strict") as handle:
            lines = RecordLines(_bounded_lines(handle))
            reader = csv.reader(lines, delimiter=delimiter)
            for number, record in enumerate(reader, start=1):
                lines.record_read()
                yield number, [unquote(cell) if cell[:1] == "'" else cell for cell in record]
            if lines.unclosed(delimiter):
                raise unclosed_quote(path.name, number, len(record))
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    except _LineTooLong:
        raise InputError(f"Tệp {path.name}, dòng {number + 1}: dòng dài hơn "
                         f"{vn_number(limits.CSV_LINE_MAX)} ký tự; tệp hỏng hoặc không phải bảng "
                         "dữ liệu CSV. Chưa ghi gì.") from None
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise InputError(f"Tệp {path.name}, dòng {number + 1}: có một ô dài hơn "
                             f"{vn_number(csv.field_size_limit())} ký tự; chưa đọc gì.") from None
        raise InputError(f"Tệp {path.name} không đúng định dạng CSV gần dòng {number + 1}: {exc}.") from exc
    except OSError as exc:
        raise InputError(f"Không đọc được tệp {path}: {read_reason(exc)}.") from exc


# ----- XLSX ----------------------------------------------------------------------------------
_DAMAGED_SHEET = (ParseError, zipfile.BadZipFile, zlib.error, EOFError, ValueError, KeyError,
                  TypeError, IndexError, OverflowError)
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # Excel 97-2003, and any workbook with a password


def _unsized(sheet: ReadOnlyWorksheet) -> None:
    """No size record is read: `_first_sheet_rows` drops it anyway (reset_dimensions).

    openpyxl looks for it when it opens a book, and where a sheet has none (MotCua's own
    exports, many other programs') it parses the whole sheet, every element kept in memory:
    each opening of a 200,000-dossier export took seconds, and a 440 KB sheet of 50 million
    empty rows grew past 2 GB within a minute before a row was read."""


ReadOnlyWorksheet._get_size = _unsized
_ITERPARSE = sheet_reader.iterparse
_SHEET_DATA = sheet_reader.DATA_TAG  # "{…spreadsheetml…}sheetData"
_ROW = sheet_reader.ROW_TAG
STRAYS_MAX = 10_000


def _letting_go(source, events=("end",)):
    """openpyxl's `iterparse` for a sheet, letting go of what it has read.

    openpyxl's sheet reader (3.1.5) reads every element of a sheet from `iterparse`: it clears
    a row once read but leaves it in the tree, and keeps whole every element it does not know.
    A crafted sheet of empty rows each followed by junk elements grew past 680 MB from a 1.5 MB
    file (ninth round). The same end events are given, and once the reader has gone on from an
    element that sits in the worksheet itself or in sheetData (a row, a part, junk), it is taken
    out of its parent: what lies inside a row is all there while the row is read. More than
    STRAYS_MAX elements in sheetData that are not rows (no program writes one) stop the reading
    as a damaged file: that sheet took 3.5 GB before, and 51 s letting them go one by one."""
    stack: list = []
    strays = 0  # elements in sheetData that are not rows: none in any sheet a program writes
    for event, element in _ITERPARSE(source, events=("start", "end")):
        if event == "start":
            stack.append(element)
            continue
        stack.pop()
        yield event, element
        if len(stack) == 2 and stack[1].tag == _SHEET_DATA:
            stack[1].remove(element)
            if element.tag != _ROW:
                strays += 1
                if strays > STRAYS_MAX:  # the reader names the file as damaged, with its row
                    raise ValueError("elements that are not rows in sheetData")
        elif len(stack) == 1:  # a part of the worksheet itself, read
            stack[0].remove(element)


sheet_reader.iterparse = _letting_go
# openpyxl tells on stderr, in English, what it leaves out of a book it reads (a date cell beyond
# Excel's dates, data validation, unknown extensions, no default style): a clerk running
# `import` saw "UserWarning: Cell F2 is marked as a date…" above the Vietnamese message naming
# the same cell. The reader says all a clerk needs.
warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")


def _load_book(path: Path, data_only: bool):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, EOFError, ParseError,
            zlib.error, TypeError) as exc:
        if _read_head(path)[:8] == OLE_MAGIC:
            raise InputError(f"Tệp {path.name} là tệp Excel có đặt mật khẩu hoặc tệp Excel cũ "
                             "(.xls) được đổi tên thành .xlsx. Hãy mở bằng Excel, bỏ mật khẩu "
                             "(File → Info → Protect Workbook) rồi lưu lại thành \"Excel Workbook "
                             "(*.xlsx)\".") from exc
        raise InputError(f"Không đọc được tệp Excel {path.name}: tệp hỏng hoặc không phải .xlsx. "
                         "Hãy mở bằng Excel và lưu lại thành \"Excel Workbook (*.xlsx)\".") from exc
    except OSError as exc:
        raise InputError(f"Không đọc được tệp {path}: {read_reason(exc)}.") from exc


SHEETS_SHOWN = 5
_SHEET_NAME = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook in their order (xl/workbook.xml, small and checked already by
    check_xlsx); none when it cannot be read."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > 1_000_000:
                return []
            text = archive.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError,
            NotImplementedError, ValueError, zlib.error):
        return []
    names = []
    for match in _SHEET_NAME.finditer(text):
        raw = match.group(1).decode("utf-8", "replace")
        raw = raw.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        raw = raw.replace("&quot;", '"').replace("&apos;", "'")
        names.append("".join(c for c in raw if c.isprintable())[:31])  # Excel's longest
    return names


def sheets_note(path: Path) -> str:
    """A workbook of several sheets is read from its first: a vendor's export opening on a
    cover sheet ('Hướng dẫn') was refused for missing columns that the clerk could see on the
    second, with no word of which sheet had been read."""
    if path.suffix.lower() != ".xlsx":
        return ""
    names = sheet_names(path)
    if len(names) < 2:
        return ""
    others = ", ".join(f"'{n}'" for n in names[1:SHEETS_SHOWN + 1])
    if len(names) > SHEETS_SHOWN + 1:
        others += f" và {vn_number(len(names) - SHEETS_SHOWN - 1)} trang khác"
    return (f" MotCua chỉ đọc trang tính đầu tiên của tệp ('{names[0]}'); tệp còn có trang "
            f"{others}. Nếu dữ liệu ở trang khác, hãy kéo trang đó lên đầu (hoặc xóa các trang "
            "đứng trước) trong Excel rồi lưu lại.")


def _first_sheet_rows(book) -> Iterator[tuple]:
    if not book.worksheets:
        return iter(())
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # files from other programs may carry a wrong size record
    return sheet.iter_rows(values_only=True)


def _xlsx_records(path: Path, formulas: bool = False) -> Generator[tuple[int, tuple], None, None]:
    """The first sheet's rows; with `formulas`, a formula saved without its value is UNCACHED.

    openpyxl gives such a cell as empty, which would store nothing where the sheet shows a
    value; reading the formulas alongside tells the two apart.
    """
    books = [_load_book(path, True)] + ([_load_book(path, False)] if formulas else [])
    number = cells = 0
    try:
        rows = _first_sheet_rows(books[0])
        if formulas:
            rows = map(_mark_uncached, rows, _first_sheet_rows(books[1]))
        for number, row in enumerate(rows, start=1):
            cells += len(row)
            if number > XLSX_MAX_ROWS or cells > limits.XLSX_CELLS_MAX:
                raise _padded(path, number, cells)
            yield number, row
    except _DAMAGED_SHEET:
        # the sheet's XML is read as the rows go by: damage (or a DTD, refused by expat) shows
        # here, not when the book opens
        where = f" sau dòng {number}" if number else ""
        raise InputError(f"Không đọc được tệp Excel {path.name}{where}: tệp hỏng hoặc đã bị "
                         "sửa bất thường. Hãy mở bằng Excel và lưu lại thành \"Excel Workbook "
                         "(*.xlsx)\". Chưa ghi gì.") from None
    finally:
        for book in books:
            book.close()


SPOOL_ROWS = 1000  # rows pickled together in the spool
SPOOL_CELLS = 50_000  # ...or fewer, when they are wide


class XlsxRows:
    """The rows of one .xlsx, parsed by openpyxl once however often they are read.

    openpyxl is the import's slowest step by far: 26 s a pass over a 200,000-dossier export
    (bench/bench_transfer.py --files), where a CSV of the same rows reads in 0.6 s; an import
    read the sheet three times (the header search, the check, the writing of a file too big
    to keep) and parsed the strings part of an Excel file at each opening. Here one workbook
    is opened and streamed once; every row it gives is kept, as it goes, in an unnamed
    temporary file (pickled in chunks: never in memory whole, gone when closed or when the
    program dies), and a reader after the first — or one going on from where another stopped,
    as the first pass after the header search — is given the kept rows and then the stream
    where it was left. The hostile-file checks all stay where they were: check_xlsx before
    openpyxl reads anything, the row and cell limits and the damage as the stream is parsed.
    A spool that cannot be written (a full disk) is dropped: later readers parse the file
    again, as before."""

    def __init__(self, path: Path, formulas: bool):
        self.path, self.formulas = path, formulas
        self.live: Generator[tuple[int, tuple], None, None] | None = None
        self.spool: IO[bytes] | None = None  # the temporary file of the rows read so far
        self.kept = 0  # bytes of the spool holding whole chunks
        self.pending: list[tuple[int, tuple]] = []
        self.cells = 0  # cells in `pending`
        self.complete = False  # the stream has been read to its end: the spool holds it all
        self.reading = False  # a reader is taking rows: another one reads the file afresh
        self.dropped = False  # the spool could not be written: every reader reads afresh

    def records(self) -> Iterator[tuple[int, tuple]]:
        if self.dropped or self.reading:
            return _xlsx_records(self.path, self.formulas)
        return self._shared()

    def _shared(self) -> Generator[tuple[int, tuple], None, None]:
        self.reading = True
        try:
            yield from self._kept_rows()
            if not self.complete:
                yield from self._stream()
        finally:
            self.reading = False
            if self.dropped:
                self._close_live()

    def _kept_rows(self) -> Iterator[tuple[int, tuple]]:
        self._flush()
        spool, position = self.spool, 0
        while spool is not None and not self.dropped and position < self.kept:
            spool.seek(position)
            chunk = pickle.load(spool)
            position = spool.tell()
            yield from chunk

    def _stream(self) -> Iterator[tuple[int, tuple]]:
        if self.live is None:
            self.live = _xlsx_records(self.path, self.formulas)
        try:
            for number, row in self.live:
                if not self.dropped:
                    self._keep(number, row)
                yield number, row
        except GeneratorExit:  # the reader stopped: the next one goes on from this row
            raise
        except BaseException:  # a damaged sheet, a cancel: the next reader starts afresh
            self.live = None
            self._drop_spool()
            raise
        self.live = None
        self._flush()
        self.complete = not self.dropped

    def _keep(self, number: int, row: tuple) -> None:
        self.pending.append((number, row))
        self.cells += len(row)
        if len(self.pending) >= SPOOL_ROWS or self.cells >= SPOOL_CELLS:
            self._flush()

    def _flush(self) -> None:
        if not self.pending or self.dropped:
            return
        try:
            if self.spool is None:
                self.spool = tempfile.TemporaryFile(prefix="motcua-rows-")
            self.spool.seek(self.kept)
            pickle.dump(self.pending, self.spool, protocol=pickle.HIGHEST_PROTOCOL)
            self.kept = self.spool.tell()
        except OSError:  # a full disk: no spool, the file is read again instead
            self._drop_spool()
        self.pending, self.cells = [], 0

    def _drop_spool(self) -> None:
        self.dropped, self.complete = True, False
        if self.spool is not None:
            self.spool.close()
            self.spool = None

    def _close_live(self) -> None:
        if self.live is not None:
            self.live.close()
            self.live = None

    def close(self) -> None:
        self._close_live()
        self.pending = []
        if self.spool is not None:
            self.spool.close()
            self.spool = None
        self.kept, self.complete = 0, False


def _padded(path: Path, number: int, cells: int) -> InputError:
    """openpyxl gives the rows a sheet skips (a row numbered 2,000,000,000 after row 7) as
    empty rows, and a row as wide as its last cell (one empty cell in column XFD: 16,384): a
    small file could keep the import busy for hours. A sheet past Excel's own limits, or
    holding more cells than any export of dossiers, is refused."""
    if number > XLSX_MAX_ROWS:
        what = (f"có dòng số lớn hơn {vn_number(XLSX_MAX_ROWS)} (giới hạn số dòng của một "
                "trang Excel)")
    else:
        what = (f"có hơn {vn_number(limits.XLSX_CELLS_MAX)} ô tính tới dòng {vn_number(number)} "
                "(kể cả ô trống giữa các ô có dữ liệu), nhiều hơn bất kỳ bảng hồ sơ nào")
    return InputError(f"Tệp {path.name} {what}: tệp hỏng hoặc đã bị sửa bất thường. Hãy mở "
                      "bằng Excel, xoá các dòng, cột thừa rồi lưu lại thành \"Excel Workbook "
                      "(*.xlsx)\". Chưa ghi gì.")


def _mark_uncached(values: tuple, written: tuple) -> tuple:
    if not any(isinstance(w, str) and w.startswith("=") or _is_array_formula(w) for w in written):
        return values
    out = list(values) + [None] * (len(written) - len(values))
    for i, w in enumerate(written):
        if (isinstance(w, str) and w.startswith("=") or _is_array_formula(w)) and out[i] is None:
            out[i] = UNCACHED
    return tuple(out)


def _is_array_formula(value) -> bool:
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


# ----- writing -------------------------------------------------------------------------------
def write_table(path: str | os.PathLike, header: Sequence[str], rows: Iterable[Sequence],
                count: int, progress: Callable[[int, int], object] | None = None,
                sheet: str = "data", above: Sequence[Sequence] = ()) -> None:
    """Write header + rows to `path` (.csv with a UTF-8 BOM for Excel, or .xlsx) atomically;
    `above`: rows before the header (a title), so that the header is on the row a column-mapping
    profile names (core.transfer.profile_export)."""
    path = Path(path)
    suffix = check_extension(path)
    refuse_unfit_output(path)
    _check_target(path)
    if suffix == ".xlsx" and count + 1 + len(above) > XLSX_MAX_ROWS:
        raise OperationError(f"Có {count:,} dòng, vượt giới hạn {XLSX_MAX_ROWS - 1:,} dòng của "
                             "một trang Excel. Hãy xuất ra tệp .csv.".replace(",", "."))
    try:
        handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".motcua-", suffix=suffix)
    except OSError as exc:
        raise _not_writable(path, exc) from exc
    os.close(handle)
    temp = Path(temp_name)
    try:
        counted = _counting(rows, count, progress)
        if suffix == ".csv":
            _write_csv(temp, header, counted, above)
        else:
            write_xlsx(temp, header, counted, sheet, above)
        os.chmod(temp, ordinary_file_mode(path))  # mkstemp makes it private; a normal file is wanted
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _not_writable(path, exc) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise OperationError(f"{path} là một thư mục; hãy ghi rõ tên tệp cần xuất.")
    require_folder(path)


def _not_writable(path: Path, exc: OSError) -> OperationError:
    if isinstance(exc, PermissionError):
        return OperationError(f"Không ghi được tệp {path}: không có quyền ghi, hoặc tệp đang mở "
                              "trong chương trình khác (Excel). Hãy đóng tệp hoặc chọn chỗ khác.")
    if getattr(exc, "errno", None) == 28:
        return OperationError(f"Ổ đĩa đã đầy, không ghi được tệp {path}.")
    return OperationError(f"Không ghi được tệp {path}: {os_reason(exc)}.")


def _counting(rows: Iterable[Sequence], total: int, progress) -> Iterator[Sequence]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if progress and done % 5000 == 0 and progress(done, total) is False:
            raise OperationError("Đã huỷ xuất tệp; không có tệp nào được ghi.")
    if progress and progress(done, total) is False:  # the last rows' «Huỷ», Ctrl+C: no file
        raise OperationError("Đã huỷ xuất tệp; không có tệp nào được ghi.")


def quote(value):
    """A text cell Excel would run as a formula gets an apostrophe before it (OWASP); every text
    cell is written as core.textnorm.shown_text shows it (no bidi, format or control character).

    A text that already starts with apostrophes before such a character gets one more, so
    `unquote` can tell the added apostrophe from the citizen's own.
    """
    if isinstance(value, str):
        value = shown_text(value)  # no bidi control in what a report reader sees (core.textnorm)
        if _FORMULA_LIKE.match(value):
            return "'" + value
    return value


def unquote(cell: str) -> str:
    """The cell as it was before `quote`: exactly one added apostrophe removed."""
    return cell[1:] if _QUOTED.match(cell) else cell


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence],
               above: Sequence[Sequence] = ()) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerows(["" if v is None else quote(v) for v in row] for row in above)
        writer.writerow(quote(name) for name in header)  # a saved profile's column names too
        writer.writerows(["" if v is None else quote(v) for v in row] for row in rows)
