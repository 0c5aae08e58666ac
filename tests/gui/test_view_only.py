"""Cài đặt and Danh mục for an account that may look but not save: the fields are read-only and a
line says which right is needed, re-applied at every change of clerk; the lock screen's login is
plainly not editable."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core import accounts
from db import actor
from gui.main_window import MainWindow
from tests.gui.accounts_setup import (
    ADMIN,
    CLERK,
    LEADER,
    PINS,
    make_accounts,
    pick_account,
    type_secret_and_enter,
)
from tests.gui.clicks import menu_pick


def switch_to(qtbot, window, login: str) -> None:
    menu_pick(qtbot, window, window.switch_action)
    pick_account(qtbot, window.gate.form, login)
    type_secret_and_enter(qtbot, window.gate.form, PINS[login])
    assert actor.signed_in().login == login


def editable_fields(window) -> dict[str, bool]:
    settings = window.show_screen("settings")
    catalogue = window.show_screen("catalogue")
    return {
        "hours": settings.session_edits[0][0].isEnabled(),
        "policies": settings.policy_boxes["due_basis"].isEnabled(),
        "targets": next(iter(settings.target_boxes.values())).isEnabled(),
        "header": settings.header_edits["agency"].isEnabled(),
        "unit": catalogue.units.name.isEnabled(),
        "procedure": catalogue.procedures.edits["name"].isEnabled(),
        "components": catalogue.procedures.components.isEnabled(),
        "calendar": catalogue.calendar.name.isEnabled(),
    }


def notes_shown(window) -> list[str]:
    settings = window.show_screen("settings")
    catalogue = window.show_screen("catalogue")
    return [n.text() for n in (settings.view_only, catalogue.units.view_only,
                               catalogue.procedures.view_only, catalogue.calendar.view_only)
            if not n.isHidden()]


@pytest.mark.parametrize("role", ["clerk", "leader"])
def test_settings_and_catalogue_are_read_only_without_the_right(qtbot, db, db_path, role):
    made = make_accounts(db)
    actor.sign_in(made[ADMIN].as_actor())
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.show()
    assert all(editable_fields(window).values()) and notes_shown(window) == []
    switch_to(qtbot, window, {"clerk": CLERK, "leader": LEADER}[role])
    assert not any(editable_fields(window).values()), editable_fields(window)
    notes = notes_shown(window)
    assert notes[0] == ("Chỉ xem: cần quyền thay đổi cài đặt (tài khoản quản trị) để sửa.")
    assert "sửa danh mục đơn vị, thủ tục" in notes[1] and "sửa lịch làm việc" in notes[3]
    assert len(notes) == 4
    settings = window.show_screen("settings")
    assert settings.year_box.isEnabled()  # a leader still looks at another year's targets
    assert settings.hours_button.isHidden()
    switch_to(qtbot, window, ADMIN)  # and back: everything editable again, no note
    assert all(editable_fields(window).values()) and notes_shown(window) == []


def test_an_administrator_opening_the_screens_can_edit(qtbot, db, db_path):
    made = make_accounts(db)
    actor.sign_in(made[ADMIN].as_actor())
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    assert all(editable_fields(window).values()) and notes_shown(window) == []
    assert accounts.can(None, "settings.edit")


def test_the_locked_screen_shows_the_login_as_plain_text(qtbot, db, db_path):
    made = make_accounts(db)
    actor.sign_in(made[LEADER].as_actor())
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.show()
    menu_pick(qtbot, window, window.lock_action)
    form = window.gate.form
    assert form.login.text() == LEADER and form.login.isReadOnly()
    assert form.login.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert "không đổi được" in form.login_label.text() and form.login.styleSheet()
    qtbot.mouseClick(form.login, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.login, "quantri")
    assert form.login.text() == LEADER
    qtbot.mouseClick(form.switch_button, Qt.MouseButton.LeftButton)  # another clerk: editable
    assert not form.login.isReadOnly() and form.login.styleSheet() == ""
    assert form.login_label.text() == "Tên đăng nhập"
