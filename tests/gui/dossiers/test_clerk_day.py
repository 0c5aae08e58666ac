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
