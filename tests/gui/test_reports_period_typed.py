"""A period of one's own typed on Báo cáo, start first (walk35): the start typed past the old
end is a step on the way, said under the days, not a modal «Không thể tính số liệu báo cáo»
that took the keys meant for «đến»."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from gui.reports import ReportsScreen


def _type(qtbot, field, text: str) -> None:
    field.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.edit, text)
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)


def test_a_start_typed_after_the_old_end_waits_for_the_end_without_a_message_box(
        qtbot, db, office, message_boxes):
    screen = ReportsScreen(db, today=dt.date(2025, 6, 11))  # June 2025 shown
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    _type(qtbot, screen.period.from_edit, "04/07/2025")  # after 30/06: «đến» comes next
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert message_boxes == []
    assert screen.period.problem.isVisible()
    assert "04/07/2025" in screen.period.problem.text()
    _type(qtbot, screen.period.to_edit, "04/07/2025")
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert message_boxes == []
    assert not screen.period.problem.isVisible()
    assert "04/07/2025" in screen.title.text()  # the day asked for, computed


def test_no_figures_of_another_period_stay_while_the_days_name_none(qtbot, db, office,
                                                                    message_boxes):
    """review36: the start typed past the end left June's title and figures on screen beside
    the message under the days; they are cleared until the days make a period again."""
    screen = ReportsScreen(db, today=dt.date(2025, 6, 11))  # June 2025 shown
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    june = screen.title.text()
    assert screen.model.rowCount() > 0 and "Tháng 6 năm 2025" in june
    _type(qtbot, screen.period.from_edit, "04/07/2025")
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.period.problem.isVisible()
    assert "Tháng 6" not in screen.title.text() and "chưa có số liệu" in screen.title.text()
    assert screen.model.rowCount() == 0 and screen.result is None
    assert not screen.notes.isVisible() and not screen.reception.isVisible()
    _type(qtbot, screen.period.to_edit, "31/07/2025")
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert "04/07/2025" in screen.title.text() and screen.model.rowCount() > 0
