"""A date or time a clerk types is the one the program uses (core.typed_dates, gui.date_fields.
TypedDate), with real key presses: Ctrl+A over the value shown, the new one typed. QDateEdit
and QDateTimeEdit had turned 31/02/2025 into 11/02/2025, 15/13/2025 into January, kept the
old year for "25", ignored a whole new reception time typed over "now" — and the form saved
that other moment without a word. Now a wrong text is named under its field (or beside the
days of a filter) and nothing is saved; a right one is saved exactly."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.gui.clicks import click

TODAY = dt.date(2025, 6, 11)  # conftest's frozen NOW: 09:30 11/06/2025

WRONG_DAYS = [
    ("31/02/2025", "ngày 31 không có trong tháng 2/2025 (tháng 2/2025 chỉ có 28 ngày)"),
    ("29/02/2025", "ngày 29 không có trong tháng 2/2025"),
    ("15/13/2025", "không có tháng 13"),
    ("01/06/25", "năm «25» phải đủ 4 chữ số"),
]
WRONG_MOMENTS = [(f"10:15 {day}", words) for day, words in WRONG_DAYS] + [
    ("24:30 10/06/2025", "giờ 24:30 không hợp lệ"),
    ("10/06/2025", "chưa có giờ phút"),
]


def retype(qtbot, field, text: str) -> None:
    """Click into the field, select what it shows and type `text` over it, as a clerk does."""
    qtbot.mouseClick(field.edit, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.edit, text)


def count(db, sql: str, *args) -> int:
    return db.execute(sql, args).fetchone()[0]


# ----- the reception time of a new dossier --------------------------------------------------
def intake(qtbot, db):
    from gui.dossiers.intake import IntakeDialog
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("X01"))
    dialog.procedure_edit.set_code("1.004227")
    dialog.name_edit.setText("Vũ Thị Mai")
    return dialog


@pytest.mark.parametrize("text, words", WRONG_MOMENTS)
def test_a_wrong_reception_time_is_named_and_nothing_saved(qtbot, db, office, text, words):
    before = count(db, "SELECT COUNT(*) FROM dossiers")
    dialog = intake(qtbot, db)
    retype(qtbot, dialog.received_edit, text)
    assert dialog.received_edit.text() == text  # the field shows what was typed, unchanged
    assert "chưa đúng" in dialog.due_label.text() and words in dialog.why_label.text()
    click(qtbot, dialog.save_button)
    error = dialog.form.errors["received_at"]
    assert error.isVisible() and error.text().startswith("Thời điểm tiếp nhận: ")
    assert words in error.text(), error.text()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert count(db, "SELECT COUNT(*) FROM dossiers") == before


def test_the_reception_time_typed_is_the_one_saved(qtbot, db, office):
    dialog = intake(qtbot, db)
    retype(qtbot, dialog.received_edit, "08:05 10/06/2025")
    assert dialog.due_label.text() == "Hạn trả kết quả: 08:05 11/06/2025"  # 1 working day
    click(qtbot, dialog.save_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    dossier_id, _code = dialog.created
    assert db.execute("SELECT received_at FROM dossiers WHERE id = ?", [dossier_id]
                      ).fetchone()[0] == "2025-06-10 08:05:00"


def test_a_reception_time_left_as_shown_keeps_its_seconds(qtbot, db, office, monkeypatch):
    from core import timefmt
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2025, 6, 11, 9, 30, 42))
    dialog = intake(qtbot, db)
    assert dialog.received_edit.text() == "09:30 11/06/2025"
    click(qtbot, dialog.save_button)
    dossier_id, _code = dialog.created
    assert db.execute("SELECT received_at FROM dossiers WHERE id = ?", [dossier_id]
                      ).fetchone()[0] == "2025-06-11 09:30:42"


# ----- an action's time: a payment, "Chuyển xử lý" -------------------------------------------
def open_detail(qtbot, db, dossier_id):
    from gui.dossiers.detail import DossierDialog
    detail = DossierDialog(db, dossier_id)
    qtbot.addWidget(detail)
    detail.show()
    qtbot.waitExposed(detail)
    return detail


@pytest.mark.parametrize("text, words", WRONG_MOMENTS)
def test_a_payment_time_typed_wrong_saves_nothing_then_the_right_one_exactly(
        qtbot, db, office, answer_dialogs, text, words):
    dossier_id = office["Trần Văn Bình"]  # 8.000 đ, received 14:00 05/06/2025
    detail = open_detail(qtbot, db, dossier_id)
    seen: dict = {}

    def type_wrong(dialog):
        dialog.show()
        retype(qtbot, dialog.paid_at, text)

    def read_then_type_right(dialog):  # the same dialog, shown again with the message
        seen["error"] = dialog.form.errors["paid_at"].text()
        seen["saved"] = count(db, "SELECT COUNT(*) FROM payments WHERE dossier_id = ?", dossier_id)
        retype(qtbot, dialog.paid_at, "10:15 10/06/2025")

    answer_dialogs.append(type_wrong)
    answer_dialogs.append(read_then_type_right)
    click(qtbot, detail.action_buttons["payment"])
    assert seen["error"].startswith("Thời điểm: ") and words in seen["error"], seen["error"]
    assert seen["saved"] == 0
    assert [tuple(r) for r in db.execute(
        "SELECT amount, paid_at FROM payments WHERE dossier_id = ?", [dossier_id])] == [
        (8000, "2025-06-10 10:15:00")]


def test_an_action_time_typed_is_the_one_in_the_history(qtbot, db, office, answer_dialogs):
    dossier_id = office["Nguyễn Thị Lan"]  # received 08:30 10/06/2025
    detail = open_detail(qtbot, db, dossier_id)
    seen: dict = {}

    def type_wrong(dialog):
        retype(qtbot, dialog.at_edit, "09:00 31/06/2025")

    def read_then_type_right(dialog):
        seen["error"] = dialog.form.errors["at"].text()
        seen["status"] = db.execute("SELECT status FROM dossiers WHERE id = ?",
                                    [dossier_id]).fetchone()[0]
        retype(qtbot, dialog.at_edit, "16:45 10/06/2025")

    answer_dialogs.append(type_wrong)
    answer_dialogs.append(read_then_type_right)
    click(qtbot, detail.action_buttons["start_processing"])
    assert "ngày 31 không có trong tháng 6/2025 (tháng 6/2025 chỉ có 30 ngày)" in seen["error"]
    assert seen["status"] == "received"
    assert db.execute("SELECT at FROM events WHERE dossier_id = ? AND action = 'start_processing'",
                      [dossier_id]).fetchone()[0] == "2025-06-10 16:45:00"


# ----- the register's filter ------------------------------------------------------------------
def register(qtbot, db):
    from gui.dossiers.register_view import RegisterScreen
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    screen.show()
    qtbot.waitExposed(screen)
    return screen


@pytest.mark.parametrize("text, words", WRONG_DAYS)
def test_a_wrong_filter_day_is_said_beside_the_days_and_lists_nothing(qtbot, db, office, text,
                                                                      words):
    screen = register(qtbot, db)
    assert screen.model.rowCount() == 6
    retype(qtbot, screen.date_from, text)
    qtbot.keyClick(screen.date_from.edit, Qt.Key.Key_Tab)
    assert screen.focusWidget() is screen.date_to.edit  # Tab still leaves the field
    assert screen.date_problem.isVisible() and words in screen.date_problem.text()
    assert screen.date_problem.text().startswith("Nhận từ ngày: ")
    assert screen.model.rowCount() == 0
    assert screen.summary.text().startswith("Không có danh sách: ")
    assert screen.date_from.text() == text  # never another day shown in its place


def test_the_filter_day_typed_is_the_day_filtered_and_empty_is_no_limit(qtbot, db, office):
    screen = register(qtbot, db)
    retype(qtbot, screen.date_from, "05/06/2025")
    qtbot.keyClick(screen.date_from.edit, Qt.Key.Key_Tab)
    assert screen.model.filter.date_from == dt.date(2025, 6, 5)
    assert screen.model.rowCount() == 2  # Bình (05/06) and Lan (10/06)
    assert not screen.date_problem.isVisible()
    retype(qtbot, screen.date_from, "31/02/2025")  # wrong: no list ...
    qtbot.keyClick(screen.date_from.edit, Qt.Key.Key_Backspace)  # ... "31/02/202": still wrong
    qtbot.keyClick(screen.date_from.edit, Qt.Key.Key_Tab)
    assert screen.model.rowCount() == 0 and screen.date_problem.isVisible()
    retype(qtbot, screen.date_from, "")  # emptied: "—", no limit, the whole list again
    qtbot.keyClick(screen.date_from.edit, Qt.Key.Key_Delete)
    qtbot.keyClick(screen.date_from.edit, Qt.Key.Key_Tab)
    assert screen.date_from.value() is None and screen.model.filter.date_from is None
    assert screen.model.rowCount() == 6 and not screen.date_problem.isVisible()


# ----- a settings day ----------------------------------------------------------------------------
@pytest.mark.parametrize("text, words", WRONG_DAYS)
def test_a_wrong_day_for_new_office_hours_is_named_and_nothing_changes(qtbot, db, office, text,
                                                                       words):
    from db import settings
    from gui.settings.screen import SettingsScreen
    screen = SettingsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    before = settings.get(db, "office_hours_dated")
    retype(qtbot, screen.session_edits[0][0], "7:30")
    retype(qtbot, screen.hours_from, text)
    click(qtbot, screen.hours_button)
    assert words in screen.hours_error.text(), screen.hours_error.text()
    assert screen.hours_error.text().startswith("Áp dụng từ ngày: ")
    assert screen.retro_dialog is None
    assert settings.get(db, "office_hours_dated") == before


def test_the_day_typed_for_new_office_hours_is_the_one_asked_about(qtbot, db, office):
    from gui.settings.screen import SettingsScreen
    screen = SettingsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    retype(qtbot, screen.session_edits[0][0], "7h30")
    retype(qtbot, screen.hours_from, "05/06/2025")
    click(qtbot, screen.hours_button)
    qtbot.waitUntil(lambda: screen.retro_dialog is not None, timeout=10000)
    assert "Áp dụng từ ngày 05/06/2025: 2 hồ sơ" in screen.retro_dialog.details.text()
    screen.retro_dialog.reject()


# ----- the office hours' times of day ----------------------------------------------------------
def type_over(qtbot, field, text: str) -> None:
    """Click into a time field, select all it shows (Ctrl+A) and type `text`, then Tab: what a
    clerk does, with whatever widget the field is (a QTimeEdit before, a TypedDate now)."""
    target = field.focusProxy() or field  # a TypedDate's line, the QTimeEdit itself
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    qtbot.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, Qt.Key.Key_Tab)


def hours_screen(qtbot, db):
    from gui.settings.screen import SettingsScreen
    screen = SettingsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    return screen


def test_office_hours_typed_are_saved_as_typed(qtbot, db, office):
    """A QTimeEdit saved 11:00 when 17:00 was typed over 11:30, and refused 7h30 in silence."""
    from db import settings
    screen = hours_screen(qtbot, db)
    (morning_start, morning_end), (afternoon_start, afternoon_end) = screen.session_edits
    type_over(qtbot, morning_start, "7h30")
    type_over(qtbot, morning_end, "11:45")
    type_over(qtbot, afternoon_start, "13:15")
    type_over(qtbot, afternoon_end, "17:00")
    click(qtbot, screen.hours_button)
    assert screen.hours_error.text() == ""
    qtbot.waitUntil(lambda: settings.get(db, "office_hours") != [["07:00", "11:30"],
                                                                  ["13:30", "17:00"]],
                    timeout=10000)
    assert settings.get(db, "office_hours") == [["07:30", "11:45"], ["13:15", "17:00"]]
    assert settings.get(db, "office_hours_dated")[-1] == {
        "valid_from": "2025-06-11", "hours": [["07:30", "11:45"], ["13:15", "17:00"]]}


@pytest.mark.parametrize("row, part, text, message", [
    (1, 0, "25:00", "Buổi chiều, giờ bắt đầu: giờ 25 không có (giờ từ 0 đến 23)."),
    (0, 1, "12:75", "Buổi sáng, giờ kết thúc: phút 75 không có (phút từ 00 đến 59)."),
    (0, 1, "11:3", "Buổi sáng, giờ kết thúc: phút «3» phải đủ 2 chữ số (ví dụ 11:05 hoặc 11:30)."),
    (1, 0, "11:00", "Buổi chiều bắt đầu lúc 11:00, trước khi buổi sáng kết thúc (11:30)."),
    (0, 1, "06:30", "Buổi sáng: giờ kết thúc 06:30 phải sau giờ bắt đầu 07:00."),
])
def test_a_wrong_office_time_is_named_and_nothing_is_saved(qtbot, db, office, row, part, text,
                                                           message):
    from db import settings
    screen = hours_screen(qtbot, db)
    before = (settings.get(db, "office_hours"), settings.get(db, "office_hours_dated"))
    field = screen.session_edits[row][part]
    type_over(qtbot, field, text)
    click(qtbot, screen.hours_button)
    assert screen.hours_error.text() == message
    assert screen.focusWidget() is field.edit  # the clerk is taken to it
    assert screen.worker is None and screen.retro_dialog is None
    assert (settings.get(db, "office_hours"), settings.get(db, "office_hours_dated")) == before


def test_a_time_field_steps_by_five_minutes_and_frames_a_wrong_time(qtbot, db, office):
    screen = hours_screen(qtbot, db)
    field = screen.session_edits[0][0]
    qtbot.mouseClick(field.edit, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field.edit, Qt.Key.Key_Up)
    assert field.text() == "07:05"
    qtbot.keyClick(field.edit, Qt.Key.Key_Down)
    qtbot.keyClick(field.edit, Qt.Key.Key_Down)
    assert field.text() == "06:55"
    retype(qtbot, field, "25h")
    assert "#c62828" in field.edit.styleSheet()
    assert field.edit.toolTip() == "Buổi sáng, giờ bắt đầu: giờ 25 không có (giờ từ 0 đến 23)."
    assert not field.calendar.isVisible()


# ----- a period of a list -----------------------------------------------------------------------
def test_a_wrong_day_of_a_period_is_said_beside_the_days(qtbot, db, office):
    from core import dossiers
    from gui.payments import PaymentsScreen
    dossiers.add_payment(db, office["Trần Văn Bình"], amount=8000, method="cash",
                         paid_at=dt.datetime(2025, 6, 5, 14, 10), reference="BL-01")
    screen = PaymentsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    assert screen.payments.rowCount() == 1
    bar = screen.period
    least = bar.minimumSizeHint().width()
    retype(qtbot, bar.to_edit, "31/06/2025")
    qtbot.keyClick(bar.to_edit.edit, Qt.Key.Key_Tab)
    assert bar.problem.isVisible() and "ngày 31 không có trong tháng 6/2025" in bar.problem.text()
    # under the days and wrapped: the message never widens the screen (1831 px beside them)
    assert bar.minimumSizeHint().width() <= least
    assert bar.checked_period() is None
    retype(qtbot, bar.to_edit, "30/06/2025")
    assert not bar.problem.isVisible() and screen.payments.rowCount() == 1
    assert bar.period() == (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
