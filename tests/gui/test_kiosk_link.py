"""The clerk's app and the vote kiosk together: opening it, invitations, votes reaching the screens."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSettings, Qt

from core import dossiers, kiosk
from core.database import open_database
from gui import widgets
from gui.dossiers.detail import DossierDialog
from gui.main_window import MainWindow
from tests.gui.clicks import click, shortcut


@pytest.fixture
def window(qtbot, db, db_path, office):
    win = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(win)
    return win


@pytest.fixture
def pick_unit(monkeypatch):
    asked = []

    def get_item(parent, title, label, items, current=0):
        asked.append((items, current))
        return next(i for i in items if i.endswith("(X01)"))
    monkeypatch.setattr(widgets, "choose", get_item)
    return asked


def open_kiosk(qtbot, window):
    shortcut(qtbot, window, Qt.Key.Key_F9)  # “Mở màn hình đánh giá”
    kiosks = window.kiosk_link.open_kiosks()
    assert len(kiosks) == 1
    return kiosks[0]


def satisfaction_card(window) -> str:
    return window.screens["dashboard"].cards["satisfaction"].numbers.text()


def test_menu_opens_the_kiosk_of_the_chosen_unit(qtbot, window, pick_unit):
    kiosk_window = open_kiosk(qtbot, window)
    assert kiosk_window.unit_code == "X01" and kiosk_window.isVisible()
    assert len(pick_unit[0][0]) == 3  # three units to choose from
    assert QSettings().value("kiosk/unit") == "X01"
    assert window.kiosk_label.text() == "Phiếu đánh giá 1 giờ qua (X01): 0"
    shortcut(qtbot, window, Qt.Key.Key_F9)  # the same unit again: the open kiosk, not a second one
    assert window.kiosk_link.open_kiosks() == [kiosk_window]
    window.close()  # closing the app closes its kiosk, or the app would keep running
    assert not kiosk_window.isVisible()


def test_cancelled_unit_choice_opens_nothing(qtbot, window, monkeypatch):
    monkeypatch.setattr(widgets, "choose", lambda *a, **k: None)
    shortcut(qtbot, window, Qt.Key.Key_F9)
    assert window.kiosk_link.open_kiosks() == []


def test_returning_a_result_invites_the_citizen_on_the_kiosk(qtbot, window, db, office,
                                                              pick_unit, answer_dialogs):
    kiosk_window = open_kiosk(qtbot, window)
    lan = office["Nguyễn Thị Lan"]  # X01, received online 10/06
    dossiers.finish(db, lan, at=dt.datetime(2025, 6, 11, 9, 0))
    detail = DossierDialog(db, lan, window)
    qtbot.addWidget(detail)

    answer_dialogs.append(lambda d: d.at_edit.set_value(dt.datetime(2025, 6, 11, 9, 20)))
    click(qtbot, detail.action_buttons["return_result"])
    kiosk_window.poll()
    assert kiosk_window.invitation is not None and kiosk_window.invitation.dossier_id == lan
    banner = kiosk_window.start.findChildren(type(kiosk_window.counter))
    shown = "\n".join(label.text() for label in banner)
    assert detail.d["code"] in shown and "Nguyễn *** Lan" in shown
    assert "Nguyễn Thị Lan" not in shown
    assert "đang chờ trên màn hình đánh giá (mời lúc 09:30)" in _vote_field(detail)

    qtbot.keyClick(kiosk_window, Qt.Key.Key_1)  # the citizen taps "Rất hài lòng"
    assert db.execute("SELECT rating, source FROM votes WHERE dossier_id = ?",
                      [lan]).fetchall() == [("very_satisfied", "kiosk")]
    # the open dossier shows the vote at once, and offers no second one
    assert _vote_field(detail).startswith("Rất hài lòng (máy đánh giá, 09:30 11/06/2025)")
    assert "invite" not in detail.available() and "vote" not in detail.available()


def _vote_field(detail) -> str:
    return detail.vote_label.text()


def test_invite_button_and_a_dossier_already_rated(qtbot, window, db, office, monkeypatch):
    from gui import errors
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, *_: shown.append(exc.message))
    duc = office["Phạm Minh Đức"]  # returned, no vote yet
    detail = DossierDialog(db, duc, window)
    qtbot.addWidget(detail)
    click(qtbot, detail.action_buttons["invite"])
    assert kiosk.pending_invitation(db, "X01").dossier_id == duc
    kiosk.cast_vote(db, "X01", "satisfied", dossier_id=duc)
    click(qtbot, detail.action_buttons["invite"])  # rated meanwhile: a clear message, nothing written
    assert shown == [f"Hồ sơ {detail.d['code']} đã được đánh giá."]
    assert kiosk.pending_invitation(db, "X01") is None


def test_a_kiosk_vote_changes_the_dashboard_without_restarting(qtbot, window, db, db_path,
                                                              pick_unit):
    window.show_screen("dashboard")
    assert satisfaction_card(window).endswith(">0</a> phiếu hài lòng")
    kiosk_window = open_kiosk(qtbot, window)
    qtbot.keyClick(kiosk_window, Qt.Key.Key_2)  # in this process: the voted signal
    assert window.screens["dashboard"].result["total"]["satisfaction"]["votes"] == 1
    assert satisfaction_card(window) == ("<a href='satisfaction.satisfied'>1</a> / "
                                         "<a href='satisfaction.votes'>1</a> phiếu hài lòng")
    assert window.kiosk_label.text() == "Phiếu đánh giá 1 giờ qua (X01): 1"

    # a kiosk in another process only shares the database: the window polls last_vote_id
    window.kiosk_link.timer.setInterval(20)
    other = open_database(db_path)
    try:
        kiosk.cast_vote(other, "X01", "dissatisfied")
    finally:
        other.close()
    qtbot.waitUntil(lambda: window.screens["dashboard"].result["total"]["satisfaction"]["votes"] == 2,
                    timeout=3000)
    assert satisfaction_card(window) == ("<a href='satisfaction.satisfied'>1</a> / "
                                         "<a href='satisfaction.votes'>2</a> phiếu hài lòng")
    assert window.kiosk_label.text() == "Phiếu đánh giá 1 giờ qua (X01): 2"


def test_votes_screen_is_refreshed_when_shown_after_a_kiosk_vote(qtbot, window, pick_unit):
    votes = window.show_screen("votes")
    assert votes.model.rowCount() == 0
    window.show_screen("dashboard")
    kiosk_window = open_kiosk(qtbot, window)
    qtbot.keyClick(kiosk_window, Qt.Key.Key_4)
    assert window.show_screen("votes").model.rowCount() == 1


def test_the_unit_offered_is_the_signed_in_clerks_own(qtbot, window, db, pick_unit):
    # try25 F2: the PC's last kiosk (another clerk's unit) was offered first
    from core import accounts
    from db import actor
    admin = accounts.create_account(db, "quantri", "Trần Quản Trị", ["admin"], "matkhau123")
    with actor.acting_as(admin.as_actor()):
        clerk = accounts.create_account(db, "canbo.trcac", "Lê Văn Các", ["clerk"], "matkhau123",
                                        unit_code="X02")
    QSettings().setValue("kiosk/unit", "X01")  # the previous clerk's kiosk at this PC
    actor.sign_in(clerk.as_actor())
    assert window.kiosk_link.choose_unit() == "X01"  # pick_unit answers X01 …
    items, current = pick_unit[-1]
    assert items[current].endswith("(X02)")  # … but X02 was the one offered


def test_the_clerks_own_last_kiosk_comes_back_for_them_only(qtbot, window, db, pick_unit):
    # review25 finding 4: this login's last choice before its account's unit; never another's
    from core import accounts
    from db import actor
    admin = accounts.create_account(db, "quantri", "Trần Quản Trị", ["admin"], "matkhau123")
    with actor.acting_as(admin.as_actor()):
        made = [accounts.create_account(db, login, name, ["clerk"], "matkhau123", unit_code="X02")
                for login, name in (("canbo.trcac", "Lê Văn Các"), ("canbo.b", "Đỗ Văn Bảo"))]
    actor.sign_in(made[0].as_actor())
    assert open_kiosk(qtbot, window).unit_code == "X01"  # pick_unit answers X01
    window.kiosk_link.shutdown_all()
    window.kiosk_link.choose_unit()
    items, current = pick_unit[-1]
    assert items[current].endswith("(X01)")  # its own last kiosk, not its unit X02
    actor.sign_in(made[1].as_actor())
    window.kiosk_link.choose_unit()
    items, current = pick_unit[-1]
    assert items[current].endswith("(X02)")  # the other clerk's X01 is not offered
