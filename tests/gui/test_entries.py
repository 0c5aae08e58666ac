"""Wrong entries never change figures silently (issue 11), through the real buttons.

Payment defaults follow the dossier's channel, an overpayment asks first, a payment or a vote
entered by mistake is cancelled with a reason and leaves the figures, a future reception is
refused, and a paper vote counts in the month written on it.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from core import dossiers
from core.indicators import compute
from gui import widgets
from gui.dossiers.detail import DossierDialog
from gui.dossiers.intake import IntakeDialog
from gui.payments import PaymentsScreen
from gui.votes import VotesScreen
from tests.gui.conftest import NOW

TODAY = NOW.date()
JUNE = (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
MAY = (dt.date(2025, 5, 1), dt.date(2025, 5, 31))
LEFT = Qt.MouseButton.LeftButton


def click(qtbot, widget):
    qtbot.mouseClick(widget, LEFT)


def click_row(qtbot, view, row: int):
    view.scrollTo(view.model().index(row, 0))
    rect = view.visualRect(view.model().index(row, 1))
    qtbot.mouseClick(view.viewport(), LEFT, pos=rect.center())


def type_amount(qtbot, dialog, amount: str):
    editor = dialog.amount.lineEdit()
    editor.selectAll()
    qtbot.keyClicks(editor, amount)
    dialog.amount.interpretText()


def reason(qtbot, text: str):
    """Fill a cancel dialog as the clerk does: type the reason, then OK (QTest types ASCII only)."""
    def fill(dialog):
        dialog.show()
        qtbot.keyClicks(dialog.reason_edit, text)
    return fill


def open_detail(qtbot, db, dossier_id):
    dialog = DossierDialog(db, dossier_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def payments_of(db, dossier_id):
    return db.execute("SELECT amount, method, cancelled_at IS NOT NULL FROM payments "
                      "WHERE dossier_id = ? ORDER BY id", [dossier_id]).fetchall()


def test_payment_method_defaults_to_the_dossiers_channel(qtbot, db, office, answer_dialogs):
    seen = []

    def press_enter(dialog):  # the clerk accepts what the form proposes
        seen.append((dialog.method.currentData(), dialog.amount.value()))
    for name in ("Trần Văn Bình", "Phạm Minh Đức"):  # direct, online; both 8.000 đ
        detail = open_detail(qtbot, db, office[name])
        answer_dialogs.append(press_enter)
        click(qtbot, detail.action_buttons["payment"])
    assert seen == [("cash", 8000), ("online", 8000)]
    assert payments_of(db, office["Trần Văn Bình"]) == [(8000, "cash", 0)]
    assert payments_of(db, office["Phạm Minh Đức"]) == [(8000, "online", 0)]


def answer_question(monkeypatch, qtbot, button: str):
    """The question box shows; the clerk clicks `button`. Returns the texts it showed."""
    shown = []

    def fake_run(kind, box):
        box.show()
        shown.append((box.windowTitle(), box.text(), [b.text() for b in box.buttons()]))
        qtbot.mouseClick(next(b for b in box.buttons() if b.text() == button), LEFT)
        return box.clickedButton()
    monkeypatch.setattr(widgets, "run_message", fake_run)
    return shown


def test_overpayment_asks_with_the_amounts_and_no_stores_nothing(qtbot, db, office, monkeypatch,
                                                                 answer_dialogs):
    dossier_id = office["Trần Văn Bình"]
    dossiers.add_payment(db, dossier_id, amount=8000, method="cash", paid_at=NOW)
    detail = open_detail(qtbot, db, dossier_id)
    forms = []

    def pay_20000(dialog):
        forms.append(dialog)
        type_amount(qtbot, dialog, "20000")
    answer_dialogs.append(pay_20000)
    shown = answer_question(monkeypatch, qtbot, "Không")
    click(qtbot, detail.action_buttons["payment"])
    title, text, buttons = shown[-1]
    assert (title, sorted(buttons)) == ("Thu vượt lệ phí", ["Không", "Vẫn ghi"])
    assert "lệ phí 8.000 đ, đã thu 8.000 đ" in text and "Ghi thêm 20.000 đ" in text
    assert "vượt 20.000 đ" in text
    assert payments_of(db, dossier_id) == [(8000, "cash", 0)]  # "Không": nothing stored
    assert "Chưa ghi" in forms[0].form.errors["amount"].text()
    answer_question(monkeypatch, qtbot, "Vẫn ghi")
    answer_dialogs.append(pay_20000)
    click(qtbot, detail.action_buttons["payment"])
    assert payments_of(db, dossier_id) == [(8000, "cash", 0), (20000, "cash", 0)]


def test_cancelling_a_payment_in_the_dossier_moves_the_rate_back(qtbot, db, office, answer_dialogs):
    dossier_id = office["Trần Văn Bình"]
    before = compute(db, *JUNE)["total"]["online_payment"]
    dossiers.add_payment(db, dossier_id, amount=8000, method="online", paid_at=NOW)
    assert compute(db, *JUNE)["total"]["online_payment"]["paid_online"] == before["paid_online"] + 1
    detail = open_detail(qtbot, db, dossier_id)
    click_row(qtbot, detail.payments_box.table, 0)
    answer_dialogs.append(reason(qtbot, "Nhap nham hinh thuc"))
    click(qtbot, detail.action_buttons["cancel_payment"])
    assert compute(db, *JUNE)["total"]["online_payment"] == before
    assert payments_of(db, dossier_id) == [(8000, "online", 1)]  # kept, marked cancelled
    table = detail.payments_box.table
    # the lists' words on hover (core.cancelling), whole on hover here too
    assert table.item(0, 4).text() == table.item(0, 4).toolTip() == \
        "Đã huỷ lúc 09:30 11/06/2025: Nhap nham hinh thuc"
    assert table.item(0, 1).font().strikeOut()
    events = [detail.timeline.item(r, 1).text() for r in range(detail.timeline.rowCount())]
    assert events[-2:] == ["Thu phí, lệ phí", "Huỷ khoản thu"]
    assert "cancel_payment" not in detail.action_buttons  # nothing live left to cancel


def test_cancelling_a_payment_on_the_payments_screen(qtbot, db, office, answer_dialogs):
    dossiers.add_payment(db, office["Phạm Minh Đức"], amount=8000, method="online",
                         paid_at=dt.datetime(2025, 6, 3, 9, 5))
    screen = PaymentsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    assert screen.follow.rowCount() == 3
    click_row(qtbot, screen.payments_view, 0)
    answer_dialogs.append(reason(qtbot, "Ghi trung BL-01"))
    click(qtbot, screen.cancel_button)
    screen.refresh()
    assert screen.payments.index(0, 6).data() == "Đã huỷ lúc 09:30 11/06/2025"  # why on hover
    assert screen.payments.index(0, 6).data(Qt.ItemDataRole.ToolTipRole) == \
        "Đã huỷ lúc 09:30 11/06/2025: Ghi trung BL-01"
    assert screen.payments.index(0, 3).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert screen.payments.index(0, 6).data(Qt.ItemDataRole.FontRole) is None  # state readable
    assert screen.summary.text().startswith("0 khoản thu, tổng 0 đ (không tính 1 khoản đã huỷ)")
    assert screen.follow.rowCount() == 4  # Đức's fee is no longer paid online
    assert compute(db, *JUNE)["total"]["online_payment"]["paid_online"] == 0


def test_a_future_reception_is_refused_in_intake(qtbot, db, office):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.procedure_edit.set_code("1.004227")
    qtbot.keyClicks(dialog.name_edit, "Vu Thi Mai")
    dialog.received_edit.set_value(NOW + dt.timedelta(days=1))
    click(qtbot, dialog.save_button)
    assert dialog.created is None
    assert "ở tương lai" in dialog.form.errors["received_at"].text()
    assert db.execute("SELECT COUNT(*) FROM dossiers WHERE applicant_name = 'Vu Thi Mai'"
                      ).fetchone()[0] == 0


def test_a_correction_into_the_future_is_refused_under_its_editor(qtbot, db, office,
                                                                  answer_dialogs):
    dossier_id = office["Lê Thị Hà"]
    detail = open_detail(qtbot, db, dossier_id)
    forms = []

    def move_reception(dialog):
        forms.append(dialog)
        dialog.show()
        dialog.field_box.setCurrentIndex(dialog.field_box.findData("received_at"))
        dialog.moment.set_value(NOW + dt.timedelta(days=2))
        qtbot.keyClicks(dialog.reason, "Go nham ngay")
    answer_dialogs.append(move_reception)
    click(qtbot, detail.action_buttons["correct"])
    error = forms[0].form.errors["value_time"]
    assert "ở tương lai" in error.text() and error.isVisible()
    assert db.execute("SELECT received_at FROM dossiers WHERE id = ?",
                      [dossier_id]).fetchone()[0] == "2025-06-02 09:00:00"


def test_a_correction_out_of_its_units_life_is_refused_under_its_editor(qtbot, db, office,
                                                                      answer_dialogs):
    """The intake's rule (core.moment.unit_absent_reason) on the desk's correction: before
    round 30 the window moved the dossier to a day its unit did not exist (`check`: error)."""
    db.execute("UPDATE units SET valid_from = '2025-06-01' WHERE code = 'X02'")
    dossier_id = office["Lê Thị Hà"]
    detail = open_detail(qtbot, db, dossier_id)
    forms = []

    def move_reception(dialog):
        forms.append(dialog)
        dialog.show()
        dialog.field_box.setCurrentIndex(dialog.field_box.findData("received_at"))
        dialog.moment.set_value(dt.datetime(2025, 5, 30, 9, 0))
        qtbot.keyClicks(dialog.reason, "Go nham ngay")
    answer_dialogs.append(move_reception)
    click(qtbot, detail.action_buttons["correct"])
    error = forms[0].form.errors["value_time"]
    assert error.text() == ("Đơn vị UBND xã Tràng Các không hoạt động vào ngày 30/05/2025 (đã "
                            "giải thể, sáp nhập hoặc chưa thành lập).") and error.isVisible()
    assert db.execute("SELECT received_at FROM dossiers WHERE id = ?",
                      [dossier_id]).fetchone()[0] == "2025-06-02 09:00:00"


def test_a_late_paper_vote_counts_in_its_month_and_can_be_cancelled(qtbot, db, office,
                                                                    answer_dialogs):
    screen = VotesScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    assert screen.voted_at.value() == NOW  # default: now
    screen.unit_box.setCurrentIndex(screen.unit_box.findData("X01"))
    click(qtbot, screen.rating.group.buttons()[1])  # Hài lòng
    screen.voted_at.set_value(dt.datetime(2025, 5, 28, 10, 0))
    click(qtbot, screen.save_button)
    assert compute(db, *MAY)["total"]["satisfaction"]["votes"] == 1
    assert compute(db, *JUNE)["total"]["satisfaction"]["votes"] == 0
    # in the future: refused next to the field
    click(qtbot, screen.rating.group.buttons()[3])
    screen.voted_at.set_value(NOW + dt.timedelta(hours=1))
    click(qtbot, screen.save_button)
    assert "ở tương lai" in screen.form.errors["voted_at"].text()
    assert db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 1
    # cancelled with a reason: kept in the list, struck through, counted nowhere
    screen.period.set_period(*MAY)
    assert screen.summary.text() == "1 phiếu · hài lòng 1 · tỷ lệ 100,00%"
    click_row(qtbot, screen.view, 0)
    answer_dialogs.append(reason(qtbot, "Nham don vi"))
    click(qtbot, screen.cancel_button)
    assert compute(db, *MAY)["total"]["satisfaction"]["votes"] == 0
    assert db.execute("SELECT cancel_reason FROM votes").fetchall() == [("Nham don vi",)]
    screen.refresh()
    assert screen.summary.text() == "0 phiếu · hài lòng 0 · tỷ lệ — (không tính 1 phiếu đã huỷ)"
    assert screen.model.index(0, 6).data() == "Đã huỷ"  # when and why on hover
    assert screen.model.index(0, 6).data(Qt.ItemDataRole.ToolTipRole).endswith(
        "Đã huỷ lúc 09:30 11/06/2025: Nham don vi")
    assert screen.model.index(0, 2).data(Qt.ItemDataRole.FontRole).strikeOut()


def test_cancelling_a_dossiers_vote_lets_it_be_rated_again(qtbot, db, office, answer_dialogs):
    dossier_id = office["Phạm Minh Đức"]
    dossiers.add_vote(db, unit_code="X01", rating="dissatisfied", dossier_id=dossier_id,
                      voted_at=NOW)
    detail = open_detail(qtbot, db, dossier_id)
    assert "vote" not in detail.available()
    answer_dialogs.append(reason(qtbot, "Chon nham muc"))
    click(qtbot, detail.action_buttons["cancel_vote"])
    assert compute(db, *JUNE)["total"]["satisfaction"]["votes"] == 0
    assert {"invite", "vote"} <= detail.available()
    events = [detail.timeline.item(r, 1).text() for r in range(detail.timeline.rowCount())]
    assert events[-1] == "Huỷ phiếu đánh giá"
    assert "Chon nham muc" in detail.timeline.item(detail.timeline.rowCount() - 1, 3).text()


def test_the_history_keeps_the_height_a_payment_does_not_need_at_1366(qtbot, db, office):
    # at 1366×728 the payments box kept three rows for one payment and the history showed
    # about two rows; every action button must stay in sight
    dossier_id = office["Trần Văn Bình"]
    dossiers.add_payment(db, dossier_id, amount=8000, method="cash", paid_at=NOW)
    detail = open_detail(qtbot, db, dossier_id)
    detail.resize(1100, 688)  # the window on a 1366×728 screen, below its title bar
    qtbot.wait(50)
    tabs = detail.tabs
    tabs.setCurrentIndex(1)
    qtbot.mouseClick(tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=tabs.tabBar().tabRect(0).center())  # back to "Lịch sử xử lý"
    assert tabs.currentIndex() == 0
    payments = detail.payments_box.table
    row = payments.verticalHeader().defaultSectionSize()
    assert payments.height() <= payments.horizontalHeader().height() + row + 2 * payments.frameWidth()
    history = detail.timeline
    assert history.viewport().height() >= 4 * history.verticalHeader().defaultSectionSize()
    for button in detail.action_buttons.values():
        assert button.isVisible()
        corner = button.mapTo(detail, button.rect().bottomRight())
        assert detail.rect().contains(corner)


def test_a_paper_vote_counts_for_the_desks_own_unit_by_default(qtbot, db, office):
    # the form offered the first unit of the list (the district's): a commune's clerk who
    # typed the forms in without changing it counted the commune's votes for the district
    from core.office_setup import SETUP_KEY
    from db import settings
    settings.put(db, SETUP_KEY, {"unit_code": "X02", "date": "2025-06-01"})
    screen = VotesScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    assert screen.unit_box.currentData() == "X02"
    click(qtbot, screen.rating.group.buttons()[0])  # Rất hài lòng
    click(qtbot, screen.save_button)
    assert db.execute("SELECT unit_code FROM votes").fetchall() == [("X02",)]
