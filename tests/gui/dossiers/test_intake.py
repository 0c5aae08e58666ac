"""Intake: pick a procedure by folded text, live due time with its why, code on save, errors by field."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog

from gui.dossiers.intake import IntakeDialog
from tests.gui.clicks import click


def test_completer_finds_procedure_without_diacritics(qtbot, db, office):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    completer = dialog.procedure_edit.completer_
    completer.setCompletionPrefix("trich luc")
    assert completer.completionCount() == 1
    assert completer.currentCompletion() == "2.000635 — Cấp bản sao trích lục hộ tịch"
    completer.setCompletionPrefix("HỘ TỊCH")
    assert completer.completionCount() == 1
    completer.setCompletionPrefix("1.0042")
    assert completer.currentCompletion() == "1.004227 — Đăng ký khai sinh"


def test_picking_fills_limit_fee_online_and_live_due(qtbot, db, office):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.received_edit.value() == dt.datetime(2025, 6, 11, 9, 30)
    qtbot.keyClicks(dialog.procedure_edit, "2.000635")  # an exact code picks it
    assert dialog.procedure_edit.code == "2.000635"
    assert "1 ngày làm việc" in dialog.procedure_info.text()
    assert "8.000 đ" in dialog.procedure_info.text()
    assert "toàn trình" in dialog.procedure_info.text()
    assert dialog.fee_box.value() == 8000
    assert dialog.due_label.text() == "Hạn trả kết quả: 09:30 12/06/2025"
    # received Friday 17:30 before the 2 September holidays: the why names what was skipped
    dialog.received_edit.set_value(dt.datetime(2025, 8, 29, 17, 30))
    assert dialog.due_label.text() == "Hạn trả kết quả: 17:00 03/09/2025"
    why = dialog.why_label.text()
    assert "Tính từ 07:00 Thứ Tư 03/09/2025" in why
    assert "nghỉ cuối tuần 30/08–31/08" in why
    assert "nghỉ lễ 01/09–02/09" in why


def test_save_allocates_code_and_notifies(qtbot, db, office):
    from gui import bus
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("X01"))
    dialog.procedure_edit.set_code("1.004227")
    dialog.name_edit.setText("Vũ Thị Mai")
    with qtbot.waitSignal(bus.bus().changed, timeout=1000):
        click(qtbot, dialog.save_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    dossier_id, code = dialog.created
    assert code == "X01-250611-0001"
    row = db.execute("SELECT applicant_name, status, fee FROM dossiers WHERE id = ?", [dossier_id]).fetchone()
    assert tuple(row) == ("Vũ Thị Mai", "received", None)  # the procedure's own fee


def test_mistakes_are_shown_next_to_their_field(qtbot, db, office):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    click(qtbot, dialog.save_button)
    assert dialog.form.errors["procedure_code"].text() == "Cần chọn thủ tục hành chính."
    dialog.procedure_edit.set_code("1.004227")
    click(qtbot, dialog.save_button)
    assert dialog.form.errors["applicant_name"].text() == "Cần nhập họ tên người nộp hồ sơ."
    assert dialog.form.errors["applicant_name"].isVisible()
    assert not dialog.form.errors["procedure_code"].isVisible()
    dialog.name_edit.setText("Vũ Thị Mai")
    dialog.phone_edit.setText("09x")
    click(qtbot, dialog.save_button)
    assert "Số điện thoại" in dialog.form.errors["applicant_phone"].text()
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 6  # nothing written
    assert dialog.isVisible() and dialog.created is None  # the form stays open, filled


def test_an_address_opening_with_stars_is_refused_under_its_field(qtbot, db, office):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.procedure_edit.set_code("1.004227")
    dialog.name_edit.setText("Vũ Thị Mai")
    qtbot.keyClicks(dialog.address_edit, "*** chua ro, xa Tan Lap")  # keyClicks: ASCII only
    click(qtbot, dialog.save_button)
    shown = dialog.form.errors["applicant_address"]
    assert shown.isVisible() and shown.text() == (
        "Địa chỉ không được bắt đầu hay kết thúc bằng ***: đó là dấu của địa chỉ đã che.")
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 6  # nothing written
    assert dialog.isVisible() and dialog.created is None


def test_the_first_intake_offers_the_offices_own_desk_then_the_last_one_used(qtbot, db, office):
    # a centre's file serving two desks: the first start named X02 as the office's own unit
    from PySide6.QtCore import QSettings

    from db import settings

    settings.put(db, "office_setup", {"unit_code": "X02", "date": "2025-06-01"})
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.unit_box.currentData() == "X02"  # not the first unit of the list (X01)
    QSettings().setValue("intake/unit", "X01")  # this computer's clerk last received at X01
    again = IntakeDialog(db)
    qtbot.addWidget(again)
    assert again.unit_box.currentData() == "X01"


def test_the_desk_refusal_and_the_save_state_one_rule_in_the_same_words(qtbot, db, office):
    # one rule, one place (core.validation): the refusal at the desk said "Cần ghi họ tên người
    # nộp." where a save said "Cần nhập họ tên người nộp hồ sơ."; Mẫu 03 a third wording
    import pytest

    from core import validation
    from core.errors import FieldError
    from core.pdf.forms import build_refusal
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    said = {}
    for button in (dialog.refuse_button, dialog.save_button):
        click(qtbot, button)
        said.setdefault("procedure_code", set()).add(dialog.form.errors["procedure_code"].text())
    dialog.procedure_edit.set_code("1.004227")
    for button in (dialog.refuse_button, dialog.save_button):
        click(qtbot, button)
        said.setdefault("applicant_name", set()).add(dialog.form.errors["applicant_name"].text())
    assert said == {"procedure_code": {validation.PROCEDURE_REQUIRED},
                    "applicant_name": {validation.APPLICANT_NAME_REQUIRED}}
    with pytest.raises(FieldError, match=validation.APPLICANT_NAME_REQUIRED):
        build_refusal(db, applicant_name=" ", procedure_name="Đăng ký khai sinh", reason="x")
    with pytest.raises(FieldError, match=validation.REFUSAL_REASON_REQUIRED):
        build_refusal(db, applicant_name="Vũ Đức Nam", procedure_name="Đăng ký khai sinh",
                      reason="")


def test_a_long_reception_unit_keeps_its_code_in_sight_at_1366(qtbot, db, office):
    # "Chi nhánh Trung tâm Phục vụ hành chính công tỉnh tại Văn Quan (0": the code was cut
    from PySide6.QtCore import Qt

    from core import catalogue
    catalogue.save_unit(db, "000.01.90.H37", "Chi nhánh Trung tâm Phục vụ hành chính công tỉnh "
                        "tại Văn Quan", None, None, valid_from=dt.date(2025, 1, 1))
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.resize(1180, 640)  # as on a 1366×728 screen
    dialog.show()
    qtbot.waitExposed(dialog)
    box = dialog.unit_box
    box.setFocus()
    for _ in range(box.count()):  # the clerk walks the list with the arrow keys
        if box.currentData() == "000.01.90.H37":
            break
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentData() == "000.01.90.H37"
    old_drawing = lambda: box.fontMetrics().elidedText(  # noqa: E731 - Qt's own: cut at the end
        box.currentText(), Qt.TextElideMode.ElideRight, box.width() - 30)
    shown = getattr(box, "shown_text", old_drawing)()
    assert shown.startswith("Chi nhánh") and shown.endswith("(000.01.90.H37)")
    assert "Văn Quan (000.01.90.H37)" in box.toolTip()


def test_a_cutoff_after_office_hours_at_the_desk(qtbot, db, office):
    """A same-day procedure stored with a cut-off of 18:00 (office hours end at 17:00): the
    desk says which hour counts, and a dossier received at 17:15 is due 17:00 the next working
    day, not 17:00 the same day — before its reception, overdue the instant it was saved."""
    from db.connection import transaction
    with transaction(db) as conn:
        conn.execute("UPDATE procedures SET same_day_cutoff = '18:00' WHERE code = '1.001612'")
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.procedure_edit, "1.001612")
    assert dialog.procedure_edit.code == "1.001612"
    assert ("nhận sau 17:00 thì trả ngày làm việc tiếp theo; giờ chốt 18:00 muộn hơn giờ làm "
            "việc") in dialog.procedure_info.text()
    dialog.received_edit.set_value(dt.datetime(2025, 6, 11, 16, 59))
    assert dialog.due_label.text() == "Hạn trả kết quả: 17:00 11/06/2025"
    dialog.received_edit.set_value(dt.datetime(2025, 6, 11, 17, 15))
    assert dialog.due_label.text() == "Hạn trả kết quả: 17:00 12/06/2025"
    assert "Nhận lúc 17:15, sau giờ làm việc (kết thúc 17:00; giờ chốt 18:00" in \
        dialog.why_label.text()
