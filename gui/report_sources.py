"""The Báo cáo screen's "Nguồn số liệu": the warnings folded in one red line, and beside it a
button opening the table the monthly report prints (per sending machine and unit: last package,
its span, when imported, Đủ/Thiếu; core.pdf.monthly_sources.cells, one rule for both)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.exchange.sources import Sources
from core.pdf.monthly_sources import HEADINGS, cells
from gui import shown
from gui.folded_note import FoldedNote


class SourcesBar(QWidget):
    """Hidden when this file never took a package (a single PC's report rests on itself)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.note = FoldedNote()
        self.note.line.setStyleSheet("color: #a61b1b; font-weight: bold;")
        self.note.details.setStyleSheet("color: #a61b1b;")
        row.addWidget(self.note, 1)
        self.button = QPushButton("Bảng nguồn số liệu…")
        self.button.setToolTip("Các máy gửi gói dữ liệu: gói cuối cùng đã nhập, số liệu đến "
                               "đâu, đủ hay thiếu cho kỳ báo cáo (như trong báo cáo tháng)")
        self.button.clicked.connect(self.open_table)
        row.addWidget(self.button, 0)
        self.found = Sources([], [])
        self.dialog: QDialog | None = None
        self.hide()

    def show_sources(self, found: Sources) -> None:
        self.found = found
        self.note.set_notes(f"Nguồn số liệu: {len(found.warnings)} cảnh báo về các gói dữ liệu "
                            "nhập từ máy khác (in cả trong báo cáo tháng)", found.warnings)
        self.setVisible(bool(found.rows))

    def open_table(self) -> None:
        self.dialog = SourcesDialog(self.found, self)
        self.dialog.open()


class SourcesDialog(QDialog):
    def __init__(self, found: Sources, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Nguồn số liệu của báo cáo")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Số liệu của mỗi máy gửi chỉ đến thời điểm lập gói cuối cùng "
                                "đã nhập vào máy này:"))
        rows = cells(found.rows)
        self.table = QTableWidget(len(rows), len(HEADINGS) - 1)
        self.table.setHorizontalHeaderLabels(list(HEADINGS[1:]))
        self.table.verticalHeader().setVisible(False)
        for r, row in enumerate(rows):
            for c, text in enumerate(row[1:]):
                self.table.setItem(r, c, QTableWidgetItem(text))  # items show text as typed
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        self.warnings = shown.plain(QLabel("\n".join(found.warnings)))
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #a61b1b;")
        self.warnings.setVisible(bool(found.warnings))
        layout.addWidget(self.warnings)
        buttons = QDialogButtonBox()
        close = buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1000, 420)
