"""The reconciliation report (issue 16 §2): what a commune must still enter in the provincial
system before the cut-off, per clerk and day, what the province has that MotCua lacks, what
differs, and the indicators of both sets side by side. A4 landscape, Decree 30 margins.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from itertools import groupby
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer, Table, TableStyle

from core import empty_lists, timefmt
from core.indicators.vocabulary import provisional_line
from core.labels import CHANNEL_VI, STATUS_VI
from core.pdf import blocks
from core.pdf.document import A4_LANDSCAPE, render, write_atomic
from core.pdf.oneline import OneLine
from core.reconcile import (
    NEAR_HEAD,
    REPORT_TITLE,
    SECTIONS,
    UNREAD_HEAD,
    Reconciliation,
    reported_name,
)
from core.reconcile.matching import Item, to_enter_order
from core.reconcile.report import NO_CLERK
from core.report_header import header_for
from core.timefmt import parse_db_time, vn_date, vn_datetime, vn_number
from core.transfer.profiles import profile_words

CHUNK = 40  # rows of one table (a page holds about 20–30)
# rows of one clerk's table in section II: 9,127 dossiers as one table a clerk took 46 s of
# reportlab's time (it re-measures the rest of a table at each page), four times 40-row tables
CLERK_ROWS = 300
ITEM_HEAD = ["STT", "Mã hồ sơ", "Thủ tục", "Chủ hồ sơ", "Kênh", "Tiếp nhận", "Hạn trả",
             "Trạng thái"]
END_ROWS = 3  # rows a list's table keeps together at its start and at its end
DAY_BACK = colors.Color(0.97, 0.97, 0.97)  # a day's row inside a clerk's table


def _when(value: str | None) -> str:
    return vn_datetime(parse_db_time(value)) if value else ""


def item_cells(item: Item, names: dict[str, str]) -> list:
    return [OneLine(item.code, 10), f"{item.procedure} {names.get(item.procedure, '')}".strip(),
            reported_name(item.applicant), CHANNEL_VI[item.channel], _when(item.received), _when(item.due),
            STATUS_VI[item.status]]


def by_clerk_and_day(items: list[Item]) -> Iterator[tuple[str, str, list[Item]]]:
    """(clerk, day dd/mm/yyyy, dossiers) in clerk, day, reception order: the list a commune
    enters before the cut-off, one clerk's day at a time."""
    ordered = sorted(items, key=to_enter_order)
    for (clerk, day), group in groupby(ordered, key=lambda i: (i.clerk, i.received[:10])):
        yield clerk or NO_CLERK, vn_date(dt.date.fromisoformat(day)), list(group)


def _widths(width: float) -> list[float]:
    parts = [10, 48, 74, 38, 18, 30, 30, 27]
    return [width * p / sum(parts) for p in parts]


def _missing_table(result: Reconciliation, names: dict[str, str], width: float) -> list:
    items = result.only_ours
    if not items:  # why it is empty, as the window's tab says it (core.empty_lists)
        return [blocks.body(empty_lists.reconciled(result, "only_ours"))]
    out: list = [blocks.body(result.to_enter_line() or "", 11)]
    for clerk, days in groupby(by_clerk_and_day(items), key=lambda group: group[0]):
        out += clerk_tables(clerk, [(day, group) for _c, day, group in days], names, width)
    return out


def clerk_tables(clerk: str, days: list[tuple[str, list[Item]]], names: dict[str, str],
                 width: float) -> list[Table]:
    """One clerk's dossiers as one table: the columns' header and the clerk's name repeated on
    each page, each day a spanning row «Ngày dd/mm/yyyy — n hồ sơ» kept with its first dossier
    (round 30: a table per clerk and day, each with its header, took 26 pages for 197 dossiers).
    A list longer than CLERK_ROWS goes on in a next table, its header again (see chunked)."""
    total = sum(len(group) for _day, group in days)
    head = [ITEM_HEAD, [f"{clerk} — {vn_number(total)} hồ sơ"] + [""] * 7]
    rows: list[list] = []
    day_rows = []
    for day, group in days:
        day_rows.append(len(rows))
        rows.append([blocks.para(f"Ngày {day} — {vn_number(len(group))} hồ sơ", _day_style())]
                    + [""] * 7)
        rows += [[str(n)] + item_cells(item, names)
                 for n, item in enumerate(group, start=len(rows) - len(day_rows) + 1)]
    out, start, days_at = [], 0, set(day_rows)
    while start < len(rows):
        end = min(start + CLERK_ROWS, len(rows))
        if end < len(rows) and end - 1 in days_at and end - 1 > start:
            end -= 1  # a day's row stays with its first dossier
        out.append(_clerk_part(head, rows[start:end],
                               [r - start + len(head) for r in day_rows if start <= r < end], width))
        out[-1].spaceAfter = 0 if end < len(rows) else out[-1].spaceAfter
        start = end
    return out


def _clerk_part(head: list[list], rows: list[list], day_rows: list[int], width: float) -> Table:
    table = blocks.grid(head + rows, _widths(width), header_rows=len(head), left_cols=(2, 3),
                        spans=[((0, r), (-1, r)) for r in [1, *day_rows]])
    table.setStyle(TableStyle([command for r in day_rows for command in (
        ("BACKGROUND", (0, r), (-1, r), DAY_BACK), ("NOSPLIT", (0, r), (-1, r + 1)))]))
    table.opening_rows = 2  # a day's row and its first dossier
    return table


def _day_style():  # made when asked: the fonts are registered on first use
    return blocks.style(10, bold=True, leading=11.5)


def chunked(head: list[list], rows: list[list], widths: list[float],
            left_cols: tuple[int, ...], spans: list | None = None) -> list:
    """A long list as tables of CHUNK rows, each with the header rows `head`: reportlab
    re-measures a whole table at every page break, so one table of 10,000 rows takes minutes
    (see core.pdf.ledger), while small tables cost time in proportion to the rows."""
    out = []
    for start in range(0, len(rows), CHUNK):
        part = rows[start:start + CHUNK]
        out.append(blocks.grid(head + part, widths, header_rows=len(head),
                               spans=spans or (), left_cols=left_cols))
        _no_short_ends(out[-1], len(head), len(part))
        out[-1].spaceAfter = 0
    return out


def _no_short_ends(table: Table, head: int, rows: int) -> None:
    """A list's table broken at a page's foot leaves at least END_ROWS rows on each side, a
    shorter one moves whole (walk33: section V's three pairs printed one on page 5, two on
    page 6; section III's five, three and two)."""
    ends = min(END_ROWS, rows)
    table.setStyle(TableStyle([("NOSPLIT", (0, head), (-1, head + ends - 1)),
                               ("NOSPLIT", (0, head + rows - ends), (-1, head + rows - 1))]))
    # the section's heading kept with them (see _opening): all when no break is left
    table.opening_rows = rows if rows < 2 * ends else ends


def _plain_table(result: Reconciliation, names: dict[str, str], width: float) -> list:
    items = result.only_theirs
    if not items:
        return [blocks.body(empty_lists.reconciled(result, "only_theirs"))]
    rows = [[str(n)] + item_cells(i, names) for n, i in enumerate(items, start=1)]
    return chunked([ITEM_HEAD], rows, _widths(width), left_cols=(2, 3))


def _differences_table(result: Reconciliation, width: float) -> list:
    if not result.differences:
        return [blocks.body(empty_lists.reconciled(result, "differences"))]  # as on screen
    head = ["STT", "Mã hồ sơ (MotCua)", "Mã trên hệ thống tỉnh", "Chủ hồ sơ", "Nội dung",
            "MotCua", "Hệ thống tỉnh", "Cách ghép"]
    rows = [[str(n), OneLine(d.pair.ours.code, 10), OneLine(d.pair.theirs.code, 10),
             reported_name(d.pair.ours.applicant), d.field, d.ours, d.theirs, d.pair.how]
            for n, d in enumerate(result.differences, start=1)]
    parts = [10, 48, 48, 38, 24, 34, 34, 50]
    return chunked([head], rows, [width * p / sum(parts) for p in parts], left_cols=(3, 7))


def _near_table(result: Reconciliation, width: float) -> list:
    """The pairs made without a code, each with how it was made and the gap (issue 16 §2:
    "each match shows how it was made")."""
    table = result.near_table()
    if not table:
        return [blocks.body(empty_lists.reconciled(result, "near"))]
    rows = [[str(n), OneLine(ours, 10), OneLine(theirs, 10), name, procedure,
             OneLine(vn_datetime(mine), 10), OneLine(vn_datetime(other), 10), vn_number(gap),
             method] for n, ours, theirs, name, procedure, mine, other, gap, method in table]
    parts = [9, 40, 40, 30, 17, 30, 30, 14, 55]
    return [blocks.body(result.near_heading(), 11)] + chunked(
        [NEAR_HEAD], rows, [width * p / sum(parts) for p in parts], left_cols=(3, 8))


def _indicators_table(result: Reconciliation, width: float) -> list:
    rows = [["Chỉ tiêu", "Nguồn", "MotCua", "Hệ thống tỉnh", "Tỉnh khi nhập đủ hồ sơ thiếu",
             "Thay đổi"]]
    for row in result.indicators:
        rows.append([row.name, row.source] + row.texts + [row.change])
    parts = [60, 18, 42, 42, 42, 28]
    unread = result.unread_note()
    table = blocks.grid(rows, [width * p / sum(parts) for p in parts], left_cols=(0,), size=11)
    _split_between_sets(table, [row.source for row in result.indicators])
    return ([blocks.body(unread, 11)] if unread else []) + [table] \
        + [blocks.body(note, 10) for note in result.notes()]


def _split_between_sets(table: Table, sources: list[str]) -> None:
    """A page breaks section I's table only between its sets of figures (the counts, Biểu 06,
    766), the header repeated: split anywhere, the 766 rows' last three went alone to page 2
    (walk33), the leader turning the page for 4.1–5.4 of the set begun on page 1."""
    sets = [list(group) for _source, group in groupby(range(len(sources)), key=sources.__getitem__)]
    table.setStyle(TableStyle([("NOSPLIT", (0, rows[0] + 1), (-1, rows[-1] + 1))
                               for rows in sets if len(rows) > 1]))
    table.opening_rows = len(sets[0]) if sets else 1  # the first set kept with the heading


def _unread_table(result: Reconciliation, width: float) -> list:
    rows = [[str(n), str(row), *rest] for n, row, *rest in result.unread_table()]
    more = ([blocks.body(f"… và {vn_number(result.error_count - len(rows))} lỗi khác (chỉ liệt "
                         f"kê {vn_number(len(rows))} lỗi đầu).", 10)]
            if result.error_count > len(rows) else [])
    parts = [8, 12, 44, 30, 150]
    return [blocks.body(f"{result.unread_heading()} sửa các dòng này trong tệp (hoặc trên hệ "
                        "thống tỉnh) rồi đối chiếu lại.", 11)] + chunked(
        [UNREAD_HEAD], rows, [width * p / sum(parts) for p in parts], left_cols=(2, 3, 4)) + more


def _summary(result: Reconciliation) -> list:
    scope = f", đơn vị {result.unit_name}" if result.unit else ""
    fuzzy = len(result.pairs) - result.by_code
    lines = [
        f"Tệp xuất của hệ thống tỉnh: {Path(result.path).name} ({profile_words(result.profile)}); "
        f"kỳ từ {vn_date(result.date_from)} đến {vn_date(result.date_to)}{scope}. "
        f"{result.moment_line()}.",
        f"Khớp {vn_number(len(result.pairs))} hồ sơ: {vn_number(result.by_code)} theo mã hồ sơ, "
        f"{vn_number(fuzzy)} theo thủ tục, chủ hồ sơ và giờ tiếp nhận (lệch không quá "
        f"{result.tolerance} phút" + ("; liệt kê ở mục V" if fuzzy else "") + ").",
        f"Có trong MotCua nhưng thiếu trên hệ thống tỉnh: {vn_number(len(result.only_ours))} "
        f"hồ sơ; có trên hệ thống tỉnh nhưng thiếu trong MotCua: "
        f"{vn_number(len(result.only_theirs))} hồ sơ; khác nhau: {result.differing_phrase()}.",
    ]
    note = result.uncertain_note()  # the unread rows' note heads section I, beside the figures
    return [blocks.body(line, 12) for line in lines + ([note] if note else []) + result.warnings]


def story(db, result: Reconciliation, width: float, issued: dt.date) -> list:
    """The report as a leader signs and sends it (Decree 30/2020): the header, number, place and
    date, title, signer and Nơi nhận of the monthly report (core.pdf.blocks.report_opening and
    report_closing), under the header of the unit reconciled (core.report_header.header_for: a
    commune's list is the commune's document), the sections between."""
    header = header_for(db, result.unit).header
    names = dict(db.execute("SELECT code, name FROM procedures").fetchall())
    out: list = blocks.report_opening(header, issued, *REPORT_TITLE, width)
    out += _summary(result)
    sections = [("indicators", _indicators_table(result, width)),
                ("only_ours", _missing_table(result, names, width)),
                ("only_theirs", _plain_table(result, names, width)),
                ("differences", _differences_table(result, width)),
                ("near", _near_table(result, width))]
    if result.unread_rows:
        sections.append(("unread", _unread_table(result, width)))
    for key, content in sections:
        heading = blocks.heading(SECTIONS[key][1], 12)
        out += [Spacer(1, 3 * mm), CondPageBreak(_opening(heading, content, width)), heading]
        out += content
    return out + [Spacer(1, 4 * mm)] + blocks.report_closing(header, result.closing_sentence(),
                                                              width)


def _opening(heading, content: list, width: float) -> float:
    """The height a section needs at a page's foot: its heading, what precedes its first
    table, and that table's header rows with its first row. Less room, and the section starts
    on the next page; more, and it starts here. A heading kept with its whole table (reportlab's
    keepWithNext) sent section I to page 2 whenever its table did not fit under the title, and
    page 1 held only the title (01/12/2026)."""
    height = 0.0
    for flowable in [heading, *content]:
        _w, tall = flowable.wrap(width, 1e6)
        if isinstance(flowable, Table):
            # reportlab keeps the rows' heights it measured only as this private list
            first = getattr(flowable, "opening_rows", 1)  # rows kept together at its start
            return height + sum(flowable._rowHeights[:flowable.repeatRows + first]) + 1
        height += tall + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return height + 1


def build_reconciliation(db, result: Reconciliation, issued: dt.date | None = None) -> bytes:
    issued = issued or result.issued or timefmt.now().date()
    width = A4_LANDSCAPE.frame_width
    return render(story(db, result, width, issued), A4_LANDSCAPE,
                  title=" ".join(REPORT_TITLE), draft=False,
                  page_note=provisional_line({"to": result.date_to.isoformat(),
                                              "as_of": result.as_of}))


def save_reconciliation(db, result: Reconciliation, path: str | os.PathLike,
                        progress: Callable[[int, int], object] | None = None) -> Path:
    """`progress`: asked just before the finished PDF takes its name (core.stopping)."""
    return write_atomic(path, build_reconciliation(db, result), progress)
