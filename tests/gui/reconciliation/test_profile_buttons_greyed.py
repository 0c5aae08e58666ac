"""A leader reconciling the province's file may use a column mapping but not save one (a saved
profile is a setting, admin's right): walk33 found «Lưu mẫu cột…», «Đổi tên…», «Xóa mẫu…»
hidden, with no word of why. They are shown greyed, the tooltip naming the right and the
accounts that have it, as a greyed menu item does (gui.permissions.needs)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from core import accounts
from core.transfer.profiles import NATIONAL_PROFILE, save_profile
from db import actor
from gui import file_dialogs
from gui.reconciliation.screen import ReconcileDialog
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.reconciliation.test_screen import choose, office  # noqa: F401

NEEDS = "Cần quyền thay đổi cài đặt (tài khoản quản trị)."


def _dialog(qtbot, db, db_path) -> ReconcileDialog:
    widget = ReconcileDialog(db, str(db_path), today=dt.date(2025, 2, 10))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _pick_profile(qtbot, box, name: str) -> None:
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    while box.currentText() != name:
        qtbot.keyClick(box, Qt.Key.Key_Down)


def test_a_leader_sees_the_profile_buttons_greyed_with_the_reason(
        qtbot, office, db_path, tmp_path, monkeypatch):  # noqa: F811
    admin = accounts.create_account(office, "quantri", "Trần Quản Trị", ["admin"], "matkhau123")
    with actor.acting_as(admin.as_actor()):
        leader = accounts.create_account(office, "lanhdao", "Hoàng Văn Đạo", ["leader"],
                                         "matkhau123")
        save_profile(office, "iGate", dict(NATIONAL_PROFILE.columns))
    actor.sign_in(leader.as_actor())
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    dialog = _dialog(qtbot, office, db_path)
    choose(qtbot, dialog)
    panel = dialog.mapping
    _pick_profile(qtbot, panel.profiles, "iGate")
    for button in (panel.save_button, panel.rename_button, panel.delete_button):
        assert button.isVisibleTo(dialog), button.text()
        assert not button.isEnabled() and NEEDS in button.toolTip(), button.text()


def test_the_administrator_still_saves(qtbot, office, db_path, tmp_path, monkeypatch):  # noqa: F811
    admin = accounts.create_account(office, "quantri", "Trần Quản Trị", ["admin"], "matkhau123")
    actor.sign_in(admin.as_actor())
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    dialog = _dialog(qtbot, office, db_path)
    choose(qtbot, dialog)
    assert dialog.mapping.save_button.isEnabled()
    assert NEEDS not in dialog.mapping.save_button.toolTip()


def test_a_sign_in_after_the_database_was_let_go_greys_without_reading_it(
        qtbot, office, db_path, tmp_path, monkeypatch):  # noqa: F811
    """The window closed stays (the main window keeps it) while the demo switch or a restore
    closes its database (MainWindow.close_database); the sign-in that follows re-applies the
    rights (permissions.apply_all): the buttons follow them without reading the closed file
    (get_profile read the saved profiles: the sign-in stopped at sqlite3.ProgrammingError)."""
    from gui import permissions

    admin = accounts.create_account(office, "quantri", "Trần Quản Trị", ["admin"], "matkhau123")
    with actor.acting_as(admin.as_actor()):
        leader = accounts.create_account(office, "lanhdao", "Hoàng Văn Đạo", ["leader"],
                                         "matkhau123")
        save_profile(office, "iGate", dict(NATIONAL_PROFILE.columns))
    actor.sign_in(admin.as_actor())
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    dialog = _dialog(qtbot, office, db_path)
    choose(qtbot, dialog)
    panel = dialog.mapping
    _pick_profile(qtbot, panel.profiles, "iGate")
    assert panel.delete_button.isEnabled()
    dialog.close()
    office.close()  # as MainWindow.close_database
    actor.sign_in(leader.as_actor())
    permissions.apply_all()
    assert not panel.delete_button.isEnabled() and NEEDS in panel.delete_button.toolTip()
