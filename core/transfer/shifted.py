"""A CSV row shifted by a delimiter in an unquoted cell: the one rule of every reader of a table.

"Nguyễn Văn A, phường 3" written without quotes splits into two cells, and every later column
of that row moves one to the right. Two marks of it, both measured against the file's usual
row width (`usual_width`):

- a row with a filled cell past the header (the last column's value pushed out of the table);
- a row wider than the file's rows usually are, its extra cells empty: the shift pushed an
  empty last column out (a dossier not yet returned has no `NgayTra`), so nothing past the
  header shows it, but every column after the delimiter holds its left neighbour's value.

The usual width is what the CSV writers write: LibreOffice and Google Sheets every row, the
header's too, as wide as the used range; Excel in runs of 16 rows, each run as wide as its
widest filled row (trailing cells empty, ';;'), so the header's run is as wide as the header;
a vendor's export, header and rows from one column list. So it is the header's own width
(trailing empty cells counted), unless every data row of the file's first SAMPLE is wider by
empty cells (a writer that ends each data line with a delimiter, not the header's): then the
narrowest of them (a shifted row is one cell wider). An Excel run padded to a signature or a
totals line right of the table is not shifted (`judged`). Shorter rows (hand-made files, an
Excel run of shorter rows) are never taken for shifted: a missing cell reads as empty.

A row shifted but no wider than the header (a hand-made file whose rows leave out their empty
last cells) shows neither mark; its type errors say it may be shifted (`hidden_shift`) when they
look like a right shift and nothing else: two cells failing their own column's type or more,
every filled cell from the first failing one on passing the type of the column left of it, and
one of them at least a typed column's value (a day, a list's word) where its own column would
not take it. An honest row's typos fail that (a mistyped day does not read as a channel; a lone
typo is one failure; two typos each right of a free-text column, which any value passes, show
no other column's value); a row of text columns alone cannot be told and is not.

An import refuses the file on such a row (`refuse_shifted`); a reconciliation lists the row
among those it could not read, with the same sentence (`shifted_reason`), and compares the rest
(core.transfer.importing._records). The trailer (totals, a signature at the right) is exempt
(core.transfer.files.Table.rows).
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, NoReturn

from openpyxl.utils import get_column_letter

from core.errors import InputError
from core.timefmt import vn_number
from core.transfer.layout import blank, trailer_worded

if TYPE_CHECKING:
    from core.transfer.files import Table

SAMPLE = 1000  # rows past the header read for the usual width (a prefix: the file is not read twice)
MIN_FILLED = 3  # a row with fewer filled cells is a trailer's line, not the shape of the data
# Excel writes a CSV in runs of 16 rows, each run as wide as its widest filled row: the data
# rows in the run of a signature placed right of the table end with its empty cells
EXCEL_RUN = 16

# a word every free-text column takes and every typed one (a day, a list, a number) refuses
PLAIN_WORD = "chữ"

DELIMITERS = {",": "dấu phân cách (dấu phẩy)", ";": "dấu phân cách (dấu chấm phẩy)",
              "\t": "dấu phân cách (dấu tab)"}


def usual_width(table: Table) -> int:
    """How many cells the data rows of `table` (a CSV) are written with: the header's count,
    unless every row voting among the first SAMPLE rows past the header is wider (its extra
    cells empty): then the narrowest of them, the others being shifted. Rows with filled cells
    past the header (shifted rows, a signature at the right) do not vote, nor sparse ones
    (`_least_filled`), nor one worded like a trailer ("Tổng cộng", "Người lập biểu":
    core.transfer.layout.TRAILER_WORDS, however many cells it fills); two voters at least,
    one row alone could be the shifted one. At most SAMPLE rows are read, whatever they hold,
    and no more cells than such rows twice the header's width hold: a file of a million blank
    or shifted rows, or of rows a million cells wide, is not read twice."""
    width, least = len(table.header), _least_filled(table)
    narrowest, voters, cells_left = 0, 0, SAMPLE * 2 * max(width, 1)
    records = table.records()
    try:
        for number, cells in records:
            if number <= table.header_row:
                continue
            cells_left -= len(cells)
            if number > table.header_row + SAMPLE or cells_left < 0:
                break
            if not _votes(cells, width, least):
                continue
            if len(cells) <= width:
                return width  # a data row as narrow as the header: its width is the file's
            narrowest = min(narrowest or len(cells), len(cells))
            voters += 1
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()
    return narrowest if voters >= 2 else width


def _least_filled(table: Table) -> int:
    """The filled cells a row votes with: MIN_FILLED, or as many as the reader requires when
    that is fewer (a calendar's date and kind: a workday swap has no name), two at least."""
    required = len(table.expected.required) if table.expected else MIN_FILLED
    return max(2, min(MIN_FILLED, required))


def _votes(cells: Sequence, width: int, least: int) -> bool:
    """A row shaped like the data: filled in `least` cells or more, none past the header,
    not a trailer's line."""
    if blank(cells) or (len(cells) > width and not blank(cells[width:])):
        return False
    return _filled_count(cells[:width]) >= least and not trailer_worded(cells)


def _filled_count(cells: Sequence) -> int:
    return sum(1 for c in cells if c is not None and str(c).strip())


def judged(table: Table, records: Iterable[tuple[int, Sequence]],
           shifted: dict[int, Sequence]) -> Iterator[tuple[int, Sequence]]:
    """`records` (a CSV's non-blank rows past the header) in order, each shifted one (a
    filled cell past the header, or more cells than the file's `usual_width`) noted in
    `shifted`; but not a row wider than usual with empty extra cells when a row within
    EXCEL_RUN rows of it that is not data-shaped (a signature, a totals line: `_shapes_data`)
    is filled as wide: Excel padded that run of rows to it. Such a row waits for the EXCEL_RUN
    rows after it, and the rows after it with it (EXCEL_RUN rows held at most, and no more
    cells than 4 × EXCEL_RUN rows of the header's width: past that, it is shifted)."""
    width, usual, least = len(table.header), table.usual_width(), _least_filled(table)
    held: deque[list] = deque()  # [row, cells, shifted: None while it waits]
    reaches: deque[tuple[int, int]] = deque()  # (row, cells filled) of the recent wide non-data
    for number, cells in records:
        while reaches and number - reaches[0][0] >= EXCEL_RUN:
            reaches.popleft()
        state: bool | None = False
        if len(cells) > width and not blank(cells[width:]):
            shifted[number] = cells
            if not _shapes_data(cells, least):
                reaches.append((number, _last_filled(cells) + 1))
                for item in held:
                    if item[2] is None and len(item[1]) <= reaches[-1][1] \
                            and number - item[0] < EXCEL_RUN:
                        item[2] = False
        elif len(cells) > usual and not any(len(cells) <= filled for _, filled in reaches):
            state = None
        if held or state is None:
            held.append([number, cells, state])
            # rows a million cells wide are not held: past the budget, the waiting are shifted
            full = sum(len(item[1]) for item in held) > EXCEL_RUN * 4 * max(width, 16)
            yield from _decided(held, shifted, None if full else number)
        else:  # nothing waits: the row goes on (the usual case, no list built)
            yield number, cells
    yield from _decided(held, shifted, None)


def _decided(held: deque[list], shifted: dict[int, Sequence],
             number: int | None) -> Iterator[tuple[int, Sequence]]:
    """The rows at the front of `held` judged by row `number` (None: the file has ended)."""
    while held and (held[0][2] is not None or number is None
                    or number - held[0][0] >= EXCEL_RUN):
        row, cells, state = held.popleft()
        if state is None:
            shifted[row] = cells
        yield row, cells


def _shapes_data(cells: Sequence, least: int) -> bool:
    return _filled_count(cells) >= least and not trailer_worded(cells)


def shifted_column(table: Table, cells: Sequence) -> str:
    """The column a message names for a shifted row: the first past the header when a cell
    there is filled; else the last filled one, whose value is its left neighbour's."""
    width = len(table.header)
    return get_column_letter((_last_filled(cells) if blank(cells[width:]) else width) + 1)


def _last_filled(cells: Sequence) -> int:
    return max((i for i, c in enumerate(cells) if c is not None and str(c).strip()), default=0)


def _column(table: Table, index: int) -> str:
    name = table.titles[index] if index < len(table.titles) else ""
    letter = get_column_letter(index + 1)
    return f"{letter} ({name})" if name else letter


def _filled_past(table: Table, cells: Sequence, usual: int) -> str:
    """What a row with a filled cell past the header holds: its cells up to the last filled
    one; beside data rows wider than the header (`usual`), the cell filled where theirs are
    empty, which its count alone would not tell."""
    width = len(table.header)
    if usual <= width:
        return f"có {vn_number(_last_filled(cells) + 1)} ô"
    first = next(i for i in range(width, len(cells)) if not blank(cells[i:i + 1]))
    return (f"có {vn_number(len(cells))} ô (ô cột {get_column_letter(first + 1)} có giá trị, ở "
            "các dòng khác để trống)")


def shifted_reason(table: Table, number: int, cells: Sequence) -> str:
    """Why a shifted CSV row (`judged`) cannot be read: the row, its width beside the
    header's (and the data rows', when they differ), which column looks moved. The one
    sentence of both its readers: an import refuses the file (`refuse_shifted`), a
    reconciliation lists the row among those it could not read (Kind.skips_bad_rows,
    `Table.shifted`)."""
    width, usual = len(table.header), table.usual_width()
    delimiter = DELIMITERS[table.delimiter]
    advice = ("Hãy đặt ô ấy trong ngoặc kép (hoặc lưu tệp từ Excel thành .xlsx) rồi chạy lại.")
    header = f"tiêu đề (dòng {vn_number(table.header_row)}) có {vn_number(width)} cột"
    if usual > width:
        header += f", các dòng dữ liệu có {vn_number(usual)} ô"
    if not blank(cells[width:]):
        return (f"dòng {vn_number(number)} {_filled_past(table, cells, usual)}, {header} — có thể "
                f"{delimiter} nằm trong một ô không có ngoặc kép, làm lệch mọi cột sau nó. "
                + advice)
    last, extra = _last_filled(cells), len(cells) - usual
    if extra > last:  # more empty cells than its filled ones could have been pushed by
        return (f"dòng {vn_number(number)} có {vn_number(len(cells))} ô, {header} — "
                f"{vn_number(extra)} ô thừa ở cuối dòng, để trống: hãy xoá các {delimiter} "
                "thừa ở cuối dòng ấy rồi chạy lại.")
    moved = last - extra
    return (f"dòng {vn_number(number)} có {vn_number(len(cells))} ô (ô thừa ở cuối để trống), "
            f"{header} — có thể {delimiter} nằm trong một ô không có ngoặc kép, làm lệch mọi "
            f"cột sau nó: ô cột {_column(table, last)} có lẽ là giá trị của cột "
            f"{_column(table, moved)}. {advice} Nếu chỉ là {delimiter} thừa ở cuối dòng, hãy "
            "xoá nó.")


def hidden_shift(table: Table, raw: Mapping[str, object], failed: set[str],
                 passes: Callable[[str, object], bool]) -> tuple[str, str] | None:
    """(the column, the hint) for a CSV row no wider than the header whose type errors (the
    columns `failed`, in `table.header`'s names) look like a right shift: two or more, every
    filled cell from the first failing column on passes (`passes(column, cell)`: the import's
    own parse) the column left of it, and one of them at least holds a typed left column's value
    where its own column would not take it (`_marks_shift`); else None."""
    if table.delimiter not in DELIMITERS or len(failed) < 2:
        return None
    order = table.header
    first = min(order.index(name) for name in failed)
    if first == 0:  # nothing left of the first column to have split
        return None
    marked, typed = False, _typed(passes)
    for j in range(first, len(order)):
        cell = raw.get(order[j])
        if cell is None or not str(cell).strip():
            continue
        if not order[j - 1] or not passes(order[j - 1], cell):
            return None
        marked = marked or _marks_shift(order[j - 1], order[j], failed, typed)
    if not marked:
        return None
    where = _column(table, first)
    return order[first], (
        f"có thể {DELIMITERS[table.delimiter]} nằm trong một ô không có ngoặc kép ở trước cột "
        f"{where}, làm lệch mọi cột sau nó: từ cột {where}, mỗi ô có lẽ là giá trị của cột "
        "bên trái nó. Hãy đặt ô ấy trong ngoặc kép (hoặc lưu tệp từ Excel thành .xlsx) rồi "
        "chạy lại.")


def _typed(passes: Callable[[str, object], bool]) -> Callable[[str], bool]:
    """Whether a column refuses PLAIN_WORD (a day, a list, a number: not a free text that any
    value passes), each column asked once."""
    seen: dict[str, bool] = {}

    def typed(name: str) -> bool:
        if name not in seen:
            seen[name] = not passes(name, PLAIN_WORD)
        return seen[name]
    return typed


def _marks_shift(left: str, own: str, failed: set[str], typed: Callable[[str], bool]) -> bool:
    """A cell that passes `left` marks a shift when `left` is typed and the cell's own column
    refuses it or is free text: a free-text column left of a typo takes any value (a mistyped
    level beside a unit's name), and a day beside a day column is a day in its place."""
    return typed(left) and (own in failed or not typed(own))


def refuse_shifted(table: Table, number: int, cells: Sequence) -> NoReturn:
    """A shifted CSV row (`shifted_reason`) refuses the whole file (an import writes all or
    nothing). Empty cells past the header pass when every row has them (Excel's trailing
    ';;'), and so does the trailer (a signature block at the right, past the table:
    `Table.rows`)."""
    raise InputError(f"Tệp {table.path.name}: {shifted_reason(table, number, cells)} Chưa ghi gì.")
