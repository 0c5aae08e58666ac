"""First start on an empty database: offer the demo data or an import of the catalogue."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from gui import transfer_ui
from gui.worker import run_in_background


class WelcomePage(QWidget):
    done = Signal()

    def __init__(self, db, db_path: str, parent=None):
        super().__init__(parent)
        self.db, self.db_path = db, db_path
        self.worker = None
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("<h1>Chào mừng đến với MotCua</h1>")
        layout.addWidget(title)
        layout.addWidget(QLabel(
            "Cơ sở dữ liệu còn trống. Để bắt đầu, hãy chọn một trong các cách sau:<br>"
            f"<span style='color:#555'>Tệp dữ liệu: {db_path}</span>"))
        layout.addLayout(self._demo_row())
        self.import_button = QPushButton("Nhập dữ liệu từ tệp CSV/XLSX (đơn vị, thủ tục, hồ sơ…)")
        self.import_button.clicked.connect(self.import_data)
        layout.addWidget(self.import_button)
        layout.addWidget(QLabel("Hoặc vào <b>Danh mục</b> để khai báo đơn vị và thủ tục bằng tay."))

    def _demo_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.demo_count = QSpinBox(minimum=100, maximum=2_000_000, singleStep=1000, value=20000)
        self.demo_button = QPushButton("Tạo dữ liệu mẫu để dùng thử")
        self.demo_button.clicked.connect(self.make_demo)
        row.addWidget(self.demo_button)
        row.addWidget(QLabel("số hồ sơ:"))
        row.addWidget(self.demo_count)
        row.addStretch(1)
        return row

    def make_demo(self) -> None:
        from core import demo
        count = self.demo_count.value()
        self.worker = run_in_background(
            self, self.db_path, f"Đang tạo {count:,} hồ sơ mẫu…".replace(",", "."),
            lambda db, progress: demo.generate(db, dossiers=count, seed=1, progress=progress),
            lambda _result: self.done.emit())

    def import_data(self) -> None:
        self.worker = transfer_ui.import_dialog(self, self.db_path, on_done=self.done.emit)
