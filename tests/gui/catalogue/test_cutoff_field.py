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
    assert "border" in line.styleSheet() and "giờ 24:00 không có" in line.toolTip()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    error = tab.form.errors["same_day_cutoff"]
    assert not error.isHidden()
    # the import's words too (core.typed_dates.parse_cutoff, the one rule)
    assert error.text() == "Giờ chốt (trả trong ngày): giờ 24:00 không có (giờ từ 00:00 đến 23:59)."
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


def _open(qtbot, tab, code: str) -> None:
    proxy = tab.table.model()
    row = [proxy.index(r, 0).data() for r in range(proxy.rowCount())].index(code)
    rect = tab.table.visualRect(proxy.index(row, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _rules(db, code: str) -> list:
    return db.execute("SELECT * FROM procedure_rules WHERE procedure_code = ?", [code]).fetchall()


def test_a_cutoff_an_older_version_stored_opens_and_saves_again_untouched(qtbot, db, office):
    """An older version kept "24:00" (core.calendar's parse_hhmm reads it: the end of the day).
    It opened red and the procedure could be saved again only after the clerk retyped the time
    (which changed its rule). Now it shows as stored, not red, its tooltip saying what it
    means; saving untouched keeps it byte for byte, with no rule change; a new 24:00 typed over
    another procedure's time is refused by the rule the import applies too."""
    with transaction(db) as conn:
        conn.execute("UPDATE procedures SET same_day_cutoff = '24:00' WHERE code = '1.001612'")
    rules_before = _rules(db, "1.001612")
    tab = _tab(qtbot, db)
    _open(qtbot, tab, "1.001612")
    line = tab.edits["same_day_cutoff"].edit
    assert line.text() == "24:00" and line.styleSheet() == ""
    assert "hết ngày" in line.toolTip() and "giữ nguyên" in line.toolTip()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.saved_label.text().startswith("Đã lưu thủ tục 1.001612"),
                    timeout=10000)
    assert tab.form.errors["same_day_cutoff"].isHidden()
    assert _stored(db, "1.001612") == "24:00" and _rules(db, "1.001612") == rules_before
    assert line.text() == "24:00" and line.styleSheet() == ""
    # ↓ steps down from it as from any time (a change of rule, saved only when asked)
    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_Down)
    assert line.text() == "23:55"
    # another procedure: 24:00 typed is a new time, refused as the import refuses it
    _open(qtbot, tab, "1.004227")
    assert line.text() == "" and line.styleSheet() == ""
    line.setFocus()
    qtbot.keyClicks(line, "24:00")
    assert "giờ 24:00 không có" in line.toolTip() and "border" in line.styleSheet()
    # the code typed over is another procedure's: the kept 24:00 is not carried to it
    _open(qtbot, tab, "1.001612")
    tab.edits["code"].setFocus()
    tab.edits["code"].selectAll()
    qtbot.keyClicks(tab.edits["code"], "1.999999")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "giờ 24:00 không có" in tab.form.errors["same_day_cutoff"].text()
    assert _stored(db, "1.999999") == "absent"


def test_a_cutoff_after_office_hours_is_kept_and_said_what_it_means(qtbot, db, office):
    """A cut-off of 18:00 (office hours end at 17:00) is not refused — an older version, another
    installation or an import may have stored it — but said under the field and in the list:
    a dossier received after 17:00 is due the next working day (core.due.same_day_cutoff)."""
    tab = _tab(qtbot, db)
    _new_same_day(qtbot, tab, "1.000006")
    note = tab.cutoff_note
    line = tab.edits["same_day_cutoff"].edit
    line.setFocus()
    qtbot.keyClicks(line, "16:30")
    assert note.isHidden()
    line.selectAll()
    qtbot.keyClicks(line, "18:00")
    assert not note.isHidden() and line.styleSheet() == ""
    assert note.text() == ("Giờ chốt 18:00 muộn hơn giờ kết thúc làm việc (17:00): hồ sơ nhận "
                           "đến 17:00 trả trong ngày, nhận sau 17:00 trả vào ngày làm việc tiếp "
                           "theo.")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _stored(db, "1.000006") != "absent", timeout=10000)
    assert _stored(db, "1.000006") == "18:00"
    proxy = tab.table.model()
    row = [proxy.index(r, 0).data() for r in range(proxy.rowCount())].index("1.000006")
    assert proxy.index(row, 2).data(Qt.ItemDataRole.ToolTipRole) == (
        "trả trong ngày (nhận sau 17:00 thì trả ngày làm việc tiếp theo; giờ chốt 18:00 muộn "
        "hơn giờ làm việc)")
    # another limit unit: the cut-off does not count, nothing is said
    unit = tab.edits["limit_unit"]
    unit.setFocus()
    qtbot.keyClick(unit, Qt.Key.Key_Up)
    assert unit.currentData() != "same_day" and note.isHidden()
