"""Dated rules in Danh mục and Cài đặt (spec 2.1), the online level chosen explicitly, and the
session end in the dossier window (spec 2.2). TODAY is the frozen NOW of conftest (11/06/2025)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from core import dossiers
from db import settings
from gui import bus
from gui.catalogue.screen import CatalogueScreen
from gui.dossiers.detail import DossierDialog
from gui.settings.screen import SettingsScreen
from tests.stored_facts import stored_facts

TODAY = dt.date(2025, 6, 11)
click = lambda qtbot, button: qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # noqa: E731


def state(db):
    return db.execute("SELECT id, calc_due_at, facts FROM dossiers ORDER BY id").fetchall()


def select_procedure(qtbot, tab, code):
    proxy = tab.table.model()
    row = [proxy.index(r, 0).data() for r in range(proxy.rowCount())].index(code)
    rect = tab.table.visualRect(proxy.index(row, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.edits["code"].text() == code


def test_a_retroactive_procedure_change_lists_its_impact_and_waits_for_yes(qtbot, db, office):
    screen = CatalogueScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.tabs.setCurrentWidget(screen.procedures)
    screen.refresh()
    tab = screen.procedures
    select_procedure(qtbot, tab, "2.000635")
    tab.edits["limit_value"].setValue(0.5)  # 4 working hours instead of 1 working day
    tab.edits["valid_from"].set_value(dt.date(2025, 6, 1))
    before = state(db)

    click(qtbot, tab.save_button)
    qtbot.waitUntil(lambda: tab.retro_dialog is not None, timeout=10000)  # previewed in a worker
    dialog = tab.retro_dialog
    text = dialog.details.text()
    assert "Áp dụng từ ngày 01/06/2025: 2 hồ sơ" in text and "1 hồ sơ đang giải quyết" in text
    assert "1 hồ sơ đã giải quyết đổi kết quả: 1 trước hạn → đúng hạn" in text
    click(qtbot, dialog.cancel_button)
    assert state(db) == before  # "Không áp dụng" keeps everything as it was
    assert db.execute("SELECT limit_value FROM procedures WHERE code = '2.000635'").fetchone()[0] == 1

    click(qtbot, tab.save_button)
    qtbot.waitUntil(lambda: tab.retro_dialog is not None, timeout=10000)
    with qtbot.waitSignal(bus.bus().changed, timeout=10000):
        click(qtbot, tab.retro_dialog.apply_button)
    done = office["Phạm Minh Đức"]
    due = db.execute("SELECT calc_due_at FROM dossiers WHERE id = ?", [done]).fetchone()[0]
    facts = stored_facts(db, "id = ?", [done])[0]
    assert due == "2025-06-03 15:00:00" and facts["c"]["po"] == "on_time"
    assert db.execute("SELECT valid_from, valid_until, limit_value FROM procedure_rules "
                      "WHERE procedure_code = '2.000635'").fetchall() == [
        ("0001-01-01", "2025-06-01", 1.0)]


def test_a_new_procedure_needs_its_online_level_chosen(qtbot, db, office):
    screen = CatalogueScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.tabs.setCurrentWidget(screen.procedures)
    screen.refresh()
    tab = screen.procedures
    click(qtbot, tab.new_button)
    assert tab.edits["online_level"].currentIndex() == -1  # no level until one is picked
    qtbot.keyClicks(tab.edits["code"], "1.000001")
    qtbot.keyClicks(tab.edits["name"], "Cap giay xac nhan")  # QTest types Latin-1 only
    tab.edits["limit_value"].setValue(5)
    click(qtbot, tab.save_button)
    error = tab.form.errors["online_level"]
    assert not error.isHidden() and "Chọn mức dịch vụ công trực tuyến" in error.text()
    assert db.execute("SELECT COUNT(*) FROM procedures WHERE code = '1.000001'").fetchone()[0] == 0

    combo = tab.edits["online_level"]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the first level, chosen from the keyboard
    assert combo.currentIndex() == 0
    click(qtbot, tab.save_button)
    assert db.execute("SELECT online_level FROM procedures WHERE code = '1.000001'"
                      ).fetchone()[0] == "full"


def test_office_hours_from_a_past_date_list_the_change_and_apply_on_yes(qtbot, db, office):
    screen = SettingsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    screen.session_edits[0][0].set_value(dt.time(7, 30))
    screen.hours_from.set_value(dt.date(2025, 6, 5))
    kept = [row for row in state(db) if row[0] in (office["Lê Thị Hà"], office["Phạm Minh Đức"])]

    click(qtbot, screen.hours_button)
    qtbot.waitUntil(lambda: screen.retro_dialog is not None, timeout=10000)
    text = screen.retro_dialog.details.text()
    assert "Áp dụng từ ngày 05/06/2025: 2 hồ sơ" in text  # Bình (05/06) and Lan (10/06)
    with qtbot.waitSignal(bus.bus().changed, timeout=10000):
        click(qtbot, screen.retro_dialog.apply_button)
    # received before 05/06: untouched; received 05/06 14:00 (1 day): 7.5 h days from then on
    assert [row for row in state(db) if row[0] in (office["Lê Thị Hà"], office["Phạm Minh Đức"])
            ] == kept
    assert db.execute("SELECT calc_due_at FROM dossiers WHERE id = ?",
                      [office["Trần Văn Bình"]]).fetchone()[0] == "2025-06-06 14:30:00"
    assert settings.get(db, "office_hours_dated")[-1] == {
        "valid_from": "2025-06-05", "hours": [["07:30", "11:30"], ["13:30", "17:00"]]}


def test_the_dossier_window_keeps_a_17h_due_time_after_a_wait_in_the_same_minute(qtbot, db, office):
    dossier_id, _ = dossiers.create_dossier(
        db, unit_code="X01", procedure_code="1.001612", applicant_name="Vũ Thị Mai",
        channel="direct", received_at=dt.datetime(2025, 6, 11, 8, 0))
    dossiers.request_supplement(db, dossier_id, reason="Thiếu bản chính",
                                at=dt.datetime(2025, 6, 11, 9, 10, 5))
    dossiers.receive_supplement(db, dossier_id, at=dt.datetime(2025, 6, 11, 9, 10, 40))
    detail = DossierDialog(db, dossier_id)
    qtbot.addWidget(detail)
    header = detail.findChildren(type(detail.vote_label))[0].text()
    assert "Hạn trả: 17:00 11/06/2025" in header


def test_a_fractional_calendar_day_limit_is_refused_under_its_field(qtbot, db, office):
    """spec 2.2: only working days may be fractional; 2,5 calendar days was kept and counted 2."""
    screen = CatalogueScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.tabs.setCurrentWidget(screen.procedures)
    screen.refresh()
    tab = screen.procedures
    click(qtbot, tab.new_button)
    qtbot.keyClicks(tab.edits["code"], "1.000002")
    qtbot.keyClicks(tab.edits["name"], "Dang ky khai sinh")
    spin = tab.edits["limit_value"]
    spin.selectAll()
    qtbot.keyClicks(spin, f"2{spin.locale().decimalPoint()}5")  # '2,5' in the app's locale
    unit = tab.edits["limit_unit"]
    unit.setFocus()
    while unit.currentData() != "calendar_days":
        qtbot.keyClick(unit, Qt.Key.Key_Down)
    level = tab.edits["online_level"]
    level.setFocus()
    qtbot.keyClick(level, Qt.Key.Key_Down)
    assert spin.value() == 2.5
    click(qtbot, tab.save_button)
    error = tab.form.errors["limit_value"]
    assert not error.isHidden() and "số ngày nguyên" in error.text()
    assert db.execute("SELECT COUNT(*) FROM procedures WHERE code = '1.000002'").fetchone()[0] == 0


def test_a_cutoff_is_read_by_the_rule_of_typed_times(qtbot, db, office):
    """The same-day cutoff is a time of day: "15h30" is 15:30 (it was refused as not HH:MM),
    "25:00" is named under the field by the one rule (core.typed_dates.parse_clock)."""
    screen = CatalogueScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.tabs.setCurrentWidget(screen.procedures)
    screen.refresh()
    tab = screen.procedures
    click(qtbot, tab.new_button)
    qtbot.keyClicks(tab.edits["code"], "1.000003")
    qtbot.keyClicks(tab.edits["name"], "Chung thuc chu ky")
    unit = tab.edits["limit_unit"]
    unit.setFocus()
    while unit.currentData() != "same_day":
        qtbot.keyClick(unit, Qt.Key.Key_Down)
    level = tab.edits["online_level"]
    level.setFocus()
    qtbot.keyClick(level, Qt.Key.Key_Down)
    cutoff = tab.edits["same_day_cutoff"].edit  # the typed time field's line
    qtbot.keyClicks(cutoff, "25:00")
    click(qtbot, tab.save_button)
    error = tab.form.errors["same_day_cutoff"]
    assert not error.isHidden()
    assert error.text() == "Giờ chốt (trả trong ngày): giờ 25 không có (giờ từ 0 đến 23)."
    assert db.execute("SELECT COUNT(*) FROM procedures WHERE code = '1.000003'").fetchone()[0] == 0
    cutoff.selectAll()
    qtbot.keyClicks(cutoff, "15h30")
    click(qtbot, tab.save_button)
    qtbot.waitUntil(lambda: db.execute("SELECT same_day_cutoff FROM procedures WHERE code = "
                                       "'1.000003'").fetchone() is not None, timeout=10000)
    assert db.execute("SELECT same_day_cutoff FROM procedures WHERE code = '1.000003'"
                      ).fetchone()[0] == "15:30"
