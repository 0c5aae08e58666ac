"""Issue 16's leftovers about units (round 32): a unit's code and name at the desk (Danh mục ›
Đơn vị) are held to the catalogue's one rule (core.unit_text). A code pasted with a tab in it
was saved (and went into reports, the packages' scope and file names), a name of any length
too (the header of every document cuts it at 200). The same bad unit is refused at the desk,
in `import units` and in a package in the same words, and `check` names one an older version
stored in them too."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

import main
from core.database import open_database
from core.errors import InputError
from core.exchange import export, import_package
from tests.core.exchange.conftest import office as exchange_office
from tests.core.exchange.test_package_unit_text import crafted
from tests.core.transfer.conftest import UNITS_HEADER, write_csv
from tests.gui import test_unit_links

TAB = "chứa ký tự điều khiển không in được (mã U+0009) ở vị trí 2"
BAD = "X\tY"
units = test_unit_links.units  # the fixture: Danh mục › Đơn vị, no refusal in a box


def paste(qtbot, edit, text: str) -> None:
    """The clerk pastes `text` (copied from another program) over what the field holds."""
    QApplication.clipboard().setText(text)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert edit.text() == text


def save(qtbot, tab) -> None:
    button = next(b for b in tab.findChildren(QPushButton) if b.text() == "Lưu đơn vị")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def said_under(tab, field: str) -> str:
    label = tab.form.errors[field]
    return label.text() if label.isVisibleTo(tab) else ""


def desk_words(qtbot, tab, code: str, name: str, field: str) -> str:
    tab.clear()
    paste(qtbot, tab.code, code)
    paste(qtbot, tab.name, name)
    save(qtbot, tab)
    return said_under(tab, field)


def test_a_code_pasted_with_a_tab_is_refused_under_the_code(qtbot, db, units):
    assert desk_words(qtbot, units, BAD, "Xã Tab", "code") == f"Mã đơn vị {TAB}."
    assert db.execute("SELECT COUNT(*) FROM units WHERE name = 'Xã Tab'").fetchone()[0] == 0


def test_a_name_longer_than_the_header_line_is_refused_a_real_long_one_saved(qtbot, db, units):
    name = "Ủy ban nhân dân xã Phong Điền " * 9  # 270, 269 once its end space is gone
    assert desk_words(qtbot, units, "Z1", name, "name") == \
        "Tên đơn vị dài 269 ký tự, vượt quá 200 ký tự cho phép."
    assert db.execute("SELECT COUNT(*) FROM units WHERE code = 'Z1'").fetchone()[0] == 0
    real = "Trung tâm Phục vụ hành chính công tỉnh Thừa Thiên Huế"
    assert desk_words(qtbot, units, " TTHCC ", f" {real} ", "name") == ""
    assert db.execute("SELECT name FROM units WHERE code = 'TTHCC'").fetchone()[0] == real


def test_a_unit_an_older_version_stored_keeps_its_code_and_its_name_is_corrected(qtbot, db,
                                                                                  units):
    """Its code is its dossiers' key: refusing it would lock the unit at the desk (its name,
    its dates, its successor), which `check` asks the clerk to correct."""
    db.execute("INSERT INTO units(code, name, level) VALUES (?, ?, 'commune')",
               ["OLD\tX", "Xã Cũ " * 50])
    units.refresh()
    tree = units.tree
    item = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).text(1) == "OLD\tX")
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tree.visualItemRect(item).center())
    assert units.code.text() == "OLD\tX"
    save(qtbot, units)
    assert said_under(units, "name") == "Tên đơn vị dài 299 ký tự, vượt quá 200 ký tự cho phép."
    paste(qtbot, units.name, "Xã Cũ")
    save(qtbot, units)
    assert said_under(units, "code") == said_under(units, "name") == ""
    assert db.execute("SELECT name FROM units WHERE code = 'OLD\tX'").fetchone()[0] == "Xã Cũ"


def test_one_bad_code_in_the_same_words_at_the_desk_in_the_file_in_a_package_and_check(
        qtbot, db, units, tmp_path, capsys, monkeypatch):
    desk = desk_words(qtbot, units, BAD, "Xã Tab", "code")
    # `import units`, through the command line
    path = write_csv(tmp_path / "u.csv", UNITS_HEADER, [[BAD, "Xã Tab", "commune", ""]])
    assert main.main(["--db", str(tmp_path / "f.db"), "import", "--new-db", "units",
                      str(path)]) == 2
    file = capsys.readouterr().err
    # a package's new unit
    monkeypatch.setattr(export, "DEFAULT_FORMAT", 2)
    centre = exchange_office(tmp_path / "centre.db")
    try:
        with pytest.raises(InputError) as refused:
            import_package(centre, crafted(tmp_path, {"code": BAD, "name": "Xã Tab"}))
    finally:
        centre.close()
    package = str(refused.value)
    # `check` of a database an older version wrote it into
    old = open_database(tmp_path / "old.db")
    old.execute("INSERT INTO units(code, name) VALUES (?, 'Xã Tab')", [BAD])
    old.close()
    assert main.main(["--db", str(tmp_path / "old.db"), "check"]) != 0
    check = capsys.readouterr().out
    assert desk == f"Mã đơn vị {TAB}."
    assert f"Dòng 2, cột code, giá trị 'X\ufffdY': {TAB}" in file, file
    assert f"đơn vị X\ufffdY (Xã Tab) gói thêm vào danh mục trái quy tắc của danh mục: Mã đơn vị " \
        f"{TAB}." in package, package
    assert f"[LỖI] 1 đơn vị trong Danh mục có mã hoặc tên trái quy tắc (lưu từ phiên bản cũ): mã " \
        f"'X\ufffdY': Mã đơn vị {TAB}." in check, check
    assert all("\t" not in said for said in (desk, file, package, check))


def test_a_code_pasted_in_combining_form_is_the_held_unit_an_emoji_one_refused(qtbot, db,
                                                                               units):
    """break33: XÃ01 pasted with its tilde a combining mark (Unikey's «Unicode tổ hợp») was a
    second unit that looked exactly like the first; X😀 made dossier codes the receipt
    prints X□-…. The first is taken as the held unit, the second refused under the code."""
    import unicodedata
    nfc, nfd = (unicodedata.normalize(form, "XÃ01") for form in ("NFC", "NFD"))
    assert desk_words(qtbot, units, nfc, "Xã Yên Phúc", "code") == ""
    assert desk_words(qtbot, units, nfd, "Xã Yên Phúc Mới", "code") == ""
    assert db.execute("SELECT code, name FROM units WHERE code IN (?, ?)",
                      [nfc, nfd]).fetchall() == [(nfc, "Xã Yên Phúc Mới")]
    assert desk_words(qtbot, units, "X\U0001f600", "Xã Vui", "code") == (
        "Mã đơn vị chứa ký tự không in được trên phiếu (mã U+1F600) ở vị trí 2.")
