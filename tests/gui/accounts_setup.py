"""Accounts for the sign-in tests: an administrator, a clerk and a leader, each with a PIN."""
from __future__ import annotations

from PySide6.QtCore import Qt

from core import accounts
from db import actor
from tests.signed_in_window import hashed_once

PASSWORD = "matkhau123"
ADMIN, CLERK, LEADER = "quantri", "canbo.x01", "lanhdao"
PINS = {ADMIN: "1111", CLERK: "2222", LEADER: "3333"}


def make_accounts(db) -> dict[str, accounts.Account]:
    """The three accounts, their password and PINs hashed once per test process (the sign-in
    checks them as any stored hash: tests.signed_in_window.hashed_once)."""
    with hashed_once(accounts, (PASSWORD, *PINS.values())):
        return _made(db)


def _made(db) -> dict[str, accounts.Account]:
    made = {ADMIN: accounts.create_account(db, ADMIN, "Trần Quản Trị", ["admin"], PASSWORD,
                                           pin=PINS[ADMIN])}
    with actor.acting_as(made[ADMIN].as_actor()):
        made[CLERK] = accounts.create_account(db, CLERK, "Nguyễn Thị Tiếp", ["clerk"], PASSWORD,
                                              pin=PINS[CLERK], unit_code=None)
        made[LEADER] = accounts.create_account(db, LEADER, "Hoàng Văn Đạo", ["leader"], PASSWORD,
                                               pin=PINS[LEADER])
    return made


def pick_account(qtbot, form, login: str) -> None:
    """Click the account's line in the gate's list, as the clerk does."""
    for row in range(form.accounts.count()):
        item = form.accounts.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == login:
            rect = form.accounts.visualItemRect(item)
            qtbot.mouseClick(form.accounts.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(f"{login} is not in the list")


def type_secret_and_enter(qtbot, form, secret: str) -> None:
    form.secret.clear()
    qtbot.keyClicks(form.secret, secret)
    qtbot.mouseClick(form.sign_in_button, Qt.MouseButton.LeftButton)


def answer_modal(qtbot, *steps) -> list:
    """The dialog a click is about to open (modal: it runs its own loop) is answered by
    `steps`, one per time it is shown: each fills it with keys and clicks as the clerk would.
    Returns the list of the dialogs answered (tests look at their error lines)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    todo, answered = list(steps), []

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(30, poll)
            return
        answered.append(dialog)
        todo.pop(0)(dialog)
        if todo:
            QTimer.singleShot(30, poll)
    QTimer.singleShot(30, poll)
    return answered


def ok_button(dialog):
    from PySide6.QtWidgets import QDialogButtonBox
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
