"""An empty list says why in its own area (gui.empty_list): a new office's register and payments
showed a plain white table, read as broken; a search matching nothing says so, differently."""
from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QImage

from core import dossiers
from core.empty_lists import DOSSIERS_NONE_MATCH as NONE_MATCH
from core.empty_lists import DOSSIERS_YET as NONE_YET
from core.empty_lists import FOLLOW_UP_NONE as NO_FOLLOW_UP
from core.empty_lists import PAYMENTS_HERE as NO_PAYMENT_HERE
from core.empty_lists import PAYMENTS_YET as NO_PAYMENT_YET
from core.empty_lists import RECEIVE_HINT, RECORD_HINT, SEARCHING
from gui.dossiers.register_view import RegisterScreen
from gui.payments import PaymentsScreen


def painted_colours(view) -> int:
    """How many colours the list's empty area shows (one: a plain white table)."""
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return len({image.pixel(x, y) for x in range(0, image.width(), 2)
                for y in range(0, min(image.height(), 80))})


def shown(qtbot, screen):
    qtbot.addWidget(screen)
    screen.resize(1200, 500)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    return screen


def test_a_new_register_says_it_is_empty_and_a_search_that_nothing_matches(qtbot, db):
    screen = shown(qtbot, RegisterScreen(db))
    table = screen.table
    assert screen.model.rowCount() == 0
    assert table.shown_empty_text() == NONE_YET + RECEIVE_HINT
    assert painted_colours(table) > 1  # the sentence is painted, not only known
    qtbot.keyClicks(screen.search, "khong co ai")
    qtbot.waitUntil(lambda: screen.model.filter.search == "khong co ai", timeout=3000)
    assert table.shown_empty_text() == NONE_MATCH != NONE_YET + RECEIVE_HINT
    screen.search.clear()
    qtbot.waitUntil(lambda: table.shown_empty_text() == NONE_YET + RECEIVE_HINT, timeout=3000)


def test_a_register_with_rows_says_nothing(qtbot, db, office):
    screen = shown(qtbot, RegisterScreen(db))
    assert screen.model.rowCount() > 0 and screen.table.shown_empty_text() == ""
    qtbot.keyClicks(screen.search, "zzzz khong ai")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0, timeout=3000)
    assert screen.table.shown_empty_text() == NONE_MATCH
    screen.model.count_pending = True  # a walked search (a million rows) still stepping
    assert screen.table.shown_empty_text() == SEARCHING  # not "none" before it is known


def test_payments_say_none_yet_then_none_in_the_period(qtbot, db, office):
    screen = shown(qtbot, PaymentsScreen(db, today=dt.date(2025, 6, 11)))
    assert screen.payments.rowCount() == 0
    assert screen.payments_view.shown_empty_text() == NO_PAYMENT_YET + RECORD_HINT
    assert painted_colours(screen.payments_view) > 1
    assert screen.follow_view.shown_empty_text() in ("", NO_FOLLOW_UP)
    earlier, _ = dossiers.create_dossier(
        db, unit_code="X01", procedure_code="2.000635", applicant_name="Vũ Văn Cũ",
        channel="direct", received_at=dt.datetime(2025, 3, 3, 9, 0))
    dossiers.add_payment(db, earlier, amount=3000, method="cash",
                         paid_at=dt.datetime(2025, 3, 3, 9, 5))
    screen.refresh()
    assert screen.payments.rowCount() == 0
    assert screen.payments_view.shown_empty_text() == NO_PAYMENT_HERE
