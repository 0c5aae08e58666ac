"""Thanh toán and Đánh giá with a period that ends before it starts: the screen says so beside
the days, in Vietnamese (core.periods.require_order, the rule of every screen) and lists
nothing, instead of an empty list with no word of why; set right again, the list comes back."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from core import dossiers, votes
from gui.payments import PaymentsScreen
from gui.votes import VotesScreen

TODAY = dt.date(2025, 6, 11)


def step(qtbot, edit, key, times: int = 1) -> None:
    """Move a date box's day with the arrow keys, as the clerk does."""
    edit.setFocus()
    for _ in range(times):
        qtbot.keyClick(edit.edit, key)


def retype(qtbot, edit, text):
    """Select the day shown and type another over it, as the clerk does."""
    edit.setFocus()
    qtbot.keyClick(edit.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit.edit, text)


@pytest.mark.parametrize("kind", ["payments", "votes"])
def test_a_reversed_period_is_said_beside_the_days_and_not_listed(qtbot, db, office, kind,
                                                                  message_boxes):
    dossiers.add_payment(db, office["Trần Văn Bình"], amount=8000, method="cash",
                         paid_at=dt.datetime(2025, 6, 5, 14, 10), reference="BL-01")
    votes.record_paper_vote(db, unit_code="X01", rating="satisfied",
                            voted_at=dt.datetime(2025, 6, 5, 10, 0), comment="Nhanh")
    screen = (PaymentsScreen if kind == "payments" else VotesScreen)(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    model = screen.payments if kind == "payments" else screen.model
    bar = screen.period
    step(qtbot, bar.from_edit, Qt.Key.Key_Up, 3)  # 04/06
    assert model.rowCount() == 1 and not bar.problem.isVisible()
    queries: list[str] = []
    db.conn.set_trace_callback(queries.append)
    retype(qtbot, bar.to_edit, "30/05/2025")
    db.conn.set_trace_callback(None)
    assert bar.period() == (dt.date(2025, 6, 4), dt.date(2025, 5, 30))
    said = "Ngày bắt đầu 04/06/2025 sau ngày kết thúc 30/05/2025."
    assert bar.problem.isVisible() and bar.problem.text() == said
    assert screen.summary.text() == f"Không có danh sách: {said}"
    assert model.rowCount() == 0
    assert not [q for q in queries if "payments" in q or "votes" in q]  # no query was run
    assert message_boxes == []  # said on the screen, no box to close
    retype(qtbot, bar.to_edit, "30/06/2025")
    assert not bar.problem.isVisible() and model.rowCount() == 1
    assert "Không có danh sách" not in screen.summary.text()
