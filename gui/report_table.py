"""Biểu 06's table on the Báo cáo screen (gui.reports): its columns, the rows by unit or by field
grouped by level, and the receiving desks' own workload."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from core.indicators.vocabulary import FIGURE_NAMES, INDICATORS, KEYS, rate_path
from core.labels import unit_text
from core.textnorm import fold
from core.timefmt import vn_number, vn_percent
from gui import table_model

# (header, path in the figures, is a rate)
COLUMNS = (
    ("Tiếp nhận\ntổng số", "received.total", False), ("Trực tuyến", "received.online", False),
    ("Trực tiếp,\nbưu chính", "received.direct_postal", False),
    ("Kỳ trước\nchuyển qua", "received.carried_over", False),
    ("Đã giải quyết\ntổng số", "resolved.total", False), ("Trước hạn", "resolved.early", False),
    ("Đúng hạn", "resolved.on_time", False), ("Quá hạn", "resolved.late", False),
    ("Đang giải quyết\ntổng số", "in_progress.total", False),
    # named with its group: two columns headed "Quá hạn" (one with a trailing space) left a
    # leader to guess which counted the dossiers still open
    ("Trong hạn", "in_progress.within_time", False),
    ("Đang giải quyết quá hạn", "in_progress.overdue", False),
    ("Rút/dừng", "withdrawn", False),
) + tuple(  # the four rates as every screen names them (core.indicators.vocabulary)
    (f"{INDICATORS[key].short} (%)", rate_path(key), True) for key in KEYS)


UNIT = 0  # the unit's name; the figures follow in the order of COLUMNS
HEADERS = ("Đơn vị",) + tuple(header for header, _, _ in COLUMNS)
FIELD_HEADER = "Lĩnh vực, công việc\ngiải quyết theo cấp"  # Biểu 06's column 2, by field
TOTAL = "TỔNG CỘNG"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def value_at(figures: dict, path: str):
    for part in path.split("."):
        figures = figures[part]
    return figures


class Table06Model(table_model.RowsModel):
    """Biểu 06's rows: (label, figures, bold). By unit: each unit, then the total (pinned last);
    by field: each level (bold, its subtotal) with its fields indented, then the total — that
    grouping is the order, so a header click does not re-sort it (`grouped`)."""

    HEADERS = HEADERS
    NUMERIC = frozenset(range(1, len(HEADERS)))
    grouped = False

    def show(self, rows: list[tuple[str, dict, bool]], by_field: bool) -> None:
        self.grouped = by_field
        self.HEADERS = ((FIELD_HEADER if by_field else HEADERS[UNIT]),) + HEADERS[1:]
        self.set_rows(rows)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.HEADERS) - 1)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole
                and section != UNIT):  # what the figure counts, as its list is titled
            _, path, is_rate = COLUMNS[section - 1]
            return None if is_rate else capital(FIGURE_NAMES.get(path, ""))
        return super().headerData(section, orientation, role)

    def display(self, record, column: int) -> str:
        label, figures, _bold = record
        if column == UNIT:
            return label
        _, path, is_rate = COLUMNS[column - 1]
        value = value_at(figures, path)
        return vn_percent(value) if is_rate else vn_number(value)

    def sort_value(self, record, column: int):
        if self.grouped:
            return self._rows.index(record)  # levels and their fields stay together
        if column == UNIT:
            return fold(record[0])
        return value_at(record[1], COLUMNS[column - 1][1])  # a count or a rate (None: no data)

    def record_id(self, record) -> str:
        return record[1].get("code", "")

    def pinned(self, record) -> bool:
        return record[0] == TOTAL

    def decoration(self, record, column: int, role):
        if role == Qt.ItemDataRole.FontRole and record[2]:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == UNIT:
            return record[0].strip()  # the whole name where the column elides it
        return None


def unit_rows(result: dict) -> list[tuple[str, dict, bool]]:
    """(label, figures, bold) of the per-unit table: each unit, then the total."""
    rows = [(unit_text(u['name'], u['code']), u, False) for u in result["units"]]
    return rows + [(TOTAL, result["total"], True)]


def field_rows(result: dict) -> list[tuple[str, dict, bool]]:
    """Biểu 06 by field: each level (bold, its subtotal), its fields indented, the total."""
    rows = []
    for level in result["levels"]:
        rows.append((level["name"].upper(), level["total"], True))
        rows += [(f"    {f['field']}", f, False) for f in level["fields"]]
    return rows + [(TOTAL, result["total"], True)]


class ReceptionModel(table_model.RowsModel):
    """The receiving desks' own workload (spec 5): dossiers received there, by competent unit."""
    HEADERS = ("Nơi tiếp nhận", "Đơn vị giải quyết", "Số hồ sơ")
    RECEIVING, COMPETENT, COUNT = range(3)
    NUMERIC = frozenset({COUNT})

    def display(self, row, column: int) -> str:
        if column == self.RECEIVING:
            return unit_text(row.receiving_name, row.receiving_code)
        if column == self.COMPETENT:
            return unit_text(row.competent_name, row.competent_code)
        return vn_number(row.count)

    def sort_value(self, row, column: int):
        if column == self.COUNT:
            return row.count
        return fold(self.display(row, column))
