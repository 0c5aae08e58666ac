"""A tired clerk's Esc, «Đóng» or × in the middle of a form (clerk29): typed text is never
dropped without a question (gui.unsaved); an untouched form still closes at once."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from gui import unsaved
from gui.dossiers.actions import ActionDialog
from gui.dossiers.intake import IntakeDialog
from tests.gui.clicks import click


def shown_intake(qtbot, db):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def questions(message_boxes):
    return [title for kind, title, _text in message_boxes if kind == "question"]


def test_esc_after_typing_a_name_asks_and_keeps_the_form(qtbot, db, office, message_boxes):
    dialog = shown_intake(qtbot, db)
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")
    qtbot.keyClicks(dialog.name_edit, "Nguyen Van An")
    qtbot.keyClicks(dialog.phone_edit, "0912345678")
    qtbot.keyClick(dialog.phone_edit, Qt.Key.Key_Escape)  # answered «Quay lại nhập tiếp»
    assert questions(message_boxes) == [unsaved.QUESTION_TITLE]
    _kind, _title, text = message_boxes[-1]
    assert "Họ tên người nộp" in text and "Số điện thoại" in text and "Thủ tục" in text
    assert dialog.isVisible() and dialog.name_edit.text() == "Nguyen Van An"
    # «Đóng» and the window's × ask the same
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel))
    dialog.windowHandle().close()  # the window's ×: the window system's close request
    assert dialog.isVisible()
    assert len(questions(message_boxes)) == 3  # Esc, «Đóng», ×
    # the clerk says drop it: closed
    message_boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert db.execute("SELECT COUNT(*) FROM dossiers WHERE applicant_name = 'Nguyen Van An'"
                      ).fetchone()[0] == 0


def test_an_untouched_form_closes_at_once(qtbot, db, office, message_boxes):
    dialog = shown_intake(qtbot, db)
    qtbot.keyClick(dialog.procedure_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and message_boxes == []


def test_a_reason_typed_in_an_action_form_is_not_dropped_by_esc(qtbot, message_boxes):
    dialog = ActionDialog("request_supplement", needs_reason=True,
                          now=dt.datetime(2025, 6, 11, 9, 30))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.reason_edit, "Thieu ban sao giay chung sinh")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert "Lý do" in message_boxes[-1][2]
    # «Huỷ» asks the same
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel))
    assert dialog.isVisible() and len(message_boxes) == 2


def test_ctrl_l_locking_over_a_form_is_not_held_by_the_question(qtbot, db, office,
                                                                 message_boxes):
    dialog = shown_intake(qtbot, db)
    qtbot.keyClicks(dialog.address_edit, "Thon Ban Chau")
    dialog.reject()  # gui.session's lock closes a modal form so
    assert not dialog.isVisible() and message_boxes == []


def test_choosing_another_field_to_correct_is_not_typing(qtbot, db, message_boxes):
    """«Sửa thông tin» fills «Giá trị mới» with the stored value of the field chosen: a clerk
    who picked «Số điện thoại» to look, then Esc, was asked to drop what nobody typed
    (review29b). What the clerk then types there is asked about as before."""
    from gui.dossiers.actions import CorrectDialog
    current = {"applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678"}
    dialog = CorrectDialog(db, current=current)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.field_box.setFocus()
    qtbot.keyClick(dialog.field_box, Qt.Key.Key_Down)  # «Số điện thoại», its number shown
    assert dialog.field() == "applicant_phone" and dialog.text.text() == "0912345678"
    qtbot.keyClick(dialog.field_box, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and message_boxes == []

    again = CorrectDialog(db, current=current)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    again.field_box.setFocus()
    qtbot.keyClick(again.field_box, Qt.Key.Key_Down)
    qtbot.keyClicks(again.text, "9")  # typed after the choice: asked
    qtbot.keyClick(again.text, Qt.Key.Key_Escape)
    assert again.isVisible() and questions(message_boxes) == [unsaved.QUESTION_TITLE]
    assert "Giá trị mới" in message_boxes[-1][2]
