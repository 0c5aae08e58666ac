"""The sign-in card's account list with more accounts than it shows (round 39): it opens at its
top with the PC's last signed-in account (or the first) chosen and in sight — it kept the place
a previous clerk had scrolled it to, so after a pick near the bottom the next clerk found the
list at its bottom and the first accounts out of sight."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from core import accounts
from db import actor
from gui.main_window import MainWindow
from gui.signin import LAST_LOGIN_KEY
from tests.gui.accounts_setup import PASSWORD, pick_account, type_secret_and_enter

pytestmark = pytest.mark.signed_out

ADMIN = "quantri"
STAFF = [f"canbo.{n:02d}" for n in range(30)]  # sorted before "quantri": the admin is last


def many_accounts(db) -> None:
    admin = accounts.create_account(db, ADMIN, "Trần Quản Trị", ["admin"], PASSWORD)
    with actor.acting_as(admin.as_actor()):
        for n, login in enumerate(STAFF):
            accounts.create_account(db, login, f"Cán bộ số {n:02d}", ["clerk"], PASSWORD)


def open_window(qtbot, db, db_path) -> MainWindow:
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def top_row(form) -> int:
    return form.accounts.indexAt(form.accounts.viewport().rect().topLeft()).row()


def in_sight(form, login: str) -> bool:
    view = form.accounts
    for row in range(view.count()):
        if view.item(row).data(Qt.ItemDataRole.UserRole) == login:
            return view.viewport().rect().contains(view.visualItemRect(view.item(row)))
    return False


def chosen(form) -> str | None:
    item = form.accounts.currentItem()
    if item is None or not item.isSelected():
        return None
    return item.data(Qt.ItemDataRole.UserRole)


def test_a_fresh_start_opens_at_the_top_with_the_first_account_chosen(qtbot, db, db_path):
    many_accounts(db)
    form = open_window(qtbot, db, db_path).gate.form
    assert form.accounts.count() == 31 and form.accounts.verticalScrollBar().maximum() > 0
    assert top_row(form) == 0 and chosen(form) == STAFF[0] and in_sight(form, STAFF[0])
    assert form.login.text() == STAFF[0]
    qtbot.keyClicks(form.login, STAFF[3])  # typed over: the chosen login is selected whole
    assert form.login.text() == STAFF[3]


def test_after_a_pick_at_the_bottom_the_next_sign_in_opens_at_the_top(qtbot, db, db_path):
    many_accounts(db)
    window = open_window(qtbot, db, db_path)
    form = window.gate.form
    form.accounts.scrollToBottom()  # the clerk scrolls down to the last account
    pick_account(qtbot, form, ADMIN)
    type_secret_and_enter(qtbot, form, PASSWORD)
    assert actor.signed_in().login == ADMIN
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(form.switch_button, Qt.MouseButton.LeftButton)  # Đổi cán bộ
    assert form.accounts.isVisible()
    assert form.accounts.verticalScrollBar().value() == 0 and top_row(form) == 0
    assert in_sight(form, STAFF[0]) and chosen(form) == STAFF[0]
    pick_account(qtbot, form, STAFF[1])
    type_secret_and_enter(qtbot, form, PASSWORD)
    assert actor.signed_in().login == STAFF[1]
    window.session.sign_out()  # another file without the account (gui.session)
    assert form.accounts.isVisible() and top_row(form) == 0
    assert chosen(form) == STAFF[1] and in_sight(form, STAFF[1])  # the last one here


@pytest.mark.parametrize("last", [8, 25])
def test_the_last_account_signed_in_at_this_pc_is_chosen_in_sight_the_next_day(qtbot, db,
                                                                                db_path, last):
    """Row 8 fits in the list's first screen: the list opens at its top (the card is filled
    before the window is shown, the list a few pixels high: scrolled then, it opened at row 3
    with the first accounts out of sight); row 25 does not: the list scrolls just to show it."""
    many_accounts(db)
    window = open_window(qtbot, db, db_path)
    form = window.gate.form
    form.accounts.scrollToBottom()
    pick_account(qtbot, form, STAFF[last])
    type_secret_and_enter(qtbot, form, PASSWORD)
    assert actor.signed_in().login == STAFF[last]
    window.close()
    actor.sign_out()  # the program closed at night; opened again in the morning
    form = open_window(qtbot, db, db_path).gate.form
    assert chosen(form) == STAFF[last] and in_sight(form, STAFF[last])
    assert form.login.text() == STAFF[last]
    assert top_row(form) == 0 if last == 8 else top_row(form) > 0
    # the login field has the focus, its login selected whole (review39a: not the password
    # field, where the next clerk's own password would count against this account): Enter,
    # then the password
    assert form.window().focusWidget() is form.login
    assert form.login.selectedText() == STAFF[last]
    qtbot.keyClick(form.login, Qt.Key.Key_Return)
    assert form.window().focusWidget() is form.secret
    qtbot.keyClicks(form.secret, PASSWORD)
    qtbot.keyClick(form.secret, Qt.Key.Key_Return)
    assert actor.signed_in().login == STAFF[last]


def test_another_clerk_typing_her_own_login_replaces_the_remembered_one(qtbot, db, db_path):
    """review39a: the remembered account is a suggestion, typed over at once."""
    many_accounts(db)
    QSettings().setValue(LAST_LOGIN_KEY, STAFF[9])
    form = open_window(qtbot, db, db_path).gate.form
    assert chosen(form) == STAFF[9] and form.login.selectedText() == STAFF[9]
    qtbot.keyClicks(form.login, STAFF[4])
    assert form.login.text() == STAFF[4]


def test_a_window_opened_small_then_enlarged_shows_the_list_from_its_top(qtbot, db, db_path):
    """The card is filled before the window is laid out; under a window manager the list is a
    few rows high then (here: a window restored small, then maximised): the chosen account was
    scrolled to in the small list and the list stayed scrolled down once it had grown."""
    many_accounts(db)
    QSettings().setValue(LAST_LOGIN_KEY, STAFF[9])
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.resize(900, 330)
    window.show()
    qtbot.waitExposed(window)
    form = window.gate.form
    small = top_row(form)
    window.resize(1366, 728)
    qtbot.waitUntil(lambda: form.accounts.viewport().height() >= 12 * form.accounts.sizeHintForRow(0))
    assert small > 0 and chosen(form) == STAFF[9] and top_row(form) == 0


def test_clicking_the_account_chosen_already_goes_on_to_the_password(qtbot, db, db_path):
    """review39b: the remembered account is chosen without a signal; clicking it was no change
    of item, the focus stayed in the list and the password typed there searched the list for
    another clerk's name."""
    many_accounts(db)
    QSettings().setValue(LAST_LOGIN_KEY, STAFF[9])
    form = open_window(qtbot, db, db_path).gate.form
    assert chosen(form) == STAFF[9]
    view = form.accounts
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualItemRect(view.currentItem()).center())
    assert form.window().focusWidget() is form.secret
    qtbot.keyClicks(form.secret, PASSWORD)
    qtbot.keyClick(form.secret, Qt.Key.Key_Return)
    assert actor.signed_in().login == STAFF[9]
