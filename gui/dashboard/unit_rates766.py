"""The dashboard's units under the 766 set (spec 5.1): one row per unit, its six rates, a red
cell where a rate misses its 766 target. Biểu 06's table (gui.dashboard.unit_rates) with the
766 columns, rates and targets."""
from __future__ import annotations

from core.indicators import i766
from gui.dashboard.unit_rates import UnitRatesModel

HEADERS = ("Đơn vị", *(f"{i766.FIGURES[k].code} {i766.COLUMN_TITLES[k]} (766)" for k in i766.KEYS))


class UnitRates766Model(UnitRatesModel):
    HEADERS = HEADERS
    NUMERIC = frozenset(range(1, len(HEADERS)))
    KEYS = i766.KEYS
    BEHIND_TEXT = "Chưa đạt chỉ tiêu 766"
    WIDTH = 150

    def rate(self, unit: dict, key: str) -> float | None:
        return unit["i766"][key]["rate"]

    def meets(self, unit: dict, key: str) -> bool | None:
        return i766.meets(unit["i766"][key], self.targets[key])
