"""Thanh toán at the office's 1366 px (try25's trial): the citizen's name had a fixed 170 px,
cut on a long name, while the state column — empty but for a cancelled payment — took the
spare 290 px. Now every other column is as wide as its longest value and the name takes what
is left, in both lists, with no sideways scrolling."""
from __future__ import annotations

import datetime as dt

from core import dossiers
from gui.main_window import MainWindow
from gui.payments import LONG_REFERENCE

LONG_NAME = "Công Tằng Tôn Nữ Thị Phương Thảo"  # a long name (32 letters), whole at 1366 px


def test_the_names_take_the_spare_width_at_1366(qtbot, db, db_path, office, window_font):
    dossier, _ = dossiers.create_dossier(
        db, unit_code="X01", procedure_code="2.000635", applicant_name=LONG_NAME,
        channel="direct", received_at=dt.datetime(2025, 6, 10, 9, 0))
    dossiers.add_payment(db, dossier, amount=3000, method="transfer",
                         paid_at=dt.datetime(2025, 6, 10, 9, 5), reference=LONG_REFERENCE)
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.resize(1366, 728)  # maximized on the office PC (its first start)
    qtbot.waitUntil(lambda: window.width() == 1366, timeout=3000)
    screen = window.show_screen("payments")
    qtbot.waitUntil(lambda: screen.payments.rowCount() > 0 and screen.follow.rowCount() > 0,
                    timeout=5000)
    for view, name in ((screen.payments_view, 2), (screen.follow_view, 1)):
        screen.tabs.setCurrentWidget(view)
        qtbot.wait(20)
        widths = [view.columnWidth(c) for c in range(view.model().columnCount())]
        assert sum(widths) <= view.viewport().width() + 1, widths  # no sideways scrolling
        assert view.horizontalScrollBar().maximum() == 0
        assert widths[name] >= view.fontMetrics().horizontalAdvance(LONG_NAME) + 8, widths
        assert widths[name] == max(widths), widths  # the spare width went to the name
        # what the name cost no other column: each still shows its longest value whole
        texts = [view.model().index(0, c).data() or "" for c in range(len(widths))]
        for column, text in enumerate(texts):
            assert view.fontMetrics().horizontalAdvance(text) <= widths[column], (text, widths)
