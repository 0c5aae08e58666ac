"""Reading and writing the tables of an import/export file: CSV (UTF-8) or XLSX, first sheet.

A table is read twice during an import (check everything, then write), so `Table.rows()`
opens the file afresh each time and streams it: a million rows never sit in memory.
Writing goes to a temporary file next to the target, then `os.replace`, so a failure never
leaves a half-written file.
"""
from __future__ import annotations

import codecs
import csv
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from core.errors import InputError, OperationError, os_reason
from core.paths import refuse_live_database
from core.transfer.xlsx_writer import write_xlsx

EXTENSIONS = (".csv", ".xlsx")
XLSX_MAX_ROWS = 1_048_576  # Excel's sheet limit, header included
SNIFF_BYTES = 1 << 16

UTF8_ADVICE = (
    "Hãy lưu lại tệp dưới dạng \"CSV UTF-8\": trong Excel chọn File → Save As (Lưu thành), "
    "ở ô \"Save as type\" (Kiểu tệp) chọn \"CSV UTF-8 (Comma delimited) (*.csv)\", rồi nhập lại. "
    "Hoặc lưu thành tệp Excel .xlsx.")


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

    def rows(self) -> Iterator[tuple[int, dict[str, object]]]:
        """(spreadsheet row number, {column: raw cell}) for every non-blank data row."""
        source = _csv_records(self.path, self.delimiter) if self.path.suffix.lower() == ".csv" \
            else _xlsx_records(self.path)
        for number, cells in source:
            if number <= self.header_row or _blank(cells):
                continue
            yield number, {name: cells[i] if i < len(cells) else None
                           for i, name in enumerate(self.header) if name}


def _blank(cells: Sequence) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def open_table(path: str | os.PathLike) -> Table:
    """Check the file can be read and find its header row (the first non-blank row)."""
    path = Path(path)
    suffix = check_extension(path)
    if not path.exists():
        raise InputError(f"Không tìm thấy tệp {path}.")
    if path.is_dir():
        raise InputError(f"{path} là một thư mục, không phải tệp.")
    refuse_live_database(path)
    delimiter = ","
    if suffix == ".csv":
        delimiter = _check_csv_bytes(path)
    source = _csv_records(path, delimiter) if suffix == ".csv" else _xlsx_records(path)
    try:
        for number, cells in source:
            if not _blank(cells):
                header = [_header_name(c) for c in cells]
                return Table(path, header, number, delimiter)
    finally:
        source.close()
    raise InputError(f"Tệp {path.name} trống: không có dòng tiêu đề và dữ liệu.")


def _header_name(cell) -> str:
    return "" if cell is None else str(cell).replace("\ufeff", "").strip().lower()


# ----- CSV -----------------------------------------------------------------------------------
def _read_head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputError(f"Không đọc được tệp {path}: {os_reason(exc)}.") from exc


def _check_csv_bytes(path: Path) -> str:
    """Refuse what is not UTF-8 with advice; return the delimiter found in the first line."""
    head = _read_head(path)
    if not head.strip() or head.strip() == codecs.BOM_UTF8:
        raise InputError(f"Tệp {path.name} trống: không có dòng tiêu đề và dữ liệu.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        raise InputError(f"Tệp {path.name} được lưu bằng mã UTF-16 (Unicode Text), "
                         f"không phải CSV UTF-8. {UTF8_ADVICE}")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        sample = decoder.decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    first_line = sample.lstrip("\ufeff").splitlines()[0] if sample.strip() else ""
    return _delimiter(first_line)


def _delimiter(first_line: str) -> str:
    """Comma per spec 7; Excel set to Vietnamese regional settings writes ';' instead."""
    if "," in first_line:
        return ","
    for other in (";", "\t"):
        if other in first_line:
            return other
    return ","


def _not_utf8(path: Path) -> InputError:
    return InputError(f"Tệp {path.name} không phải mã UTF-8 (có lẽ được Excel lưu bằng bảng mã "
                      f"Windows-1258 hoặc Windows-1252, tiếng Việt sẽ bị lỗi font). {UTF8_ADVICE}")


def _csv_records(path: Path, delimiter: str) -> Iterator[tuple[int, list]]:
    """Records numbered as a spreadsheet shows them (a quoted line break stays in its row)."""
    try:
        with open(path, "r", encoding="utf-8-sig", newline="", errors="strict") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            number = 0
            for number, record in enumerate(reader, start=1):
                yield number, record
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    except csv.Error as exc:
        raise InputError(f"Tệp {path.name} không đúng định dạng CSV gần dòng {number + 1}: {exc}.") from exc
    except OSError as exc:
        raise InputError(f"Không đọc được tệp {path}: {os_reason(exc)}.") from exc


# ----- XLSX ----------------------------------------------------------------------------------
def _xlsx_records(path: Path) -> Iterator[tuple[int, tuple]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, EOFError) as exc:
        raise InputError(f"Không đọc được tệp Excel {path.name}: tệp hỏng hoặc không phải .xlsx. "
                         "Hãy mở bằng Excel và lưu lại thành \"Excel Workbook (*.xlsx)\".") from exc
    except OSError as exc:
        raise InputError(f"Không đọc được tệp {path}: {os_reason(exc)}.") from exc
    try:
        if not book.worksheets:
            return
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # files from other programs may carry a wrong size record
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, row
    finally:
        book.close()


# ----- writing -------------------------------------------------------------------------------
def write_table(path: str | os.PathLike, header: Sequence[str], rows: Iterable[Sequence],
                count: int, progress: Callable[[int, int], object] | None = None,
                sheet: str = "data") -> None:
    """Write header + rows to `path` (.csv with a UTF-8 BOM for Excel, or .xlsx) atomically."""
    path = Path(path)
    suffix = check_extension(path)
    refuse_live_database(path)
    _check_target(path)
    if suffix == ".xlsx" and count + 1 > XLSX_MAX_ROWS:
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
            _write_csv(temp, header, counted)
        else:
            write_xlsx(temp, header, counted, sheet)
        os.chmod(temp, _file_mode(path))  # mkstemp makes it private; a normal file is wanted
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _not_writable(path, exc) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    """The mode an ordinary new file would get (or the replaced file's own)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise OperationError(f"{path} là một thư mục; hãy ghi rõ tên tệp cần xuất.")
    if not path.parent.exists():
        raise OperationError(f"Thư mục {path.parent} không tồn tại; không ghi được tệp {path.name}.")


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
    if progress:
        progress(done, total)


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
