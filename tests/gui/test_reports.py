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


def test_biểu_06_by_field_grouped_by_level_adds_up_to_the_unit_total(qtbot, db, office,
                                                                      monkeypatch):
    from PySide6.QtCore import Qt

    from gui import printing

    screen = ReportsScreen(db, today=dt.date(2025, 6, 11))
    qtbot.addWidget(screen)
    screen.refresh()
    by_unit = [screen.table.item(screen.table.rowCount() - 1, c).text() for c in range(1, 13)]
    qtbot.keyClick(screen.by, Qt.Key.Key_Down)  # "Theo đơn vị" → "Theo lĩnh vực"
    assert screen.by.currentData() == "field"
    table = screen.table
    # computed in a worker: wait until the table shows it
    qtbot.waitUntil(lambda: table.horizontalHeaderItem(0).text().startswith("Lĩnh vực"),
                    timeout=20000)
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert table.horizontalHeaderItem(0).text().startswith("Lĩnh vực, công việc")
    assert names[0].startswith("CẤP ") and names[-1] == "TỔNG CỘNG"
    assert any(n.startswith("    ") for n in names)  # fields under their level
    assert table.item(0, 0).font().bold() and not table.item(1, 0).font().bold()
    assert [table.item(table.rowCount() - 1, c).text() for c in range(1, 13)] == by_unit
    shown = []
    monkeypatch.setattr(printing, "monthly_report", lambda *args: shown.append(args))
    qtbot.mouseClick(screen.buttons["monthly"], Qt.MouseButton.LeftButton)
    assert shown and shown[0][-1] == "field"
