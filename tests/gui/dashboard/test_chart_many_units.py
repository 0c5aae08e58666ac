"""Tổng quan's chart of a scope with thousands of units (a crafted catalogue under one unit):
a paint draws the groups of bars in sight, and the names are measured once a width, not at
every paint — round 31's 40,000 units took two seconds a scroll step. Shapes, not seconds:
the test counts the names handled."""
from __future__ import annotations

from PySide6.QtCore import QRect

from gui.dashboard import chart
from tests.core.pdf.helpers import TARGETS, figures

UNITS = 3000


def test_a_paint_of_part_of_3000_units_handles_the_names_in_sight(qtbot, monkeypatch):
    named: list[str] = []
    short = chart.short_name
    monkeypatch.setattr(chart, "short_name", lambda name: named.append(name) or short(name))
    view = chart.RatesChart()
    qtbot.addWidget(view)
    view.set_data([{"code": f"X{i}", "name": f"UBND xã số {i}", **figures(direct=2, early=1)}
                   for i in range(UNITS)], dict(TARGETS))
    view.resize(view.minimumWidth(), 300)
    view.grab(QRect(0, 0, 600, 300))
    assert len(named) < UNITS + 20  # the names measured once for the labels' height
    named.clear()
    view.grab(QRect(90 * 1000, 0, 600, 300))  # a scroll step further on: only what it shows
    assert 0 < len(named) < 20
    assert any("1000" in name for name in named)
