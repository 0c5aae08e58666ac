"""A commune's own report in the window (round 10): its header and signer are edited in Danh mục ›
Đơn vị and said on Báo cáo; a commune with a reception point shows why its row and its own
report give two satisfaction figures (Báo cáo, Tổng quan)."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from core import report_header
from db import actor, settings
from db.connection import transaction
from gui.catalogue.units import UnitsTab
from tests.core.factories import add_dossier, add_procedures
from tests.gui.accounts_setup import ADMIN, LEADER, make_accounts
from tests.gui.clicks import button_named, click
from tests.gui.test_vn_order import type_text

T = dt.datetime


@pytest.fixture
def reception_point(db, office):
    """X01 has a reception point (X01P): votes at the commune and at the point, June 2025."""
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level, parent_code) VALUES "
                     "('X01P', 'Điểm tiếp nhận xã Đồng Giáp tại Bản Chắt', 'reception_point', "
                     "'X01')")
    add_procedures(db)
    add_dossier(db, code="V1", unit="X01", received=T(2025, 6, 2, 8),
                votes=[(T(2025, 6, 2, 9), "satisfied"), (T(2025, 6, 3, 9), "very_satisfied")])
    add_dossier(db, code="V2", unit="X01P", received=T(2025, 6, 2, 8),
                votes=[(T(2025, 6, 2, 9), "dissatisfied")])
    return office


def click_unit(qtbot, tab: UnitsTab, code: str) -> None:
    from PySide6.QtWidgets import QTreeWidgetItemIterator
    found = QTreeWidgetItemIterator(tab.tree)
    while found.value() is not None and found.value().text(1) != code:
        found += 1
    item = found.value()
    tab.tree.scrollToItem(item)
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tab.tree.visualItemRect(item).center())
    assert tab.tree.currentItem() is item


def units_tab_on(qtbot, db, role: str, unit: str, width: int | None = None) -> UnitsTab:
    """Danh mục › Đơn vị as `role` signs in, shown, with `unit` clicked in its tree."""
    actor.sign_in(make_accounts(db)[role].as_actor())
    tab = UnitsTab(db)
    qtbot.addWidget(tab)
    if width is not None:
        tab.resize(width, 700)
    tab.show()
    tab.refresh()
    click_unit(qtbot, tab, unit)
    return tab


def test_an_administrator_gives_a_commune_its_own_header_and_signer(qtbot, db, office):
    tab = units_tab_on(qtbot, db, ADMIN, "X01", width=1300)
    # before: the window says the commune has none, and what its papers print instead
    assert "chưa có tiêu đề báo cáo riêng" in tab.header_used.text()
    click(qtbot, button_named(tab, "Điền theo tên đơn vị"))
    assert tab.unit_header_edits["agency"].text() == "ỦY BAN NHÂN DÂN XÃ ĐỒNG GIÁP"
    assert tab.unit_header_edits["place"].text() == "Đồng Giáp"
    assert tab.unit_header_edits["signer_name"].text() == ""  # never a name made up
    type_text(tab.unit_header_edits["signer_name"], "Hoàng Văn Tú")
    tab.unit_recipients.setFocus()
    type_text(tab.unit_recipients, "UBND tỉnh Lạng Sơn")
    click(qtbot, button_named(tab, "Lưu tiêu đề của đơn vị"))
    saved = report_header.own_header(db, "X01")
    assert saved["signer_name"] == "Hoàng Văn Tú" and saved["recipients"] == ["UBND tỉnh Lạng Sơn"]
    assert "của đơn vị (ỦY BAN NHÂN DÂN XÃ ĐỒNG GIÁP)" in tab.header_used.text()
    assert settings.get(db, "report_header")["signer_name"] == ""  # the office's: untouched
    # a line longer than a document prints is refused under the office's rule, nothing kept
    tab.unit_header_edits["office"].setValidator(None)  # its limit (gui.forms.limit_length) lifted
    tab.unit_header_edits["office"].setText("X" * 201)
    click(qtbot, button_named(tab, "Lưu tiêu đề của đơn vị"))
    assert report_header.own_header(db, "X01")["office"] == saved["office"]


def test_a_leader_sees_the_commune_header_rule_but_cannot_change_it(qtbot, db, office):
    tab = units_tab_on(qtbot, db, LEADER, "X02")
    assert "UBND xã Tràng Các chưa có tiêu đề báo cáo riêng" in tab.header_used.text()
    assert not tab.unit_header_edits["agency"].isEnabled()
    assert not button_named(tab, "Lưu tiêu đề của đơn vị").isVisible()


def pick_unit(qtbot, screen, box, code: str) -> None:
    """The leader picks a unit with the keyboard in the picker."""
    index = box.findData(code)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    for _ in range(index):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentData() == code


def test_reports_say_why_a_communes_row_and_its_own_report_differ(qtbot, db, reception_point):
    from gui.reports import ReportsScreen
    screen = ReportsScreen(db, today=dt.date(2025, 6, 11))
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    text = screen.notes.text()
    assert "Dòng «UBND xã Đồng Giáp» chỉ tính riêng đơn vị này" in text
    assert "100,00% (2/2 phiếu) ở dòng riêng, 66,67% (2/3 phiếu) khi gộp" in text
    assert "của cơ quan" in text  # the whole office: the office's header
    pick_unit(qtbot, screen, screen.period.unit_box, "X01")
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    text = screen.notes.text()
    assert "100,00% (2/2 phiếu) ở dòng riêng, 66,67% (2/3 phiếu) khi gộp" in text
    assert "UBND xã Đồng Giáp chưa có tiêu đề báo cáo riêng" in text
    total = screen.model.rowCount() - 1  # the commune's total is the figure "khi gộp"
    assert screen.model.data(screen.model.index(total, len(screen.model.HEADERS) - 1)) == "66,67%"


def test_the_dashboard_says_it_too(qtbot, db, reception_point):
    from gui.dashboard.screen import DashboardScreen
    screen = DashboardScreen(db, today=dt.date(2025, 6, 11))
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: screen.result is not None, timeout=30000)
    pick_unit(qtbot, screen, screen.unit_box, "X01")
    qtbot.waitUntil(lambda: "khi gộp" in screen.coverage.text(), timeout=30000)
    assert "66,67% (2/3 phiếu) khi gộp" in screen.coverage.text()
    assert screen.coverage.isVisible()


def test_the_sentences_fold_into_one_line_a_click_opens(qtbot, db, reception_point):
    """Under Báo cáo's unit table the sentences took 3–5 lines at 1366×728 (3 of the demo's 11
    unit rows below the fold): one line now, the sentences a click away and in its tooltip."""
    from gui.reports import ReportsScreen
    screen = ReportsScreen(db, today=dt.date(2025, 6, 11))
    qtbot.addWidget(screen)
    screen.resize(1366 - 90, 728 - 60)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    note = screen.notes
    line = note.line
    assert "1 đơn vị có số liệu gộp khác dòng riêng; tiêu đề và người ký của bản in" in line.text()
    assert "xem giải thích" in line.text()
    assert not note.details.isVisible()
    one_line = line.fontMetrics().lineSpacing()
    assert note.height() <= one_line + 8, (note.height(), one_line)
    assert "66,67% (2/3 phiếu) khi gộp" in line.toolTip()
    click_at = line.rect().center()
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=click_at)
    qtbot.waitUntil(note.details.isVisible, timeout=5000)
    shown = note.details.text()
    assert "100,00% (2/2 phiếu) ở dòng riêng, 66,67% (2/3 phiếu) khi gộp" in shown
    assert "Tiêu đề và người ký của cơ quan: chưa đặt" in shown  # this office set none
    assert "thu gọn" in line.text()
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=click_at)  # and closed again
    qtbot.waitUntil(lambda: not note.details.isVisible(), timeout=5000)
    assert "xem giải thích" in line.text()


def test_the_dashboard_folds_them_too(qtbot, db, reception_point):
    from gui.dashboard.screen import DashboardScreen
    screen = DashboardScreen(db, today=dt.date(2025, 6, 11))
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: screen.result is not None, timeout=30000)
    pick_unit(qtbot, screen, screen.unit_box, "X01")
    qtbot.waitUntil(lambda: "khi gộp" in screen.coverage.text(), timeout=30000)
    line = screen.coverage.line
    assert line.text().startswith("► 1 đơn vị có số liệu gộp khác dòng riêng — ")
    assert not screen.coverage.details.isVisible()
    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_Space)  # the keyboard opens it as well
    assert screen.coverage.details.isVisible()
    assert "66,67% (2/3 phiếu) khi gộp" in screen.coverage.details.text()


def test_every_unit_row_of_the_30k_demo_is_in_sight_at_1366x728(qtbot, tmp_path):
    """The walkthrough: on the 30k demo, "Tất cả đơn vị", November 2026, the sentences under the
    table took 5 lines at 1366×728 and only 8 of the 11 unit rows showed without scrolling."""
    from core import demo
    from core.database import open_database
    from gui.reports import ReportsScreen
    db = open_database(tmp_path / "demo.db")
    try:
        demo.generate(db, dossiers=30000, seed=1, today=dt.date(2026, 11, 27))
        screen = ReportsScreen(db, today=dt.date(2026, 11, 27))
        qtbot.addWidget(screen)
        screen.resize(1366 - 115, 728 - 45)  # less the navigation list, menu and status bars
        screen.show()
        screen.refresh()
        qtbot.waitUntil(lambda: not screen.computing(), timeout=60000)
        table = screen.table
        rows = screen.model.rowCount()
        assert rows == 11  # 10 units and the total
        last = rows - 1
        assert table.rowViewportPosition(last) >= 0
        qtbot.waitUntil(lambda: table.rowViewportPosition(last) + table.rowHeight(last)
                        <= table.viewport().height(), timeout=5000)
        assert table.verticalScrollBar().maximum() == 0
    finally:
        db.close()
