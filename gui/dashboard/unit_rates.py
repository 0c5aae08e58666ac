"""The dashboard's units behind their targets: one row per unit, its four rates, a red cell
where a rate misses its target. The small-list shape of gui.table_model."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableView

from core.indicators.vocabulary import rate_of, target_text
from core.textnorm import fold
from core.timefmt import vn_percent
from gui import table_model
from gui.dashboard.cards import INDICATORS

UNIT = 0  # then one column per indicator, in the order of INDICATORS
HEADERS = ("Đơn vị", "Đúng hạn (Biểu 06)", "Toàn trình (Biểu 06)", "TT tr.tuyến (Biểu 06)",
           "Hài lòng (Biểu 06)")
BEHIND_BG = QColor("#fdecea")


class UnitRatesModel(table_model.RowsModel):
    """Biểu 06's rates; a subclass names another set's columns, rates and targets (766)."""

    HEADERS = HEADERS
    NUMERIC = frozenset(range(1, len(HEADERS)))
    KEYS: tuple[str, ...] = INDICATORS  # the indicator of each column after the unit's
    BEHIND_TEXT = "Chưa đạt chỉ tiêu"
    WIDTH = 160

    def __init__(self, parent=None):
        super().__init__(parent)
        self.targets: dict = {}

    def set_units(self, units: list[dict], targets: dict) -> None:
        self.targets = targets
        self.set_rows(units)

    def rate(self, unit: dict, key: str) -> float | None:
        return rate_of(unit, key)

    def meets(self, unit: dict, key: str) -> bool | None:
        return unit["meets"][key]

    def display(self, unit: dict, column: int) -> str:
        if column == UNIT:
            return unit["name"]
        return vn_percent(self.rate(unit, self.KEYS[column - 1]))

    def sort_value(self, unit: dict, column: int):
        if column == UNIT:
            return fold(unit["name"])
        return self.rate(unit, self.KEYS[column - 1])  # None ("—") after every rate

    def record_id(self, unit: dict) -> str:
        return unit["code"]

    def decoration(self, unit: dict, column: int, role):
        if column == UNIT:
            return unit["code"] if role == Qt.ItemDataRole.ToolTipRole else None
        key = self.KEYS[column - 1]
        if self.meets(unit, key) is not False:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return BEHIND_BG
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self.BEHIND_TEXT} {target_text(self.targets[key])}"
        return None


def unit_table(model: UnitRatesModel) -> QTableView:
    view = table_model.sorted_view(model)
    view.setAlternatingRowColors(False)  # the red cells must read as red
    view.horizontalHeader().setStretchLastSection(False)
    view.horizontalHeader().setSectionResizeMode(UNIT, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(model.HEADERS)):
        view.setColumnWidth(column, model.WIDTH)
    return view


def fit_height(view: QTableView, rows: int) -> None:
    """Up to 12 units without a scroll bar, the chart and late lists still in sight below."""
    view.setFixedHeight(view.horizontalHeader().sizeHint().height() + 4 +
                        view.verticalHeader().defaultSectionSize() * min(rows, 12))
