"""Báo cáo: the periodic figures per unit (the columns of Biểu 06/VPCP/KSTT) for any period,
with the official PDFs (monthly report, dossier register) and the data exchange."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from core import indicators, periods, timefmt
from core.indicators.by_field import BY_VI, compute_by_field
from core.indicators.vocabulary import provisional_note
from core.timefmt import vn_number, vn_percent
from gui import ops, printing, transfer_ui
from gui.period_bar import PeriodBar
from gui.worker import run_in_background

# (header, path in the figures, is a rate)
COLUMNS = (
    ("Tiếp nhận\ntổng số", "received.total", False), ("Trực tuyến", "received.online", False),
    ("Trực tiếp,\nbưu chính", "received.direct_postal", False),
    ("Kỳ trước\nchuyển qua", "received.carried_over", False),
    ("Đã giải quyết\ntổng số", "resolved.total", False), ("Trước hạn", "resolved.early", False),
    ("Đúng hạn", "resolved.on_time", False), ("Quá hạn", "resolved.late", False),
    ("Đang giải quyết\ntổng số", "in_progress.total", False),
    ("Trong hạn", "in_progress.within_time", False), ("Quá hạn ", "in_progress.overdue", False),
    ("Rút/dừng", "withdrawn", False), ("Tỷ lệ\nđúng hạn", "on_time_rate", True),
    ("Toàn trình", "online_full.rate", True), ("TT trực\ntuyến", "online_payment.rate", True),
    ("Hài lòng", "satisfaction.rate", True),
)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def value_at(figures: dict, path: str):
    for part in path.split("."):
        figures = figures[part]
    return figures


def unit_rows(result: dict) -> list[tuple[str, dict, bool]]:
    """(label, figures, bold) of the per-unit table: each unit, then the total."""
    rows = [(f"{u['name']} ({u['code']})", u, False) for u in result["units"]]
    return rows + [("TỔNG CỘNG", result["total"], True)]


def field_rows(result: dict) -> list[tuple[str, dict, bool]]:
    """Biểu 06 by field: each level (bold, its subtotal), its fields indented, the total."""
    rows = []
    for level in result["levels"]:
        rows.append((level["name"].upper(), level["total"], True))
        rows += [(f"    {f['field']}", f, False) for f in level["fields"]]
    return rows + [("TỔNG CỘNG", result["total"], True)]


class ReportsScreen(QWidget):
    SHOWS = ops.EVERYTHING  # figures from everything (gui.ops.Changes)

    def __init__(self, db, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or timefmt.now().date()
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.preset = QComboBox()
        self.preset.addItem("Tự chọn", None)
        for key, label in periods.PRESETS_VI.items():
            self.preset.addItem(label, key)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        row.addWidget(QLabel("Kỳ"))
        row.addWidget(self.preset)
        self.period = PeriodBar(db, today=self.today)
        self.period.changed.connect(self.refresh)
        row.addWidget(self.period)
        self.by = QComboBox()  # Biểu 06 by unit, or by field grouped by level (column 2)
        for key, label in BY_VI.items():
            self.by.addItem(label, key)
        self.by.currentIndexChanged.connect(self.refresh)
        row.addWidget(self.by)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addLayout(self._buttons())
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        self.table = QTableWidget(0, len(COLUMNS) + 1)
        self.table.setHorizontalHeaderLabels(["Đơn vị"] + [c[0] for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setMinimumHeight(44)
        layout.addWidget(self.table, 1)

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, label, slot in (("monthly", "Báo cáo tháng (PDF)…", self.monthly_pdf),
                                 ("book", "Sổ theo dõi hồ sơ (PDF)…", self.book_pdf),
                                 ("import", "Nhập dữ liệu…", self.import_data),
                                 ("export", "Xuất dữ liệu…", self.export_data)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        return row

    def _preset_chosen(self) -> None:
        key = self.preset.currentData()
        if key:
            chosen = periods.preset(key, self.today)
            self.period.set_period(chosen.start, chosen.end)

    def refresh(self) -> None:
        self.period.reload_units()
        first, last = self.period.period()
        unit = self.period.unit()
        if self.by.currentData() != "field":
            self._show(indicators.compute(self.db, first, last, unit=unit), False)
            return
        # by field evaluates every dossier of the period (seconds on a big database): a worker
        self.worker = run_in_background(
            self, self.db.path, "Đang tổng hợp theo lĩnh vực…",
            lambda worker_db, progress: compute_by_field(worker_db, first, last, unit=unit),
            lambda result: self._show(result, True), notify=False)

    def _show(self, result: dict, by_field: bool) -> None:
        first, last = dt.date.fromisoformat(result["from"]), dt.date.fromisoformat(result["to"])
        shown = periods.Period(first, last)
        self.title.setText(f"<b>TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH</b><br>"
                           f"({_capital(shown.phrase())}) — đơn vị tính: số hồ sơ"
                           f"{' — ' + note if (note := provisional_note(result)) else ''}")
        rows = field_rows(result) if by_field else unit_rows(result)
        self.table.setHorizontalHeaderItem(0, QTableWidgetItem(
            "Lĩnh vực, công việc\ngiải quyết theo cấp" if by_field else "Đơn vị"))
        self.table.setRowCount(len(rows))
        for r, (name, figures, bold) in enumerate(rows):
            self._set_row(r, name, figures, bold)
        self.table.resizeColumnsToContents()
        self.result = result

    def _set_row(self, r: int, name: str, figures: dict, bold: bool) -> None:
        cells = [QTableWidgetItem(name)]
        for _, path, is_rate in COLUMNS:
            value = value_at(figures, path)
            item = QTableWidgetItem(vn_percent(value) if is_rate else vn_number(value))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            cells.append(item)
        for c, item in enumerate(cells):
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(r, c, item)

    def monthly_pdf(self) -> None:
        """The report of exactly the period the screen shows (a state-report month included)."""
        printing.monthly_report(self, self.db, periods.Period(*self.period.period()),
                                self.period.unit(), self.by.currentData())

    def book_pdf(self) -> None:
        first, last = self.period.period()
        printing.register_book(self, self.db, first, last, self.period.unit())

    def import_data(self) -> None:
        transfer_ui.import_dialog(self, self.db.path)

    def export_data(self) -> None:
        transfer_ui.export_dialog(self, self.db.path)
