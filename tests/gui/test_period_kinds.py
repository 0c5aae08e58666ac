"""Tổng quan and Báo cáo open a kind on the period one rule gives (core.periods.shown): Tổng
quan the period running, Báo cáo the one just over in the first 5 working days of the running
one. The walkthrough: on 01/12/2026 "Kỳ báo cáo tháng (15–14)" came up on 15/10–14/11 on Báo
cáo, and on 16/12 on 15/11–14/12 on Tổng quan; one ↑ was needed each time."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from gui.dashboard.screen import DashboardScreen
from gui.reports import ReportsScreen

D = dt.date


def choose(qtbot, box, kind: str) -> None:
    """As a leader picks a kind with the keyboard: ↓ (or ↑) from the kind shown to it."""
    box.setFocus()
    key = Qt.Key.Key_Down if box.findData(kind) > box.currentIndex() else Qt.Key.Key_Up
    for _ in range(box.count()):
        if box.currentData() == kind:
            return
        qtbot.keyClick(box, key)
    assert box.currentData() == kind


def step_month(qtbot, field, key) -> None:
    field.edit.setFocus()
    qtbot.keyClick(field.edit, key)


STATE_MONTH = {  # today: (Tổng quan, Báo cáo)
    D(2026, 12, 1): ((D(2026, 11, 15), D(2026, 12, 14)), (D(2026, 11, 15), D(2026, 12, 14))),
    D(2026, 11, 25): ((D(2026, 11, 15), D(2026, 12, 14)), (D(2026, 11, 15), D(2026, 12, 14))),
    D(2026, 12, 14): ((D(2026, 11, 15), D(2026, 12, 14)), (D(2026, 11, 15), D(2026, 12, 14))),
    D(2026, 12, 15): ((D(2026, 12, 15), D(2027, 1, 14)), (D(2026, 11, 15), D(2026, 12, 14))),
    D(2026, 12, 16): ((D(2026, 12, 15), D(2027, 1, 14)), (D(2026, 11, 15), D(2026, 12, 14))),
    D(2027, 1, 1): ((D(2026, 12, 15), D(2027, 1, 14)), (D(2026, 12, 15), D(2027, 1, 14))),
}
STATE_YEAR = {
    D(2026, 12, 1): ((D(2025, 12, 15), D(2026, 12, 14)), (D(2025, 12, 15), D(2026, 12, 14))),
    D(2026, 11, 25): ((D(2025, 12, 15), D(2026, 12, 14)), (D(2025, 12, 15), D(2026, 12, 14))),
    D(2026, 12, 14): ((D(2025, 12, 15), D(2026, 12, 14)), (D(2025, 12, 15), D(2026, 12, 14))),
    D(2026, 12, 15): ((D(2026, 12, 15), D(2027, 12, 14)), (D(2025, 12, 15), D(2026, 12, 14))),
    D(2026, 12, 16): ((D(2026, 12, 15), D(2027, 12, 14)), (D(2025, 12, 15), D(2026, 12, 14))),
    D(2027, 1, 1): ((D(2026, 12, 15), D(2027, 12, 14)), (D(2026, 12, 15), D(2027, 12, 14))),
}


def month_text(day: dt.date) -> str:
    return f"{day:%m/%Y}"


@pytest.mark.parametrize("today", list(STATE_MONTH))
def test_tong_quan_shows_the_state_period_running(qtbot, db, today):
    screen = DashboardScreen(db, today=today)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    choose(qtbot, screen.preset_box, "cutoff_month")
    first, last = STATE_MONTH[today][0]
    assert (screen.period().start, screen.period().end) == (first, last)
    assert screen.month_edit.text() == month_text(last)  # "kỳ báo cáo tháng" of its 14th
    assert screen.period_label.text().startswith(f"({first:%d/%m/%Y} – {last:%d/%m/%Y})")
    choose(qtbot, screen.preset_box, "cutoff_year")
    assert (screen.period().start, screen.period().end) == STATE_YEAR[today][0]
    # ↑ still moves to the one after, ↓ back; a kind chosen then keeps the month moved to
    step_month(qtbot, screen.month_edit, Qt.Key.Key_Up)
    assert screen.period().start == STATE_YEAR[today][0][1] + dt.timedelta(days=1)
    choose(qtbot, screen.preset_box, "cutoff_month")  # its first month: 15/12 → 14/01
    assert screen.period().start == STATE_YEAR[today][0][1] + dt.timedelta(days=1)
    assert screen.period().end.month == 1


@pytest.mark.parametrize("today", list(STATE_MONTH))
def test_bao_cao_shows_the_state_period_to_report(qtbot, db, today):
    screen = ReportsScreen(db, today=today)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    choose(qtbot, screen.preset, "cutoff_month")
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    first, last = STATE_MONTH[today][1]
    assert screen.period.period() == (first, last)
    assert screen.month_edit.text() == month_text(last)
    assert f"từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}" in screen.title.text()
    choose(qtbot, screen.preset, "cutoff_year")
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.period.period() == STATE_YEAR[today][1]
    # back to "Tháng" through "Tự chọn" (the days stay): the calendar month to report, the
    # month before in the first working days
    screen.preset.setFocus()
    qtbot.keyClick(screen.preset, Qt.Key.Key_Home)
    assert screen.preset.currentData() is None and screen.period.period() == STATE_YEAR[today][1]
    qtbot.keyClick(screen.preset, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    month = {D(2026, 12, 1): 11, D(2027, 1, 1): 12}.get(today, today.month)
    year = 2026 if month in (11, 12) else today.year
    assert screen.preset.currentData() == "month"
    assert screen.period.period()[0] == D(year, month, 1)
