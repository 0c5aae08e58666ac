"""A leader opens a copy of the centre's file at month end (round 19): the file issues no code
until the administrator says what it is (core.installation), and the window says why. Said in
the status bar, the sentence (330 characters) was cut at 1366 px, and, shown before the window
was, drawn over the account's line and the file's name. It is now a wrapped line above the
screens, whole, and the status bar keeps its own lines."""
from __future__ import annotations

import shutil

from core import accounts, installation
from core.database import open_database
from db import actor
from gui.main_window import MainWindow
from tests.gui.accounts_setup import LEADER, make_accounts
from tests.gui.conftest import add_catalogue


def test_a_copy_opened_by_a_leader_says_why_in_full_over_the_screens(qtbot, tmp_path):
    original = tmp_path / "trung-tam" / "motcua.db"
    original.parent.mkdir()
    first = open_database(original)
    add_catalogue(first)
    make_accounts(first)
    first.close()
    copy = tmp_path / "lanh-dao" / "motcua.db"
    copy.parent.mkdir()
    shutil.copy(original, copy)  # the original stays: a twin on this PC
    db = open_database(copy)
    try:
        assert installation.home(db).state == "twin"
        actor.sign_in(accounts.get(db, LEADER).as_actor())
        window = MainWindow(db, str(copy), auto_backup=False)
        qtbot.addWidget(window)
        window.resize(1366, 728)
        window.show()
        qtbot.waitExposed(window)
        said = installation.moved_message(installation.home(db))
        assert window.home_note.isVisible() and window.home_note.text() == said
        assert window.home_note.width() <= window.width()  # wrapped, not cut
        assert window.statusBar().currentMessage() == ""  # nothing over the account's line
        assert window.account_label.isVisible() and "Hoàng Văn Đạo" in window.account_label.text()
    finally:
        db.close()

