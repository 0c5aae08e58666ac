"""Nhật ký truy cập: who viewed, printed or exported personal data (core.privacy.access)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from core import empty_lists, timefmt
from core.privacy import access
from gui import errors
from gui.privacy.common import ListModel, date_edit, day_of

HEADERS = ("Thời điểm", "Tài khoản", "Việc làm", "Mã hồ sơ", "Mục đích", "Chi tiết")


class LogTab(QWidget):
    def __init__(self, db, today: dt.date, parent=None):
        super().__init__(parent)
        self.db = db
        self.start, self.end = date_edit(today - dt.timedelta(days=30)), date_edit(today)
        self.account, self.code = QLineEdit(), QLineEdit()
        self.account.setPlaceholderText("tài khoản (để trống: tất cả)")
        self.code.setPlaceholderText("mã hồ sơ")
        self.show_button = QPushButton("Xem")
        self.show_button.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        for label, widget in (("Từ ngày", self.start), ("đến", self.end), ("Tài khoản", self.account),
                              ("Mã hồ sơ", self.code)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(self.show_button)
        self.model = ListModel(HEADERS, self)
        from gui.table_model import sorted_view
        self.view = sorted_view(self.model, self)
        self.asked: tuple[str, str] | None = None  # the account and code of the list shown
        self.view.empty_text = lambda: empty_lists.access_log(
            self.asked is not None, *(bool(typed) for typed in self.asked or ()))
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)

    def refresh(self) -> None:
        try:
            entries = access.read(self.db, day_of(self.start), day_of(self.end),
                                  self.account.text(), self.code.text())
        except Exception as exc:  # a wrong period: one message, never a crash
            errors.show_error(self, exc, errors.failure_title("xem nhật ký truy cập"))
            return
        self.asked = (self.account.text().strip(), self.code.text().strip())
        self.model.set_rows([[timefmt.vn_datetime(timefmt.parse_db_time(e.at)), e.actor,
                              e.action_vi, e.dossier_code, e.purpose, access.details_vi(e.details)]
                             for e in entries])
        self.view.resizeColumnsToContents()
        more = " (hiện tối đa 5.000 dòng mới nhất)" if len(entries) >= access.PAGE else ""
        self.count.setText(f"{timefmt.vn_number(len(entries))} lượt truy cập{more}.")
