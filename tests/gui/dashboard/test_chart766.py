"""The 766 page's chart (spec 5.1): after a click on «Chỉ số 766» the six figures of the scope
are drawn against their targets, with the very lines the monthly report's 766 section prints
(core.indicators.board766, one place)."""
from __future__ import annotations

import datetime as dt

from core.indicators import board766
from core.pdf.monthly import render_monthly
from core.pdf.monthly_data import gather
from core.periods import parse_month
from db import settings
from gui.dashboard.screen import DashboardScreen
from tests.gui.clicks import button_named, click
from tests.pdfread import pdf_text

TODAY = dt.date(2025, 6, 11)


def _screen(qtbot, db) -> DashboardScreen:
    screen = DashboardScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.resize(1366, 728)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    return screen


def test_the_766_page_shows_its_chart_and_biểu_06_keeps_its_own(qtbot, db, office):
    screen = _screen(qtbot, db)
    assert screen.chart.isVisible() and screen.page_766 is None  # no 766 chart, not even made
    click(qtbot, button_named(screen, "Chỉ số 766"))
    assert screen.page_766.chart.isVisible() and not screen.chart.isVisible()
    assert "Chỉ số 766" in screen.page_766.chart_box.title()
    # June runs: 3 of the 6 dossiers in hand are on time under 766 (test_dashboard766)
    drawn = dict(screen.page_766.chart.drawn())
    assert drawn["2.1 Tỷ lệ hồ sơ giải quyết đúng hạn"] == \
        "50,00% (3/6) — chỉ tiêu ≥ 90% — Chưa đạt"
    assert list(drawn) == ["2.1 Tỷ lệ hồ sơ giải quyết đúng hạn", "3.3 Tỷ lệ hồ sơ trực tuyến",
                           "3.6 Tỷ lệ thanh toán trực tuyến", "4.1 Tỷ lệ trả kết quả điện tử",
                           "4.2 Tỷ lệ số hoá hồ sơ", "5.4 Mức độ hài lòng"]
    assert screen.page_766.chart.summary.startswith("Đạt ")
    # at 1366 px the names, a bar long enough to read and the values sit side by side
    names, bar, values = screen.page_766.chart.columns()
    assert bar >= 300 and 8 + names + bar + values <= screen.page_766.chart.width()
    click(qtbot, button_named(screen, "Biểu 06"))
    assert screen.chart.isVisible() and not screen.page_766.chart.isVisible()


def test_the_chart_draws_the_figures_the_monthly_report_prints(qtbot, db, office):
    screen = _screen(qtbot, db)
    click(qtbot, button_named(screen, "Chỉ số 766"))
    chart = screen.page_766.chart
    assert chart.isVisible()
    lines = board766.scorecard(screen.result["total"], settings.targets_766_for_year(db, 2025))
    assert chart.lines == lines
    text = " ".join(pdf_text(render_monthly(gather(db, parse_month("2025-06")))).split())
    for (name, value), line in zip(chart.drawn(), lines, strict=True):
        # the report's row: name, result, target, verdict; the chart says the same
        assert f"{line.label} {line.result} {line.target_text} {line.verdict}" in text
        assert name.split()[0] == line.figure.code
        assert value.startswith(line.result if line.rate is not None else "—")
        assert line.verdict in value or line.rate is None
    assert f"Tổng hợp: {chart.summary}." in text


def test_the_tally_counts_only_figures_with_numbers():
    def line(key, num, den, met):
        return board766.Line766(key, num, den, None if den == 0 else num / den, 0.9, met)
    lines = [line("on_time", 9, 10, True), line("online", 1, 10, False),
             line("online_payment", 0, 0, None)]
    assert board766.tally(lines) == "Đạt 1/2 chỉ số 766 có số liệu (1 chỉ số chưa có số liệu)"
    assert board766.tally(lines[:2]) == "Đạt 1/2 chỉ số 766"
    assert board766.tally(lines[2:]) == "Chưa có số liệu để tính các chỉ số 766"
