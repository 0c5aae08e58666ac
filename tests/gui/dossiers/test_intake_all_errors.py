"""A save of the intake names every wrong field at once, each under its own field, and puts the
cursor on the first of them in the form's order: a clerk met the missing documents' message, then
the empty name's only at the next save."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core import components as comp
from core.errors import FieldErrors
from core.intake import Handed, receive
from gui.dossiers.intake import IntakeDialog
from tests.gui.dossiers.test_components_ui import BIRTH

NAME_REQUIRED = "Cần nhập họ tên người nộp hồ sơ."


def _dialog(qtbot, db) -> IntakeDialog:
    comp.save_procedure_components(db, "1.004227", BIRTH)
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("X01"))
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")
    return dialog


def test_documents_unticked_and_no_name_are_both_shown_after_one_save(qtbot, db, office):
    dialog = _dialog(qtbot, db)
    before = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    qtbot.keyClicks(dialog.phone_edit, "09x")  # a third field wrong, below the name
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    errors = dialog.form.errors
    assert errors["applicant_name"].isVisible() and errors["applicant_name"].text() == NAME_REQUIRED
    assert errors["components"].isVisible() and "“Giấy chứng sinh”" in errors["components"].text()
    assert errors["applicant_phone"].isVisible() and "Số điện thoại" in errors["applicant_phone"].text()
    assert not errors["procedure_code"].isVisible()
    assert dialog.focusWidget() is dialog.name_edit  # the first wrong field in the form's order
    assert dialog.created is None
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before  # nothing written
    # the name typed, the phone mended: the documents' message alone stays, nothing saved
    qtbot.keyClicks(dialog.name_edit, "Vu Thi Mai")
    dialog.phone_edit.clear()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not errors["applicant_name"].isVisible() and not errors["applicant_phone"].isVisible()
    assert errors["components"].isVisible() and dialog.created is None


def test_no_procedure_and_no_name_are_both_shown_on_save_and_on_refusal(qtbot, db, office):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    for button in (dialog.save_button, dialog.refuse_button):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert dialog.form.errors["procedure_code"].isVisible()
        assert dialog.form.errors["applicant_name"].text() == NAME_REQUIRED
        assert dialog.focusWidget() is dialog.procedure_edit


def test_receive_names_every_wrong_field_in_one_error(db, office):
    documents = [Handed(c.name, c.form, c.count, c.required, received=False) for c in BIRTH]
    with pytest.raises(FieldErrors) as caught:
        receive(db, unit_code="X01", procedure_code="1.004227", applicant_name=" ",
                applicant_email="mai@", components=documents)
    assert set(caught.value.errors) == {"applicant_name", "applicant_email", "components"}
    assert NAME_REQUIRED in str(caught.value) and "“Giấy chứng sinh”" in str(caught.value)
