"""Issue 16: a unit's parent at the desk (Danh mục › Đơn vị) and in the units file is one loop
rule (core.catalogue.check_link over link_loops and loop_reason), said in the same words as the
successor's: the desk refused "trực thuộc chính nó hoặc đơn vị cấp dưới của nó" through its own
recursive query, the file "cấp trên tạo thành vòng lặp: …"."""
from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from core.catalogue import sentence
from core.transfer import import_file
from gui import errors
from gui.catalogue.units import UnitsTab

HEADER = ["code", "name", "level", "parent_code"]


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


@pytest.fixture
def units(qtbot, db, office, monkeypatch):
    shown: list = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, *_: shown.append(exc))
    tab = UnitsTab(db)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.show()
    yield tab
    assert shown == []  # every refusal went under its field


def save_under(qtbot, tab, code: str, name: str, parent: str) -> str:
    """The clerk types the unit's code and name, picks its parent with the keyboard, clicks
    «Lưu đơn vị»; what the form says under «Trực thuộc»."""
    for edit, text in ((tab.code, code), (tab.name, name)):
        edit.clear()
        qtbot.keyClicks(edit, text)
    box = tab.parent_box
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    for _ in range(box.findData(parent)):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentData() == parent
    button = next(b for b in tab.findChildren(QPushButton) if b.text() == "Lưu đơn vị")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    label = tab.form.errors["parent_code"]
    return label.text() if label.isVisibleTo(tab) else ""


@pytest.mark.parametrize("size", [2, 12])
def test_a_parent_loop_is_refused_at_the_desk_and_in_the_file_in_the_same_words(
        qtbot, db, units, tmp_path, size):
    chain = [[f"P{i}", f"Xa {i}", "commune", f"P{i - 1}" if i else ""] for i in range(size)]
    assert import_file(db, "units", write(tmp_path / "chain.csv", chain)).ok
    units.refresh()
    closing = ["P0", "Xa 0", "commune", f"P{size - 1}"]
    result = import_file(db, "units", write(tmp_path / "loop.csv", [closing]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "parent_code")]
    file_words = result.errors[0].reason
    expected = ("P0 → P1 → P0" if size == 2 else
                "P0 → P11 → P10 → P9 → P8 → P7 → P6 → P5 → … → P0 (vòng 12 đơn vị)")
    assert file_words == "cấp trên tạo thành vòng lặp: " + expected
    desk_words = save_under(qtbot, units, "P0", "Xa 0", f"P{size - 1}")
    assert desk_words == sentence(file_words)
    assert db.execute("SELECT parent_code FROM units WHERE code = 'P0'").fetchone()[0] is None


def test_a_unit_under_itself_is_refused_at_the_desk_and_in_the_file_in_the_same_words(
        qtbot, db, units, tmp_path):
    result = import_file(db, "units", write(tmp_path / "self.csv",
                                            [["X01", "UBND xa Van Mong", "commune", "X01"]]))
    file_words = result.errors[0].reason
    assert file_words == "đơn vị không thể là cấp trên của chính nó"
    assert save_under(qtbot, units, "X01", "UBND xa Van Mong", "X01") == sentence(file_words)
    assert db.execute("SELECT parent_code FROM units WHERE code = 'X01'").fetchone()[0] == "H01"
