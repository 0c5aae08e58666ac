"""After an action in the dossier window the focus has a visible place — the clerk's next step
(walk35's shot 56): a button that becomes disabled, or a box rebuilt by the reload, left the
keyboard nowhere, so Tab and Enter started from an invisible point."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from gui.dossiers.detail import DossierDialog

LEFT = Qt.MouseButton.LeftButton


def _opened(qtbot, db, dossier_id):
    detail = DossierDialog(db, dossier_id)
    qtbot.addWidget(detail)
    detail.show()
    detail.activateWindow()
    qtbot.waitExposed(detail)
    return detail


def _focus_is_visible(detail) -> bool:
    focus = detail.focusWidget()
    return focus is not None and focus.isVisible() and focus.isEnabled()


def test_after_a_paper_vote_the_focus_goes_to_closing(qtbot, db, office, answer_dialogs):
    detail = _opened(qtbot, db, office["Phạm Minh Đức"])  # returned, no vote yet
    vote = detail.action_buttons["vote"]
    vote.setFocus()

    def fill(dialog):
        dialog.rating.group.buttons()[0].setChecked(True)
        dialog.voted_at.set_value(dt.datetime(2025, 6, 4, 8, 30))
    answer_dialogs.append(fill)
    qtbot.mouseClick(vote, LEFT)
    qtbot.wait(10)
    assert not vote.isEnabled()  # one vote per dossier
    assert _focus_is_visible(detail)
    assert detail.focusWidget() is detail.close_button  # nothing left to do but close


def test_after_an_extension_the_focus_goes_to_the_next_step(qtbot, db, office, answer_dialogs,
                                                           monkeypatch):
    from gui import widgets
    monkeypatch.setattr(widgets, "confirm", lambda *a, **k: False)  # «Để sau»: no Mẫu 04 now
    detail = _opened(qtbot, db, office["Nguyễn Thị Lan"])  # received
    answer_dialogs.append(lambda d: (d.reason_edit.setPlainText("Chờ xác minh")))
    extend = detail.action_buttons["extend"]
    extend.setFocus()
    qtbot.mouseClick(extend, LEFT)
    qtbot.wait(10)
    assert detail.d["extended_due_at"] is not None and not extend.isEnabled()  # once only
    assert _focus_is_visible(detail)
    assert detail.focusWidget() is detail.action_buttons["print"]  # its Mẫu 04 is next


def test_a_second_payment_keeps_the_focus_on_thu_phi(qtbot, db, office, answer_dialogs):
    """A button still usable after its action keeps the focus: the clerk may use it again."""
    dossier_id = next(i for name, i in office.items() if _fee(db, i))
    detail = _opened(qtbot, db, dossier_id)
    pay = detail.action_buttons["payment"]
    pay.setFocus()
    answer_dialogs.append(lambda d: d.amount.setValue(1000))
    qtbot.mouseClick(pay, LEFT)
    qtbot.wait(10)
    assert detail.focusWidget() is pay


def _fee(db, dossier_id) -> int:
    return db.execute("SELECT COALESCE(d.fee, p.fee) FROM dossiers d JOIN procedures p "
                      "ON p.code = d.procedure_code WHERE d.id = ?", [dossier_id]).fetchone()[0]


def test_after_cancelling_the_only_payment_the_focus_leaves_the_rebuilt_box(
        qtbot, db, office, answer_dialogs):
    """«Huỷ khoản thu…» sits in the payments box the reload rebuilds: the focus goes to the
    dossier's next step, not to the old, invisible button (a guard: Qt already moved it)."""
    from core import payments
    dossier_id = next(i for name, i in office.items() if _fee(db, i))
    payments.add_payment(db, dossier_id, amount=1000, method="cash",
                         paid_at=dt.datetime(2025, 6, 11, 9, 0))
    detail = _opened(qtbot, db, dossier_id)
    cancel = detail.payments_box.cancel_button
    cancel.setFocus()
    answer_dialogs.append(lambda d: d.reason_edit.setPlainText("Nhập nhầm"))
    qtbot.mouseClick(cancel, LEFT)
    qtbot.wait(10)
    assert detail.payments_box.cancel_button is None  # nothing left to cancel
    assert _focus_is_visible(detail)
    first_step = next(detail.action_buttons[k] for k in ("start_processing", "request_supplement",
                      "receive_supplement", "finish", "return_result")
                      if detail.action_buttons[k].isEnabled())
    assert detail.focusWidget() is first_step
