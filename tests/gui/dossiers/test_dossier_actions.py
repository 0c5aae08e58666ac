"""The dossier window's actions stay in their places (issue 14 §6): clicking where "Yêu cầu bổ
sung…" was must never run "Hoàn thành xử lý…". What is not possible now is disabled in place,
saying why, and the focus waits on the step that usually comes next."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRect, Qt

from gui.dossiers.detail import DossierDialog

LEFT = Qt.MouseButton.LeftButton


def places(detail) -> dict[str, QRect]:
    return {key: QRect(button.mapTo(detail, button.rect().topLeft()), button.size())
            for key, button in detail.action_buttons.items() if key != "cancel_payment"}


def answer(moment, reason=None):
    def fill(dialog):
        dialog.at_edit.set_value(moment)
        if reason:
            dialog.reason_edit.setPlainText(reason)
    return fill


def test_every_action_keeps_its_place_through_a_dossiers_life(qtbot, db, office, answer_dialogs):
    detail = DossierDialog(db, office["Nguyễn Thị Lan"])  # received, no fee
    qtbot.addWidget(detail)
    detail.show()
    qtbot.waitExposed(detail)
    before = places(detail)
    assert len(before) == 15  # 14 actions and the one "In phiếu" menu
    steps = [("start_processing", answer(dt.datetime(2025, 6, 10, 9, 0)), "finish"),
             ("request_supplement", answer(dt.datetime(2025, 6, 10, 10, 0), "Thiếu tờ khai"),
              "receive_supplement"),
             ("receive_supplement", answer(dt.datetime(2025, 6, 10, 14, 0)), "finish"),
             ("finish", answer(dt.datetime(2025, 6, 11, 8, 0)), "return_result"),
             ("return_result", answer(dt.datetime(2025, 6, 11, 9, 0)), None)]
    for action, fill, following in steps:
        assert detail.action_buttons[action].isEnabled(), action
        answer_dialogs.append(fill)
        qtbot.mouseClick(detail.action_buttons[action], LEFT)  # a real click at its place
        qtbot.wait(10)
        assert places(detail) == before, f"a button moved after {action}"
        expected = detail.close_button if following is None else detail.action_buttons[following]
        assert detail.focusWidget() is expected, action
    assert detail.d["status"] == "returned"
    # every step is still there, disabled, and says why
    finish = detail.action_buttons["finish"]
    assert not finish.isEnabled() and "Đã trả kết quả" in finish.toolTip()
    assert detail.action_buttons["print"].isEnabled()  # its menu lists the forms it has now


def test_a_disabled_action_cannot_be_clicked(qtbot, db, office, answer_dialogs):
    detail = DossierDialog(db, office["Phạm Minh Đức"])  # returned
    qtbot.addWidget(detail)
    detail.show()
    qtbot.waitExposed(detail)
    answer_dialogs.append(answer(dt.datetime(2025, 6, 11, 9, 0), "Lý do"))
    qtbot.mouseClick(detail.action_buttons["reject"], LEFT)
    assert answer_dialogs  # no dialog was opened
    assert db.execute("SELECT status FROM dossiers WHERE id = ?",
                      [office["Phạm Minh Đức"]]).fetchone()[0] == "returned"
