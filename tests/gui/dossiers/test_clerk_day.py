"""A clerk's day at the counter (round 28): what got in the way, each through the clerk's keys."""
from __future__ import annotations

from PySide6.QtCore import Qt

from gui.dossiers.intake import IntakeDialog
from tests.gui.clicks import click


def test_a_phone_number_typed_into_the_name_field_is_not_received_as_the_name(qtbot, db, office):
    """One Tab too few and the phone went into «Họ tên người nộp»: the dossier was received with
    "0912345678" as the applicant, printed so on the receipt and shown on the kiosk."""
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")  # an exact code picks it
    qtbot.keyClicks(dialog.name_edit, "0912345678")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Tab)
    before = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    click(qtbot, dialog.save_button)
    error = dialog.form.errors["applicant_name"]
    assert error.isVisible()
    assert error.text().startswith("Họ tên người nộp chỉ có chữ số")
    assert "số điện thoại hoặc số định danh" in error.text()
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before
    assert dialog.created is None and dialog.isVisible()
    # the name typed over it: received
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, "Cong ty 3A")
    click(qtbot, dialog.save_button)
    assert dialog.created is not None


def test_a_late_dossiers_apology_offers_a_return_day_still_to_come(qtbot, db, office,
                                                                   answer_dialogs, message_boxes):
    """Mẫu 04 for a dossier already late: the form offered its past due time plus three days,
    a day gone by; the clerk who typed only the reason printed an apology promising it."""
    import datetime as dt

    from core import timefmt
    from gui.dossiers.detail import DossierDialog
    now = timefmt.now()
    detail = DossierDialog(db, office["Lê Thị Hà"])
    qtbot.addWidget(detail)
    _, due = detail._due()
    assert due < now  # late
    offered = []

    def reason_only(dialog):
        offered.append(dialog.due_edit.value())
        qtbot.keyClicks(dialog.reason_edit, "Cho y kien co quan chuyen mon")
    answer_dialogs.append(reason_only)
    click(qtbot, detail.action_buttons["extend"])  # "print now?" is answered No
    assert offered[0] > now
    assert offered[0] <= now + dt.timedelta(days=7)  # three working days, not weeks
    assert offered[0].weekday() < 5
    assert timefmt.parse_db_time(detail.d["extended_due_at"]) == offered[0]


def test_an_apology_promising_a_day_already_past_is_refused_under_the_date(qtbot, db, office,
                                                                          answer_dialogs):
    import datetime as dt

    from core import timefmt
    from gui.dossiers.detail import DossierDialog
    detail = DossierDialog(db, office["Lê Thị Hà"])
    qtbot.addWidget(detail)
    _, due = detail._due()
    errors = []

    def past_day(dialog):
        dialog.due_edit.set_value(max(due, timefmt.now() - dt.timedelta(days=2))
                                  + dt.timedelta(hours=1))
        qtbot.keyClicks(dialog.reason_edit, "Cho xac minh")

    def look(dialog):  # shown again, filled, the date's mistake under it: the clerk reads it
        errors.append(dialog.form.errors["new_due_at"].text())
        answer_dialogs.clear()  # and closes the form (no answer left: cancelled)
    answer_dialogs += [past_day, look]
    click(qtbot, detail.action_buttons["extend"])
    assert errors and errors[0].startswith("Hẹn trả mới phải sau thời điểm gia hạn (09:30 11/06/2025)")
    assert detail.d["extended_due_at"] is None
    assert db.execute("SELECT COUNT(*) FROM extensions").fetchone()[0] == 0
