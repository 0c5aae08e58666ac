"""First start on an empty database: offer the demo data or an import of the catalogue."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from gui import import_export, permissions


class WelcomePage(QWidget):
    done = Signal()

    def __init__(self, db, db_path: str, parent=None):
        super().__init__(parent)
        self.db, self.db_path = db, db_path
        self.main = parent  # the main window: the demo opens there, in its own file
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
        permissions.guard(self.import_button, "data.import")
        layout.addWidget(self.import_button)
        layout.addWidget(QLabel("Hoặc vào <b>Danh mục</b> để khai báo đơn vị và thủ tục bằng tay."))

    def _demo_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.demo_count = QSpinBox(minimum=100, maximum=2_000_000, singleStep=1000, value=20000)
        self.demo_button = QPushButton("Tạo dữ liệu mẫu để dùng thử (trong tệp riêng)")
        self.demo_button.setToolTip("Dữ liệu mẫu nằm trong tệp riêng, không ghi vào cơ sở dữ liệu "
                                    "này; về lại bằng menu Dữ liệu → Về dữ liệu thật")
        self.demo_button.clicked.connect(self.make_demo)
        row.addWidget(self.demo_button)
        row.addWidget(QLabel("số hồ sơ:"))
        row.addWidget(self.demo_count)
        row.addStretch(1)
        return row

    def make_demo(self) -> None:
        """Create (or open) the demo file and show it in the window; this database is untouched."""
        from gui import demo_switch
        self.worker = demo_switch.open_demo(self.main, self.demo_count.value())

    def import_data(self) -> None:
        self.worker = import_export.import_dialog(self, self.db_path, on_done=self.done.emit)
