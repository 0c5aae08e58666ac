"""Báo cáo: the Biểu 06 columns per unit and the total for a chosen period."""
from __future__ import annotations

import datetime as dt

from gui.reports import ReportsScreen


def test_figures_per_unit_and_total(qtbot, db, office):
    screen = ReportsScreen(db, today=dt.date(2025, 6, 11))
    qtbot.addWidget(screen)
    screen.refresh()
    table = screen.table
    assert table.rowCount() == 4  # three units and the total
    total = [table.item(3, c).text() for c in range(table.columnCount())]
    assert total[:5] == ["TỔNG CỘNG", "6", "2", "4", "0"]  # received: total, online, direct, carried
    assert total[13] == "100,00%"  # on-time rate
    screen.preset.setCurrentIndex(screen.preset.findData("cutoff_month"))
    assert screen.period.period() == (dt.date(2025, 5, 15), dt.date(2025, 6, 14))
    assert "15/05/2025" in screen.title.text()
