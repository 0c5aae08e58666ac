"""Reading and writing the tables of an import/export file: CSV (UTF-8) or XLSX, first sheet.

A table is read twice during an import (check everything, then write) and streamed each time:
a million rows never sit in memory. A CSV is read afresh (reading it is cheap); an .xlsx is
parsed by openpyxl once (`XlsxRows`): its rows go to an unnamed temporary file as they are read
— the header search, the first pass — and later readers take them from there.
Writing goes to a temporary file next to the target, then `os.replace`, so a failure never
leaves a half-written file.

Each kind has its own module: core.transfer.csv_files (UTF-8 checks, formula quoting) and
core.transfer.xlsx_reader (openpyxl, the kept rows, a hostile sheet's limits); an .xlsx is
checked (core.transfer.xlsx_guard) before openpyxl reads anything.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import InputError, OperationError, os_reason
from core.paths import ordinary_file_mode, refuse_unfit_input, refuse_unfit_output, require_folder
from core.transfer.csv_files import check_csv_bytes, csv_records, write_csv
from core.transfer.layout import (
    Expected,
    blank,
    column_key,
    find_header,
    search_note,
    split_trailer,
    title,
)
from core.transfer.shifted import (
    judged,
    refuse_shifted,
    shifted_column,
    shifted_reason,
    usual_width,
)
from core.transfer.xlsx_guard import check_xlsx
from core.transfer.xlsx_reader import XLSX_MAX_ROWS, XlsxRows, sheets_note
from core.transfer.xlsx_writer import write_xlsx

EXTENSIONS = (".csv", ".xlsx")


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
    # None: a shifted CSV row (`shifted_reason`) refuses the file; a dict: it is noted here,
    # {row: (the first column past the header, the reason)}, for a kind that lists bad rows
    shifted: dict[int, tuple[str, str]] | None = field(default=None, repr=False, compare=False)
    xlsx: XlsxRows | None = field(default=None, repr=False, compare=False)
    usual: int | None = field(default=None, repr=False, compare=False)  # `usual_width`, once

    def records(self) -> Iterator[tuple[int, Sequence]]:
        """Every row of the file, numbered as a spreadsheet shows it."""
        if self.path.suffix.lower() == ".csv":
            return csv_records(self.path, self.delimiter)
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
        # rows shifted by a delimiter (core.transfer.shifted), each let go once judged: a file
        # of shifted rows a million cells wide is not kept in memory (nor are their reasons, by
        # their reader: core.transfer.importing._records)
        shifted: dict[int, Sequence] = {}
        for number, cells in split_trailer(self._data(shifted), required, self.trailer):
            if (moved := shifted.pop(number, None)) is not None:  # data, not the trailer
                if self.shifted is None:
                    refuse_shifted(self, number, moved)
                self.shifted[number] = (shifted_column(self, moved),
                                        shifted_reason(self, number, moved))
            yield number, cells

    def _data(self, shifted: dict[int, Sequence]) -> Iterator[tuple[int, dict[str, object]]]:
        """The rows past the header; a CSV row shifted by an unquoted delimiter (a filled cell
        past the header, or wider than the file's rows: core.transfer.shifted) noted in
        `shifted` (refused or noted by `rows` if it is data)."""
        rows: Iterable[tuple[int, Sequence]] = (
            (number, cells) for number, cells in self.records()
            if number > self.header_row and not blank(cells))
        if self.path.suffix.lower() == ".csv":
            rows = judged(self, rows, shifted)
        for number, cells in rows:
            # the row's own cells only (a missing one reads as absent, `.get` gives None): a
            # short row under a header of 16,384 columns costs what the row holds, not the header
            yield number, {name: cell for name, cell in zip(self.header, cells, strict=False)
                           if name}

    def usual_width(self) -> int:
        """How many cells the file's data rows are written with (core.transfer.shifted)."""
        if self.usual is None:
            self.usual = usual_width(self)
        return self.usual

    @property
    def origin(self) -> Table:
        """The table whose rows these are (a mapped file's: the file's own, core.transfer.mapped)."""
        return self

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
        delimiter = check_csv_bytes(path)
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
    table.usual = None  # measured again under this header
    return table



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
            write_csv(temp, header, counted, above)
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
        raise InputError(f"{path} là một thư mục; hãy ghi rõ tên tệp cần xuất.")  # bad input: exit 2
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


