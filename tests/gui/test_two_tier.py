"""Two-tier units in the window (issue 13 §3): the unit editor's validity and successor, the
tree's dissolved units, the intake's competent unit, the register and Báo cáo."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from gui import bus
from gui.catalogue.screen import CatalogueScreen
from gui.dossiers.intake import IntakeDialog
from gui.dossiers.register_model import RegisterModel
from gui.reports import ReportsScreen

TODAY = dt.date(2025, 6, 11)


def click_item(qtbot, tree, item) -> None:
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def find(tree, code: str):
    return tree.findItems(code, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive, 1)[0]


def test_a_merged_commune_is_edited_and_shown_dissolved(qtbot, db, office):
    screen = CatalogueScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    tab = screen.units
    click_item(qtbot, tab.tree, find(tab.tree, "X02"))
    assert tab.code.text() == "X02"
    tab.valid_to.set_value(dt.date(2025, 6, 10))
    tab.successor_box.setCurrentIndex(tab.successor_box.findData("X02"))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "chính nó" in tab.form.errors["successor_code"].text()
    tab.successor_box.setCurrentIndex(tab.successor_box.findData("X01"))
    with qtbot.waitSignal(bus.bus().changed, timeout=5000):
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert db.execute("SELECT valid_to, successor_code FROM units WHERE code = 'X02'"
                      ).fetchone() == ("2025-06-10", "X01")
    item = find(tab.tree, "X02")
    assert item.text(0) == "UBND xã Tràng Các (đến 10/06/2025 → UBND xã Đồng Giáp)"
    assert item.font(0).italic()
    assert not find(tab.tree, "X01").font(0).italic()
    # a validity that ends before it starts is refused under its field
    tab.valid_from.set_value(dt.date(2025, 7, 1))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "trước ngày bắt đầu" in tab.form.errors["valid_to"].text()
    # the new levels are offered
    assert tab.level.findData("reception_point") > 0 and tab.level.findData("branch") > 0
    # Báo cáo of Đồng Giáp (its successor) carries Tràng Các's history
    screen = ReportsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    box = screen.period.unit_box
    box.setCurrentIndex(box.findData("X01"))  # the unit choice refreshes the table
    rows = shown_rows(qtbot, screen, screen.table)
    # Tràng Các ended within the month shown: named with its history (core.indicators.
    # history_names, round 19), as a commune that ended before it
    assert [r[0] for r in rows] == ["UBND xã Đồng Giáp (X01)",
                                    "UBND xã Tràng Các (đến 10/06/2025 → UBND xã Đồng Giáp) (X02)",
                                    "TỔNG CỘNG"]
    assert rows[2][1] == "6"  # X01's dossiers and X02's


def test_an_end_before_the_units_dossiers_is_refused_under_its_field(qtbot, db, office):
    """units29: the screen let Tràng Các end before dossiers it had received (its export then
    did not import again, spec 7); refused now, naming the unit, how many and the latest."""
    screen = CatalogueScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    tab = screen.units
    click_item(qtbot, tab.tree, find(tab.tree, "X02"))  # received 02/06, 04/06 and 05/06
    tab.valid_to.set_value(dt.date(2025, 6, 3))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.form.errors["valid_to"].text() == (
        "Không thể đặt ngày hoạt động đến hết 03/06/2025 cho UBND xã Tràng Các: còn 2 hồ sơ "
        "của đơn vị (nơi tiếp nhận hoặc giải quyết) được tiếp nhận sau ngày đó (muộn nhất "
        "05/06/2025). Hãy chọn ngày từ 05/06/2025 trở đi, hoặc để trống.")
    assert db.execute("SELECT valid_to FROM units WHERE code = 'X02'").fetchone() == (None,)
    tab.valid_to.set_value(dt.date(2025, 6, 5))
    with qtbot.waitSignal(bus.bus().changed, timeout=5000):
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert db.execute("SELECT valid_to FROM units WHERE code = 'X02'").fetchone() == \
        ("2025-06-05",)


def test_intake_names_another_competent_unit(qtbot, db, office):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.competent_box.currentData() is None  # default: the receiving unit
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("X01"))
    dialog.competent_box.setCurrentIndex(dialog.competent_box.findData("X02"))
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")
    qtbot.keyClicks(dialog.name_edit, "Lo Van Mai")  # QTest types ASCII only
    with qtbot.waitSignal(bus.bus().changed, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    dossier_id, code = dialog.created
    assert code == "X02-250611-0001"  # spec 4: the competent unit's identifier
    assert db.execute("SELECT unit_code, competent_unit_code FROM dossiers WHERE id = ?",
                      [dossier_id]).fetchone() == ("X01", "X02")
    from gui.dossiers.detail import DossierDialog
    detail = DossierDialog(db, dossier_id)
    qtbot.addWidget(detail)
    texts = [label.text() for label in detail.findChildren(QLabel)]
    # the register's words (core.labels.UnitLabel), with the codes
    assert "UBND xã Đồng Giáp (X01) (giải quyết: UBND xã Tràng Các (X02))" in texts
    # the register (the receiving desk's list) names the unit that resolves it
    model = RegisterModel(db)
    model.prepare()
    cells = model.load_rows([dossier_id])[dossier_id].cells
    assert "UBND xã Đồng Giáp (giải quyết: UBND xã Tràng Các)" in cells
    assert model.load_rows([dossier_id])[dossier_id].tooltip.endswith("(giải quyết: UBND xã Tràng Các)")
    # Báo cáo: counted at Tràng Các, and the desk's own workload appears
    screen = ReportsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    rows = shown_rows(qtbot, screen, screen.reception_table)
    assert screen.reception.isVisible()
    assert ["UBND xã Đồng Giáp (X01)", "UBND xã Tràng Các (X02)", "1"] in rows


def test_intake_offers_only_units_in_existence(qtbot, db, office):
    from core import catalogue
    catalogue.save_unit(db, "X02", "UBND xã Tràng Các", "commune", "H01",
                        valid_to=dt.date(2025, 6, 10), successor_code="X01")
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.competent_box.findData("X02") < 0 and dialog.unit_box.findData("X02") < 0
    assert dialog.competent_box.findData("X01") > 0


def test_reports_hide_the_reception_table_when_every_desk_resolves_its_own(qtbot, db, office):
    screen = ReportsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert not screen.reception.isVisible()


def shown_rows(qtbot, screen, view) -> list[list[str]]:
    """The texts a table of the Báo cáo screen shows once its worker has answered."""
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_a_merged_communes_history_is_read_whole_at_1366_px(qtbot, db, office):
    """Round 17: a commune listed after its end because a dossier of it is still open is named
    with its history (core.indicators.history_names); at 1366 px the names column elided it in
    the middle, "UBND xã Tràng Các (đến 10…ã Đồng Giáp) (X02)": the day and the successor
    lost. It wraps now, its row as tall as its lines, and the screen still fits."""
    from PySide6.QtCore import QRect

    from core import catalogue
    from db.connection import transaction
    with transaction(db) as conn:  # names in full, as some provinces write them
        conn.execute("UPDATE units SET name = 'Ủy ban nhân dân xã Đồng Giáp' WHERE code = 'X01'")
    catalogue.save_unit(db, "X02", "Ủy ban nhân dân xã Tràng Các", "commune", "H01",
                        valid_to=dt.date(2025, 6, 10), successor_code="X01")
    screen = ReportsScreen(db, today=dt.date(2025, 7, 20))
    qtbot.addWidget(screen)
    screen.resize(1366 - 150, 600)  # the window's width less its navigation list
    screen.show()
    screen.period.set_period(dt.date(2025, 7, 1), dt.date(2025, 7, 31))
    rows = shown_rows(qtbot, screen, screen.table)
    name = ("Ủy ban nhân dân xã Tràng Các (đến 10/06/2025 → Ủy ban nhân dân xã Đồng Giáp) "
            "(X02)")
    row = [r[0] for r in rows].index(name)
    table, header = screen.table, screen.table.horizontalHeader()
    qtbot.waitUntil(lambda: table.viewport().width() < 1366 - 150 - 20)
    metrics = table.fontMetrics()
    width = header.sectionSize(0)
    assert metrics.horizontalAdvance(name) > width  # one line cannot hold it
    margin = 2 * (table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) + 1)
    needed = metrics.boundingRect(QRect(0, 0, width - margin, 10_000),
                                  int(Qt.TextFlag.TextWordWrap), name).height()
    assert needed > metrics.height()  # two lines...
    assert table.rowHeight(row) >= needed and table.wordWrap()  # ...and its row shows both
    assert table.model().index(row, 0).data(Qt.ItemDataRole.ToolTipRole) == name
    assert table.horizontalScrollBar().maximum() == 0
    assert screen.sizeHint().width() <= 1366 - 150


def test_a_merged_communes_history_is_whole_under_its_bars(qtbot, db, office):
    """Round 17: Tổng quan's chart held each unit's name to 40 px (three lines) under its
    bars: a commune named with its history read "xã Tràng Các (đến 10/06/2025 →", its
    successor cut off. The names' space grows with the longest (up to LABEL_LINES)."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFontMetrics

    from core import catalogue, indicators
    from gui.dashboard.chart import LABEL_WRAP, RatesChart, short_name
    catalogue.save_unit(db, "X02", "UBND xã Tràng Các", "commune", "H01",
                        valid_to=dt.date(2025, 6, 10), successor_code="X01")
    figures = indicators.compute(db, dt.date(2025, 7, 1), dt.date(2025, 7, 31))
    units = figures["units"] * 5  # as many as a district's communes
    name = "xã Tràng Các (đến 10/06/2025 → UBND xã Đồng Giáp)"
    assert name in [short_name(u["name"]) for u in units]
    chart = RatesChart()
    qtbot.addWidget(chart)
    chart.resize(1366 - 150 - 60, 300)
    chart.set_data(units, figures["targets"])
    chart.show()
    width = int((chart.width() - 56) / len(units)) - 4
    metrics = QFontMetrics(chart.small_font())
    needed = metrics.boundingRect(QRect(0, 0, width, 10_000), int(LABEL_WRAP), name).height()
    assert needed > 40  # more than the three lines it had
    assert chart.label_height() >= needed
    assert not chart.grab().isNull()  # and it paints
