"""The chart of the monthly report: the four rates per unit against their target lines.

One small bar chart per indicator (2 × 2), units numbered as in the Biểu 06 table so the
chart stays readable for 20+ units. Bars below target are drawn light so the difference
survives a black-and-white printer.
"""
from __future__ import annotations

import math

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from core.indicators.vocabulary import INDICATORS, rate_of, target_text
from core.pdf.fonts import NAMES

MET = colors.Color(0.16, 0.29, 0.55)
MISSED = colors.Color(0.96, 0.62, 0.55)
TARGET = colors.Color(0.80, 0.05, 0.05)


GRID = colors.Color(0.85, 0.85, 0.85)
LABELS_MAX = 40  # units whose numbers are all written under their bars


def _one_chart(units: list[dict], key: str, target: float, x: float, y: float, width: float,
               height: float) -> list:
    """Bars drawn as plain rectangles: reportlab's chart widgets cost half a second each."""
    regular = NAMES["regular"]
    left, bottom = x + 10 * mm, y + 8 * mm
    plot_w, plot_h = width - 13 * mm, height - 18 * mm
    shapes: list = [String(x + width / 2, y + height - 6 * mm,
                           f"{INDICATORS[key].short} (mục tiêu {target_text(target)})",
                           fontName=NAMES["bold"], fontSize=9, textAnchor="middle")]
    for percent in range(0, 101, 20):
        level = bottom + plot_h * percent / 100
        shapes.append(Line(left, level, left + plot_w, level, strokeColor=GRID, strokeWidth=0.4))
        shapes.append(String(left - 2, level - 2.5, f"{percent}%", fontName=regular,
                             fontSize=7, textAnchor="end"))
    shapes.append(Line(left, bottom, left, bottom + plot_h, strokeWidth=0.6))
    shapes.append(Line(left, bottom, left + plot_w, bottom, strokeWidth=0.6))
    slot = plot_w / max(len(units), 1)
    label_size = 7 if len(units) <= 25 else 5
    # more than LABELS_MAX units: numbers side by side would overlap, so every step-th is
    # written (and the last, the step-th before it left out when nearer), as far apart as one
    # number is wide
    step = 1 if len(units) <= LABELS_MAX else math.ceil(
        (len(str(len(units))) * label_size * 0.6 + 3) / slot)
    for index, unit in enumerate(units):
        centre = left + slot * (index + 0.5)
        rate = rate_of(unit, key)
        if rate is not None:
            colour = MISSED if unit["meets"][key] is False else MET  # exact rate (spec 5)
            shapes.append(Rect(centre - slot * 0.35, bottom, slot * 0.7, plot_h * rate,
                               fillColor=colour, strokeColor=None))
        last = len(units) - 1  # always written; a step-th number nearer to it is not
        if index == last or (index % step == 0 and last - index >= step):
            shapes.append(String(centre, bottom - label_size - 1, str(index + 1),
                                 fontName=regular, fontSize=label_size, textAnchor="middle"))
    level = bottom + plot_h * target
    shapes.append(Line(left, level, left + plot_w, level, strokeColor=TARGET, strokeWidth=1.2,
                       strokeDashArray=[4, 2]))
    return shapes


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
