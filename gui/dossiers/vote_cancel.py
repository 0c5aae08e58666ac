"""«Huỷ phiếu đánh giá…» of the dossier window: the vote to cancel, then the reason.

With the dossier's one live vote, it is that one (as the payment's cancel takes the only live
payment). With more — an older program's exchange left another citizen's vote beside this
citizen's (check.one_vote_a_dossier) — the clerk picks the row of the extra one: no row is
picked beforehand, since a guess could cancel the citizen's own vote — not by the mouse, and
not by the keyboard either: focus entering the table picks no row (Qt would make the first row
current, and Space or Tab would select it), Tab leaves the table, and the chosen vote is named in
a question ("Không" by default) before it is cancelled for good.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHeaderView,
    QWidget,
)

from core.dossier_votes import LiveVote
from core.errors import FieldError
from gui import shown, widgets
from gui.dossiers.actions import CancelDialog

HEADERS = ("Số", "Thời điểm", "Mức độ", "Cách ghi", "Người ghi", "Nguồn gốc", "Lý do, góp ý")
CHOOSE = "Hãy bấm chọn trong bảng phiếu cần huỷ (phiếu thừa)."
NOT_CANCELLED = "Chưa huỷ phiếu nào. " + CHOOSE


class VoteCancelDialog(CancelDialog):
    def __init__(self, code: str, live: list[LiveVote], parent=None):
        self.live, self.table = live, None
        if len(live) == 1:
            what = f"Huỷ phiếu đánh giá “{live[0].brief}” của hồ sơ {code}."
        else:
            what = (f"Hồ sơ {code} có {len(live)} phiếu đánh giá còn hiệu lực, nhưng mỗi hồ sơ "
                    "chỉ được tính một phiếu. Xem cột Nguồn gốc và Người ghi trong bảng dưới "
                    "đây để biết phiếu nào không phải của người nộp hồ sơ này, chọn đúng phiếu "
                    "đó (bấm chuột, hoặc phím mũi tên) rồi ghi lý do.")
        super().__init__("Huỷ phiếu đánh giá", what, parent)
        # «Huỷ» would read "cancel the vote" here; it closes without cancelling anything
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(widgets.CLOSE)
        if self.table is not None:
            self.setMinimumWidth(860)  # the rows whole on a 1366-px screen (issue 14 §5)
            QWidget.setTabOrder(self.table, self.reason_edit)  # as drawn: the table first

    def add_choice(self) -> None:
        if len(self.live) < 2:
            return
        table = widgets.ChoiceTable(len(self.live), len(HEADERS))
        table.setHorizontalHeaderLabels(HEADERS)
        table.setWordWrap(True)
        for row, vote in enumerate(self.live):
            cells = (str(vote.id), vote.when, vote.label, vote.source, vote.recorded_by,
                     vote.came_from, vote.remark)
            for column, text in enumerate(cells):
                item = shown.item(text, vote.text)  # whole on hover, a long package name wrapped
                table.setItem(row, column, item)
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        for column in (5, 6):  # the long ones share what is left, wrapped
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        table.resizeRowsToContents()
        table.setFixedHeight(header.sizeHint().height() + 2 * table.frameWidth()
                             + sum(table.rowHeight(r) for r in range(min(4, len(self.live))))
                             + 2)
        table.clearSelection()
        self.table = self.form.add_wide("vote", "Phiếu cần huỷ (*)", table)

    def chosen(self) -> LiveVote:
        if self.table is None:
            return self.live[0]
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            raise FieldError("vote", CHOOSE)
        return self.live[rows[0].row()]

    def values(self) -> dict:
        return {"vote_id": self.chosen().id, **super().values()}

    def confirmed(self, values: dict) -> dict:
        """`values` once the clerk said yes to the chosen vote, named (one of several: a wrong
        row would cancel the citizen's own vote for good); "Không" goes back to the table."""
        if self.table is None:
            return values
        question = self.chosen().cancel_question
        if not widgets.confirm(self, "Huỷ phiếu đánh giá", question):
            raise FieldError("vote", NOT_CANCELLED)
        return values
