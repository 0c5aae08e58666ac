"""The first start asks the day the office's unit began work (a commune formed in the 2025
reorganisation: 01/07/2025, filled in when it is picked from the shipped list), typed by real
keys and stored as the unit's valid_from; a wrong or future day is named under the field and
nothing is saved."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from gui import first_start
from tests.gui.test_demo_and_first_start import window_on
from tests.gui.test_first_start_slot import choose, filled

pytestmark = pytest.mark.slot_unconfirmed


def _unit_since(db):
    return [tuple(row) for row in db.execute("SELECT valid_from FROM units").fetchall()]


def typed_unit(qtbot, db, db_path):
    """A unit not in the shipped list, its name typed."""
    window = window_on(qtbot, db, db_path)
    dialog = first_start.offer(window)
    dialog.unit.setEditText("UBND xã Tân Hòa")  # typing into the combo's completer aborts offscreen
    qtbot.keyClicks(dialog.code, "000.31.27.H99")
    choose(qtbot, dialog.only)
    return dialog


def test_a_listed_commune_of_the_2025_arrangement_starts_on_1_july_2025(qtbot, db, db_path):
    dialog = filled(qtbot, db, db_path)
    assert dialog.since.edit.text() == "01/07/2025"
    choose(qtbot, dialog.only)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and _unit_since(db) == [("2025-07-01",)]


def test_a_typed_unit_takes_the_day_typed(qtbot, db, db_path):
    dialog = typed_unit(qtbot, db, db_path)
    assert dialog.since.edit.text() == ""
    qtbot.keyClicks(dialog.since.edit, "01/07/2025")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and _unit_since(db) == [("2025-07-01",)]


def test_left_empty_the_unit_has_no_start_day(qtbot, db, db_path):
    dialog = typed_unit(qtbot, db, db_path)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and _unit_since(db) == [(None,)]


@pytest.mark.parametrize("typed, words", [("31/06/2025", "chỉ có 30 ngày"),
                                          ("future", "còn sau hôm nay")])
def test_a_wrong_or_future_day_is_named_and_nothing_saved(qtbot, db, db_path, typed, words):
    dialog = typed_unit(qtbot, db, db_path)
    if typed == "future":
        typed = (dialog.today + dt.timedelta(days=40)).strftime("%d/%m/%Y")
    qtbot.keyClicks(dialog.since.edit, typed)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and words in dialog.form.errors["valid_from"].text()
    assert _unit_since(db) == []
