"""The numbers under the report chart's bars (core.pdf.chart): above LABELS_MAX units every
step-th is written, and the last. The last stood next to the step-th before it whatever the
gap — 300 units: «297» and «300» one on the other — so two numbers ran into one."""
from __future__ import annotations

from reportlab.graphics.shapes import String
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from core.pdf.chart import _one_chart
from core.pdf.fonts import register_fonts
from tests.core.pdf.helpers import figures


def test_no_two_numbers_under_the_bars_overlap():
    register_fonts()
    for count in (41, 60, 97, 150, 300, 1000, 3001):
        units = [{"code": str(i), **figures(direct=1, on_time=1)} for i in range(count)]
        labels = sorted((s.x, s.text, s.fontSize, s.fontName)
                        for s in _one_chart(units, "on_time", 0.9, 0, 0, 90 * mm, 62 * mm)
                        if isinstance(s, String) and s.text.isdigit())
        assert labels[0][1] == "1" and labels[-1][1] == str(count)
        for (x1, t1, size, font), (x2, t2, _s, _f) in zip(labels, labels[1:], strict=False):
            room = (stringWidth(t1, font, size) + stringWidth(t2, font, size)) / 2
            assert x2 - x1 >= room, (count, t1, t2, x2 - x1, room)
