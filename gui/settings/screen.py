"""Cài đặt: office hours, targets per year, the three counting policies, the report header."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QGridLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPlainTextEdit,
                               QPushButton, QScrollArea, QSpinBox, QTimeEdit, QVBoxLayout, QWidget)

from core import paths, recompute as core_recompute, timefmt
from core.calendar import parse_sessions
from core.indicators.vocabulary import INDICATORS
from db import settings
from gui import bus, maintenance_ui
from gui.settings import recompute

POLICY_VI = {
    "supplement_policy": ("Khi yêu cầu bổ sung", {"pause": "Tạm dừng tính thời gian (như Bộ chỉ số 766)",
                                                  "restart": "Tính lại từ đầu khi nhận đủ (NĐ 61/2018 Đ.19)"}),
    "due_basis": ("Hạn dùng để tính chỉ số", {"original": "Hạn ban đầu", "extended": "Hạn đã gia hạn (Mẫu 04)"}),
    "online_denominator": ("Mẫu số tỷ lệ toàn trình", {"eligible": "Hồ sơ của thủ tục đủ điều kiện toàn trình",
                                                       "all": "Tất cả hồ sơ tiếp nhận"}),
}
TARGET_VI = {key: item.short for key, item in INDICATORS.items()}  # core's names
HEADER_VI = {"parent_agency": "Cơ quan chủ quản", "agency": "Cơ quan ban hành",
             "office": "Bộ phận", "place": "Địa danh", "doc_symbol": "Ký hiệu văn bản",
             "signer_authority": "Thẩm quyền ký", "signer_title": "Chức vụ người ký",
             "signer_name": "Họ tên người ký"}


def time_edit(text: str) -> QTimeEdit:
    edit = QTimeEdit(QTime.fromString(text, "HH:mm"))
    edit.setDisplayFormat("HH:mm")
    return edit


class SettingsScreen(QWidget):
    def __init__(self, db, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or timefmt.now().date()
        self.worker = None
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        body = QWidget()
        grid = QGridLayout(body)
        grid.addWidget(self._hours_box(), 0, 0)
        grid.addWidget(self._policy_box(), 1, 0)
        grid.addWidget(self._targets_box(), 2, 0)
        grid.addWidget(self._header_box(), 0, 1, 3, 1)
        grid.addWidget(self._backup_box(), 3, 0, 1, 2)
        scroll.setWidget(body)
        QVBoxLayout(self).addWidget(scroll)

    # ----- office hours ---------------------------------------------------------------------
    def _hours_box(self) -> QGroupBox:
        box = QGroupBox("Giờ làm việc")
        form = QFormLayout(box)
        self.session_edits = []
        for label in ("Buổi sáng", "Buổi chiều"):
            row = QHBoxLayout()
            pair = (time_edit("07:00"), time_edit("11:30"))
            row.addWidget(pair[0])
            row.addWidget(QLabel("đến"))
            row.addWidget(pair[1])
            form.addRow(label, row)
            self.session_edits.append(pair)
        self.hours_error = QLabel()
        self.hours_error.setStyleSheet("color: #b3261e;")
        form.addRow(self.hours_error)
        save = QPushButton("Lưu giờ làm việc")
        save.clicked.connect(self.save_hours)
        form.addRow(save)
        return box

    def save_hours(self) -> bool:
        pairs = [[a.time().toString("HH:mm"), b.time().toString("HH:mm")] for a, b in self.session_edits]
        try:
            parse_sessions(pairs)
        except ValueError as exc:
            self.hours_error.setText(f"Giờ làm việc không hợp lệ: {exc}.")
            return False
        self.hours_error.clear()
        if pairs == settings.get(self.db, "office_hours"):
            return True
        ids = core_recompute.all_dossiers(self.db)
        if not recompute.confirm(self, "Đổi giờ làm việc", self.db, ids):
            return False
        self.worker = recompute.apply_change(
            self, self.db.path, lambda db: settings.put(db, "office_hours", pairs), ids)
        return True

    # ----- policies -------------------------------------------------------------------------
    def _policy_box(self) -> QGroupBox:
        box = QGroupBox("Cách tính chỉ số")
        form = QFormLayout(box)
        self.policy_boxes: dict[str, QComboBox] = {}
        for key, (label, choices) in POLICY_VI.items():
            combo = QComboBox()
            for value, text in choices.items():
                combo.addItem(text, value)
            form.addRow(label, combo)
            self.policy_boxes[key] = combo
        save = QPushButton("Lưu cách tính")
        save.clicked.connect(self.save_policies)
        form.addRow(save)
        return box

    def save_policies(self) -> None:
        # every policy variant is precomputed per dossier (core.facts): nothing to recompute
        for key, combo in self.policy_boxes.items():
            settings.put(self.db, key, combo.currentData())
        bus.notify_changed()

    # ----- targets --------------------------------------------------------------------------
    def _targets_box(self) -> QGroupBox:
        box = QGroupBox("Chỉ tiêu theo năm")
        form = QFormLayout(box)
        self.year_box = QSpinBox(minimum=2000, maximum=2100, value=self.today.year)
        self.year_box.valueChanged.connect(self._load_targets)
        form.addRow("Năm", self.year_box)
        self.target_boxes: dict[str, QDoubleSpinBox] = {}
        for key, label in TARGET_VI.items():
            spin = QDoubleSpinBox(minimum=0, maximum=100, decimals=1, suffix=" %")
            form.addRow(label, spin)
            self.target_boxes[key] = spin
        save = QPushButton("Lưu chỉ tiêu của năm")
        save.clicked.connect(self.save_targets)
        form.addRow(save)
        return box

    def _load_targets(self) -> None:
        targets = settings.targets_for_year(self.db, self.year_box.value())
        for key, spin in self.target_boxes.items():
            spin.setValue(targets[key] * 100)

    def save_targets(self) -> None:
        per_year = settings.get(self.db, "targets") or {}
        per_year[str(self.year_box.value())] = {
            key: round(spin.value() / 100, 4) for key, spin in self.target_boxes.items()}
        settings.put(self.db, "targets", per_year)
        bus.notify_changed()

    # ----- report header --------------------------------------------------------------------
    def _header_box(self) -> QGroupBox:
        box = QGroupBox("Tiêu đề văn bản, báo cáo")
        form = QFormLayout(box)
        self.header_edits: dict[str, QLineEdit] = {}
        for key, label in HEADER_VI.items():
            edit = QLineEdit()
            form.addRow(label, edit)
            self.header_edits[key] = edit
        self.recipients = QPlainTextEdit()
        self.recipients.setFixedHeight(90)
        form.addRow("Nơi nhận (mỗi dòng một nơi)", self.recipients)
        save = QPushButton("Lưu tiêu đề")
        save.clicked.connect(self.save_header)
        form.addRow(save)
        return box

    def save_header(self) -> None:
        header = settings.get(self.db, "report_header")
        header.update({k: e.text().strip() for k, e in self.header_edits.items()})
        header["recipients"] = [line.strip() for line in self.recipients.toPlainText().splitlines()
                                if line.strip()]
        settings.put(self.db, "report_header", header)
        QMessageBox.information(self, "Cài đặt", "Đã lưu tiêu đề văn bản.")

    # ----- backups --------------------------------------------------------------------------
    def _backup_box(self) -> QGroupBox:
        box = QGroupBox("Sao lưu dữ liệu")
        layout = QVBoxLayout(box)
        note = QLabel("Mỗi ngày, lần đầu mở chương trình, dữ liệu được tự động sao lưu vào thư mục "
                      f"<b>{paths.backup_dir()}</b> (giữ 7 bản hằng ngày, 4 bản hằng tuần, 12 bản "
                      "hằng tháng). Nên chép thêm bản sao lưu ra USB hoặc máy khác.")
        note.setWordWrap(True)
        layout.addWidget(note)
        row = QHBoxLayout()
        self.backup_button = QPushButton("Sao lưu ngay")
        self.backup_button.clicked.connect(lambda: maintenance_ui.backup_now(self.window()))
        self.restore_button = QPushButton("Khôi phục từ bản sao lưu…")
        self.restore_button.clicked.connect(lambda: maintenance_ui.restore_dialog(self.window()))
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    # ----- loading --------------------------------------------------------------------------
    def refresh(self) -> None:
        hours = settings.get(self.db, "office_hours")
        for (a, b), pair in zip(self.session_edits, hours):
            a.setTime(QTime.fromString(pair[0], "HH:mm"))
            b.setTime(QTime.fromString(pair[1], "HH:mm"))
        for key, combo in self.policy_boxes.items():
            combo.setCurrentIndex(max(0, combo.findData(settings.get(self.db, key))))
        self._load_targets()
        header = settings.get(self.db, "report_header")
        for key, edit in self.header_edits.items():
            edit.setText(header.get(key, ""))
        self.recipients.setPlainText("\n".join(header.get("recipients", [])))
