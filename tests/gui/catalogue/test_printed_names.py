"""Danh mục and Tài khoản with real clicks (round 13 review): a unit's, a procedure's or an
account's name holding a character the slips cannot print (an emoji) is refused under its field,
the character named (core.validation), nothing saved; invisible characters are left out."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from core import accounts
from db import actor
from gui.catalogue.screen import CatalogueScreen
from gui.main_window import MainWindow
from tests.gui.accounts_setup import ADMIN, answer_modal, make_accounts, ok_button
from tests.gui.clicks import click

TODAY = dt.date(2025, 6, 11)
EMOJI = "'😀' (U+1F600)"


@pytest.fixture
def screen(qtbot, db, office):
    screen = CatalogueScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    return screen


def _type(qtbot, edit, ascii_text: str, more: str = "") -> None:
    """QTest types Latin-1 keys only: the rest is inserted as a paste would."""
    edit.clear()
    qtbot.keyClicks(edit, ascii_text)
    edit.insert(more)


def test_a_unit_named_with_an_emoji_is_refused_under_its_name(qtbot, db, screen):
    tab = screen.units
    screen.tabs.setCurrentWidget(tab)
    _type(qtbot, tab.code, "X09")
    _type(qtbot, tab.name, "UBND xa Chin ", "😀")
    save = next(b for b in tab.findChildren(QPushButton) if b.text() == "Lưu đơn vị")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert tab.form.errors["name"].text() == \
        f"Tên đơn vị có ký tự không in được trên phiếu: {EMOJI}."
    assert db.execute("SELECT COUNT(*) FROM units WHERE code = 'X09'").fetchone()[0] == 0
    _type(qtbot, tab.name, "UBND xa Chin", "\u200b")  # a zero-width space pasted with it
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: db.execute("SELECT name FROM units WHERE code = 'X09'").fetchone()
                    is not None, timeout=5000)
    assert db.execute("SELECT name FROM units WHERE code = 'X09'").fetchone()[0] == "UBND xa Chin"


@pytest.mark.parametrize(("column", "label"), [("name", "Tên thủ tục"), ("field", "Lĩnh vực")])
def test_a_procedures_printed_text_with_an_emoji_is_refused_under_it(qtbot, db, screen, column,
                                                                     label):
    tab = screen.procedures
    screen.tabs.setCurrentWidget(tab)
    proxy = tab.table.model()
    row = [proxy.index(r, 0).data() for r in range(proxy.rowCount())].index("1.004227")
    rect = tab.table.visualRect(proxy.index(row, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    before = db.execute(f"SELECT {column} FROM procedures WHERE code = '1.004227'").fetchone()[0]
    edit = tab.edits[column]
    edit.end(False)
    edit.insert(" 😀")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.form.errors[column].text() == \
        f"{label} có ký tự không in được trên phiếu: {EMOJI}."
    assert db.execute(f"SELECT {column} FROM procedures WHERE code = '1.004227'"
                      ).fetchone()[0] == before


def test_an_accounts_name_with_an_emoji_is_refused_under_it(qtbot, db, db_path):
    made = make_accounts(db)
    actor.sign_in(made[ADMIN].as_actor())
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    screen = window.show_screen("accounts")
    shown = []

    def refused(dialog):
        qtbot.keyClicks(dialog.login, "canbo.ba")
        dialog.full_name.insert("Lò Văn Ba 😀")
        for box in (dialog.password, dialog.password2):
            qtbot.keyClicks(box, "matkhau456")
        click(qtbot, ok_button(dialog))

    def again(dialog):  # the dialog comes back with the reason under the name
        shown.append(dialog.form.errors["full_name"].text())
        dialog.full_name.clear()
        dialog.full_name.insert("Lò Văn Ba\u200b")
        click(qtbot, ok_button(dialog))
    answer_modal(qtbot, refused, again)
    click(qtbot, screen.buttons["add"])
    assert shown == [f"Họ và tên có ký tự không in được trên phiếu: {EMOJI}; họ tên chỉ gồm "
                     "chữ cái Latinh (có dấu tiếng Việt; người nước ngoài ghi như trong hộ "
                     "chiếu), chữ số, dấu cách và dấu câu."]
    assert accounts.get(db, "canbo.ba").full_name == "Lò Văn Ba"
