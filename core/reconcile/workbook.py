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

from core.indicators.vocabulary import moment_line
from core.labels import CHANNEL_VI, STATUS_VI
from core.limits import clip_header
from core.reconcile import NEAR_HEAD, UNREAD_HEAD, Reconciliation, reported_name
from core.reconcile.matching import Item
from core.reconcile.side import NOT_COMPARABLE_TEXT, PARTIAL_MARK, Row, footnotes
from core.workbook import forms
from core.workbook.look import DATE_TIME_FORMAT

TITLE = "KẾT QUẢ ĐỐI CHIẾU SỐ LIỆU VỚI HỆ THỐNG THÔNG TIN GIẢI QUYẾT TTHC CỦA TỈNH"
ITEM_HEAD = ["STT", "Mã hồ sơ", "Mã thủ tục", "Chủ hồ sơ", "Kênh", "Tiếp nhận", "Hạn trả",
             "Kết thúc xử lý", "Trạng thái", "Người tiếp nhận"]
ITEM_WIDTHS = [6, 24, 16, 26, 11, 16, 16, 16, 14, 18]
ITEM_TIMES = (6, 7, 8)  # 1-based columns holding a moment
SIDES = ("MotCua", "Hệ thống tỉnh", "Tỉnh khi nhập đủ")
INDICATOR_HEAD = [["STT", "Chỉ tiêu", "Nguồn", SIDES[0], "", SIDES[1], "", SIDES[2], "",
                   "Thay đổi"],
                  ["", "", "", "Kết quả", "Số hồ sơ", "Kết quả", "Số hồ sơ", "Kết quả",
                   "Số hồ sơ", ""]]
INDICATOR_SPANS = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (2, 1)), ((3, 0), (4, 0)),
                   ((5, 0), (6, 0)), ((7, 0), (8, 0)), ((9, 0), (9, 1))]
INDICATOR_WIDTHS = [6, 44, 10, 11, 12, 11, 12, 11, 12, 12]
RESULT_COLUMNS = (4, 6, 8)
# The short lists' columns are wide enough that the agency's name above them (the first two
# columns, core.workbook.forms.write_heading) fits its lines: at 6 + 24 it overlapped itself.
DIFF_HEAD = ["STT", "Mã hồ sơ (MotCua)", "Mã trên hệ thống tỉnh", "Chủ hồ sơ", "Nội dung",
             "MotCua", "Hệ thống tỉnh", "Cách ghép"]
DIFF_WIDTHS = [8, 26, 26, 24, 16, 22, 22, 26]
PAIR_HEAD = ["STT", "Mã hồ sơ (MotCua)", "Mã trên hệ thống tỉnh", "Cách ghép"]
PAIR_WIDTHS = [8, 44, 40, 48]
UNREAD_WIDTHS = [8, 10, 30, 30, 90]
NEAR_WIDTHS = [8, 26, 26, 22, 12, 16, 16, 10, 40]
NEAR_TIMES = (6, 7)


def _moment(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _item(index: int, item: Item) -> list:
    return [index, item.code, item.procedure, reported_name(item.applicant), CHANNEL_VI[item.channel],
            _moment(item.received), _moment(item.due), _moment(item.finished),
            STATUS_VI[item.status], item.clerk]


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
    rates = () if all(c.den is None for c in row.cells) else RESULT_COLUMNS
    return values + [row.change], rates


def _lists(result: Reconciliation) -> list[tuple[str, str, list, list[list]]]:
    ours = sorted(result.only_ours, key=lambda i: (i.clerk or "\uffff", i.received, i.code))
    return [
        ("Thiếu trên HT tỉnh", "Hồ sơ có trong MotCua, thiếu trên hệ thống của tỉnh", ITEM_HEAD,
         [_item(i, x) for i, x in enumerate(ours, start=1)]),
        ("Thiếu trong MotCua", "Hồ sơ có trên hệ thống của tỉnh, thiếu trong MotCua", ITEM_HEAD,
         [_item(i, x) for i, x in enumerate(result.only_theirs, start=1)]),
        ("Khác nhau", "Hồ sơ có ở hai bên nhưng khác nhau", DIFF_HEAD,
         [[i, d.pair.ours.code, d.pair.theirs.code, reported_name(d.pair.ours.applicant), d.field,
           d.ours, d.theirs, d.pair.how]
          for i, d in enumerate(result.differences, start=1)]),
        ("Ghép không theo mã", "Hồ sơ ghép theo thủ tục, chủ hồ sơ và giờ tiếp nhận (lệch không "
         f"quá {result.tolerance} phút), cần kiểm tra là cùng một hồ sơ", NEAR_HEAD,
         result.near_table()),
        ("Đã ghép", "Hồ sơ đã ghép được giữa hai bên", PAIR_HEAD,
         [[i, p.ours.code, p.theirs.code, p.how] for i, p in enumerate(result.pairs, start=1)]),
    ] + ([("Dòng không đọc được", "Dòng của tệp hệ thống tỉnh không đọc được, không được đối "
           f"chiếu ({result.unread_rows} dòng)", UNREAD_HEAD, result.unread_table())]
         if result.unread_rows else [])


def _heading(result: Reconciliation, header: dict, what: str) -> forms.Heading:
    lines = [f"(Từ ngày {result.date_from:%d/%m/%Y} đến ngày {result.date_to:%d/%m/%Y})"]
    if result.unit:
        lines.append(f"Đơn vị: {result.unit_name}")
    lines.append(f"Tệp của hệ thống tỉnh: {Path(result.path).name}")
    if result.as_of:
        lines.append(moment_line({"to": result.date_to.isoformat(), "as_of": result.as_of}))
    return forms.Heading(header, TITLE, tuple(lines + [what]))


def _indicators_sheet(book, result: Reconciliation, header: dict) -> None:
    sheet = forms.Sheet(book, "Chỉ tiêu")
    forms.widths(sheet, INDICATOR_WIDTHS)
    columns = len(INDICATOR_WIDTHS)
    heading = _heading(result, header, "Các chỉ tiêu tính theo hai bên")
    top = forms.write_heading(sheet, heading, columns)
    last = forms.write_table_head(sheet, top, INDICATOR_HEAD, INDICATOR_SPANS)
    for index, row in enumerate(result.indicators, start=1):
        values, rates = _indicator(index, row)
        forms.write_row(sheet, last + index, values, percent_cols=rates)
    notes = [n for n in [result.unread_note()] if n] + footnotes(result.indicators)
    for offset, note in enumerate(notes, start=2):
        forms.put(sheet, last + len(result.indicators) + offset, 1, columns, note,
                  forms.font(11, italic=True), forms.LEFT)
    forms.print_setup(sheet, top, last, columns, "Đối chiếu với hệ thống tỉnh — chỉ tiêu")


def _list_sheet(book, title: str, what: str, head: list, rows: list[list],
                result: Reconciliation, header: dict) -> None:
    sheet = forms.Sheet(book, title)
    sizes = {id(ITEM_HEAD): ITEM_WIDTHS, id(DIFF_HEAD): DIFF_WIDTHS, id(NEAR_HEAD): NEAR_WIDTHS,
             id(UNREAD_HEAD): UNREAD_WIDTHS}.get(id(head), PAIR_WIDTHS)
    forms.widths(sheet, sizes)
    moments = {id(ITEM_HEAD): ITEM_TIMES, id(NEAR_HEAD): NEAR_TIMES}.get(id(head))
    times = dict.fromkeys(moments, DATE_TIME_FORMAT) if moments else None
    top = forms.write_heading(sheet, _heading(result, header, f"{what}: {len(rows)} dòng"),
                              len(head))
    last = forms.write_table_head(sheet, top, [head], [])
    for offset, values in enumerate(rows, start=1):
        forms.write_row(sheet, last + offset, values, left_cols=tuple(range(2, len(head) + 1)),
                        formats=times)
    if not rows:  # an empty list says so, rather than print a bare header
        forms.put(sheet, last + 1, 1, len(head), "Không có hồ sơ nào.", forms.font(11, italic=True))
    end = get_column_letter(len(head))
    sheet.auto_filter.ref = f"A{last}:{end}{last + max(len(rows), 1)}"
    forms.print_setup(sheet, top, last, len(head), f"Đối chiếu với hệ thống tỉnh — {title}")


def save_workbook(result: Reconciliation, path: str | os.PathLike,
                  header: dict | None = None) -> Path:
    """The workbook of `result`; `header` is the settings' report header (the command and the
    window pass it; without one the header names no agency)."""
    header = clip_header(header or {})
    book = forms.new_book()
    _indicators_sheet(book, result, header)
    for title, what, head, rows in _lists(result):
        _list_sheet(book, title, what, head, rows, result, header)
    return forms.save(book, path)
