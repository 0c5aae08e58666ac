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


def test_the_legend_of_thousands_of_units_by_field_is_laid_out_in_linear_time():
    """break33: `report monthly --by field` of 5,000 units with figures (names of 200
    characters) did not finish in 600 s (2,000 units: 216 s, 30 s of it the rest of the
    report): the chart's legend named every unit in one paragraph, and reportlab breaks the
    whole rest of a paragraph again at each page it splits it at. The legend is laid out in
    paragraphs of a few names each, every name still there, in time linear in the names."""
    import time
    from types import SimpleNamespace

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from core.indicators.vocabulary import INDICATORS
    from core.pdf import monthly_sections
    register_fonts()
    name = ("UBND xã số {} " + "Phường Nguyễn Thái Bình " * 9)[:190]
    units = [{"code": str(i), "name": name.format(i), **figures(direct=1, on_time=1)}
             for i in range(1, 1501)]
    data = SimpleNamespace(by_field={"levels": []}, listing=SimpleNamespace(shown=units),
                           kpi={"targets": dict.fromkeys(INDICATORS, 0.9)})
    legend = [f for f in monthly_sections.chart(data, 170 * mm)[1:] if isinstance(f, Paragraph)]
    text = " ".join(p.getPlainText() for p in legend)
    assert all(f"{i}. {name.format(i)}" in text for i in (1, 750, 1500))
    assert max(len(p.getPlainText()) for p in legend) < 20_000
    started = time.process_time()
    SimpleDocTemplate("/dev/null", pagesize=A4).build(legend)
    assert time.process_time() - started < 5  # CPU (not wall, loaded CI): 8.5 s before at 1,500 names, 0.5 s after
