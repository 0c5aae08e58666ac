"""The dossier window's documents: what was received, marked digitised by the clerk; and the
supplement request that names the documents missing or incorrect (Mẫu 02 prints them)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from core import components
from gui import ops, permissions
from gui.dossiers.actions import ActionDialog
from gui.dossiers.documents import DigitisedDocuments, SupplementDocuments


class DocumentsBox(QWidget):
    def __init__(self, db, dossier_id: int, items: list, parent=None):
        super().__init__(parent)
        self.db, self.dossier_id = db, dossier_id
        layout = QHBoxLayout(self)
        self.table = DigitisedDocuments()
        self.table.set_items(items)
        layout.addWidget(self.table, 1)
        side = QVBoxLayout()
        received = sum(c.received for c in items)
        digitised = sum(c.digitised for c in items)
        self.title = f"Thành phần hồ sơ (đã nhận {received}/{len(items)})"
        self.summary = QLabel(f"Đã nhận {received}/{len(items)}\nĐã số hóa {digitised}/{received}")
        side.addWidget(self.summary)
        self.save_button = QPushButton("Lưu số hóa")
        self.save_button.setToolTip("Ghi các giấy tờ đã được số hóa (chụp, quét lưu vào hệ thống)")
        self.save_button.clicked.connect(self.save)
        permissions.guard(self.save_button, "dossier.act")
        side.addWidget(self.save_button)
        side.addStretch(1)
        layout.addLayout(side)

    def beside(self, timeline: QWidget) -> QTabWidget:
        """The history and the documents as two tabs: the window keeps its height (1366×768)."""
        tabs = QTabWidget()
        tabs.addTab(timeline, "Lịch sử xử lý")
        tabs.addTab(self, self.title)
        self.tabs = tabs
        return tabs

    def save(self) -> bool:
        marks, dossier_id = self.table.digitised(), self.dossier_id
        return ops.Op(self, lambda db: components.set_digitised(db, dossier_id, marks),
                      ops.DOSSIERS).run(self.db)


class SupplementDialog(ActionDialog):
    """Yêu cầu bổ sung: time, reason, and the documents missing or incorrect with a note."""

    def __init__(self, parent=None, *, items: list, now: dt.datetime):
        super().__init__("request_supplement", parent, needs_reason=True, now=now)
        self.setMinimumWidth(820)
        self.documents = self.form.add_wide(
            "components", "Thành phần còn thiếu hoặc chưa đúng (đánh dấu, in trên Mẫu 02):",
            SupplementDocuments())
        self.documents.set_items(items)
        self.documents.setMinimumHeight(150)

    def values(self) -> dict:
        return {**super().values(), "flagged": self.documents.flagged()}
