"""Reading an .xlsx: its first sheet's rows through openpyxl, streamed once and kept
(`XlsxRows`: an unnamed temporary file holds the rows as they are read, later readers take them
from there), with the limits a hostile sheet meets as it is parsed, and the names of its sheets.

The file is checked (core.transfer.xlsx_guard) before openpyxl reads anything; this module
patches openpyxl's sheet reader once, when imported (`_unsized`, `_letting_go`).
(Split from core.transfer.files, which opens a table of either kind.)
"""
from __future__ import annotations

import pickle
import re
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import ParseError

from openpyxl.worksheet import _reader as sheet_reader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from core import limits
from core.errors import InputError, read_reason
from core.timefmt import vn_number
from core.transfer.csv_files import read_head

XLSX_MAX_ROWS = 1_048_576  # Excel's sheet limit, header included



class Uncached:
    """An XLSX formula cell saved without its computed value (openpyxl reads it as empty)."""

    def __str__(self) -> str:
        return "(công thức)"

    def __reduce__(self) -> str:
        return "UNCACHED"  # the one instance, read back from a spool (`cell is UNCACHED`)


UNCACHED = Uncached()
UNCACHED_REASON = "ô chứa công thức, không có giá trị (hãy mở tệp bằng Excel, lưu lại rồi nhập)"

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
_FROM_EXCEL = sheet_reader.from_excel


def _date_or_number(value, *args, **kwargs):
    """openpyxl's date of a date-formatted cell; a serial beyond Excel's dates (1e10) stays the
    number it is. openpyxl put "#VALUE!" there, and the refusal showed that placeholder as the
    cell's value instead of the number the clerk can find in the sheet."""
    try:
        return _FROM_EXCEL(value, *args, **kwargs)
    except (OverflowError, ValueError):
        return value


sheet_reader.from_excel = _date_or_number
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
        if read_head(path)[:8] == OLE_MAGIC:
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


