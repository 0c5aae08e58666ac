"""The payments of one dossier on its detail dialog: live ones, and cancelled ones struck through."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from core import cancelling, empty_lists, timefmt
from gui import permissions, shown
from gui.dossiers.actions import METHOD_VI
from gui.empty_list import SentenceTable

CANCELLED = QColor("#777777")
ROWS_SQL = ("SELECT id, paid_at, amount, method, reference, cancelled_at, cancel_reason "
            "FROM payments WHERE dossier_id = ? ORDER BY paid_at, id")


@dataclass(frozen=True)
class Payment:
    id: int
    text: str          # "10.000 đ, Tiền mặt, 09:30 11/06/2025" for the cancel dialog
    cancelled: bool


class PaymentsBox(QGroupBox):
    """A small table of the dossier's payments; `selected()` is the row the clerk picked."""

    def __init__(self, db, dossier_id: int, parent=None):
        super().__init__("Các khoản thu", parent)
        rows = db.execute(ROWS_SQL, [dossier_id]).fetchall()
        self.payments: list[Payment] = []
        self.table = SentenceTable(len(rows), 5)
        self.table.empty_text = lambda: empty_lists.dossier_payments(
            permissions.allowed("payment.record"))
        self.table.setHorizontalHeaderLabels(["Thời điểm", "Số tiền", "Hình thức",
                                              "Biên lai / giao dịch", "Tình trạng"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for r, row in enumerate(rows):
            self._fill(r, row)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        # as tall as its payments, up to three (more scroll; a dossier rarely has more): three
        # empty rows for one payment left the history 2 rows at 1366×728
        rows_height = max(1, min(3, len(rows))) * self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + rows_height
                                  + 2 * self.table.frameWidth())
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 1)
        self.cancel_button = None
        if self.live():
            side = QVBoxLayout()
            self.cancel_button = QPushButton("Huỷ khoản thu…")
            self.cancel_button.setToolTip("Huỷ khoản đã chọn (nhập nhầm): khoản thu được giữ "
                                          "trong lịch sử, có lý do, và không còn được tính.")
            permissions.guard(self.cancel_button, "payment.record")
            side.addWidget(self.cancel_button)
            side.addStretch(1)
            layout.addLayout(side)

    def _fill(self, r: int, row) -> None:
        payment_id, paid_at, amount, method, reference, cancelled_at, reason = row
        paid = timefmt.vn_datetime(timefmt.parse_db_time(paid_at))
        method_text = METHOD_VI.get(method, method)
        # the last column, wide: when and why, as the lists say them on hover (core.cancelling);
        # whole on hover too, when a long reason is cut
        state = cancelling.note(cancelled_at, reason) if cancelled_at else "Đã thu"
        cells = [paid, timefmt.vn_money(amount), method_text, reference or "", state]
        for c, text in enumerate(cells):
            item = shown.item(text, cancelling.note(cancelled_at, reason) if cancelled_at else None)
            if cancelled_at:
                font = item.font()
                font.setStrikeOut(c < 4)  # the state stays readable
                item.setFont(font)
                item.setForeground(CANCELLED)
            self.table.setItem(r, c, item)
        self.payments.append(Payment(payment_id, f"{timefmt.vn_money(amount)}, {method_text}, "
                                                 f"thu lúc {paid}", bool(cancelled_at)))

    def selected(self) -> Payment | None:
        rows = self.table.selectionModel().selectedRows()
        return self.payments[rows[0].row()] if rows else None

    def live(self) -> list[Payment]:
        return [p for p in self.payments if not p.cancelled]
