"""Unit lists in Vietnamese alphabetical order and in their tree's order (issue 14.9)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from db.connection import transaction
from gui import widgets
from gui.catalogue.units import UnitsTab
from gui.dossiers.register_view import RegisterScreen
from gui.main_window import MainWindow

TREE = ["H01", "X05", "X04", "X01", "X02", "X03"]  # An Sơn, Dương Hưu, Đồng Giáp, Tràng Các, Yên Phúc


@pytest.fixture
def communes(db, office):
    with transaction(db) as conn:
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)", [
            ("X03", "UBND xã Yên Phúc", "commune", "H01"),
            ("X04", "UBND xã Dương Hưu", "commune", "H01"),
            ("X05", "UBND xã An Sơn", "commune", "H01")])
    return office


def type_text(widget, text: str) -> None:
    """Key presses carrying Vietnamese letters (QTest.keyClicks only knows ASCII keys)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def box_codes(box):
    return [box.itemData(i) for i in range(box.count()) if box.itemData(i) is not None]


def test_the_register_unit_filter_shows_the_tree_in_vietnamese_order(qtbot, db, communes):
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    box = screen.unit_box
    assert box_codes(box) == TREE
    texts = [box.itemText(i) for i in range(1, box.count())]
    assert texts[0] == "UBND huyện Văn Quan (H01)"  # the district first, its communes indented
    assert texts[3] == widgets.INDENT + "UBND xã Đồng Giáp (X01)"
    # the clerk types the start of a name, without diacritics: it is chosen
    box.setFocus()
    qtbot.keyClicks(box, "ubnd xa y")
    assert box.currentData() == "X03"
    qtbot.wait(widgets.TYPE_AHEAD_MS + 100)
    qtbot.keyClicks(box, "UBND XA DO")
    assert box.currentData() == "X01"
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert box.currentData() == "X04"  # Dương Hưu sits just above Đồng Giáp


def test_every_unit_picker_uses_the_same_order(qtbot, db, db_path, communes, monkeypatch):
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    asked = []

    def choose(parent, title, label, items, current=0):
        asked.append(items)
        return None  # the clerk cancels: no kiosk opens
    # the unit is asked through gui.widgets.choose (Vietnamese buttons), never a real modal
    monkeypatch.setattr(widgets, "choose", choose)
    window.kiosk_action.trigger()  # the F9 screen's unit choice
    assert [item.rsplit("(", 1)[1].rstrip(")") for item in asked[0]] == TREE
    dashboard = window.screens["dashboard"]
    assert box_codes(dashboard.unit_box) == TREE


def test_the_catalogue_tree_lists_siblings_in_vietnamese_order(qtbot, db, communes):
    tab = UnitsTab(db)
    qtbot.addWidget(tab)
    tab.show()
    tab.refresh()
    district = tab.tree.topLevelItem(0)
    assert tab.tree.topLevelItemCount() == 1 and district.text(1) == "H01"
    assert [district.child(i).text(0) for i in range(district.childCount())] == [
        "UBND xã An Sơn", "UBND xã Dương Hưu", "UBND xã Đồng Giáp", "UBND xã Tràng Các",
        "UBND xã Yên Phúc"]
    assert box_codes(tab.parent_box) == TREE
    # a new commune typed in by the clerk takes its alphabetical place at once
    qtbot.mouseClick(next(b for b in tab.findChildren(QPushButton) if b.text() == "Đơn vị mới"),
                     Qt.MouseButton.LeftButton)
    qtbot.keyClicks(tab.code, "X06")
    type_text(tab.name, "UBND xã Bình Phúc")
    tab.parent_box.setCurrentIndex(tab.parent_box.findData("H01"))
    qtbot.mouseClick(next(b for b in tab.findChildren(QPushButton) if b.text() == "Lưu đơn vị"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.tree.topLevelItem(0).childCount() == 6)
    district = tab.tree.topLevelItem(0)
    assert district.child(1).text(0) == "UBND xã Bình Phúc"
