"""The reconciliation as a printable workbook: the indicators side by side, then one sheet per
list, for the clerk who enters the missing dossiers from a spreadsheet. Each sheet has the report
header (core.workbook.forms), Vietnamese column titles, real date/time cells, rates as numbers
in percent format, a frozen header row with an autofilter, and prints on A4 landscape with its
header row on every page."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from openpyxl.utils import get_column_letter

from core import empty_lists, timefmt
from core.labels import CHANNEL_VI, STATUS_VI
from core.limits import clip_header
from core.pdf.blocks import report_symbol
from core.pdf.vnformat import doc_number
from core.reconcile import (
    NEAR_HEAD,
    PAIR_HEAD,
    REPORT_TITLE,
    SECTIONS,
    UNREAD_HEAD,
    Reconciliation,
    reported_name,
)
from core.reconcile.matching import Item, to_enter_order
from core.reconcile.side import NOT_COMPARABLE_TEXT, PARTIAL_MARK, Row
from core.timefmt import vn_number
from core.workbook import forms
from core.workbook.look import DATE_TIME_FORMAT

TITLE = " ".join(REPORT_TITLE).upper()
# MotCua's dossiers the province lacks, in the PDF's order (clerk, then reception): the clerk
# beside the row number, the list a commune's clerks share out to enter. The province's own
# list has no clerk (its file does not say who received).
OURS_HEAD = ["STT", "Người tiếp nhận", "Mã hồ sơ", "Mã thủ tục", "Chủ hồ sơ", "Kênh",
             "Tiếp nhận", "Hạn trả", "Kết thúc xử lý", "Trạng thái"]
OURS_WIDTHS = [6, 22, 26, 12, 22, 11, 16, 16, 16, 16]
OURS_TIMES = (7, 8, 9)  # 1-based columns holding a moment
THEIRS_HEAD = OURS_HEAD[:1] + OURS_HEAD[2:]
THEIRS_WIDTHS = [6, 26, 14, 26, 12, 16, 16, 16, 18]
THEIRS_TIMES = (6, 7, 8)
SIDES = ("MotCua", "Hệ thống tỉnh", "Tỉnh khi nhập đủ")
# The change as a number (core.reconcile.side.Row.delta): dossiers, or percentage points; the
# sign always shown, as the PDF and the window write it.
CHANGE_COUNT = '+#,##0;"−"#,##0;0'
CHANGE_POINTS = '+0.00" điểm %";"−"0.00" điểm %";0'
CHANGE_COLUMN = 10
INDICATOR_HEAD = [["STT", "Chỉ tiêu", "Nguồn", SIDES[0], "", SIDES[1], "", SIDES[2], "",
                   "Thay đổi"],
                  ["", "", "", "Kết quả", "Số hồ sơ", "Kết quả", "Số hồ sơ", "Kết quả",
                   "Số hồ sơ", ""]]
INDICATOR_SPANS = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (2, 1)), ((3, 0), (4, 0)),
                   ((5, 0), (6, 0)), ((7, 0), (8, 0)), ((9, 0), (9, 1))]
INDICATOR_WIDTHS = [6, 44, 10, 11, 12, 11, 12, 11, 12, 14]
RESULT_COLUMNS = (4, 6, 8)
# The short lists' columns are wide enough that the agency's name above them (the first two
# columns, core.workbook.forms.write_heading) fits its lines: at 6 + 24 it overlapped itself.
DIFF_HEAD = ["STT", "Mã hồ sơ (MotCua)", "Mã trên hệ thống tỉnh", "Chủ hồ sơ", "Nội dung",
             "MotCua", "Hệ thống tỉnh", "Cách ghép"]
DIFF_WIDTHS = [8, 26, 26, 24, 16, 22, 22, 26]
UNREAD_WIDTHS = [8, 10, 30, 30, 90]
NEAR_WIDTHS = [8, 26, 26, 22, 12, 16, 16, 10, 40]
NEAR_TIMES = (6, 7)
PAIR_WIDTHS = NEAR_WIDTHS[:-1] + [30, 24]
# each list's column widths and moment columns, by its header
LOOKS = {id(OURS_HEAD): (OURS_WIDTHS, OURS_TIMES), id(THEIRS_HEAD): (THEIRS_WIDTHS, THEIRS_TIMES),
         id(DIFF_HEAD): (DIFF_WIDTHS, ()), id(NEAR_HEAD): (NEAR_WIDTHS, NEAR_TIMES),
         id(PAIR_HEAD): (PAIR_WIDTHS, NEAR_TIMES), id(UNREAD_HEAD): (UNREAD_WIDTHS, ())}


def _moment(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _item(index: int, item: Item, clerk: bool) -> list:
    return [index, *([item.clerk] if clerk else []), item.code, item.procedure,
            reported_name(item.applicant), CHANNEL_VI[item.channel], _moment(item.received),
            _moment(item.due), _moment(item.finished), STATUS_VI[item.status]]


def _indicator(index: int, row: Row) -> tuple[list, tuple[int, ...]]:
    """The row's values and which of its columns are rates (a count row has none)."""
    values: list = [index, row.name, row.source or None]
    for side, cell in enumerate(row.cells):
        if side and not row.comparable:  # the province's file cannot hold this figure
            values += [NOT_COMPARABLE_TEXT, None]
        elif cell.den is None:  # a count: the mark of a figure counted without a column
            values += [cell.num, PARTIAL_MARK if side and row.missing else None]
        else:
            values += [cell.rate, f"{cell.num}/{cell.den}"
                       + (f" {PARTIAL_MARK}" if side and row.missing else "")]
    rates = () if row.is_count else RESULT_COLUMNS
    return values + [row.change if row.delta is None else row.delta], rates


def _lists(result: Reconciliation) -> list[tuple[str, str, list, list[list], str]]:
    """(sheet, the line above its table with its count, header, rows, what it says when empty)
    of each list, in the PDF's order, then every pair (an annex: the paper lists only those made
    without a code). Empty, a sheet says why in the window's and the PDF's words
    (core.empty_lists)."""
    ours = sorted(result.only_ours, key=to_enter_order)
    lists = [
        ("only_ours", OURS_HEAD, [_item(i, x, True) for i, x in enumerate(ours, start=1)]),
        ("only_theirs", THEIRS_HEAD,
         [_item(i, x, False) for i, x in enumerate(result.only_theirs, start=1)]),
        ("differences", DIFF_HEAD,
         [[i, d.pair.ours.code, d.pair.theirs.code, reported_name(d.pair.ours.applicant), d.field,
           d.ours, d.theirs, d.pair.how]
          for i, d in enumerate(result.differences, start=1)]),
        ("near", NEAR_HEAD, result.near_table()),
        *([("unread", UNREAD_HEAD, result.unread_table())] if result.unread_rows else []),
        ("pairs", PAIR_HEAD, result.pairs_table()),
    ]
    return [(SECTIONS[key][0], f"{SECTIONS[key][1]}: {_count(result, key, rows)}", head, rows,
             empty_lists.reconciled(result, key)) for key, head, rows in lists]


def _count(result: Reconciliation, key: str, rows: list[list]) -> str:
    """'30 dòng'; the unreadable rows as the paper and the command count them, the rows of the
    file ('1 dòng của tệp, 2 lỗi'): a row with two errors is two lines of the table, and
    '2 dòng' there was a second count of the same rows."""
    if key != "unread":
        return f"{vn_number(len(rows))} dòng"
    listed = (f" (liệt kê {vn_number(len(rows))} lỗi đầu)"
              if result.error_count > len(rows) else "")
    return (f"{vn_number(result.unread_rows)} dòng của tệp, {vn_number(result.error_count)} "
            f"lỗi{listed}")


def _heading(result: Reconciliation, header: dict, what: str,
             issued: dt.date | None = None) -> forms.Heading:
    lines = [f"(Từ ngày {result.date_from:%d/%m/%Y} đến ngày {result.date_to:%d/%m/%Y})"]
    if result.unit:
        lines.append(f"Đơn vị: {result.unit_name}")
    lines.append(f"Tệp của hệ thống tỉnh: {Path(result.path).name}")
    if result.as_of:
        lines.append(result.moment_line())
    # the number, place and date of the signed paper (core.pdf.blocks.report_opening)
    return forms.Heading(header, TITLE, tuple(lines + [what]), doc_number(report_symbol(header)),
                         issued)


def _indicators_sheet(book, result: Reconciliation, header: dict, issued: dt.date) -> None:
    title, what = SECTIONS["indicators"]
    sheet = forms.Sheet(book, title)
    forms.widths(sheet, INDICATOR_WIDTHS)
    columns = len(INDICATOR_WIDTHS)
    top = forms.write_heading(sheet, _heading(result, header, what, issued), columns)
    last = forms.write_table_head(sheet, top, INDICATOR_HEAD, INDICATOR_SPANS)
    for index, row in enumerate(result.indicators, start=1):
        values, rates = _indicator(index, row)
        change = {CHANGE_COLUMN: CHANGE_COUNT if row.is_count else CHANGE_POINTS}
        forms.write_row(sheet, last + index, values, percent_cols=rates,
                        formats=None if row.delta is None else change)
    # what the PDF says under its summary (a file with nothing in the period…) is said here too
    notes = result.warnings + [n for n in [result.unread_note()] if n] + result.notes()
    line = last + len(result.indicators) + 1
    for note in notes:
        line += 1
        forms.put(sheet, line, 1, columns, note, forms.font(11, italic=True), forms.LEFT)
        sheet.row_dimensions[line].height = 15.0 * (1 + len(note) // 150)
    # who signs it, as on paper (the office's or the unit's signer: core.report_header)
    forms.signatures(sheet, line + 2, columns, header)
    forms.print_setup(sheet, top, last, columns, "Đối chiếu với hệ thống tỉnh — chỉ tiêu")


def _list_sheet(book, title: str, what: str, head: list, rows: list[list], empty: str,
                result: Reconciliation, header: dict, issued: dt.date) -> None:
    sheet = forms.Sheet(book, title)
    sizes, moments = LOOKS[id(head)]
    forms.widths(sheet, sizes)
    times = dict.fromkeys(moments, DATE_TIME_FORMAT) if moments else None
    top = forms.write_heading(sheet, _heading(result, header, what, issued), len(head))
    last = forms.write_table_head(sheet, top, [head], [])
    for offset, values in enumerate(rows, start=1):
        forms.write_row(sheet, last + offset, values, left_cols=tuple(range(2, len(head) + 1)),
                        formats=times)
    if not rows:  # an empty list says so, rather than print a bare header
        forms.put(sheet, last + 1, 1, len(head), empty, forms.font(11, italic=True))
    end = get_column_letter(len(head))
    sheet.auto_filter.ref = f"A{last}:{end}{last + max(len(rows), 1)}"
    forms.print_setup(sheet, top, last, len(head), f"Đối chiếu với hệ thống tỉnh — {title}")


def save_workbook(result: Reconciliation, path: str | os.PathLike,
                  header: dict | None = None, issued: dt.date | None = None,
                  progress: forms.Progress | None = None) -> Path:
    """The workbook of `result`; `header` is the report header of the unit reconciled
    (core.report_header.header_for: the command and the window pass it, the PDF's; without
    one the header names no agency), `issued` the date of issue (today); `progress`: asked
    before the finished file takes its name (core.stopping)."""
    header = clip_header(header or {})
    issued = issued or result.issued or timefmt.now().date()
    book = forms.new_book()
    _indicators_sheet(book, result, header, issued)
    for title, what, head, rows, empty in _lists(result):
        _list_sheet(book, title, what, head, rows, empty, result, header, issued)
    return forms.save(book, path, progress)
