"""The first start asks which PC of how many issues dossier codes (spec 4, issue 16 §3): by
real clicks, neither answer preselected, nothing saved until one is chosen."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from core import installation
from gui import first_start
from tests.gui.test_demo_and_first_start import window_on

pytestmark = pytest.mark.slot_unconfirmed


def choose(qtbot, radio) -> None:
    """Click a radio button on its circle (its middle may be blank space past its words)."""
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))


def filled(qtbot, db, db_path):
    window = window_on(qtbot, db, db_path)
    dialog = first_start.offer(window)
    assert dialog is not None and dialog.isVisible()
    assert not dialog.only.isChecked() and not dialog.shared.isChecked()
    dialog.unit.setCurrentIndex(dialog.unit.findText("UBND xã Văn Quan"))
    qtbot.keyClicks(dialog.code, "000.31.27.H37")
    return dialog


def test_the_first_start_asks_which_pc_of_how_many_this_is(qtbot, db, db_path):
    dialog = filled(qtbot, db, db_path)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # the slot unanswered
    assert dialog.isVisible() and "máy số mấy" in dialog.form.errors["code_slot"].text()
    assert not installation.slot_confirmed(db)
    assert db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0
    assert not dialog.slot_number.isEnabled()
    choose(qtbot, dialog.shared)
    assert dialog.slot_number.isEnabled() and dialog.slot_of.isEnabled()
    for spin, value in ((dialog.slot_of, "3"), (dialog.slot_number, "2")):
        spin.lineEdit().selectAll()
        qtbot.keyClicks(spin, value)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert installation.slot_confirmed(db) and installation.slot(db) == (2, 3)


def test_the_only_pc_of_its_unit_says_so_in_one_click(qtbot, db, db_path):
    dialog = filled(qtbot, db, db_path)
    choose(qtbot, dialog.only)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and installation.slot(db) == (1, 1)
    assert installation.slot_confirmed(db)


def test_answering_later_leaves_the_slot_unconfirmed(qtbot, db, db_path):
    dialog = filled(qtbot, db, db_path)
    qtbot.mouseClick(dialog.later_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and not installation.slot_confirmed(db)


def test_a_clerk_on_an_unconfirmed_file_is_told_whom_to_ask(qtbot, db, db_path):
    from core import dossiers as D
    from core.errors import OperationError
    from db import actor
    from gui.main_window import MainWindow
    from tests.core.factories import add_procedures, add_units
    from tests.gui.accounts_setup import CLERK, make_accounts
    add_units(db)
    add_procedures(db)
    actor.sign_in(make_accounts(db)[CLERK].as_actor())
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.show()
    assert "chưa được xác nhận số hiệu cấp mã" in window.home_note.text()
    assert window.home_note.isVisible() and window.home_note.width() <= window.width()
    with pytest.raises(OperationError, match="Dữ liệu → Máy này trong nhóm trao đổi"):
        D.create_dossier(db, unit_code="U1", procedure_code="P.WD2", applicant_name="Khách")


def test_a_clerk_on_an_older_read_only_file_that_issued_codes_is_not_asked(
        qtbot, tmp_path, monkeypatch):
    """An older version's file that issued codes, opened read-only: it is the 1 of 1 its
    writable opening records (core.installation.slot_confirmed), so no step is asked that
    cannot be saved on this file."""
    from core import database
    from db import actor
    from gui.main_window import MainWindow
    from tests.core.test_code_slot import older_file
    from tests.gui.accounts_setup import CLERK, make_accounts
    path = tmp_path / "cu.db"
    older_file(path, last=3)
    db = database.open_database(path)
    db.execute("DELETE FROM settings WHERE key = ?", [installation.SLOT_KEY])  # as it was
    db.conn.commit()
    accounts = make_accounts(db)
    db.close()
    monkeypatch.setattr(database, "writable", lambda path: False)
    db = database.open_database(path, mode="browse")
    try:
        assert db.read_only
        actor.sign_in(accounts[CLERK].as_actor())
        window = MainWindow(db, str(path), auto_backup=False)
        qtbot.addWidget(window)
        window.show()
        assert not window.home_note.isVisible() and window.home_note.text() == ""
        window.close()
    finally:
        db.close()
