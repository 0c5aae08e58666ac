"""The Đánh giá screen's paper-vote form: recorded once however often «Lưu phiếu» is clicked
(try25 F1), opened on the signed-in clerk's unit also after a change of clerk (F2), and shown
to a leader greyed with the reason instead of editable without its button (F5)."""
from __future__ import annotations

import datetime as dt

from core import accounts
from db import actor
from gui.main_window import MainWindow
from gui.votes import VotesScreen
from tests.gui.accounts_setup import pick_account, type_secret_and_enter
from tests.gui.clicks import click, menu_pick
from tests.gui.dossiers.test_intake_once import queue_clicks

PASSWORD = "matkhau123"
PINS = {"quantri": "1111", "canbo.dgiap": "2222", "canbo.trcac": "3333", "lanhdao": "4444"}


def people(db) -> dict[str, accounts.Account]:
    made = {"quantri": accounts.create_account(db, "quantri", "Trần Quản Trị", ["admin"],
                                               PASSWORD, pin=PINS["quantri"])}
    with actor.acting_as(made["quantri"].as_actor()):
        for login, name, roles, unit in (("canbo.dgiap", "Nguyễn Thị Giáp", ["clerk"], "X01"),
                                         ("canbo.trcac", "Lê Văn Các", ["clerk"], "X02"),
                                         ("lanhdao", "Hoàng Văn Đạo", ["leader"], "H01")):
            made[login] = accounts.create_account(db, login, name, roles, PASSWORD,
                                                  pin=PINS[login], unit_code=unit)
    return made


def switch_to(qtbot, window, login: str) -> None:
    menu_pick(qtbot, window, window.switch_action)
    pick_account(qtbot, window.gate.form, login)
    type_secret_and_enter(qtbot, window.gate.form, PINS[login])
    assert actor.signed_in().login == login


def test_two_queued_clicks_on_save_record_one_vote_and_no_error(qtbot, db, office):
    screen = VotesScreen(db, today=dt.date(2025, 6, 11))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    screen.rating.set_value("satisfied")
    screen.comment.setPlainText("Nhanh gọn")
    queue_clicks(screen.save_button)
    qtbot.wait(200)
    assert db.execute("SELECT rating, comment FROM votes").fetchall() == [("satisfied", "Nhanh gọn")]
    # the second click found the form cleared for the next vote: it says nothing, where it
    # said "choose a level" under a vote just saved (a clerk would type it in again)
    assert screen.form.errors["rating"].isHidden()
    screen.rating.set_value("neutral")  # the next vote, even at once, is recorded
    click(qtbot, screen.save_button)
    assert db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 2


def test_the_form_follows_the_clerk_and_is_greyed_with_why_for_a_leader(qtbot, db, db_path,
                                                                          office):
    made = people(db)
    actor.sign_in(made["canbo.dgiap"].as_actor())
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.show()
    screen = window.show_screen("votes")
    assert screen.unit_box.currentData() == "X01"  # the clerk's unit, not H01 (the first)
    assert screen.form.isEnabled() and screen.save_button.isEnabled()
    assert screen.view_only.isHidden()

    switch_to(qtbot, window, "canbo.trcac")  # the next clerk at the shared PC
    screen = window.show_screen("votes")
    assert screen.unit_box.currentData() == "X02"

    switch_to(qtbot, window, "lanhdao")
    screen = window.show_screen("votes")
    # the form is there to read, greyed, its button too, and a line says who may record
    assert not screen.form.isEnabled() and not screen.rating.isEnabled()
    assert screen.save_button.isVisible() and not screen.save_button.isEnabled()
    assert screen.view_only.isVisible()
    assert screen.view_only.text() == ("Chỉ xem: cần quyền ghi nhận, huỷ phiếu đánh giá (tài "
                                       "khoản cán bộ tiếp nhận) để nhập phiếu.")

    switch_to(qtbot, window, "canbo.dgiap")  # and back: editable, no note, its unit again
    screen = window.show_screen("votes")
    assert screen.form.isEnabled() and screen.save_button.isEnabled()
    assert screen.view_only.isHidden() and screen.unit_box.currentData() == "X01"
