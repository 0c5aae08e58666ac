"""The sign-in card (gui.signin.Gate, ~12 ms and a hundred widgets) is built when it is
needed — at the lock, at a sign-out, at a start with nobody signed in — not with every window
opened for an account signed in already."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from db import actor
from gui.main_window import MainWindow
from gui.signin import Gate
from tests.gui.accounts_setup import ADMIN, CLERK, PASSWORD, PINS, make_accounts, pick_account

pytestmark = pytest.mark.signed_out


def _window(qtbot, db, db_path) -> MainWindow:
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_no_gate_is_built_for_an_account_signed_in_and_the_lock_shows_it(qtbot, db, db_path):
    made = make_accounts(db)
    actor.sign_in(made[ADMIN].as_actor())
    window = _window(qtbot, db, db_path)
    assert window.findChildren(Gate) == [] and window.pages.count() == 1
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # the lock
    gates = window.findChildren(Gate)
    assert len(gates) == 1 and window.pages.currentWidget() is gates[0]
    assert actor.signed_in() is None and not window.menuBar().isVisible()
    form = gates[0].form
    assert form.login.text() == ADMIN and form.login.isReadOnly()  # the locked account
    qtbot.keyClicks(form.secret, PINS[ADMIN])
    qtbot.keyClick(form.secret, Qt.Key.Key_Return)
    assert actor.signed_in().login == ADMIN and window.pages.currentWidget() is window.body
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # again: the same card
    assert window.findChildren(Gate) == gates and window.pages.currentWidget() is gates[0]


def test_a_sign_out_shows_the_gate_and_another_account_signs_in_by_keys(qtbot, db, db_path):
    made = make_accounts(db)
    actor.sign_in(made[ADMIN].as_actor())
    window = _window(qtbot, db, db_path)
    assert window.findChildren(Gate) == []
    window.session.sign_out()  # another database without this account (gui.session)
    gate = window.gate
    assert isinstance(gate, Gate) and window.pages.currentWidget() is gate
    assert gate.form.login.text() == ADMIN and not gate.form.login.isReadOnly()  # the last one
    pick_account(qtbot, gate.form, CLERK)
    qtbot.keyClicks(gate.form.secret, PASSWORD)  # a new sign-in: the password, not the PIN
    qtbot.keyClick(gate.form.secret, Qt.Key.Key_Return)
    assert actor.signed_in().login == CLERK
    assert window.pages.currentWidget() is window.body and window.menuBar().isVisible()
    assert window.account_label.text().endswith("Nguyễn Thị Tiếp")


def test_a_start_with_nobody_signed_in_builds_the_gate_at_once(qtbot, db, db_path):
    make_accounts(db)
    window = _window(qtbot, db, db_path)
    assert window.pages.currentWidget() is window.gate and isinstance(window.gate, Gate)
    assert not window.body.isVisible()


def test_a_lock_after_the_file_is_reopened_reads_the_new_connection(qtbot, db, db_path):
    """review38: the card built at a first lock kept the connection a restore then closed
    (`reopen_database` opens a new one): the next Ctrl+L asked the closed one and crashed."""
    made = make_accounts(db)
    actor.sign_in(made[ADMIN].as_actor())
    window = _window(qtbot, db, db_path)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.gate.form.secret, PINS[ADMIN])
    qtbot.keyClick(window.gate.form.secret, Qt.Key.Key_Return)
    assert actor.signed_in().login == ADMIN
    window.close_database()  # as a restore does (gui.backup_restore), then the file again
    assert window.reopen_database()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.gate and window.gate.db is window.db
    qtbot.keyClicks(window.gate.form.secret, PINS[ADMIN])
    qtbot.keyClick(window.gate.form.secret, Qt.Key.Key_Return)
    assert actor.signed_in().login == ADMIN and window.pages.currentWidget() is window.body
