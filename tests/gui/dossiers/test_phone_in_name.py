"""A tired clerk types the name, then the phone without the Tab (clerk29): "Hoang Van Tuan
0912345678" was received as the applicant's name and printed so on the receipt."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core import validation
from gui.dossiers.intake import IntakeDialog
from tests.gui.clicks import click


def test_a_phone_typed_after_the_name_without_tab_is_refused_under_the_name(qtbot, db, office):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")  # an exact code picks it
    qtbot.keyClicks(dialog.name_edit, "Hoang Van Tuan 0912 345 678")
    before = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    error = dialog.form.errors["applicant_name"]
    assert error.isVisible()
    assert error.text().startswith("Họ tên người nộp có một dãy 10 chữ số")
    assert "0912" not in error.text()  # the citizen's number is not repeated in the message
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before
    # the number moved to its own field: received
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, "Hoang Van Tuan")
    qtbot.keyClicks(dialog.phone_edit, "0912345678")
    click(qtbot, dialog.save_button)
    assert dialog.created is not None


@pytest.mark.parametrize("name", ["Công ty 3A", "Tổ dân phố 12", "Hợp tác xã 20-11",
                                  "Nguyễn Văn An", "Công ty TNHH Số 1 Lạng Sơn"])
def test_names_with_a_few_digits_are_kept(name):
    assert validation.typed_name_reason(name) is None


@pytest.mark.parametrize("name", ["Hoang Van Tuan 0912345678", "Lê Thị Hà 001203012345",
                                  "Trần Bình 0912.345.678", "0912345678 Trần Bình"])
def test_a_phone_or_identity_number_inside_a_name_is_named(name):
    assert validation.typed_name_reason(name).startswith("có một dãy")
