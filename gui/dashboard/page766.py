"""Tổng quan's second set (spec 5.1): the six 766 cards, their chart against the targets and
the units' 766 table. Built when the clerk first switches to «Chỉ số 766», not with the
screen: the dashboard opens on Biểu 06, and the hidden page's cards, chart and table were a
fifth of a window's opening (built, filled and polished for a page nobody looked at)."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QTableView

from core.indicators import board766, i766
from gui.dashboard import chart766, unit_rates, unit_rates766
from gui.dashboard.cards import CardSet
from gui.dashboard.cards766 import Card766

TITLE = (f"{i766.SET_NAME} (Quyết định 766/QĐ-TTg: tạm dừng khi chờ bổ sung, hạn ban đầu, "
         f"quá 1 lần bổ sung là trễ hạn)")


class Page766:
    """The 766 widgets; the screen places them (cards, chart, unit table) and fills them with
    the figures it holds (`fill`)."""

    def __init__(self, open_figure, parent) -> None:
        self.cards: dict[str, Card766] = {}
        self.cards_box = CardSet(TITLE)
        row = QHBoxLayout(self.cards_box)
        for key in i766.KEYS:
            card = Card766(key)
            card.figure_clicked.connect(open_figure)
            row.addWidget(card)
            self.cards[key] = card
        self.chart = chart766.Scorecard766Chart()
        self.chart_box = chart766.chart_box(self.chart)
        self.rates = unit_rates766.UnitRates766Model(parent)
        self.table: QTableView = unit_rates.unit_table(self.rates)

    def fill(self, found: dict) -> None:
        """The figures of dashboard.screen.figures: cards, chart and units of the set."""
        result, targets = found["result"], found["targets_766"]
        for key, card in self.cards.items():
            gap, projection = found["sentences_766"][key]
            card.show_part(result["total"]["i766"][key], targets[key], gap, projection,
                           result["i766_parts"]["total"])
        self.chart.set_lines(board766.scorecard(result["total"], targets))
        self.rates.set_units(result["units"], targets)
        unit_rates.fit_height(self.table, len(result["units"]))
