"""«Huỷ phiếu đánh giá…» with two live votes, used from the keyboard (try23 F1): Tab and Space
no longer choose the first row (the citizen's own vote, usually) for the clerk, Enter without a
chosen row says to choose one, and the chosen vote is named in a question before it is cancelled.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from gui.dossiers import actions
from tests.gui.clicks import click
from tests.gui.dossiers.test_vote_cancel_choice import open_detail, two_live_votes

Key = Qt.Key


def keys_answer(monkeypatch, qtbot, *sequences):
    """The chooser runs for real keys: each exec() shows it, presses one sequence on whatever
    has the focus, and returns what the keys did (accepted or not); none left: closed."""
    seen: dict = {"errors": []}
    queue = list(sequences)

    def run(dialog):
        if not queue:
            return 0
        dialog.setResult(0)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)  # keys as on a desk: focus events delivered
        seen["dialog"] = dialog
        for key, modifier in queue.pop(0):
            if key is None:  # text typed in the focused field
                qtbot.keyClicks(dialog.focusWidget(), modifier)
                continue
            qtbot.keyClick(dialog.focusWidget(), key, modifier)
        seen["selected"] = [i.row() for i in dialog.form.fields["vote"].selectionModel()
                            .selectedRows()]
        return dialog.result()
    monkeypatch.setattr(actions.FormDialog, "exec", run)

    def error_seen(*args, **kwargs):  # the message under the table, as the clerk reads it
        seen["errors"].append(seen["dialog"].form.errors["vote"].text())
    return seen, error_seen


NONE = Qt.KeyboardModifier.NoModifier
TYPE = [(None, "Phieu thua")]
TAB = (Key.Key_Tab, NONE)
BACKTAB = (Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
ENTER = (Key.Key_Return, NONE)
SPACE = (Key.Key_Space, NONE)
DOWN = (Key.Key_Down, NONE)


def live(db, dossier_id) -> set[int]:
    return {r[0] for r in db.execute("SELECT id FROM votes WHERE dossier_id = ? AND "
                                     "cancelled_at IS NULL", [dossier_id])}


def test_tab_tab_tab_tab_enter_cancels_no_vote(qtbot, db, office, monkeypatch, message_boxes):
    message_boxes.answer = QMessageBox.StandardButton.Yes  # even a careless "Có" would not do it
    dossier_id = office["Phạm Minh Đức"]
    own, other = two_live_votes(db, dossier_id)
    detail = open_detail(qtbot, db, dossier_id)
    seen, _ = keys_answer(monkeypatch, qtbot, TYPE + [TAB] * 4 + [ENTER])
    click(qtbot, detail.action_buttons["cancel_vote"])
    assert seen["selected"] == []  # the Tabs chose no row
    assert live(db, dossier_id) == {own, other}


def test_shift_tab_space_enter_asks_to_choose(qtbot, db, office, monkeypatch, message_boxes):
    message_boxes.answer = QMessageBox.StandardButton.Yes
    dossier_id = office["Phạm Minh Đức"]
    own, other = two_live_votes(db, dossier_id)
    detail = open_detail(qtbot, db, dossier_id)
    seen, _ = keys_answer(monkeypatch, qtbot, TYPE + [BACKTAB, SPACE, ENTER], [])
    click(qtbot, detail.action_buttons["cancel_vote"])
    assert seen["selected"] == []
    assert seen["dialog"].form.errors["vote"].text() == \
        "Hãy bấm chọn trong bảng phiếu cần huỷ (phiếu thừa)."
    assert not [box for box in message_boxes if box[0] == "question"]  # nothing to ask yet
    assert live(db, dossier_id) == {own, other}


def test_the_second_row_chosen_by_arrows_is_cancelled_after_yes(qtbot, db, office, monkeypatch,
                                                                 message_boxes):
    message_boxes.answer = QMessageBox.StandardButton.Yes
    dossier_id = office["Phạm Minh Đức"]
    own, other = two_live_votes(db, dossier_id)
    detail = open_detail(qtbot, db, dossier_id)
    seen, _ = keys_answer(monkeypatch, qtbot, TYPE + [BACKTAB, DOWN, DOWN, ENTER])
    click(qtbot, detail.action_buttons["cancel_vote"])
    assert seen["selected"] == [1]
    close = seen["dialog"].buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert close.text() == "Đóng"  # «Huỷ» would read "cancel the vote" in this dialog
    questions = [(title, text) for kind, title, text in message_boxes if kind == "question"]
    assert questions == [("Huỷ phiếu đánh giá", "Huỷ phiếu «Không hài lòng» ghi lúc 09:20 "
                          "04/06/2025 (máy đánh giá, nhập từ gói X01-20250610-c3cd08e7.motcua "
                          "(máy c3cd08e7))? Phiếu đã huỷ không khôi phục được.")]
    assert live(db, dossier_id) == {own}
    assert db.execute("SELECT cancel_reason FROM votes WHERE id = ?",
                      [other]).fetchone()[0] == "Phieu thua"


def test_no_to_the_question_cancels_nothing(qtbot, db, office, monkeypatch, message_boxes):
    dossier_id = office["Phạm Minh Đức"]  # message_boxes answers "Không"
    own, other = two_live_votes(db, dossier_id)
    detail = open_detail(qtbot, db, dossier_id)
    seen, _ = keys_answer(monkeypatch, qtbot, TYPE + [BACKTAB, DOWN, DOWN, ENTER], [])
    click(qtbot, detail.action_buttons["cancel_vote"])
    assert [kind for kind, *_ in message_boxes] == ["question"]
    assert seen["dialog"].form.errors["vote"].text() == \
        "Chưa huỷ phiếu nào. Hãy bấm chọn trong bảng phiếu cần huỷ (phiếu thừa)."
    assert live(db, dossier_id) == {own, other}
