"""The dashboard's units under the 766 set (spec 5.1): one row per unit, its six rates, a red
cell where a rate misses its 766 target. The shape of gui.dashboard.unit_rates."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableView

from core.indicators import i766
from core.indicators.vocabulary import target_text
from core.textnorm import fold
from core.timefmt import vn_percent
from gui import table_model
from gui.dashboard.unit_rates import BEHIND_BG, UNIT

HEADERS = ("Đơn vị", *(f"{i766.FIGURES[k].code} {i766.COLUMN_TITLES[k]} (766)" for k in i766.KEYS))


class UnitRates766Model(table_model.RowsModel):
    HEADERS = HEADERS
    NUMERIC = frozenset(range(1, len(HEADERS)))

    def __init__(self, parent=None):
        super().__init__(parent)
        self.targets: dict = {}

    def set_units(self, units: list[dict], targets: dict) -> None:
        self.targets = targets
        self.set_rows(units)

    def _part(self, unit: dict, column: int) -> dict:
        return unit["i766"][i766.KEYS[column - 1]]

    def display(self, unit: dict, column: int) -> str:
        if column == UNIT:
            return unit["name"]
        return vn_percent(self._part(unit, column)["rate"])

    def sort_value(self, unit: dict, column: int):
        if column == UNIT:
            return fold(unit["name"])
        return self._part(unit, column)["rate"]

    def record_id(self, unit: dict) -> str:
        return unit["code"]

    def decoration(self, unit: dict, column: int, role):
        if column == UNIT:
            return unit["code"] if role == Qt.ItemDataRole.ToolTipRole else None
        key = i766.KEYS[column - 1]
        if i766.meets(self._part(unit, column), self.targets[key]) is not False:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return BEHIND_BG
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Chưa đạt chỉ tiêu 766 {target_text(self.targets[key])}"
        return None


def unit_table(model: UnitRates766Model) -> QTableView:
    view = table_model.sorted_view(model)
    view.setAlternatingRowColors(False)  # the red cells must read as red
    view.horizontalHeader().setStretchLastSection(False)
    view.horizontalHeader().setSectionResizeMode(UNIT, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(HEADERS)):
        view.setColumnWidth(column, 150)
    return view
