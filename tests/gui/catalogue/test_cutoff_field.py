"""Danh mục thủ tục: the same-day cut-off is the typed time field of the office hours
(gui.date_fields.time_field, read by core.typed_dates.parse_clock): ↑/↓ move it by 5 minutes,
a wrong time is framed red as it is typed, empty is the common cut-off (core.due). It was a
plain line read only when saved."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from core.due import DEFAULT_CUTOFF
from db.connection import transaction
from gui.catalogue.screen import CatalogueScreen
from gui.date_fields import TypedDate

TODAY = dt.date(2025, 6, 11)


def _tab(qtbot, db):
    screen = CatalogueScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.tabs.setCurrentWidget(screen.procedures)
    screen.refresh()
    qtbot.screen = screen  # kept alive while the test uses its tab
    return screen.procedures


def _new_same_day(qtbot, tab, code: str) -> None:
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(tab.edits["code"], code)
    qtbot.keyClicks(tab.edits["name"], "Chung thuc chu ky")  # QTest types ASCII only
    unit = tab.edits["limit_unit"]
    unit.setFocus()
    while unit.currentData() != "same_day":
        qtbot.keyClick(unit, Qt.Key.Key_Down)
    level = tab.edits["online_level"]
    level.setFocus()
    qtbot.keyClick(level, Qt.Key.Key_Down)


def _stored(db, code: str):
    row = db.execute("SELECT same_day_cutoff FROM procedures WHERE code = ?", [code]).fetchone()
    return row[0] if row else "absent"


def test_the_cutoff_is_typed_as_the_office_hours_are_and_moves_by_five_minutes(qtbot, db, office):
    tab = _tab(qtbot, db)
    field = tab.edits["same_day_cutoff"]
    assert isinstance(field, TypedDate) and field.clock and field.optional
    _new_same_day(qtbot, tab, "1.000003")
    line = field.edit
    line.setFocus()
    qtbot.keyClicks(line, "15h30")
    qtbot.keyClick(line, Qt.Key.Key_Up)  # the time field's step, as in Cài đặt
    assert line.text() == "15:35"
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _stored(db, "1.000003") != "absent", timeout=10000)
    assert _stored(db, "1.000003") == "15:35"


def test_a_wrong_cutoff_is_red_as_typed_and_nothing_is_saved(qtbot, db, office):
    tab = _tab(qtbot, db)
    _new_same_day(qtbot, tab, "1.000004")
    line = tab.edits["same_day_cutoff"].edit
    line.setFocus()
    qtbot.keyClicks(line, "24:00")
    assert "border" in line.styleSheet() and "giờ 24 không có" in line.toolTip()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    error = tab.form.errors["same_day_cutoff"]
    assert not error.isHidden()
    assert error.text() == "Giờ chốt (trả trong ngày): giờ 24 không có (giờ từ 0 đến 23)."
    assert _stored(db, "1.000004") == "absent"


def test_an_empty_cutoff_stays_empty_the_common_one(qtbot, db, office):
    tab = _tab(qtbot, db)
    _new_same_day(qtbot, tab, "1.000005")
    line = tab.edits["same_day_cutoff"].edit
    assert DEFAULT_CUTOFF in line.toolTip()  # what empty means, said where it is typed
    line.setFocus()
    qtbot.keyClicks(line, "9")
    qtbot.keyClick(line, Qt.Key.Key_Backspace)
    assert line.text() == "" and line.styleSheet() == ""  # empty is not wrong
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _stored(db, "1.000005") != "absent", timeout=10000)
    assert _stored(db, "1.000005") is None


def test_a_cutoff_an_older_version_stored_is_shown_as_stored_and_named(qtbot, db, office):
    """Before this round the catalogue and the import kept "24:00" as typed (core.calendar's
    parse_hhmm reads it: the end of the day). Shown as stored, red with the rule's words; the
    procedure is saved again only with a time the rule reads, and nothing fails."""
    with transaction(db) as conn:
        conn.execute("UPDATE procedures SET same_day_cutoff = '24:00' WHERE code = '1.001612'")
    tab = _tab(qtbot, db)
    proxy = tab.table.model()
    row = [proxy.index(r, 0).data() for r in range(proxy.rowCount())].index("1.001612")
    rect = tab.table.visualRect(proxy.index(row, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    line = tab.edits["same_day_cutoff"].edit
    assert line.text() == "24:00" and "giờ 24 không có" in line.toolTip()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "giờ 24 không có" in tab.form.errors["same_day_cutoff"].text()
    assert _stored(db, "1.001612") == "24:00"
    # a procedure whose cut-off the rule reads shows it as the rule writes it
    row = [proxy.index(r, 0).data() for r in range(proxy.rowCount())].index("1.004227")
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=tab.table.visualRect(proxy.index(row, 0)).center())
    assert line.text() == "" and line.styleSheet() == ""
