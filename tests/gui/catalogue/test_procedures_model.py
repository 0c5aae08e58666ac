"""The procedures list uses the small-list model shape (issue 12 §2): a model checked by
qtmodeltester, a filter without diacritics, sorting on raw values, a click fills the form."""
from __future__ import annotations

from PySide6.QtCore import Qt

from gui.catalogue.procedures import ProceduresTab
from gui.catalogue.procedures_model import FEE, ProceduresModel


def codes(tab) -> list[str]:
    proxy = tab.table.model()
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def test_the_model_passes_the_model_tester(qtmodeltester, db, office):
    model = ProceduresModel()
    model.set_rows([("B", "Bê", 2, "working_days", None, 10000, "full"),
                    ("A", "A", 0, "same_day", "15:00", 0, "none")])
    qtmodeltester.check(model)
    assert model.index(0, FEE).data() == "10.000 đ"


def test_filter_sort_and_select_with_real_clicks(qtbot, db, office):
    tab = ProceduresTab(db)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.show()
    every = codes(tab)
    assert every == sorted(every) and len(every) >= 2
    qtbot.keyClicks(tab.filter, "khai sinh")  # typed without diacritics
    assert codes(tab) and all(c in every for c in codes(tab)) and len(codes(tab)) < len(every)
    tab.filter.clear()
    fees = [db.execute("SELECT fee FROM procedures WHERE code = ?", [c]).fetchone()[0]
            for c in every]
    header = tab.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_point(header, FEE))
    shown = [db.execute("SELECT fee FROM procedures WHERE code = ?", [c]).fetchone()[0]
             for c in codes(tab)]
    assert shown in (sorted(fees), sorted(fees, reverse=True))  # by amount, not by text
    rect = tab.table.visualRect(tab.table.model().index(0, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.edits["code"].text() == codes(tab)[0]


def _point(header, column):
    from PySide6.QtCore import QPoint
    return QPoint(header.sectionViewportPosition(column) + 5, 5)
