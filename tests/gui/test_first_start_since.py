"""The first start asks the day the office's unit began work (a commune formed in the 2025
reorganisation: 01/07/2025), typed by real keys and stored as the unit's valid_from; a wrong
or future day is named under the field and nothing is saved."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tests.gui.test_first_start_slot import choose, filled

pytestmark = pytest.mark.slot_unconfirmed


def _unit_since(db):
    return db.execute("SELECT valid_from FROM units").fetchall()


def test_a_commune_formed_on_1_july_2025_is_stored_from_that_day(qtbot, db, db_path):
    dialog = filled(qtbot, db, db_path)
    choose(qtbot, dialog.only)
    qtbot.keyClicks(dialog.since.edit, "01/07/2025")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert [tuple(row) for row in _unit_since(db)] == [("2025-07-01",)]


def test_left_empty_the_unit_has_no_start_day(qtbot, db, db_path):
    dialog = filled(qtbot, db, db_path)
    choose(qtbot, dialog.only)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and [tuple(r) for r in _unit_since(db)] == [(None,)]


@pytest.mark.parametrize("typed, words", [("31/06/2025", "chỉ có 30 ngày"),
                                          ("future", "còn sau hôm nay")])
def test_a_wrong_or_future_day_is_named_and_nothing_saved(qtbot, db, db_path, typed, words):
    dialog = filled(qtbot, db, db_path)
    choose(qtbot, dialog.only)
    if typed == "future":
        typed = (dialog.today + dt.timedelta(days=40)).strftime("%d/%m/%Y")
    qtbot.keyClicks(dialog.since.edit, typed)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and words in dialog.form.errors["valid_from"].text()
    assert _unit_since(db) == []
