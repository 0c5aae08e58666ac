"""Printing from the screens: each button builds the real document and opens its preview."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from gui import worker
from gui.dossiers.detail import DossierDialog
from gui.dossiers.intake import IntakeDialog
from gui.reports import ReportsScreen
from tests.gui.clicks import click
from tests.pdfread import page_texts_pdfium, pdf_text


def wait_for_preview(qtbot, previews) -> None:
    """The document is made in a worker; its preview opens when it is ready."""
    qtbot.waitUntil(lambda: bool(previews), timeout=15000)


def test_intake_save_and_print_opens_the_receipt_of_the_new_dossier(qtbot, db, office, previews):
    intake = IntakeDialog(db)
    qtbot.addWidget(intake)
    intake.unit_box.setCurrentIndex(intake.unit_box.findData("X01"))
    intake.procedure_edit.set_code("1.004227")
    intake.name_edit.setText("Vũ Đức Nam")
    intake.received_edit.set_value(dt.datetime(2025, 6, 11, 9, 0))
    click(qtbot, intake.print_button)
    code = intake.created[1]
    assert code == "X01-250611-0001"
    wait_for_preview(qtbot, previews)
    assert [p.windowTitle() for p in previews] == [
        f"Xem trước — Giấy tiếp nhận hồ sơ và hẹn trả kết quả — {code}"]
    text = pdf_text(previews[0].draft)
    assert code in text and "Vũ Đức Nam" in text and "Đăng ký khai sinh" in text
    assert previews[0].suggested_name == f"giay-tiep-nhan-{code}.pdf"  # Vietnamese, not "receipt-"


def test_extension_offers_the_apology_slip(qtbot, db, office, answer_dialogs, previews,
                                           message_boxes):
    detail = DossierDialog(db, office["Đồng Văn Giáp"])
    qtbot.addWidget(detail)

    def fill(dialog):
        dialog.due_edit.set_value(dt.datetime(2025, 6, 30, 17, 0))
        dialog.reason_edit.setPlainText("Chờ ý kiến cơ quan chuyên môn")
    message_boxes.answer = QMessageBox.StandardButton.Yes
    answer_dialogs.append(fill)
    click(qtbot, detail.action_buttons["extend"])
    assert detail.d["extended_due_at"]
    assert message_boxes[-1][0] == "question" and "Mẫu 04" in message_boxes[-1][2]
    wait_for_preview(qtbot, previews)
    assert len(previews) == 1
    text = pdf_text(previews[0].draft)
    assert detail.d["code"] in text and "Chờ ý kiến cơ quan chuyên môn" in text
    assert "17 giờ 00 phút, ngày 30" in text  # the new appointment
    # the header shows the day promised to the citizen beside the due time the figures count
    assert "(hẹn lại 17:00 30/06/2025)" in detail.header_label.text()


def test_extension_without_the_slip_when_the_clerk_says_no(qtbot, db, office, answer_dialogs,
                                                           previews, message_boxes):
    detail = DossierDialog(db, office["Đồng Văn Giáp"])
    qtbot.addWidget(detail)
    answer_dialogs.append(lambda d: d.reason_edit.setPlainText("Chờ xác minh"))
    click(qtbot, detail.action_buttons["extend"])
    assert detail.d["extended_due_at"]
    worker.wait_all()  # a slip would be made in a worker: none was started
    qtbot.wait(50)
    assert previews == []


@pytest.fixture
def reports(qtbot, db, office):
    screen = ReportsScreen(db, today=dt.date(2025, 6, 11))
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    return screen


def test_monthly_report_button_builds_the_report(qtbot, reports, previews):
    click(qtbot, reports.buttons["monthly"])
    wait_for_preview(qtbot, previews)
    assert [p.windowTitle() for p in previews] == ["Xem trước — Báo cáo tháng 6 năm 2025"]
    text = pdf_text(previews[0].draft)
    assert "UBND xã Đồng Giáp" in text and "UBND xã Tràng Các" in text
    final = previews[0].build(False)  # what Save/Print use: no draft mark
    assert final.startswith(b"%PDF") and "BẢN NHÁP" not in pdf_text(final)


def test_the_monthly_report_takes_the_period_the_screen_shows(qtbot, reports, previews):
    """Issue 11: Biểu 06 showed 15/05–14/06, the PDF printed 01/06–30/06. Now both say 15–14,
    and a report made on 11/06 at 09:30, before the period ends, says so on every page."""
    box = reports.preset
    box.setCurrentIndex(box.findData("cutoff_month"))
    qtbot.waitUntil(lambda: not reports.computing(), timeout=30000)
    assert "Kỳ báo cáo tháng 06/2025, từ 15/05/2025 đến 14/06/2025" in reports.title.text()
    shown = reports.result["total"]["received"]["total"]
    qtbot.mouseClick(reports.buttons["monthly"], Qt.MouseButton.LeftButton)
    wait_for_preview(qtbot, previews)
    assert [p.windowTitle() for p in previews] == [
        "Xem trước — Báo cáo kỳ báo cáo tháng 06/2025, từ 15/05/2025 đến 14/06/2025"]
    pages = [" ".join(text.split()) for text in page_texts_pdfium(previews[0].build(False))]
    assert "kỳ báo cáo tháng 06/2025, từ 15/05/2025 đến 14/06/2025" in pages[0]
    assert all("Số liệu tạm tính đến 09 giờ 30 phút, ngày 11/06/2025" in page for page in pages)
    total_row = next(line for line in " ".join(pages).split("Tổng cộng")[1:2])
    assert total_row.split()[0] == str(shown)


def test_register_button_builds_the_book_for_the_unit(qtbot, reports, previews):
    reports.period.unit_box.setCurrentIndex(reports.period.unit_box.findData("X02"))
    click(qtbot, reports.buttons["book"])
    wait_for_preview(qtbot, previews)
    assert len(previews) == 1 and previews[0].windowTitle().startswith(
        "Xem trước — Sổ theo dõi hồ sơ")
    text = pdf_text(previews[0].draft)
    assert "Trần Văn Bình" in text and "Lê Thị Hà" in text
    assert "Phạm Minh Đức" not in text  # a dossier of X01


def test_the_print_menu_prints_the_stop_notice_with_real_clicks(qtbot, db, office, previews):
    """A stopped dossier offers Mẫu 05; clicking it opens its A5 preview, code whole."""
    from core import dossiers
    from tests.gui.menus import pick_print, print_menu_kinds
    from tests.pdfread import page_sizes
    dossier_id = office["Trần Văn Bình"]
    dossiers.stop(db, dossier_id, reason="Người nộp đề nghị dừng giải quyết.",
                  at=dt.datetime(2025, 6, 6, 9, 0))
    detail = DossierDialog(db, dossier_id)
    qtbot.addWidget(detail)
    assert print_menu_kinds(qtbot, detail) == ["receipt", "stop", "control"]
    pick_print(qtbot, detail, "stop")
    wait_for_preview(qtbot, previews)
    code = detail.d["code"]
    assert previews[0].windowTitle() == f"Xem trước — Thông báo dừng giải quyết hồ sơ — {code}"
    text = pdf_text(previews[0].draft)
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and "Người nộp đề nghị dừng" in text
    assert any(code in row for row in text.splitlines())
    assert abs(page_sizes(previews[0].final)[0][0] - 419.5) < 1  # A5


def test_a_late_apology_is_warned_above_its_preview(qtbot, db, office, previews):
    from core import dossiers
    from core.timefmt import parse_db_time
    from tests.gui.menus import pick_print
    dossier_id = office["Lê Thị Hà"]  # already past its due time at the frozen now
    due = parse_db_time(db.execute("SELECT calc_due_at FROM dossiers WHERE id = ?",
                                   [dossier_id]).fetchone()[0])
    # recorded an hour before the due time: less than one working day ahead
    dossiers.extend(db, dossier_id, new_due_at=dt.datetime(2025, 6, 20, 17, 0),
                    reason="Chờ ý kiến cơ quan chuyên môn", at=due - dt.timedelta(hours=1))
    detail = DossierDialog(db, dossier_id)
    qtbot.addWidget(detail)
    pick_print(qtbot, detail, "apology")
    wait_for_preview(qtbot, previews)
    assert "chưa đủ một ngày làm việc trước hạn" in previews[0].note
    assert previews[0].note_shown
    # received before 01/07/2025: the apology of Circular 01/2018, its title of the time
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in pdf_text(previews[0].draft)


def test_intake_prints_a_desk_refusal_without_saving(qtbot, db, office, previews, answer_dialogs):
    intake = IntakeDialog(db)
    qtbot.addWidget(intake)
    intake.procedure_edit.set_code("1.004227")
    intake.name_edit.setText("Vũ Đức Nam")  # QTest types ASCII only
    qtbot.keyClicks(intake.id_edit, "020190009999")
    answer_dialogs.append(lambda d: d.reason_edit.setPlainText("Thủ tục thuộc UBND tỉnh."))
    before = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    qtbot.mouseClick(intake.refuse_button, Qt.MouseButton.LeftButton)
    wait_for_preview(qtbot, previews)
    text = " ".join(pdf_text(previews[0].draft).split())
    for part in ("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Vũ Đức Nam", "020190009999",
                 "Thủ tục thuộc UBND tỉnh."):
        assert part in text, part
    assert "Mã hồ sơ" not in text
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before


def test_a_slip_s_suggested_file_name_cannot_leave_the_folder(qtbot, db, office, previews):
    """A code a package brought may hold what a file name cannot ("../", ":"): the save dialog's
    suggestion stays a plain file name (core.paths.file_name_part), the slip still names the
    dossier by its code."""
    from tests.gui.menus import pick_print
    dossier_id = office["Trần Văn Bình"]
    odd = "../../X01:250611|1"
    with db.conn:
        db.execute("UPDATE dossier_rows SET code = ? WHERE id = ?", [odd, dossier_id])
    detail = DossierDialog(db, dossier_id)
    qtbot.addWidget(detail)
    pick_print(qtbot, detail, "receipt")
    wait_for_preview(qtbot, previews)
    assert previews[0].suggested_name == "giay-tiep-nhan-.._.._X01_250611_1.pdf"
    assert odd in pdf_text(previews[0].draft).replace("\n", "")
