"""Đánh giá at 1366 px: the votes listed beside the paper form without sideways scrolling."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from core import votes
from core.dossiers import find_by_code
from gui.dossiers.register_view import code_width
from gui.votes import VotesScreen
from tests.gui.cell_text import SCREEN_AT_1366, SCREEN_AT_1920, painted
from tests.gui.conftest import NOW

TIME, UNIT, RATING, CODE, COMMENT, SOURCE, STATE = range(7)  # the list's columns
COMMENT_TEXT = "Cán bộ hướng dẫn tận tình, nhưng phải chờ lâu ở quầy tiếp nhận buổi sáng"


def votes_listed(db, office):
    code = db.execute("SELECT code FROM dossiers WHERE applicant_name = 'Lê Thị Hà'").fetchone()[0]
    votes.add_vote(db, unit_code="X02", rating="dissatisfied", voted_at=NOW,
                   dossier_id=find_by_code(db, code), comment=COMMENT_TEXT, source="kiosk")
    votes.add_vote(db, unit_code="X01", rating="very_satisfied", source="online",
                   voted_at=NOW - dt.timedelta(hours=1))
    wrong = votes.add_vote(db, unit_code="X01", rating="satisfied",
                           voted_at=NOW - dt.timedelta(hours=2))
    votes.cancel_vote(db, wrong, reason="Nhập nhầm đơn vị", at=NOW)
    return code


def test_the_votes_list_fits_beside_the_form_at_1366(qtbot, db, office, window_font):
    # at 1366 px the columns' fixed widths (135+155+105+205+130+95, the state's 100) were wider
    # than the list: the state and the source needed the horizontal scroll bar
    code = votes_listed(db, office)
    screen = VotesScreen(db, today=NOW.date())
    qtbot.addWidget(screen)
    screen.resize(SCREEN_AT_1366, 680)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    view, model = screen.view, screen.model
    assert model.rowCount() == 3
    qtbot.waitUntil(lambda: view.horizontalScrollBar().maximum() == 0, timeout=3000)
    assert sum(view.columnWidth(c) for c in range(model.columnCount())) \
        <= view.viewport().width() + 1
    assert view.columnWidth(CODE) >= code_width(view)
    metrics = view.fontMetrics()
    for row in range(model.rowCount()):  # the time, rating, code, source and state whole
        for column in (TIME, RATING, CODE, SOURCE, STATE):
            text = model.index(row, column).data()
            assert painted(view, model.index(row, column)) == text, (row, column)
            assert view.columnWidth(column) >= metrics.horizontalAdvance(text) + 8
    first = model.index(0, CODE)
    assert first.data() == code
    unit = painted(view, model.index(0, UNIT))
    assert unit.endswith("Tràng Các"), unit
    comment = model.index(0, COMMENT)
    assert painted(view, comment).endswith("…")  # cut, whole on hover
    assert COMMENT_TEXT in comment.data(Qt.ItemDataRole.ToolTipRole)
    cancelled = model.index(2, STATE)
    assert cancelled.data() == "Đã huỷ"
    assert cancelled.data(Qt.ItemDataRole.ToolTipRole).endswith(
        "Đã huỷ lúc 09:30 11/06/2025: Nhập nhầm đơn vị")
    # a wide screen: the unit whole, the comment takes the rest
    screen.resize(SCREEN_AT_1920, 900)
    qtbot.waitUntil(lambda: view.columnWidth(COMMENT) > 400, timeout=3000)
    assert painted(view, model.index(0, UNIT)) == "UBND xã Tràng Các"
    assert view.horizontalScrollBar().maximum() == 0


def test_the_paper_forms_unit_shows_its_whole_start_and_its_code_at_1366(qtbot, db, office):
    """The form's unit box is 330 px wide: a unit under another showed its tree indentation
    and then the name cut off mid-letter without "…" ("   Chi nhánh Trung tâm Phục vụ hà"),
    so the clerk could not tell which unit the paper vote would count for."""
    from core import catalogue

    catalogue.save_unit(db, "000.01.90.H37", "Chi nhánh Trung tâm Phục vụ hành chính công tỉnh "
                        "tại Văn Quan", "branch", "H01", valid_from=dt.date(2025, 1, 1))
    screen = VotesScreen(db, today=NOW.date())
    qtbot.addWidget(screen)
    screen.resize(SCREEN_AT_1366, 680)
    screen.show()
    qtbot.waitExposed(screen)
    box = screen.unit_box
    box.setFocus()
    for _ in range(box.count()):  # the clerk walks the list with the arrow keys
        if box.currentData() == "000.01.90.H37":
            break
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentData() == "000.01.90.H37"
    old_drawing = lambda: box.fontMetrics().elidedText(  # noqa: E731 - Qt's own: cut at the end
        box.currentText(), Qt.TextElideMode.ElideRight, box.width() - 30)
    shown = getattr(box, "shown_text", old_drawing)()
    assert shown.startswith("Chi nhánh") and shown.endswith("(000.01.90.H37)"), shown
