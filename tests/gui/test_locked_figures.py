"""Nothing of the office's figures shows at the gate: the votes of the last hour appeared in the
status bar of the sign-in screen once a poll or a vote recounted them, to whoever sat at a
locked counter."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from db import actor
from tests.gui.accounts_setup import CLERK, make_accounts
from tests.gui.conftest import add_catalogue
from tests.gui.test_signin import gate_shown, open_window, sign_in

pytestmark = pytest.mark.signed_out

COUNT = "Phiếu đánh giá 1 giờ qua (X01): 0"


def test_the_votes_of_the_hour_show_only_to_a_signed_in_clerk(qtbot, db, db_path):
    make_accounts(db)
    add_catalogue(db)
    QSettings().setValue("kiosk/unit", "X01")  # the kiosk last opened on this PC
    window = open_window(qtbot, db, db_path)
    assert gate_shown(window)
    window.kiosk_link.update_count()  # as a poll or a vote of the kiosk does, gate or not
    assert not window.kiosk_label.isVisible()
    window.data_changed()
    assert not window.kiosk_label.isVisible() and not window.counts_label.isVisible()

    sign_in(qtbot, window, CLERK)
    assert actor.signed_in() is not None and not gate_shown(window)
    assert window.kiosk_label.isVisible() and window.kiosk_label.text() == COUNT
    assert window.counts_label.isVisible()

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # sign out
    assert gate_shown(window) and actor.signed_in() is None
    assert not window.kiosk_label.isVisible() and not window.counts_label.isVisible()
    window.kiosk_link.update_count()
    window.data_changed()
    assert not window.kiosk_label.isVisible()


def test_the_retention_reminder_goes_with_the_administrator_at_sign_out(qtbot, db, db_path,
                                                                         monkeypatch):
    """The administrator's reminder (dossiers due for anonymising) was left shown on the gate
    after Ctrl+L, till the next recount."""
    from core.privacy import retention
    from gui.privacy.window import forget_reminder
    from tests.gui.accounts_setup import ADMIN

    make_accounts(db)
    add_catalogue(db)
    monkeypatch.setattr(retention, "reminder", lambda _db, today=None: "3 hồ sơ … cần ẩn danh")
    forget_reminder()
    window = open_window(qtbot, db, db_path)
    sign_in(qtbot, window, ADMIN)
    assert window.privacy_label.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # sign out
    assert gate_shown(window) and not window.privacy_label.isVisible()
    window.update_status()  # a recount at the gate
    assert not window.privacy_label.isVisible()
    forget_reminder()
