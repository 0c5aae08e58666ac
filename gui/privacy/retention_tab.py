"""Lưu giữ: the retention period, the administrator's confirmation, and anonymising when due."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core import timefmt
from core.privacy import retention
from gui import ops, widgets

RULE = (retention.BASIS_VI + "\n\nHồ sơ đã trả kết quả (hoặc bị từ chối, rút, dừng) quá số "
        "năm dưới đây được ẩn danh: họ tên, điện thoại, địa chỉ, số định danh, thư điện tử, "
        "người được ủy quyền. Số liệu báo cáo không đổi. Việc ẩn danh không hoàn tác được.")


class RetentionTab(QWidget):
    def __init__(self, db, db_path: str, today: dt.date, parent=None):
        super().__init__(parent)
        self.db, self.db_path, self.today = db, db_path, today
        self.years = QSpinBox()
        self.years.setRange(*retention.YEARS_RANGE)
        self.years.setSuffix(" năm")
        self.enabled = QCheckBox("Tôi xác nhận bật ẩn danh theo thời hạn lưu giữ")
        # as wide as its words: the form would stretch it, and a click on the empty end does
        # nothing
        self.enabled.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.save_button = QPushButton("Lưu cài đặt")
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.run_button = QPushButton("Ẩn danh ngay…")
        self.run_button.clicked.connect(self.anonymise)
        rule = QLabel(RULE)
        rule.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Thời hạn lưu giữ sau khi trả:", self.years)
        form.addRow("", self.enabled)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.run_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(rule)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        from gui.privacy.window import forget_reminder
        forget_reminder()  # the status bar counts again after a change made here
        plan = retention.plan(self.db, self.today)
        self.years.setValue(plan.years)
        self.enabled.setChecked(plan.enabled)
        state = "đang bật" if plan.enabled else "chưa bật (chờ quản trị viên xác nhận)"
        self.status.setText(f"Ẩn danh {state}. {timefmt.vn_number(plan.due)} hồ sơ kết thúc "
                            f"trước ngày {timefmt.vn_date(plan.cutoff)} đến hạn ẩn danh.")
        self.run_button.setEnabled(plan.enabled and plan.due > 0)

    def save(self) -> None:
        years, enabled = self.years.value(), self.enabled.isChecked()
        ops.Op(self, lambda db: retention.configure(db, years, enabled), ops.SETTINGS,
               doing="lưu thời hạn lưu giữ") \
            .success(lambda _: self.refresh()).run(self.db)

    def anonymise(self):
        plan = retention.plan(self.db, self.today)
        if not widgets.confirm(self, "Ẩn danh dữ liệu cá nhân",
                               f"Ẩn danh dữ liệu cá nhân của {timefmt.vn_number(plan.due)} hồ sơ "
                               f"kết thúc trước ngày {timefmt.vn_date(plan.cutoff)}? Không hoàn "
                               "tác được.", yes="Ẩn danh", no="Không"):
            return None
        today = self.today
        op = ops.Op(self, lambda db, progress: retention.anonymise(db, today, progress),
                    ops.DOSSIERS).success(self._done)
        self.worker = op.run_in_background(self.db_path, "Đang ẩn danh dữ liệu cá nhân…")
        return self.worker

    def _done(self, count: int) -> None:
        self.refresh()
        widgets.inform(self, "Đã ẩn danh", f"Đã ẩn danh dữ liệu cá nhân của "
                                           f"{timefmt.vn_number(count)} hồ sơ.")
