"""The dossier window's documents: what was received, marked digitised by the clerk, with the
dossier's own flags (its documents digitised when it has no list, its result digitised: spec
5.1 indicator 4.2); and the supplement request that names the documents missing or incorrect
(Mẫu 02 prints them)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import components
from core.moment import RESOLVED
from gui import ops, permissions
from gui.dossiers.actions import ActionDialog
from gui.dossiers.documents import ArrivedDocuments, DigitisedDocuments, SupplementDocuments

NO_LIST = ("Thủ tục không có danh sách thành phần hồ sơ: đánh dấu khi toàn bộ giấy tờ "
           "đã nhận được số hóa (chụp, quét lưu vào hệ thống).")


class DocumentsBox(QWidget):
    def __init__(self, db, dossier_id: int, items: list, dossier: dict | None = None,
                 parent=None):
        super().__init__(parent)
        self.db, self.dossier_id, self.listed = db, dossier_id, bool(items)
        dossier = dossier or {}
        layout = QHBoxLayout(self)
        self.table = DigitisedDocuments()
        self.table.set_items(items)
        self.digitised_box = QCheckBox("Thành phần hồ sơ đã số hóa")
        self.digitised_box.setChecked(bool(dossier.get("digitised")))
        if self.listed:
            layout.addWidget(self.table, 1)
        else:
            left = QVBoxLayout()
            left.addWidget(self.digitised_box)
            note = QLabel(NO_LIST)
            note.setWordWrap(True)
            left.addWidget(note)
            left.addStretch(1)
            layout.addLayout(left, 1)
        layout.addLayout(self._side(items, dossier))

    def _side(self, items: list, dossier: dict) -> QVBoxLayout:
        side = QVBoxLayout()
        received = sum(c.received for c in items)
        digitised = sum(c.digitised for c in items)
        self.title = f"Thành phần hồ sơ (đã nhận {received}/{len(items)})" if self.listed \
            else "Số hóa"
        self.summary = QLabel(f"Đã nhận {received}/{len(items)}\nĐã số hóa {digitised}/{received}"
                              if self.listed else "")
        side.addWidget(self.summary)
        self.result_box = QCheckBox("Kết quả đã số hóa")
        self.result_box.setChecked(bool(dossier.get("result_digitised")))
        resolved = dossier.get("status") in RESOLVED
        self.result_box.setEnabled(resolved)
        self.result_box.setToolTip("" if resolved else "Hồ sơ chưa có kết quả.")
        side.addWidget(self.result_box)
        self.save_button = QPushButton("Lưu số hóa")
        self.save_button.setToolTip("Ghi các giấy tờ, kết quả đã được số hóa (chụp, quét lưu vào "
                                    "hệ thống); chỉ số 766 tính lại ngay")
        self.save_button.clicked.connect(self.save)
        permissions.guard(self.save_button, "dossier.act")
        side.addWidget(self.save_button)
        side.addStretch(1)
        return side

    def beside(self, timeline: QWidget) -> QTabWidget:
        """The history and the documents as two tabs: the window keeps its height (1366×768)."""
        tabs = QTabWidget()
        tabs.addTab(timeline, "Lịch sử xử lý")
        tabs.addTab(self, self.title)
        self.tabs = tabs
        return tabs

    def save(self) -> bool:
        dossier_id = self.dossier_id
        marks = self.table.digitised() if self.listed else None
        flag = None if self.listed else self.digitised_box.isChecked()
        result = self.result_box.isChecked() if self.result_box.isEnabled() else None
        return ops.Op(self, lambda db: components.record_digitised(
            db, dossier_id, documents=marks, digitised=flag, result_digitised=result),
            ops.DOSSIERS, doing="lưu số hoá giấy tờ").run(self.db)


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


class SupplementReceiptDialog(ActionDialog):
    """Nhận bổ sung: time, and which of the requested documents arrived (all ticked at first:
    a clerk unticks one the citizen did not bring, and it stays outstanding)."""

    def __init__(self, parent=None, *, items: list, now: dt.datetime):
        super().__init__("receive_supplement", parent, needs_reason=False, now=now)
        self.setMinimumWidth(640)
        self.documents = self.form.add_wide(
            "components", "Thành phần đã nhận (bỏ đánh dấu thành phần công dân chưa nộp):",
            ArrivedDocuments())
        self.documents.set_items(items)
        self.documents.setMinimumHeight(120)

    def values(self) -> dict:
        return {**super().values(), "positions": self.documents.arrived()}
