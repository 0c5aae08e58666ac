"""Cài đặt: office hours, targets per year, the three counting policies, the report header."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core import labels, limits, office_settings, paths, report_header, rules, timefmt
from core import recompute as core_recompute
from core.calendar import DEFAULT_SESSIONS, SESSION_NAMES, typed_sessions
from core.errors import FieldError, InputError
from core.indicators import i766
from core.indicators.vocabulary import INDICATORS
from core.typed_dates import parse_clock
from db import settings
from gui import backup_restore, ops, permissions, widgets
from gui.settings import rule_change

POLICY_VI = {
    "supplement_policy": ("Khi yêu cầu bổ sung", labels.SUPPLEMENT_POLICY_VI),
    "due_basis": ("Hạn dùng để tính chỉ số", labels.DUE_BASIS_VI),
    "online_denominator": ("Mẫu số tỷ lệ toàn trình", labels.ONLINE_DENOMINATOR_VI),
}
TARGET_VI = {key: item.short for key, item in INDICATORS.items()}  # core's names
HEADER_VI = report_header.LABELS_VI  # the unit's header (Danh mục › Đơn vị) names them alike


class SettingsScreen(QWidget):
    SHOWS = ops.SETTINGS  # hours, policies, targets, header

    def __init__(self, db, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or timefmt.now().date()
        self.worker = self.pending = self.retro_dialog = None
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        body = QWidget()
        grid = QGridLayout(body)
        # a clerk or a leader reads the settings; nothing looks editable that cannot be saved
        self.view_only = permissions.view_only_note("settings.edit")
        grid.addWidget(self.view_only, 0, 0, 1, 2)
        grid.addWidget(permissions.read_only(self._hours_box(), "settings.edit"), 1, 0)
        grid.addWidget(permissions.read_only(self._policy_box(), "settings.edit"), 2, 0)
        grid.addWidget(self._targets_box(), 3, 0)
        grid.addWidget(permissions.read_only(self._header_box(), "settings.edit"), 1, 1, 3, 1)
        grid.addWidget(self._backup_box(), 4, 0, 1, 2)
        scroll.setWidget(body)
        QVBoxLayout(self).addWidget(scroll)

    # ----- office hours ---------------------------------------------------------------------
    def _hours_box(self) -> QGroupBox:
        box = QGroupBox("Giờ làm việc")
        form = QFormLayout(box)
        self.session_edits = []
        # typed times of day (core.typed_dates.parse_clock): a QTimeEdit turned 17:00 typed
        # over 11:30 into 11:00 and saved that without a word
        for label, (start, end) in zip(SESSION_NAMES, DEFAULT_SESSIONS, strict=True):
            row = QHBoxLayout()
            pair = (widgets.time_field(dt.time.fromisoformat(start), what=f"{label}, giờ bắt đầu"),
                    widgets.time_field(dt.time.fromisoformat(end), what=f"{label}, giờ kết thúc"))
            row.addWidget(pair[0])
            row.addWidget(QLabel("đến"))
            row.addWidget(pair[1])
            row.addStretch(1)
            form.addRow(label, row)
            self.session_edits.append(pair)
        self.hours_from = widgets.date_field(self.today, what="Áp dụng từ ngày")
        self.hours_from.setToolTip("Hồ sơ tiếp nhận từ ngày này tính theo giờ làm việc mới; hồ sơ "
                                   "tiếp nhận trước đó giữ giờ làm việc cũ. Chọn ngày đã qua chỉ "
                                   "khi thay đổi áp dụng cho thời gian đó.")
        form.addRow("Áp dụng từ ngày", self.hours_from)
        self.hours_history = QLabel()
        self.hours_history.setWordWrap(True)
        self.hours_history.setStyleSheet("color: #555;")
        form.addRow(self.hours_history)
        self.hours_error = QLabel()
        self.hours_error.setStyleSheet("color: #b3261e;")
        form.addRow(self.hours_error)
        self.hours_button = QPushButton("Lưu giờ làm việc")
        self.hours_button.clicked.connect(self.save_hours)
        form.addRow(permissions.guard(self.hours_button, "settings.edit"))
        return box

    def save_hours(self) -> bool:
        """Office hours from the chosen date (spec 2.1); a past date lists its impact first."""
        try:  # the times typed, each session after the one before (nothing saved otherwise)
            pairs = typed_sessions([(a.text(), b.text()) for a, b in self.session_edits])
        except FieldError as exc:
            self.hours_error.setText(exc.message)
            row, part = exc.field.split(".")
            self.session_edits[int(row)][part == "end"].setFocus()
            return False
        try:  # the day typed, or what is wrong with it (nothing saved)
            day = self.hours_from.value()
        except InputError as exc:
            self.hours_error.setText(exc.message)
            self.hours_from.setFocus()
            return False
        self.hours_error.clear()
        entries = rules.office_hours_entries(self.db)
        if rules.replace_from(entries, day, pairs) == entries:
            return True  # these hours already apply from that date
        ids = core_recompute.dossiers_received_from(self.db, day)
        self.pending = rule_change.save_dated(
            self, what=f"Đổi giờ làm việc từ ngày {timefmt.vn_date(day)}", db=self.db,
            valid_from=day, today=self.today, ids=ids,
            change=lambda db: rules.set_office_hours(db, pairs, day),
            on_done=lambda _n: self.refresh(), changes=ops.SETTINGS | ops.DOSSIERS)
        return True

    def _show_hours_history(self) -> None:
        lines = [f"{rules.vn_from(day)}: " + ", ".join(f"{a}–{b}" for a, b in hours)
                 for day, hours in rules.office_hours_entries(self.db)]
        self.hours_history.setText("Giờ làm việc đã áp dụng:\n" + "\n".join(f"• {x}" for x in lines))

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
        form.addRow(permissions.guard(save, "settings.edit"))
        return box

    def save_policies(self) -> bool:
        choices = {key: combo.currentData() for key, combo in self.policy_boxes.items()}
        return ops.Op(self, lambda db: office_settings.save_policies(db, choices),
                      ops.SETTINGS, doing="lưu cách tính hạn").run(self.db)

    # ----- targets --------------------------------------------------------------------------
    def _targets_box(self) -> QGroupBox:
        # the two sets side by side (spec 5.1), as tall as Biểu 06's alone used to be
        box = QGroupBox(f"Chỉ tiêu theo năm: {i766.FIRST_SET_NAME} (trái), {i766.SET_NAME} (phải)")
        grid = QGridLayout(box)
        self.year_box = QSpinBox(minimum=2000, maximum=2100, value=self.today.year)
        self.year_box.valueChanged.connect(self._load_targets)
        first, second = QFormLayout(), QFormLayout()
        first.addRow("Năm", self.year_box)
        self.target_boxes: dict[str, QDoubleSpinBox] = {}
        self.target_boxes_766: dict[str, QDoubleSpinBox] = {}
        labels_766 = {k: f"{f.code} {i766.COLUMN_TITLES[k]} (766)" for k, f in i766.FIGURES.items()}
        for form, names, boxes in ((first, TARGET_VI, self.target_boxes),
                                   (second, labels_766, self.target_boxes_766)):
            for key, label in names.items():
                spin = QDoubleSpinBox(minimum=0, maximum=100, decimals=1, suffix=" %")
                form.addRow(label, permissions.read_only(spin, "settings.edit"))
                boxes[key] = spin
        save = QPushButton("Lưu chỉ tiêu của năm")
        save.clicked.connect(self.save_targets)
        first.addRow(permissions.guard(save, "settings.edit"))
        grid.addLayout(first, 0, 0)
        grid.addLayout(second, 0, 1)
        return box

    def _load_targets(self) -> None:
        targets = settings.targets_for_year(self.db, self.year_box.value())
        for key, spin in self.target_boxes.items():
            spin.setValue(targets[key] * 100)
        targets_766 = settings.targets_766_for_year(self.db, self.year_box.value())
        for key, spin in self.target_boxes_766.items():
            spin.setValue(targets_766[key] * 100)

    def save_targets(self) -> bool:
        year = self.year_box.value()
        targets = {key: spin.value() / 100 for key, spin in self.target_boxes.items()}
        targets_766 = {key: spin.value() / 100 for key, spin in self.target_boxes_766.items()}
        return ops.Op(self, lambda db: office_settings.save_targets(db, year, targets,
                                                                    targets_766),
                      ops.SETTINGS, doing="lưu chỉ tiêu").run(self.db)

    # ----- report header --------------------------------------------------------------------
    def _header_box(self) -> QGroupBox:
        box = QGroupBox("Tiêu đề văn bản, báo cáo")
        column = QVBoxLayout(box)
        # each line's message under it (a character the documents cannot print, named)
        self.header_form = form = widgets.ErrorForm()
        whose = QLabel("Tiêu đề và người ký của cơ quan: in trên báo cáo chung và báo cáo của "
                       "đơn vị của cơ quan. Báo cáo riêng của một xã, phường in tiêu đề và người "
                       "ký của xã đó: nhập ở Danh mục › Đơn vị.")
        whose.setWordWrap(True)
        column.addWidget(whose)
        column.addWidget(form)
        column.addStretch(1)  # a taller box (the row beside it) leaves its room below the fields
        self.header_edits: dict[str, QLineEdit] = {}
        for key, label in HEADER_VI.items():
            edit = form.add(key, label, QLineEdit())
            widgets.limit_length(edit, limits.text_limit("header"))  # atop each document
            self.header_edits[key] = edit
        self.recipients = form.add("recipients", "Nơi nhận (mỗi dòng một nơi)", widgets.TextBox())
        self.recipients.setFixedHeight(90)
        self.recipients.setPlaceholderText(report_header.RECIPIENTS_HINT)
        self.header_button = save = QPushButton("Lưu tiêu đề")
        save.clicked.connect(self.save_header)
        form.form.addRow(permissions.guard(save, "settings.edit"))
        return box

    def save_header(self) -> bool:
        fields = {key: edit.text() for key, edit in self.header_edits.items()}
        recipients = self.recipients.toPlainText().splitlines()
        return ops.Op(self, lambda db: office_settings.save_header(db, fields, recipients),
                      ops.SETTINGS, form=self.header_form, doing="lưu tiêu đề văn bản"
                      ).success(lambda _r: widgets.inform(
                          self, "Cài đặt", "Đã lưu tiêu đề văn bản.")).run(self.db)

    # ----- backups --------------------------------------------------------------------------
    def _backup_box(self) -> QGroupBox:
        box = QGroupBox("Sao lưu dữ liệu")
        layout = QVBoxLayout(box)
        note = QLabel("Mỗi ngày, lần đầu mở chương trình, dữ liệu được tự động sao lưu vào thư mục "
                      f"<b>{paths.backup_dir(_file_of(self.db))}</b> (giữ 7 bản hằng ngày, 4 bản hằng tuần, 12 bản "
                      "hằng tháng; không mã hoá). Nên chép thêm bản sao lưu ra USB hoặc máy "
                      "khác: <i>Sao lưu ngay</i> có thể mã hoá bằng mật khẩu.")
        note.setWordWrap(True)
        layout.addWidget(note)
        row = QHBoxLayout()
        self.backup_button = QPushButton("Sao lưu ngay")
        self.backup_button.clicked.connect(lambda: backup_restore.backup_now(self.window()))
        self.restore_button = QPushButton("Khôi phục từ bản sao lưu…")
        self.restore_button.clicked.connect(lambda: backup_restore.restore_dialog(self.window()))
        row.addWidget(permissions.guard(self.backup_button, "data.backup"))
        row.addWidget(permissions.guard(self.restore_button, "data.restore"))
        row.addStretch(1)
        layout.addLayout(row)
        return box

    # ----- loading --------------------------------------------------------------------------
    def refresh(self) -> None:
        hours = rules.office_hours_entries(self.db)[-1][1]  # the latest, maybe from a future date
        self._show_hours_history()
        for (a, b), pair in zip(self.session_edits, hours, strict=False):
            for edit, text in ((a, pair[0]), (b, pair[1])):
                try:  # kept as "07:30"; an older file's "7:30" or "24:00" is shown as kept
                    edit.set_value(parse_clock(text))
                except InputError:
                    edit.edit.setText(text)
        for key, combo in self.policy_boxes.items():
            combo.setCurrentIndex(max(0, combo.findData(settings.get(self.db, key))))
        self._load_targets()
        header = settings.get(self.db, "report_header")
        for key, edit in self.header_edits.items():
            edit.setText(header.get(key, ""))
        self.recipients.setPlainText("\n".join(header.get("recipients", [])))


def _file_of(db) -> str | None:
    """The open database's file (its backups folder depends on it), None for one in memory."""
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return row[2] or None if row else None
