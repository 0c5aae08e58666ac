"""A cancelled payment, vote or complaint reads the same everywhere (core.cancelling): "Đã huỷ"
in a narrow state column, when and why on hover, "Đã huỷ lúc …" in the Excel file."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from core import cancelling, dossiers, payments, votes
from core.workbook import lists
from gui.payments import PaymentsScreen
from gui.votes import VotesScreen
from tests.gui.cell_text import SCREEN_AT_1366, painted
from tests.gui.conftest import NOW

STATE = 6  # the state column of both lists
AT = NOW - dt.timedelta(minutes=5)


def shown(qtbot, screen, view, model):
    qtbot.addWidget(screen)
    screen.resize(SCREEN_AT_1366, 680)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=3000)
    index = model.index(0, STATE)
    return painted(view, index), index.data(Qt.ItemDataRole.ToolTipRole), model.all_ids()


def test_a_cancelled_payment_reads_as_a_cancelled_vote_and_as_its_excel_file(
        qtbot, db, office, window_font):
    # the payments list said "Đã huỷ: <lý do>" on hover, its own words beside the votes' list
    # ("Đã huỷ lúc …: <lý do>"); both lists' states and their Excel files are one rule now
    paid = dossiers.add_payment(db, office["Phạm Minh Đức"], amount=8000, method="cash",
                                paid_at=NOW - dt.timedelta(hours=1))
    payments.cancel_payment(db, paid, reason="Ghi trùng biên lai", at=AT)
    vote = votes.add_vote(db, unit_code="X01", rating="satisfied",
                          voted_at=NOW - dt.timedelta(hours=1))
    votes.cancel_vote(db, vote, reason="Ghi trùng biên lai", at=AT)

    pay_screen = PaymentsScreen(db, today=NOW.date())
    pay_cell, pay_tip, pay_ids = shown(qtbot, pay_screen, pay_screen.payments_view,
                                       pay_screen.payments)
    vote_screen = VotesScreen(db, today=NOW.date())
    vote_cell, vote_tip, vote_ids = shown(qtbot, vote_screen, vote_screen.view, vote_screen.model)

    # the Excel files: the moment of cancelling
    pay_row = next(lists.rows(db, lists.PAYMENTS, pay_ids, NOW))
    vote_row = next(lists.rows(db, lists.VOTES, vote_ids, NOW))
    assert pay_row[STATE] == vote_row[STATE] == cancelling.state(AT) \
        == "Đã huỷ lúc 09:25 11/06/2025"
    # the payments' wide last column: the file's words, whole at 1366 px; the votes' narrow
    # column beside the paper form: the rule's narrow form
    assert pay_cell == pay_row[STATE]
    assert vote_cell == cancelling.CANCELLED
    assert pay_row[STATE].startswith(vote_cell)
    # when and why on hover, in the same words in both lists
    note = cancelling.note(AT, "Ghi trùng biên lai")
    assert note == "Đã huỷ lúc 09:25 11/06/2025: Ghi trùng biên lai"
    assert pay_tip.splitlines()[-1] == vote_tip.splitlines()[-1] == note
