"""Codes are read whole, on one line, in every list (issue 14 §5): each list's code column is
compared with the font's width of the longest code it shows (13-character unit identifiers)."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers
from db.connection import transaction

UNIT = ("000.31.27.H37", "UBND thị trấn Văn Quan huyện Văn Quan tỉnh Lạng Sơn")


@pytest.fixture
def long_code(db, office):
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                     [*UNIT, "commune", "H01"])
    dossier_id, code = dossiers.create_dossier(
        db, unit_code=UNIT[0], procedure_code="2.000635", applicant_name="Hoàng Văn Thụ",
        channel="direct", received_at=dt.datetime(2025, 6, 10, 8, 0))
    from core import payments
    payments.add_payment(db, dossier_id, amount=8000, method="cash",
                         paid_at=dt.datetime(2025, 6, 10, 8, 30))
    dossiers.finish(db, dossier_id, at=dt.datetime(2025, 6, 10, 9, 0))
    dossiers.add_vote(db, unit_code=UNIT[0], rating="satisfied", dossier_id=dossier_id,
                      voted_at=dt.datetime(2025, 6, 10, 9, 30))
    return code


def whole(view, column: int, text: str) -> bool:
    """The cell shows `text` without "…": its width covers the text and the cell's margins
    (a few pixels each side, more in Windows' styles)."""
    return view.columnWidth(column) >= view.fontMetrics().horizontalAdvance(text) + 16


def test_the_unit_tree_shows_unit_codes_whole(qtbot, db, long_code):
    from gui.catalogue.screen import CatalogueScreen
    screen = CatalogueScreen(db)
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    tree = screen.units.tree
    font = tree.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)  # a clerk's PC with larger text
    tree.setFont(font)
    screen.refresh()
    codes = [tree.topLevelItem(0).text(1)] + [
        tree.topLevelItem(0).child(i).text(1) for i in range(tree.topLevelItem(0).childCount())]
    assert UNIT[0] in codes
    assert all(whole(tree, 1, code) for code in codes)
    assert tree.wordWrap() is False


def test_the_payment_and_vote_lists_show_dossier_codes_whole(qtbot, db, long_code):
    from gui.payments import PaymentsScreen
    from gui.votes import VotesScreen
    payments = PaymentsScreen(db)
    qtbot.addWidget(payments)
    payments.refresh()
    assert payments.payments.index(0, 1).data() == long_code
    assert whole(payments.payments_view, 1, long_code)
    assert whole(payments.follow_view, 0, long_code)
    votes = VotesScreen(db)
    qtbot.addWidget(votes)
    votes.refresh()
    assert long_code in [votes.model.index(r, 3).data() for r in range(votes.model.rowCount())]
    assert whole(votes.view, 3, long_code)


def test_the_lists_behind_a_figure_show_codes_whole(qtbot, db, long_code):
    from PySide6.QtWidgets import QTableView

    from core.periods import Period
    from gui.dashboard import behind
    from gui.dossiers.register_view import RegisterScreen
    june = Period(dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    for figure in ("received.total", "satisfaction.votes"):
        dialog = behind.show_dossiers_behind(None, db, figure, june, None)
        qtbot.addWidget(dialog)
        view = dialog.findChild(QTableView)
        column = 0 if dialog.findChild(RegisterScreen) else 3
        texts = [view.model().index(r, column).data() for r in range(view.model().rowCount())]
        assert long_code in texts, figure
        assert whole(view, column, long_code), figure
