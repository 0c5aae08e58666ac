"""Where the table is in a real export: title lines above the header, a trailer below the data.

The provincial one-stop systems and the national portal rarely start a file with its header:

    1  DANH SÁCH HỒ SƠ TIẾP NHẬN                 (merged title cells)
    2  Từ ngày 01/11/2026 đến ngày 30/11/2026
    3
    4  STT | MaHoSo | MaTTHC | …                  ← the header row
    5  1   | H37-261101-0001 | …                  ← data
    …
    9  Tổng cộng: 5 hồ sơ                          ← trailer: totals, signature block
    10                         Người lập biểu

`find_header` decides the header row (the first of the top HEADER_SCAN rows naming every column
the reader needs), `split_trailer` the rows after the data that are not data. Every reader of a
table file (import, mapped import, reconciliation, the mapping step) goes through these two.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from operator import is_not

from core import limits
from core.errors import InputError
from core.textnorm import nfc
from core.timefmt import vn_number

HEADER_SCAN = 30   # top rows looked at for the header: titles take a handful, never pages
TRAILER_MAX = 50   # a run of rows longer than this after the data is data, not a trailer
# A trailer row starts with one of these (compared lower-cased, NFC): totals and signatures.
TRAILER_WORDS = ("tổng cộng", "tổng số", "cộng:", "cộng ", "người lập", "người ký",
                 "người duyệt", "thủ trưởng", "lãnh đạo", "xác nhận", "(ký", "ký tên")
Record = tuple[int, Sequence]


@dataclass(frozen=True)
class Expected:
    """The column names a reader needs in the header row, and all it reads (spelt as the
    reader names them; matched lower-cased)."""

    required: tuple[str, ...]
    known: tuple[str, ...] = ()
    # how a message names the required columns, when not by their names alone: a profile's
    # fields in Vietnamese with its column names ('Mã hồ sơ (MaHoSo)'; Profile.expected)
    labels: tuple[str, ...] = ()

    def shown(self) -> str:
        names = self.known or self.required
        return ", ".join(n + ("*" if n in self.required else "") for n in names)


@dataclass(frozen=True)
class Header:
    number: int                # the header's spreadsheet row
    cells: Sequence
    searched: int = 0          # > 0: no row qualified among rows 1..searched (old rule used)


def blank(cells: Iterable) -> bool:
    # the empty cells skipped in C: openpyxl pads a row up to its last cell (16,384 for one
    # cell in column XFD), and a Python test of each took most of a hostile file's minutes
    return all(isinstance(c, str) and not c.strip() for c in filter(_FILLED, cells))


_FILLED = partial(is_not, None)


def title(cell) -> str:
    """A header cell as the file spells it (trimmed): what every message and the mapping step
    show; columns are matched by `column_key`."""
    return "" if cell is None else str(cell).replace("\ufeff", "").strip()


def column_key(name) -> str:
    """How a column is matched, the one rule of every import, reconciliation and profile:
    trimmed and lower-cased ("MaHoSo", "mahoso " and "MAHOSO" are one column). Never shown:
    a file's column is shown as `title` gives it (core.transfer.files.Table.spelt)."""
    return title(name).lower()


def check_width(name: str, row: int, columns: int, searching: bool = False) -> None:
    where = (f"dòng {vn_number(row)} (một trong các dòng tìm dòng tiêu đề)" if searching
             else f"dòng tiêu đề (dòng {vn_number(row)})")
    if columns > limits.COLUMNS_MAX:
        raise InputError(f"Tệp {name}: {where} có {vn_number(columns)} cột, vượt giới hạn "
                         f"{vn_number(limits.COLUMNS_MAX)} cột của một trang Excel; tệp hỏng "
                         "hoặc không phải bảng dữ liệu. Chưa đọc gì.")


def _names(cells: Sequence) -> set[str]:
    return {title(c).lower() for c in cells if c is not None}


def find_header(records: Iterator[Record], name: str, expected: Expected | None = None,
                chosen: int | None = None) -> Header:
    """The header row of a file whose rows are `records`.

    `chosen`: the row the clerk (or a saved profile) names. Otherwise the first of the top
    HEADER_SCAN rows naming every `expected.required` column; when none does, the first row
    about as wide as the widest of them (`_widest_first`: not a one-cell title line), with
    `searched` saying how far the search went, for the message about missing columns; nothing
    expected: the first non-blank row.
    """
    scanned: list[tuple[int, int, Sequence]] = []  # (row, filled cells, cells) of non-blank
    last = 0
    for number, cells in records:
        if chosen is not None and number < chosen:
            continue
        if chosen is not None or (expected is None and not blank(cells)):
            return _header_at(name, number, cells, chosen)
        if number > HEADER_SCAN and scanned:
            break
        last = number
        if blank(cells):
            continue
        check_width(name, number, len(cells), searching=True)
        if len(scanned) < HEADER_SCAN:
            scanned.append((number, _count_filled(cells), cells))
        if expected is not None and {n.lower() for n in expected.required} <= _names(cells):
            return Header(number, cells)
    if chosen is not None:
        raise InputError(f"Tệp {name} không có dòng {vn_number(chosen)}; hãy chọn dòng tiêu "
                         "đề khác.")
    if not scanned:
        raise InputError(f"Tệp {name} trống: không có dòng tiêu đề và dữ liệu.")
    number, cells = _widest_first(scanned)
    return Header(number, cells, min(last, HEADER_SCAN) if expected else 0)


def _count_filled(cells: Sequence) -> int:
    return sum(1 for c in filter(_FILLED, cells) if not (isinstance(c, str) and not c.strip()))


def _widest_first(scanned: list[tuple[int, int, Sequence]]) -> Record:
    """The header guessed when no top row names the columns: the first row filled at least
    half as wide as the widest (and in two cells or more when any row is), so the merged
    title lines above a vendor's header ("UBND TỈNH …", "Từ ngày … đến ngày …": one cell
    each) are passed over and the clerk is shown the file's real columns, not its title."""
    widest = max(filled for _row, filled, _cells in scanned)
    enough = max(min(widest, 2), (widest + 1) // 2)
    return next((row, cells) for row, filled, cells in scanned if filled >= enough)


def _header_at(name: str, number: int, cells: Sequence, chosen: int | None) -> Header:
    if chosen is not None and (number != chosen or blank(cells)):
        raise InputError(f"Tệp {name}: dòng {vn_number(chosen)} trống, không phải dòng tiêu đề; "
                         "hãy chọn dòng tiêu đề khác.")
    check_width(name, number, len(cells))
    return Header(number, cells)


def search_note(searched: int, expected: Expected | None, taken: int) -> str:
    """Said with a missing-columns refusal when no top row named the columns."""
    if not searched or expected is None:
        return ""
    rows = "dòng 1" if searched == 1 else f"các dòng 1–{vn_number(searched)}"
    named = (f": {', '.join(expected.labels)}" if expected.labels
             else f" ({', '.join(expected.required)})")
    return (f" Đã tìm dòng tiêu đề trong {rows} của tệp nhưng không dòng nào có đủ các cột "
            f"bắt buộc{named}; đã lấy dòng {vn_number(taken)} (dòng "
            "đầu tiên có nhiều ô có chữ, không phải dòng tên danh sách) làm dòng tiêu đề.")


# ----- trailer -------------------------------------------------------------------------------
def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _sparse(cells: dict, required: Sequence[str]) -> bool:
    """Fewer than half the required columns hold a value: not the shape of a data row."""
    return 2 * sum(1 for n in required if _filled(cells.get(n))) < len(required)


def _worded(cells: dict, required: Sequence[str]) -> bool:
    """The row's first text reads like a trailer ("Tổng cộng: …", "Người lập biểu") and it
    lacks some required value: a whole data row is never a trailer, whatever it starts with."""
    return trailer_worded(cells.values()) and not all(_filled(cells.get(n)) for n in required)


def trailer_worded(cells: Iterable) -> bool:
    """The row's first filled cell is a text starting like a trailer's ("Tổng cộng: …",
    "Người lập biểu"): a number (STT) or a date is a data row's start."""
    first = next((v for v in cells if _filled(v)), None)
    if not isinstance(first, str):
        return False
    # textnorm.nfc: a pasted run of marks in a first cell (32,767 characters) cost a second
    return nfc(first).lstrip().lower().startswith(TRAILER_WORDS)


def _starts_trailer(cells: dict, required: Sequence[str]) -> bool:
    """No required value at all, or worded like a trailer (a units file's "Tổng cộng: 3 đơn
    vị" under `code` fills one of its two required columns)."""
    return not any(_filled(cells.get(n)) for n in required) or _worded(cells, required)


def _in_trailer(cells: dict, required: Sequence[str]) -> bool:
    return _sparse(cells, required) or _worded(cells, required)


def split_trailer(rows: Iterable[tuple[int, dict]], required: Sequence[str],
                  trailer: list[int]) -> Iterator[tuple[int, dict]]:
    """`rows` without the trailer, whose row numbers are put in `trailer` once `rows` ends.

    The trailer: the rows at the end of the file from one that starts like a trailer (no
    required value, or "Tổng cộng…", "Người lập biểu…" and not whole) on, each of them worded
    so or sparse (under half the required columns filled), at most TRAILER_MAX of them. Any
    fuller row after them makes them data again, checked as every row is: a row missing values
    in the middle of the data is still an error.
    """
    pending: list[tuple[int, dict]] = []
    for number, cells in rows:
        if not required:
            yield number, cells
            continue
        if pending and _in_trailer(cells, required) and len(pending) < TRAILER_MAX:
            pending.append((number, cells))
            continue
        yield from pending
        pending = []
        if _starts_trailer(cells, required):
            pending.append((number, cells))
        else:
            yield number, cells
    trailer[:] = [number for number, _ in pending]


def spans(numbers: Sequence[int]) -> str:
    """"1.238–1.241, 1.243": row numbers as ranges, the Vietnamese way."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(vn_number(a) if a == b else f"{vn_number(a)}–{vn_number(b)}"
                     for a, b in runs)


def trailer_note(rows: Sequence[int], noun: str = "dữ liệu") -> str:
    """What every summary says of the rows left out after the data."""
    if not rows:
        return ""
    return (f"Bỏ qua {vn_number(len(rows))} dòng cuối không phải {noun} (tổng cộng, chữ ký…): "
            f"dòng {spans(rows)}.")
