"""«Máy gửi gói đã biết» from the Dữ liệu menu, with real clicks: the administrator sees the
sender whose key a signed import pinned, and forgets it after a clear question, through the
same core.exchange.signing.forget as `exchange forget-key` (recorded in setting_changes); a
clerk is not offered the item."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core import installation
from core.database import open_database
from core.exchange import signing
from core.exchange.merge import import_packages
from db import actor
from gui.known_senders import KnownSendersDialog
from gui.main_window import MainWindow
from tests.gui.accounts_setup import ADMIN, CLERK, make_accounts
from tests.gui.clicks import click, menu_pick
from tests.gui.test_packages import counter_package, open_dialog, shown

__all__ = ["counter_package"]


def _window(qtbot, db, db_path, login: str) -> MainWindow:
    actor.sign_in(make_accounts(db)[login].as_actor())
    win = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(win)
    return win


def test_the_admin_sees_the_sender_and_forgets_its_key(
        qtbot, db, db_path, office, tmp_path, message_boxes, counter_package):
    window = _window(qtbot, db, db_path, ADMIN)
    menu_pick(qtbot, window, window.known_senders_action)
    dialog = open_dialog(qtbot, KnownSendersDialog)
    assert dialog.empty.isVisible() and dialog.empty.text() == signing.NO_SENDER_VI
    assert not dialog.table.isVisible() and not dialog.forget_button.isVisible()
    dialog.reject()
    package, _codes = counter_package
    assert import_packages(db, [package]).written
    sender = open_database(tmp_path / "counter.db")
    ident = installation.installation_id(sender)
    sender.close()
    menu_pick(qtbot, window, window.known_senders_action)
    qtbot.waitUntil(lambda: any(d is not dialog for d in shown(KnownSendersDialog)))
    dialog = [d for d in shown(KnownSendersDialog) if d is not dialog][-1]
    [row] = signing.known_senders(db)
    assert dialog.table.rowCount() == 1 and not dialog.empty.isVisible()
    cells = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert cells[0] == f"máy {ident[:8]}\n{ident}" and cells[2] == row.fingerprint
    assert cells[4] == "quay2.zip" and cells[3] == row.pinned_at
    rect = dialog.table.visualItemRect(dialog.table.item(0, 2))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    # "Không" (the default) first: nothing forgotten
    click(qtbot, dialog.forget_button)
    assert message_boxes[-1][1] == "Quên khoá máy gửi"
    asked = message_boxes[-1][2]
    assert ident in asked and "máy mới" in asked and "thật sự đã được cài lại" in asked
    assert signing.pinned(db, ident) is not None and dialog.table.rowCount() == 1
    before = db.execute("SELECT COUNT(*) FROM setting_changes").fetchone()[0]
    message_boxes.answer = QMessageBox.StandardButton.Yes
    click(qtbot, dialog.forget_button)
    assert signing.pinned(db, ident) is None
    assert dialog.table.rowCount() == 0 and dialog.empty.isVisible()
    old, new, who = db.execute(
        "SELECT old_value, new_value, actor FROM setting_changes WHERE key = ? "
        "ORDER BY id DESC", [signing.PIN_PREFIX + ident]).fetchone()
    assert old is not None and new is None and who == ADMIN
    assert db.execute("SELECT COUNT(*) FROM setting_changes").fetchone()[0] == before + 1


def test_a_clerk_is_not_offered_the_known_senders(qtbot, db, db_path, office):
    window = _window(qtbot, db, db_path, CLERK)
    window.show()
    assert not window.known_senders_action.isVisible()
