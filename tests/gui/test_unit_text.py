"""A unit named with its code ("UBND xã Đồng Giáp (X01)") reads the same on every screen: the unit
pickers, Báo cáo's rows and its receiving desks, the dashboard chart's tip all take
core.labels.unit_text. Each once built the text itself, and a name stored longer than its limit by
an older version was cut with "…" in the picker and whole in the report's row beside it."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from core import dossiers
from core.labels import unit_text
from db.connection import transaction
from gui.dashboard.screen import DashboardScreen
from gui.reports import ReportsScreen

TODAY = dt.date(2025, 6, 11)
# 520 letters: over core.limits' 500 for a name, as a version before the limits could store it
OLD_LONG = "Trung tâm Phục vụ hành chính công " + "rất dài " * 60 + "cuối"


def _long_named_unit_with_a_crossing_dossier(db) -> None:
    dossiers.create_dossier(db, unit_code="X01", procedure_code="1.003003",
                            applicant_name="Hoàng Thị Lan", competent_unit_code="X02",
                            received_at=dt.datetime(2025, 6, 10, 9, 0))
    with transaction(db) as conn:
        conn.execute("UPDATE units SET name = ? WHERE code = 'X01'", (OLD_LONG,))


def test_the_reports_picker_rows_and_desks_name_a_unit_as_core_labels_does(qtbot, db, office):
    _long_named_unit_with_a_crossing_dossier(db)
    screen = ReportsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    expected = unit_text(OLD_LONG, "X01")
    assert expected.endswith("… (X01)") and len(expected) < len(OLD_LONG)  # the rule is not trivial

    box = screen.period.unit_box
    assert box.itemText(box.findData("X01")).strip() == expected  # the unit chooser
    model = screen.model
    rows = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert expected in rows, rows  # Biểu 06's row of that unit
    assert not screen.reception.isHidden()
    desks = screen.reception_model
    received = [desks.index(r, 0).data() for r in range(desks.rowCount())]
    resolved = [desks.index(r, 1).data() for r in range(desks.rowCount())]
    assert expected in received, received
    x02 = db.execute("SELECT name FROM units WHERE code = 'X02'").fetchone()[0]
    assert unit_text(x02, "X02") in resolved, resolved
    assert box.itemText(box.findData("X02")).strip() == unit_text(x02, "X02")


def test_the_dashboard_charts_tip_names_a_unit_as_core_labels_does(qtbot, db, office):
    _long_named_unit_with_a_crossing_dossier(db)
    screen = DashboardScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.resize(1366 - 150, 700)
    screen.show()
    screen.refresh()
    chart = screen.chart
    qtbot.waitUntil(lambda: bool(chart.units) and chart.isVisible(), timeout=30000)
    tips = {}
    for x in range(0, chart.width(), 4):
        unit = chart.unit_at(x)
        if unit is not None and unit["code"] not in tips:
            pos = QPoint(x, chart.height() // 2)
            QApplication.sendEvent(chart, QHelpEvent(QEvent.Type.ToolTip, pos,
                                                     chart.mapToGlobal(pos)))
            tips[unit["code"]] = QToolTip.text()
    names = dict(db.execute("SELECT code, name FROM units").fetchall())
    assert "X01" in tips, tips
    for code, tip in tips.items():
        assert tip == unit_text(names[code], code), (code, tip)
