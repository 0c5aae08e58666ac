"""The calendar screen: the official schedule in one click, unconfirmed days, next year's warning."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
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


def test_the_days_of_the_year_are_a_sorted_list_and_a_row_click_fills_the_form(qtbot, db):
    """The office's days are a small list model (issue 12 §2): dates by date whichever way a
    header click sorts them, and a click on a row puts that day in the form."""
    with transaction(db) as conn:  # dates whose text order (dd/mm) is not their date order
        conn.executemany("INSERT INTO calendar VALUES (?, 'holiday', ?)",
                         [("2026-03-02", "Nghỉ cơ quan"), ("2026-12-01", "Ấp nghỉ")])
    tab = tab_on(qtbot, db, D(2026, 6, 1))
    model = tab.table.model()

    def dates() -> list[str]:
        return [model.index(r, 0).data() for r in range(model.rowCount())]

    stored = [row[0] for row in db.execute(
        "SELECT date FROM calendar WHERE date LIKE '2026-%' ORDER BY date")]
    assert len(stored) >= 3
    assert dates() == [f"{d[8:10]}/{d[5:7]}/{d[:4]}" for d in stored]  # as the clerk reads it
    header = tab.table.horizontalHeader()
    for _ in range(2):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(header.sectionViewportPosition(0) + 5, header.height() // 2))
        iso = [dt.datetime.strptime(text, "%d/%m/%Y").date() for text in dates()]
        assert iso in (sorted(iso), sorted(iso, reverse=True))  # by date, not by the text
    assert iso != sorted(iso) or dates() != sorted(dates())
    last = model.rowCount() - 1
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=tab.table.visualRect(model.index(last, 0)).center())
    picked = dt.datetime.strptime(model.index(last, 0).data(), "%d/%m/%Y").date()
    assert tab.date.value() == picked
    assert tab.name.text() == model.index(last, 2).data()


def test_the_days_model_passes_the_model_tester(qtmodeltester):
    from gui.catalogue.calendar_view import CalendarDaysModel
    model = CalendarDaysModel()
    model.set_rows([("2026-01-01", "holiday", "Tết Dương lịch"), ("2026-01-03", "workday", None)])
    qtmodeltester.check(model)
    assert [model.index(1, c).data() for c in range(3)] == ["03/01/2026", "Ngày làm việc (làm bù)", ""]
