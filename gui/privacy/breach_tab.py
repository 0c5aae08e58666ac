"""Sự cố lộ lọt: for a period and units, who had data held here, and the draft notice."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import timefmt
from core.errors import InputError
from core.privacy import breach
from gui import errors, file_dialogs, ops, widgets
from gui.privacy.common import FullDataChoice, date_edit, day_of

FILTER = "PDF, văn bản, bảng tính (*.pdf *.txt *.csv *.xlsx)"
# the jobs' lines, also the title of what each refuses before it starts (errors.failure_title)
COUNTING = "Đang lập danh sách người có dữ liệu…"
WRITING = "Đang ghi thông báo sự cố và danh sách…"
HINT = ("Luật 91/2025/QH15: khi phát hiện vi phạm, thông báo cơ quan chuyên trách (A05, Bộ Công "
        "an) trong 72 giờ. Chọn kỳ và đơn vị (không chọn: mọi đơn vị), lập danh sách, rồi ghi dự "
        "thảo thông báo kèm danh sách để hoàn thiện.")


class BreachTab(QWidget):
    def __init__(self, db, db_path: str, today: dt.date, parent=None):
        super().__init__(parent)
        self.db, self.db_path, self.census = db, db_path, None
        self.worker = None
        self.start, self.end = date_edit(today.replace(day=1)), date_edit(today)
        self.units = QListWidget()
        for choice in widgets.units(db):
            item = QListWidgetItem("    " * choice.depth + choice[1])
            item.setData(Qt.ItemDataRole.UserRole, choice[0])
            item.setCheckState(Qt.CheckState.Unchecked)
            self.units.addItem(item)
        self.count_button = QPushButton("Lập danh sách")
        self.count_button.clicked.connect(self.count)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.full = FullDataChoice(self)
        self.write_button = QPushButton("Ghi dự thảo thông báo và danh sách…")
        self.write_button.clicked.connect(self.write)
        self.write_button.setEnabled(False)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        bar = QHBoxLayout()
        for widget in (QLabel("Từ ngày"), self.start, QLabel("đến"), self.end, self.count_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(bar)
        layout.addWidget(QLabel("Đơn vị:"))
        layout.addWidget(self.units, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.full)
        layout.addWidget(self.write_button)

    def chosen_units(self) -> list[str]:
        return [self.units.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.units.count())
                if self.units.item(i).checkState() == Qt.CheckState.Checked]

    def count(self):
        """Read who was held in a worker: 200.000 dossiers take seconds (docs/privacy.md)."""
        try:  # the days typed, or what is wrong with them (no list of other days)
            start, end, units = day_of(self.start), day_of(self.end), self.chosen_units()
        except InputError as exc:
            errors.show_error(self, exc, errors.failure_title(COUNTING))
            return None
        self.write_button.setEnabled(False)
        op = ops.Op(self, lambda db, progress: breach.census(db, start, end, units),
                    ops.Changes()).success(self._counted)
        self.worker = op.run_in_background(self.db_path, COUNTING,
                                           cancellable=False)
        return self.worker

    def _counted(self, census) -> None:
        self.census = census
        c, n = census.counts, timefmt.vn_number
        self.summary.setText(
            f"{n(len(census.people))} người, {n(census.dossiers)} hồ sơ; có số định danh: "
            f"{n(c.get('id_no', 0))}, điện thoại: {n(c.get('phone', 0))}, thư điện tử: "
            f"{n(c.get('email', 0))}.")
        self.write_button.setEnabled(True)

    def write(self):
        try:
            full = self.full.pass_()
        except Exception as exc:  # a purpose missing or too long: said, nothing written
            errors.show_error(self, exc, errors.failure_title(WRITING))
            return None
        path = file_dialogs.save_path(self, "Ghi bộ hồ sơ sự cố", "thong-bao-su-co.pdf",
                                      FILTER)
        if not path:
            return None
        census, now = self.census, timefmt.now()
        op = ops.Op(self, lambda db, progress: breach.write_kit(db, census, path, now, full),
                    ops.Changes()).success(
            lambda out: widgets.inform(self, "Đã ghi", f"Đã ghi vào {out}."))
        self.worker = op.run_in_background(self.db_path, WRITING,
                                           cancellable=False)
        return self.worker
