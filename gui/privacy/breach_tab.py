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
from core.privacy import breach
from gui import errors, file_dialogs, ops, widgets
from gui.privacy.common import FullDataChoice, date_edit, day_of

FILTER = "PDF, văn bản, bảng tính (*.pdf *.txt *.csv *.xlsx)"
HINT = ("Luật 91/2025/QH15: khi phát hiện vi phạm, thông báo cơ quan chuyên trách (A05, Bộ Công "
        "an) trong 72 giờ. Chọn kỳ và đơn vị (không chọn: mọi đơn vị), lập danh sách, rồi ghi dự "
        "thảo thông báo kèm danh sách để hoàn thiện.")


class BreachTab(QWidget):
    def __init__(self, db, today: dt.date, parent=None):
        super().__init__(parent)
        self.db, self.census = db, None
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

    def count(self) -> None:
        try:
            self.census = breach.census(self.db, day_of(self.start), day_of(self.end),
                                        self.chosen_units())
        except Exception as exc:  # a period the wrong way round: one message
            errors.show_error(self, exc)
            return
        c, n = self.census.counts, timefmt.vn_number
        self.summary.setText(
            f"{n(len(self.census.people))} người, {n(self.census.dossiers)} hồ sơ; có số định "
            f"danh: {n(c.get('id_no', 0))}, điện thoại: {n(c.get('phone', 0))}, thư điện tử: "
            f"{n(c.get('email', 0))}.")
        self.write_button.setEnabled(True)

    def write(self) -> None:
        try:
            full = self.full.pass_()
        except Exception as exc:
            errors.show_error(self, exc)
            return
        path = file_dialogs.save_file_name(self, "Ghi bộ hồ sơ sự cố", "thong-bao-su-co.pdf",
                                           FILTER)
        if not path:
            return
        census, now = self.census, timefmt.now()
        ops.Op(self, lambda db: breach.write_kit(db, census, path, now, full), ops.Changes()) \
            .success(lambda out: widgets.inform(self, "Đã ghi", f"Đã ghi vào {out}.")).run(self.db)
