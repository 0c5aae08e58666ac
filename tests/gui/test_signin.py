"""The gate in front of the data (issue 15 §1): the first administrator, sign-in, lock on Ctrl+L
and after idle time, unlock by password or PIN, change of clerk at a shared counter PC."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from core import accounts
from db import actor
from gui.main_window import SCREENS, MainWindow
from tests.gui.accounts_setup import (
    ADMIN,
    CLERK,
    LEADER,
    PASSWORD,
    PINS,
    make_accounts,
    pick_account,
    type_secret_and_enter,
)
from tests.gui.clicks import click, menu_pick

pytestmark = pytest.mark.signed_out


def open_window(qtbot, db, db_path):
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def gate_shown(window) -> bool:
    return (window.pages.currentWidget() is window.gate and not window.body.isVisible()
            and not window.menuBar().isVisible())


def sign_in(qtbot, window, login, secret=PASSWORD):
    form = window.gate.form
    pick_account(qtbot, form, login)
    type_secret_and_enter(qtbot, form, secret)


def test_the_first_start_creates_the_administrator_before_anything_else(qtbot, db, db_path):
    window = open_window(qtbot, db, db_path)
    window.offer_first_start = True  # as gui.app does: the office's setup comes next
    assert gate_shown(window) and actor.signed_in() is None
    first = window.gate.first_admin
    assert window.gate.pages.currentWidget() is first
    first.full_name.insert("Trần Quản Trị")  # QTest cannot type non-Latin-1 keys
    qtbot.keyClicks(first.login, "quantri")
    qtbot.keyClicks(first.password, "matkhau123")
    qtbot.keyClicks(first.password2, "matkhau12")
    click(qtbot, first.create_button)
    assert first.form.errors["password2"].text() == "Hai lần nhập mật khẩu không giống nhau."
    assert accounts.needs_first_admin(db)
    qtbot.keyClicks(first.password2, "3")
    qtbot.keyClicks(first.pin, "12")
    click(qtbot, first.create_button)
    assert first.form.errors["pin"].text() == "Mã PIN gồm 4 đến 8 chữ số."
    qtbot.keyClicks(first.pin, "34")
    click(qtbot, first.create_button)
    made = accounts.get(db, "quantri")
    assert made is not None and made.roles == {"admin"} and made.has_pin
    assert actor.signed_in().login == "quantri" and not gate_shown(window)
    assert window.account_label.text() == "Quản trị: Trần Quản Trị"
    accounts_row = [k for k, *_ in SCREENS].index("accounts")
    assert not window.nav.item(accounts_row).isHidden()
    dialog = window.first_start_dialog  # then the office's unit and header, as before
    assert dialog.isVisible()
    dialog.reject()


def test_sign_in_wrong_then_right(qtbot, db, db_path):
    made = make_accounts(db)
    window = open_window(qtbot, db, db_path)
    form = window.gate.form
    assert gate_shown(window) and form.accounts.isVisible() and not form.switch_button.isVisible()
    assert form.accounts.count() == 3 and not form.hint.isVisible()  # not the demo: no hint
    sign_in(qtbot, window, CLERK, "sai-mat-khau")
    assert form.error.text() == "Sai tên đăng nhập hoặc mật khẩu."
    assert gate_shown(window) and actor.signed_in() is None and form.secret.text() == ""
    sign_in(qtbot, window, CLERK, PINS[CLERK])  # the PIN opens a locked screen, not the start
    assert form.error.text() == "Sai tên đăng nhập hoặc mật khẩu."
    sign_in(qtbot, window, CLERK)
    assert actor.signed_in() == made[CLERK].as_actor() and not gate_shown(window)
    assert window.menuBar().isVisible() and window.counts_label.isVisible()
    assert window.account_label.text() == "Cán bộ tiếp nhận: Nguyễn Thị Tiếp"


def test_a_deactivated_or_guessed_account_is_told_why(qtbot, db, db_path):
    make_accounts(db)
    with actor.acting_as(accounts.get(db, ADMIN).as_actor()):
        accounts.update_account(db, LEADER, active=False)
    window = open_window(qtbot, db, db_path)
    form = window.gate.form
    qtbot.keyClicks(form.login, LEADER)  # not in the list any more, typed
    type_secret_and_enter(qtbot, form, PASSWORD)
    assert form.error.text() == f"Tài khoản {LEADER} đã bị khoá bởi quản trị."
    form.login.clear()
    qtbot.keyClicks(form.login, CLERK)
    for _ in range(accounts.MAX_FAILED):
        type_secret_and_enter(qtbot, form, "doan-mo-1")
    type_secret_and_enter(qtbot, form, PASSWORD)  # even the right one, for five minutes
    assert form.error.text().startswith(f"Tài khoản {CLERK} tạm khoá do nhập sai nhiều lần")
    assert actor.signed_in() is None


def signed_in_window(qtbot, db, db_path, login):
    window = open_window(qtbot, db, db_path)
    sign_in(qtbot, window, login)
    assert actor.signed_in().login == login
    return window


def test_ctrl_l_locks_hides_the_data_and_the_same_clerk_unlocks_with_the_pin(qtbot, db, db_path,
                                                                             office):
    make_accounts(db)
    window = signed_in_window(qtbot, db, db_path, CLERK)
    register = window.show_screen("dossiers")
    side = QDialog(window)  # a window of the clerk's left open beside the main one
    side.setWindowTitle("Hồ sơ đang xem")
    side.show()
    closed_modal = []

    def press_ctrl_l_in_the_dossier_window():
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(50, press_ctrl_l_in_the_dossier_window)
            return
        closed_modal.append(type(modal).__name__)
        qtbot.keyClick(modal, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    QTimer.singleShot(50, press_ctrl_l_in_the_dossier_window)
    click(qtbot, register.open_button)  # the dossier window (modal) opens
    assert closed_modal == ["DossierDialog"]
    assert gate_shown(window) and actor.signed_in() is None
    assert not register.isVisible() and not side.isVisible()
    assert QApplication.activeModalWidget() is None  # the dossier window was closed
    form = window.gate.form
    assert form.login.text() == CLERK and form.login.isReadOnly() and not form.accounts.isVisible()
    assert window.account_label.text() == "Chưa đăng nhập"
    type_secret_and_enter(qtbot, form, "9999")
    # the locked account is shown and cannot change: only the PIN is named (clerk29)
    assert form.error.text() == "Sai mã PIN." and gate_shown(window)
    type_secret_and_enter(qtbot, form, PINS[CLERK])
    assert actor.signed_in().login == CLERK and not gate_shown(window)
    assert register.isVisible() and side.isVisible()  # the same clerk finds the window as left


def test_the_window_locks_by_itself_after_the_idle_time(qtbot, db, db_path, office):
    make_accounts(db)
    window = signed_in_window(qtbot, db, db_path, CLERK)
    assert window.session.idle.interval() == 10 * 60_000  # the setting's default, 10 minutes
    window.session.set_idle_ms(400)
    register = window.show_screen("dossiers")
    for _ in range(8):  # a clerk typing keeps the window open
        qtbot.keyClick(register.search, Qt.Key.Key_A)
        qtbot.wait(100)
    assert not window.session.locked
    qtbot.waitUntil(lambda: window.session.locked, timeout=3000)
    assert gate_shown(window) and actor.signed_in() is None


def test_another_clerk_signs_in_with_pin_and_the_previous_windows_close(qtbot, db, db_path,
                                                                        office):
    make_accounts(db)
    window = signed_in_window(qtbot, db, db_path, CLERK)
    register = window.show_screen("dossiers")
    assert register.new_button.isVisible()
    side = QDialog(window)
    side.show()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert gate_shown(window)
    form = window.gate.form
    click(qtbot, form.switch_button)
    assert form.accounts.isVisible() and not form.login.isReadOnly()
    assert form.login.text() == LEADER  # the list's first other than the clerk who locked
    pick_account(qtbot, form, LEADER)
    qtbot.keyClicks(form.secret, PINS[LEADER])
    started = time.perf_counter()
    qtbot.mouseClick(form.sign_in_button, Qt.MouseButton.LeftButton)
    took = time.perf_counter() - started
    print(f"change of clerk by PIN: {took * 1000:.0f} ms (window part "
          f"{window.session.last_switch_ms:.0f} ms)")
    assert took < 2.0
    assert actor.signed_in().login == LEADER and not gate_shown(window)
    assert window.account_label.text() == "Lãnh đạo: Hoàng Văn Đạo"
    assert not side.isVisible()  # the clerk's window is not the leader's
    qtbot.waitUntil(lambda: not register.new_button.isVisible())  # a leader receives nothing
    assert not register.new_button.isVisibleTo(register)


def test_lock_and_change_of_clerk_from_the_menu(qtbot, db, db_path, office):
    make_accounts(db)
    window = signed_in_window(qtbot, db, db_path, ADMIN)
    menu_pick(qtbot, window, window.switch_action)
    form = window.gate.form
    assert gate_shown(window) and form.accounts.isVisible()
    pick_account(qtbot, form, CLERK)
    type_secret_and_enter(qtbot, form, PINS[CLERK])
    assert actor.signed_in().login == CLERK
    menu_pick(qtbot, window, window.lock_action)
    assert gate_shown(window) and form.login.text() == CLERK


def test_no_shortcut_reaches_the_data_behind_the_lock(qtbot, db, db_path, office, input_dialogs):
    make_accounts(db)
    window = signed_in_window(qtbot, db, db_path, CLERK)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert gate_shown(window)
    for key, modifier in ((Qt.Key.Key_F9, Qt.KeyboardModifier.NoModifier),
                          (Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
                          (Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)):
        qtbot.keyClick(window.gate.form.secret, key, modifier)
    assert input_dialogs == [] and QApplication.activeModalWidget() is None  # no kiosk, no intake
    assert gate_shown(window) and "dossiers" not in window.screens
    assert window.gate.form.secret.hasFocus() or not window.isActiveWindow()


def test_staff_sign_in_to_a_read_only_file(qtbot, db, db_path, monkeypatch):
    """A file on a read-only medium (issue 14) is read by its staff: a sign-in writes nothing
    unless there are wrong tries to forget, and a wrong one is told as wrong, not as read-only."""
    make_accounts(db)
    db.close()
    from core import database
    monkeypatch.setattr(database, "writable", lambda path: False)
    read_only = database.open_database(db_path, mode="browse")
    try:
        assert read_only.read_only
        window = open_window(qtbot, read_only, db_path)
        sign_in(qtbot, window, LEADER, "sai-mat-khau")
        assert window.gate.form.error.text() == "Sai tên đăng nhập hoặc mật khẩu."
        sign_in(qtbot, window, LEADER)
        assert actor.signed_in().login == LEADER and not gate_shown(window)
        assert window.read_only_note.isVisible()
        window.close()
    finally:
        read_only.close()


def test_a_job_in_the_background_goes_on_behind_the_lock(qtbot, db, db_path, office):
    import threading

    from gui import worker
    make_accounts(db)
    window = signed_in_window(qtbot, db, db_path, CLERK)
    go_on, locked, seen = threading.Event(), threading.Event(), []

    def job(_db, progress):
        step = 0
        while not go_on.wait(0.02):
            step += 1
            progress(step, 10_000)  # a long job: its progress shows after 300 ms
            if locked.is_set() and not seen:
                seen.append(actor.login())  # the window is locked: it writes for its starter
        return "xong"
    done = []
    running = worker.run_in_background(window, str(db_path), "Đang nhập dữ liệu…", job,
                                       done.append, notify=False)
    progress = next(w for w in window.findChildren(QDialog) if w.windowTitle() == "MotCua")
    qtbot.waitUntil(progress.isVisible, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert gate_shown(window) and not progress.isVisible() and running.isRunning()
    assert actor.signed_in() is None
    locked.set()
    qtbot.waitUntil(lambda: seen == [CLERK], timeout=3000)
    type_secret_and_enter(qtbot, window.gate.form, PINS[CLERK])
    assert progress.isVisible()  # the same clerk sees the job again
    go_on.set()
    worker.wait_all()
    qtbot.waitUntil(lambda: done == ["xong"], timeout=3000)


def test_a_demo_account_never_writes_into_the_real_data(qtbot, db, db_path, office):
    """Accounts belong to a database: the office's clerk goes on into the demo file, a demo
    account (its password printed on the demo's gate) must sign in again on the real one."""
    from core import paths
    from core.database import open_database
    from gui import demo_switch
    make_accounts(db)
    demo_path = paths.demo_db_path()
    demo_switch._create_marked(demo_path)
    demo = open_database(demo_path)
    try:
        admin = accounts.create_account(demo, "quantri.mau", "Quản trị mẫu", ["admin"], "motcua123")
        with actor.acting_as(admin.as_actor()):
            accounts.create_account(demo, "canbo.mau", "Cán bộ mẫu", ["clerk"], "motcua123",
                                    pin="1234")
    finally:
        demo.close()
    window = signed_in_window(qtbot, db, db_path, CLERK)
    demo_switch.switch_to(window, demo_path)
    assert window.db_path == str(demo_path) and actor.signed_in().login == CLERK
    assert not gate_shown(window)
    menu_pick(qtbot, window, window.switch_action)
    form = window.gate.form
    assert "motcua123" in form.hint.text() and form.hint.isVisible()  # the demo's hint
    pick_account(qtbot, form, "canbo.mau")
    type_secret_and_enter(qtbot, form, "1234")
    assert actor.signed_in().login == "canbo.mau"
    menu_pick(qtbot, window, window.demo_action)  # "Về dữ liệu thật"
    assert window.db_path == str(db_path)
    assert gate_shown(window) and actor.signed_in() is None
    assert not form.hint.isVisible() and form.accounts.count() == 3  # the real office's accounts


def _switch_to(qtbot, window, login):
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    form = window.gate.form
    click(qtbot, form.switch_button)
    pick_account(qtbot, form, login)
    type_secret_and_enter(qtbot, form, PINS[login])
    assert actor.signed_in().login == login and not gate_shown(window)


def test_each_account_comes_back_to_its_own_last_screen(qtbot, db, db_path, office):
    """A leader signing in after a clerk landed on the clerk's paper-vote form: the PC kept one
    last screen for everybody. Now each account opens where it left off; the first time, the
    dashboard."""
    make_accounts(db)
    window = signed_in_window(qtbot, db, db_path, CLERK)
    votes = window.nav.item([k for k, *_ in SCREENS].index("votes"))
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.nav.visualItemRect(votes).center())
    assert window.current_key() == "votes"
    _switch_to(qtbot, window, LEADER)
    assert window.current_key() == "dashboard"
    reports = window.nav.item([k for k, *_ in SCREENS].index("reports"))
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.nav.visualItemRect(reports).center())
    _switch_to(qtbot, window, CLERK)
    assert window.current_key() == "votes"
    _switch_to(qtbot, window, LEADER)
    assert window.current_key() == "reports"
    window.close()
    again = open_window(qtbot, db, db_path)  # signed out, the window opens on the PC's last one
    assert again.current_key() == "reports"
