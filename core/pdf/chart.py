"""The chart of the monthly report: the four rates per unit against their target lines.

One small bar chart per indicator (2 × 2), units numbered as in the Biểu 06 table so the
chart stays readable for 20+ units. Bars below target are drawn light so the difference
survives a black-and-white printer.
"""
from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from core.pdf.fonts import NAMES
from core.pdf.monthly_data import INDICATORS, SHORT_VI, rate_of, target_text

MET = colors.Color(0.16, 0.29, 0.55)
MISSED = colors.Color(0.96, 0.62, 0.55)
TARGET = colors.Color(0.80, 0.05, 0.05)


def _one_chart(units: list[dict], key: str, target: float, x: float, y: float, width: float,
               height: float) -> list:
    rates = [rate_of(u, key) for u in units]
    chart = VerticalBarChart()
    chart.x, chart.y = x + 10 * mm, y + 8 * mm
    chart.width, chart.height = width - 13 * mm, height - 18 * mm
    chart.data = [[None if r is None else r * 100 for r in rates]]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = NAMES["regular"]
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.valueAxis.visibleGrid = True
    chart.categoryAxis.categoryNames = [str(i + 1) for i in range(len(units))]
    chart.categoryAxis.labels.fontName = NAMES["regular"]
    chart.categoryAxis.labels.fontSize = 7 if len(units) <= 25 else 5
    chart.bars.strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 3 if len(units) <= 25 else 1
    for i, rate in enumerate(rates):
        chart.bars[(0, i)].fillColor = MET if rate is not None and rate >= target else MISSED
    level = chart.y + chart.height * target
    target_line = Line(chart.x, level, chart.x + chart.width, level, strokeColor=TARGET,
                       strokeWidth=1.2, strokeDashArray=[4, 2])
    title = String(x + width / 2, y + height - 6 * mm,
                   f"{SHORT_VI[key]} (mục tiêu {target_text(target)})",
                   fontName=NAMES["bold"], fontSize=9, textAnchor="middle")
    return [chart, target_line, title]


def rates_chart(units: list[dict], targets: dict, width: float) -> Drawing:
    """A drawing `width` wide with the four indicator charts of `units` (spec 8 unit dicts)."""
    cell_w, cell_h = width / 2, 62 * mm
    drawing = Drawing(width, cell_h * 2, initialFontName=NAMES["regular"])
    for index, key in enumerate(INDICATORS):
        col, row = index % 2, index // 2
        for shape in _one_chart(units, key, targets[key], col * cell_w, (1 - row) * cell_h,
                                cell_w, cell_h):
            drawing.add(shape)
    return drawing
