"""Round 23 try-out (F5): an address pasted with a right-to-left override (U+202E) was received,
and the masked exports showed it. The desk refuses it under the field, in Vietnamese, naming the
character and where it is; a zero-width space pasted inside a phone is removed, as nothing seen
is lost (core.textnorm)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.dossiers.intake import IntakeDialog
from tests.gui.clicks import click

PASTED = "thôn Bãi, xã Đồng Giáp\u202e, Lạng Sơn"


def _paste(qtbot, edit, text: str) -> None:
    """The clerk pastes `text` (copied from a chat or a web page) into `edit` with Ctrl+V."""
    QApplication.clipboard().setText(text)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert text in edit.text()


def _dialog(qtbot, db):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.procedure_edit.set_code("1.004227")
    qtbot.keyClicks(dialog.name_edit, "Vu Thi Mai")  # keyClicks: ASCII only
    return dialog


def test_an_address_pasted_with_a_bidi_override_is_refused_under_its_field(qtbot, db, office):
    dialog = _dialog(qtbot, db)
    qtbot.keyClicks(dialog.address_edit, "So 9 ")
    _paste(qtbot, dialog.address_edit, PASTED)
    click(qtbot, dialog.save_button)
    shown = dialog.form.errors["applicant_address"]
    assert shown.isVisible() and shown.text() == (
        "Địa chỉ chứa ký tự ẩn đảo chiều chữ (mã U+202E) ở vị trí 28: chữ hiện ra khác chữ "
        "được lưu.")
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 6  # nothing written
    assert dialog.isVisible() and dialog.created is None  # the form stays filled


def test_a_phone_pasted_with_a_zero_width_space_is_the_phone_it_shows(qtbot, db, office):
    dialog = _dialog(qtbot, db)
    _paste(qtbot, dialog.phone_edit, "0912\u200b345678")
    click(qtbot, dialog.save_button)
    assert dialog.created is not None, {k: v.text() for k, v in dialog.form.errors.items()}
    assert db.execute("SELECT applicant_phone FROM dossiers WHERE id = ?",
                      [dialog.created[0]]).fetchone()[0] == "0912345678"


def test_a_payment_reference_pasted_with_a_bidi_override_is_refused_under_its_field(
        qtbot, db, office):
    """review24 finding 2: a receipt number with U+202E was stored and read turned around in the
    payments list's «Xuất Excel» ("12\u202e34" shows "1243"). «Thu phí…» refuses it under
    «Biên lai / giao dịch» and keeps the form filled; nothing is recorded."""
    from core import payments
    from gui.dossiers.detail import DossierDialog
    from tests.gui.dossiers.test_form_keyboard import when_shown
    dossier = office["Trần Văn Bình"]  # fee 8.000 đ, nothing paid
    detail = DossierDialog(db, dossier)
    qtbot.addWidget(detail)
    detail.show()
    qtbot.waitExposed(detail)
    seen = {}

    def fill(dialog):
        _paste(qtbot, dialog.reference, "Biên lai 12\u202e34")
        when_shown(qtbot, read)  # the form shown again, with the message
        qtbot.keyClick(dialog.reference, Qt.Key.Key_Return)

    def read(dialog):
        shown = dialog.form.errors["reference"]
        seen["message"] = shown.text() if shown.isVisible() else None
        seen["kept"] = dialog.reference.text()
        dialog.reject()

    when_shown(qtbot, fill)
    qtbot.mouseClick(detail.action_buttons["payment"], Qt.MouseButton.LeftButton)
    assert seen["message"] == ("Số biên lai / mã giao dịch chứa ký tự ẩn đảo chiều chữ (mã U+202E) "
                               "ở vị trí 12: chữ hiện ra khác chữ được lưu.")
    assert seen["kept"] == "Biên lai 12\u202e34"
    assert payments.paid_total(db, dossier) == 0
