"""«Máy gửi gói đã biết»: the senders whose signing key this installation pinned (issue 16 §3,
core.exchange.signing), for the administrator. The rows are core's (`known_senders`, as
`exchange keys` prints them); «Quên khoá máy này…» asks, then forgets through the same
`signing.forget` as `exchange forget-key`, recorded in setting_changes."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from core.exchange import signing
from gui import ops, widgets
from gui.screen_fit import fit_to_screen

COLUMNS = ("Máy gửi", "Đơn vị", "Dấu khoá", "Ghi nhận lúc", "Từ gói")
INTRO_VI = ("Khoá ký của mỗi máy gửi được ghi nhận khi nhập gói có chữ ký đầu tiên của máy ấy; "
            "từ đó gói của máy ấy ký bằng khoá khác, hoặc không có chữ ký, đều bị từ chối. "
            "Muốn đối chiếu, hỏi người dùng máy gửi đọc dấu khoá của máy họ.")


def forget_question(row: signing.KnownSender) -> str:
    return (f"Quên khoá ký của {row.machine} (mã cài đặt {row.installation}, dấu khoá "
            f"{row.fingerprint})?\n\nGói có chữ ký tiếp theo của máy ấy sẽ được coi như gói "
            "của một máy mới và khoá của nó được ghi nhận lại — kể cả khi gói đó do một máy "
            "khác mạo danh. Chỉ làm việc này khi máy ấy thật sự đã được cài lại (hoặc khôi phục "
            "từ một bản sao lưu cũ); hãy hỏi lại người dùng máy ấy cho chắc.\n\nViệc quên khoá "
            "được ghi vào nhật ký thay đổi cài đặt.")


class KnownSendersDialog(QDialog):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Máy gửi gói đã biết")
        self.db = db
        self.rows: list[signing.KnownSender] = []
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO_VI)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.empty = QLabel(signing.NO_SENDER_VI)
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        # the row «Quên khoá» applies to is chosen by a click or an arrow, never by focus
        self.table = widgets.ChoiceTable(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected)
        layout.addWidget(self.table, 100)
        layout.addStretch(1)  # the sentences stay at the top when the list is empty
        below = QHBoxLayout()
        self.forget_button = QPushButton("Quên khoá máy này…")
        self.forget_button.clicked.connect(self.forget_selected)
        below.addWidget(self.forget_button)
        below.addStretch(1)
        buttons = widgets.button_box(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        below.addWidget(buttons)
        layout.addLayout(below)
        self.refresh()
        fit_to_screen(self, 1000, 380)

    def refresh(self) -> None:
        self.rows = signing.known_senders(self.db)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = (f"{row.machine}\n{row.installation}", row.units or "—", row.fingerprint,
                     row.pinned_at or "?", row.package or "?")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self.empty.setVisible(not self.rows)
        self.table.setVisible(bool(self.rows))
        self.forget_button.setVisible(bool(self.rows))
        if self.rows:
            self.table.selectRow(0)
        self._selected()

    def _selected(self) -> None:
        self.forget_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def selected(self) -> signing.KnownSender | None:
        chosen = self.table.selectionModel().selectedRows()
        return self.rows[chosen[0].row()] if chosen else None

    def forget_selected(self) -> None:
        row = self.selected()
        if row is None or not widgets.confirm(self, "Quên khoá máy gửi", forget_question(row),
                                              yes="Quên khoá", no="Không"):
            return
        ident = row.installation
        done = ops.Op(self, lambda db: signing.forget(db, ident), ops.SETTINGS,
                      doing="quên máy gửi").run(self.db)
        if done:
            self.refresh()


def known_senders_dialog(window) -> QDialog:
    dialog = KnownSendersDialog(window.db, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
