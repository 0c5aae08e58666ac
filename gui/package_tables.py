"""The tables of the packages' dialogs (gui.packages): the packages' counts, and the
look and widths the preview's tables share."""
from __future__ import annotations

import datetime as dt
import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

from core.exchange import compare
from core.exchange.checks import sender_text
from core.timefmt import parse_db_time, vn_date, vn_datetime, vn_number
from gui import shown

RED = "#c62828"  # the dashboard's colour for what is wrong (gui.dashboard.cards)


# the counts' titles on two lines: the sender's column keeps its width beside the totals
PACKAGE_COLUMNS = ("Gói", "Đơn vị — máy gửi", "Mới", "Thay\nđổi", "Giống\nhệt", "Máy này\nmới hơn",
                   "Xung\nđột", "Đã chọn\ntrước", "Phiếu\nmới", "Chữ ký")


def packages_table(results: list) -> QTableWidget:
    """A first line with the totals, as a Vietnamese statistical table opens ("Cộng"), then
    one line per package (what it would do): of a month-end's twelve packages the totals at the
    foot were behind the scroll bar."""
    table = QTableWidget(len(results) + 1 if results else 0, len(PACKAGE_COLUMNS))
    table.setHorizontalHeaderLabels(list(PACKAGE_COLUMNS))
    outcomes = (compare.NEW, compare.CHANGED, compare.IDENTICAL, compare.OLDER, compare.CONFLICT,
                compare.DECIDED)
    totals = [0] * (len(outcomes) + 1)
    from core.exchange.merge import package_labels
    labels = _told_apart(package_labels(results))
    for row, (result, label) in enumerate(zip(results, labels, strict=True)):
        counts = [result.dossiers[k] for k in outcomes] + [result.votes[compare.NEW]]
        if not result.same_as:  # a package given twice is counted once (core merge._twice)
            totals = [t + n for t, n in zip(totals, counts, strict=True)]
        # two packages of one name (two folders) told apart by their identity, the one the
        # versions name; the whole path where the mouse rests
        _package_row(table, row + 1, label, sender_text(result.manifest), counts)
        table.item(row + 1, 0).setToolTip(shown.tip(str(result.path)))
        _signature_cell(table, row + 1, result)
    if results:
        _package_row(table, 0, "Cộng", f"{vn_number(sum(not r.same_as for r in results))} gói",
                     totals)
        for column in range(table.columnCount()):
            item = table.item(0, column)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            item.setBackground(QColor("#eeeeee"))
    _plain(table)
    _stretch(table, 0)
    # the file name gives way, not the sender: the export suggests names 45-50 characters long
    # (goi-000.31.01.H01-may1-add2-tu….zip) and, sized to them, they squeezed the column that
    # tells the counters apart to "tất cả …" at 1366 px (walkthrough of round 32); elided in
    # its middle, without the start all names share (_told_apart), the name keeps its slot and
    # dates, and its tooltip the whole path
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    table.setWordWrap(False)
    return table


def _told_apart(labels: list[str]) -> list[str]:
    """The packages' names without the start they all share, cut after a '-' ("goi-X01-"): an
    elided cell then keeps what tells them apart ("…may1-3e40-tu…", "…may2-0d53-tu…"); the
    whole names elided in their middle read alike, "goi-X01-m…50611.zip" (review of round 32)."""
    cut = os.path.commonprefix(labels).rfind("-") + 1 if len(labels) > 1 else 0
    return ["…" + label[cut:] for label in labels] if cut > 1 else labels


def _signature_cell(table: QTableWidget, row: int, result) -> None:
    """The package's signature against the sender's key known here (core.exchange.signing)."""
    from core.exchange import signing
    text = signing.status_text(result.signature, result.dry_run)
    # short in the cell (the sender's column keeps its width at 1366 px), whole on the tooltip
    item = QTableWidgetItem(signing.SHORT_VI.get(result.signature, ""))
    item.setToolTip(shown.tip(f"Chữ ký: {text}"))
    table.setItem(row, len(PACKAGE_COLUMNS) - 1, item)


def _package_row(table: QTableWidget, row: int, name: str, sender: str, counts: list) -> None:
    for column, text in enumerate([name, sender, *(vn_number(n) for n in counts), ""]):
        item = QTableWidgetItem(text)
        if column > 1:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(shown.tip(text))
        table.setItem(row, column, item)


def _shown(moment) -> str:
    """A manifest's date or time as a clerk reads it; what a package says is not trusted."""
    try:
        if isinstance(moment, str) and len(moment) == 10:
            return vn_date(dt.date.fromisoformat(moment))
        return vn_datetime(parse_db_time(moment))
    except (TypeError, ValueError):
        return "?"


def _stretch(table: QTableWidget, column: int | None) -> None:
    """Words in `column` (if any) take the spare width; the counts keep their figures' width."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if column is not None:  # else the table is only as wide as its columns (its caller's cap)
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


def _plain(table: QTableWidget) -> None:
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    table.resizeColumnsToContents()
