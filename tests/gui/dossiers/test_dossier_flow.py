"""A dossier's whole day at the counter, through the dialogs, and the dashboard following it."""
from __future__ import annotations

import datetime as dt

from gui.dashboard.screen import DashboardScreen
from gui.dossiers.detail import DossierDialog
from gui.dossiers.intake import IntakeDialog
from tests.gui.clicks import click
from tests.gui.menus import pick_print, print_menu_kinds

TODAY = dt.date(2025, 6, 11)


def at(moment):
    def fill(dialog):
        dialog.at_edit.set_value(moment)
    return fill


def with_reason(moment, reason):
    def fill(dialog):
        dialog.at_edit.set_value(moment)
        dialog.reason_edit.setPlainText(reason)
    return fill


def vote(rating):
    def fill(dialog):
        dialog.rating.set_value(rating)
    return fill


def test_intake_supplement_finish_return_vote_moves_the_dashboard(qtbot, db, office, answer_dialogs):
    dashboard = DashboardScreen(db, today=TODAY)
    qtbot.addWidget(dashboard)
    dashboard.refresh()
    before = dashboard.result["total"]

    intake = IntakeDialog(db)
    qtbot.addWidget(intake)
    intake.unit_box.setCurrentIndex(intake.unit_box.findData("X01"))
    intake.procedure_edit.set_code("2.000635")
    intake.channel_box.setCurrentIndex(intake.channel_box.findData("online"))
    intake.name_edit.setText("Đồng Văn Giáp")
    intake.received_edit.set_value(dt.datetime(2025, 6, 9, 8, 0))
    click(qtbot, intake.save_button)
    dossier_id, code = intake.created

    detail = DossierDialog(db, dossier_id)
    qtbot.addWidget(detail)
    assert detail.available() >= {"start_processing", "request_supplement", "finish",
                                  "reject", "withdraw", "stop", "extend", "payment"}
    assert "return_result" not in detail.available()
    answer_dialogs.append(with_reason(dt.datetime(2025, 6, 9, 10, 0), "Thiếu tờ khai"))
    click(qtbot, detail.action_buttons["request_supplement"])
    assert detail.available() & {"receive_supplement", "finish"} == {"receive_supplement"}
    answer_dialogs.append(at(dt.datetime(2025, 6, 10, 8, 0)))
    click(qtbot, detail.action_buttons["receive_supplement"])
    answer_dialogs.append(at(dt.datetime(2025, 6, 10, 9, 0)))
    click(qtbot, detail.action_buttons["finish"])
    answer_dialogs.append(at(dt.datetime(2025, 6, 10, 10, 0)))
    click(qtbot, detail.action_buttons["return_result"])
    assert detail.d["status"] == "returned"
    # returning invites the citizen to the vote kiosk at once; a paper vote is still possible
    assert db.execute("SELECT state FROM kiosk_invitations WHERE dossier_id = ?",
                      [dossier_id]).fetchall() == [("pending",)]
    assert {"invite", "vote"} <= detail.available()
    answer_dialogs.append(vote("very_satisfied"))
    click(qtbot, detail.action_buttons["vote"])
    assert "invite" not in detail.available() and "vote" not in detail.available()
    assert db.execute("SELECT state FROM kiosk_invitations WHERE dossier_id = ?",
                      [dossier_id]).fetchall() == [("cancelled",)]  # the kiosk stops asking
    events = [detail.timeline.item(r, 1).text() for r in range(detail.timeline.rowCount())]
    assert events == ["Tiếp nhận", "Yêu cầu bổ sung", "Nhận hồ sơ bổ sung", "Hoàn thành xử lý",
                      "Trả kết quả"]

    dashboard.refresh()
    after = dashboard.result["total"]
    assert after["received"]["online"] == before["received"]["online"] + 1
    assert after["resolved"]["total"] == before["resolved"]["total"] + 1
    # due 10/06 08:00 + 22 h 30 min waited (pause) -> finished 10/06 09:00 is on time
    assert after["resolved"]["early"] + after["resolved"]["on_time"] == \
        before["resolved"]["early"] + before["resolved"]["on_time"] + 1
    assert after["satisfaction"]["votes"] == before["satisfaction"]["votes"] + 1
    assert after["online_full"]["count"] == before["online_full"]["count"] + 1
    assert dashboard.cards["satisfaction"].numbers.text() == (
        "<a href='satisfaction.satisfied'>1</a> / <a href='satisfaction.votes'>1</a> phiếu hài lòng")


def test_only_allowed_actions_and_errors_by_field(qtbot, db, office, answer_dialogs):
    late_id = office["Lê Thị Hà"]
    detail = DossierDialog(db, late_id)
    qtbot.addWidget(detail)
    seen = []

    def no_reason(dialog):
        seen.append(dialog)
        with_reason(dt.datetime(2025, 6, 11, 9, 0), "")(dialog)
    answer_dialogs.append(no_reason)
    click(qtbot, detail.action_buttons["reject"])  # the dialog stays open with the error, then Cancel
    assert seen[0].form.errors["reason"].text() == "Cần ghi lý do khi từ chối giải quyết."
    assert db.execute("SELECT status FROM dossiers WHERE id = ?", [late_id]).fetchone()[0] == "received"
    done = DossierDialog(db, office["Phạm Minh Đức"])
    qtbot.addWidget(done)
    # returned: no transition left; a payment, a correction and the citizen's vote remain
    assert done.available() == {"payment", "correct", "invite", "vote", "print"}
    # the others stay in their places, disabled, each saying why
    assert done.action_buttons["finish"].toolTip() == (
        "Hồ sơ đang ở trạng thái “Đã trả kết quả”: chỉ hoàn thành xử lý khi hồ sơ “Đã tiếp nhận” "
        "hoặc “Đang xử lý”.")


def test_extend_once_then_the_button_is_gone(qtbot, db, office, answer_dialogs):
    dossier_id = office["Đồng Văn Giáp"]
    detail = DossierDialog(db, dossier_id)
    qtbot.addWidget(detail)

    def fill(dialog):
        dialog.due_edit.set_value(dt.datetime(2025, 6, 30, 17, 0))
        dialog.reason_edit.setPlainText("Chờ ý kiến cơ quan chuyên môn")
    answer_dialogs.append(fill)
    click(qtbot, detail.action_buttons["extend"])
    assert "extend" not in detail.available()
    assert detail.action_buttons["extend"].toolTip() == \
        "Hồ sơ đã được gia hạn; chỉ được hẹn lại một lần."
    assert db.execute("SELECT extended_due_at FROM dossiers WHERE id = ?",
                      [dossier_id]).fetchone()[0] == "2025-06-30 17:00:00"


def test_slips_can_be_printed_again_from_the_dossier(qtbot, db, office, answer_dialogs,
                                                     monkeypatch):
    """A receipt declined at intake, or an apology not printed right after the extension,
    is printed later from the dossier; the apology only once the dossier was extended."""
    from gui import printing
    shown = []
    monkeypatch.setattr(printing, "show_slip", lambda parent, db_, kind, code: shown.append((kind, code)))
    dossier_id = office["Đồng Văn Giáp"]
    detail = DossierDialog(db, dossier_id)
    qtbot.addWidget(detail)
    assert print_menu_kinds(qtbot, detail) == ["receipt", "control"]
    pick_print(qtbot, detail, "receipt")
    code = detail.d["code"]
    assert shown == [("receipt", code)]

    def fill(dialog):
        dialog.due_edit.set_value(dt.datetime(2025, 6, 30, 17, 0))
        dialog.reason_edit.setPlainText("Chờ ý kiến cơ quan chuyên môn")
    answer_dialogs.append(fill)
    click(qtbot, detail.action_buttons["extend"])  # "print now?" is answered No
    assert shown == [("receipt", code)]
    pick_print(qtbot, detail, "apology")
    assert shown == [("receipt", code), ("apology", code)]


def test_payment_and_correction_keep_history(qtbot, db, office, answer_dialogs):
    dossier_id = office["Trần Văn Bình"]
    detail = DossierDialog(db, dossier_id)
    qtbot.addWidget(detail)

    def pay(dialog):
        assert dialog.amount.value() == 8000
        dialog.method.setCurrentIndex(dialog.method.findData("online"))
    answer_dialogs.append(pay)
    click(qtbot, detail.action_buttons["payment"])

    def correct(dialog):
        dialog.field_box.setCurrentIndex(dialog.field_box.findData("applicant_name"))
        assert dialog.text.text() == "Trần Văn Bình"
        dialog.text.setText("Trần Văn Bính")
        dialog.reason.setText("Sai chính tả")
    answer_dialogs.append(correct)
    click(qtbot, detail.action_buttons["correct"])
    details = [detail.timeline.item(r, 3).text() for r in range(detail.timeline.rowCount())]
    assert "8.000 đ, Trực tuyến" in details
    assert "Sai chính tả — Họ tên người nộp: “Trần Văn Bình” → “Trần Văn Bính”" in details


def test_a_waiting_dossier_says_the_same_in_its_window_and_the_register(
        qtbot, db, office, answer_dialogs):
    # the window said "đang tạm dừng chờ bổ sung", the register "Chờ bổ sung (tạm dừng)"
    from core.dossiers import create_dossier
    from gui.dossiers.register_model import RegisterModel
    dossier_id, _ = create_dossier(db, unit_code="X01", procedure_code="2.000635",
                                   applicant_name="Hà Văn Sơn",
                                   received_at=dt.datetime(2025, 6, 11, 8, 0))
    detail = DossierDialog(db, dossier_id)
    qtbot.addWidget(detail)
    answer_dialogs.append(with_reason(dt.datetime(2025, 6, 11, 9, 0), "Thiếu tờ khai"))
    click(qtbot, detail.action_buttons["request_supplement"])
    assert detail.d["status"] == "supplement"
    register = RegisterModel(db)
    register.prepare()
    register.reload()
    row = register.row_of(dossier_id)
    left = register.index(row, 7).data()
    assert left == "Tạm dừng tính hạn"
    assert f"<b>{left}</b>" in detail.header_label.text()
