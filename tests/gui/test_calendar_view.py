"""The calendar screen: the official schedule in one click, unconfirmed days, next year's warning."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core.calendar import load_calendar
from db.connection import transaction
from gui.catalogue.calendar_view import CalendarTab

D = dt.date


def tab_on(qtbot, db, today):
    tab = CalendarTab(db, today=today)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.show()
    return tab


def test_the_culture_day_is_unconfirmed_and_confirmed_in_one_click(qtbot, db):
    tab = tab_on(qtbot, db, D(2026, 11, 2))
    assert tab.unconfirmed.isVisible()
    assert tab.view.kinds[D(2026, 11, 24)] == "unconfirmed"
    qtbot.mouseClick(tab.unconfirmed.buttons[(D(2026, 11, 24), True)], Qt.MouseButton.LeftButton)
    row = db.execute("SELECT kind, name FROM calendar WHERE date = '2026-11-24'").fetchone()
    assert row[0] == "holiday" and "đã xác nhận" in row[1]
    assert not tab.unconfirmed.isVisible()
    assert tab.view.kinds[D(2026, 11, 24)] == "holiday"


def test_dropping_the_culture_day_makes_it_a_working_day(qtbot, db):
    tab = tab_on(qtbot, db, D(2026, 11, 2))
    qtbot.mouseClick(tab.unconfirmed.buttons[(D(2026, 11, 24), False)], Qt.MouseButton.LeftButton)
    row = db.execute("SELECT kind, name FROM calendar WHERE date = '2026-11-24'").fetchone()
    assert row[0] == "workday" and "không nghỉ" in row[1]
    assert load_calendar(db).is_working_day(D(2026, 11, 24))


def test_the_official_schedule_is_listed_then_applied(qtbot, db, message_boxes):
    with transaction(db) as conn:  # a database of an older version, with its wrong make-up day
        conn.execute("DELETE FROM calendar")
        conn.execute("INSERT INTO calendar VALUES ('2025-02-08', 'workday', 'Làm bù Tết')")
    tab = tab_on(qtbot, db, D(2026, 6, 1))
    assert tab.warning.isVisible() and "khác lịch nghỉ chính thức" in tab.warning.text()
    qtbot.mouseClick(tab.official_button, Qt.MouseButton.LeftButton)  # answered "No"
    kind, title, text = message_boxes[-1]
    assert "08/02/2025: bỏ ngày làm bù" in text and "22/08/2026" in text
    assert load_calendar(db).is_working_day(D(2025, 2, 8))  # nothing written yet
    message_boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(tab.official_button, Qt.MouseButton.LeftButton)
    cal = load_calendar(db)
    assert not cal.is_working_day(D(2025, 2, 8)) and cal.is_working_day(D(2026, 8, 22))
    assert not tab.warning.isVisible()
    qtbot.mouseClick(tab.official_button, Qt.MouseButton.LeftButton)
    assert message_boxes[-1][0] == "information"  # nothing left to change


def test_next_years_missing_schedule_is_warned_from_october_not_only_december(qtbot, db):
    assert not tab_on(qtbot, db, D(2026, 9, 30)).warning.isVisible()
    october = tab_on(qtbot, db, D(2026, 10, 1))
    assert october.warning.isVisible() and "2027" in october.warning.text()
