"""A new clerk's first day at the counter (1366×728): what got in the way, clicked and typed."""
from __future__ import annotations

import time

from PySide6.QtCore import QRect, Qt

from db.connection import transaction
from gui.dossiers.intake import IntakeDialog

# Two procedures of the national catalogue that differ only at the end of their names
FOREIGN = ("2.000843", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có "
           "thẩm quyền của nước ngoài cấp hoặc chứng nhận")
DOMESTIC = ("2.000908", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có "
            "thẩm quyền của Việt Nam cấp hoặc chứng nhận")


def _add_twins(db) -> None:
    with transaction(db) as conn:
        for code, name in (FOREIGN, DOMESTIC):
            conn.execute("INSERT INTO procedures(code, name, field, limit_value, limit_unit, fee,"
                         " online_level, paper_result) VALUES (?, ?, 'Chứng thực', 1,"
                         " 'working_days', 2000, 'partial', 0)", [code, name])
            # with its list of papers, as in the catalogue: the list takes the right half
            conn.execute("INSERT INTO procedure_components(procedure_code, position, name, form)"
                         " VALUES (?, 1, 'Bản chính giấy tờ, văn bản làm cơ sở để chứng thực',"
                         " 'original')", [code])


def test_procedure_list_shows_long_names_whole(qtbot, db, office):
    """Cut with "…" at the picker's width, 2.000843 and 2.000908 read the same
    ("Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ qu…"): the clerk could not tell
    the foreign papers' procedure from the Vietnamese one. Each entry now wraps onto the lines
    it needs, and picking one shows its whole name under the field."""
    _add_twins(db)
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.procedure_edit, "ban sao tu ban chinh giay to")
    popup = dialog.procedure_edit.completer_.popup()
    qtbot.waitUntil(popup.isVisible)
    model = popup.model()
    assert model.rowCount() == 2
    metrics = popup.fontMetrics()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        text = index.data()
        room = popup.visualRect(index).intersected(popup.viewport().rect())  # what is seen
        assert room.width() < metrics.horizontalAdvance(text)  # one line could not hold it
        needed = metrics.boundingRect(QRect(0, 0, room.width() - 8, 10_000),
                                      int(Qt.TextFlag.TextWordWrap), text)
        assert room.height() >= needed.height(), f"“{text}” is cut in the list"
    # the clerk goes down to the second entry (the Vietnamese papers) and presses Enter
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.procedure_edit.code == DOMESTIC[0]
    assert DOMESTIC[1] in dialog.procedure_info.text()  # the whole name, in sight, once chosen
    assert dialog.procedure_info.isVisible()


def test_a_long_error_under_the_time_is_read_whole(qtbot, db, office):
    """'Chuyển xử lý' a year ahead (the year's arrow pressed once too often): the message under
    'Thời điểm' says the moment is in the future and what the clock says, on three lines; the
    small dialog kept its height, so the lines were squeezed and cut into each other and the
    clerk could not read what was wrong. The dialog now grows to show the message whole."""
    from gui.dossiers.detail import DossierDialog
    from tests.gui.accounts_setup import answer_modal, ok_button
    from tests.gui.clicks import click
    detail = DossierDialog(db, office["Trần Văn Bình"])  # received at the desk
    qtbot.addWidget(detail)
    seen: dict = {}

    def a_year_ahead(dialog):
        edit = dialog.at_edit
        edit.setFocus()
        ahead = edit.value().replace(year=edit.value().year + 1)
        qtbot.keyClick(edit.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(edit.edit, f"{ahead:%H:%M %d/%m/%Y}")
        qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)

    def look_then_cancel(dialog):
        qtbot.waitUntil(lambda: dialog.form.errors["at"].isVisible())
        label = dialog.form.errors["at"]

        def settled() -> bool:  # the layout grows the dialog in the next turns of the loop
            return (label.mapTo(dialog, label.rect().bottomLeft()).y()
                    <= dialog.buttons.mapTo(dialog, dialog.buttons.rect().topLeft()).y())
        deadline = time.monotonic() + 2
        while not settled() and time.monotonic() < deadline:
            qtbot.wait(20)
        seen["text"] = label.text()
        seen["height"], seen["needed"] = label.height(), label.heightForWidth(label.width())
        seen["bottom"] = label.mapTo(dialog, label.rect().bottomLeft()).y()
        seen["buttons"] = dialog.buttons.mapTo(dialog, dialog.buttons.rect().topLeft()).y()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    answer_modal(qtbot, a_year_ahead, look_then_cancel)
    click(qtbot, detail.action_buttons["start_processing"])
    assert "tương lai" in seen["text"]
    assert seen["height"] >= seen["needed"], seen  # every line of the message has its room
    assert seen["bottom"] <= seen["buttons"], seen  # and none under the buttons
    assert db.execute("SELECT status FROM dossiers WHERE id = ?",
                      [office["Trần Văn Bình"]]).fetchone()[0] == "received"  # nothing done


def test_a_cccd_one_digit_short_says_how_many_were_typed(qtbot, db, office):
    """'02019301234' typed from the card: the message gave the rule (12 digits) but the clerk
    had to count the digits on the screen to see that one was missing."""
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")
    dialog.name_edit.setText("Nguyễn Thị Hồng Nhung")  # QTest types Latin-1 only: pasted
    qtbot.keyClicks(dialog.id_edit, "02019301234")
    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Return)  # Enter saves
    error = dialog.form.errors["applicant_id_no"]
    assert error.isVisible()
    assert "11 chữ số" in error.text() and "12 chữ số" in error.text()
    assert dialog.created is None and dialog.name_edit.text() == "Nguyễn Thị Hồng Nhung"
