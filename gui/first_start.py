"""The first start of a real office (issue 13 §4): its unit, its report header, this year's
targets next to the national references. Asked once; "Để sau" leaves it to Danh mục and Cài đặt.

Opened window-modal without blocking (`open()`), so nothing else in the program waits for it.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core import installation, office_setup, timefmt
from core.errors import FieldError
from db import settings
from gui import date_fields, widgets
from gui.screen_fit import fit_to_screen

HEADER_LABELS = {"parent_agency": "Cơ quan chủ quản", "agency": "Tên cơ quan",
                 "place": "Địa danh (nơi ký)", "signer_title": "Chức vụ người ký",
                 "signer_name": "Họ tên người ký"}


def offer(window) -> QDialog | None:
    """Open the dialog over `window` when its database is a real one nobody has set up."""
    if window.db is None or not office_setup.needs_first_start(window.db):
        return None
    dialog = FirstStartDialog(window.db, window)
    window.first_start_dialog = dialog
    dialog.accepted.connect(window.data_changed)
    dialog.open()
    return dialog


class FirstStartDialog(QDialog):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.today = timefmt.now().date()
        self.setWindowTitle("Thiết lập cơ quan — lần đầu sử dụng")
        self.choices = office_setup.unit_choices()
        self.form = widgets.ErrorForm()
        layout = QVBoxLayout(self)
        intro = QLabel("Cơ sở dữ liệu mới của cơ quan còn trống. Hãy cho biết đơn vị, tiêu đề in "
                       "trên báo cáo và chỉ tiêu năm nay (sửa lại được trong Danh mục, Cài đặt).")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        self._unit_fields()
        self._slot_fields()
        self._header_fields()
        layout.addWidget(self._targets_box())
        layout.addLayout(self._buttons())
        self.unit.setCurrentIndex(-1)
        self.unit.setEditText("")
        # its whole height (the wrapped texts counted at its width), within the screen: sized
        # by its least size, the slot's number fields were squeezed to a few pixels
        hint = self.sizeHint()
        fit_to_screen(self, hint.width(), hint.height() + 40)

    def _unit_fields(self) -> None:
        self.unit = QComboBox()
        self.unit.setEditable(True)  # a unit not in the shipped list can be typed
        self.unit.addItems([c.name for c in self.choices])
        self.unit.setMinimumWidth(380)
        self.unit.currentIndexChanged.connect(self._unit_picked)
        self.form.add("unit_name", "Đơn vị (xã, phường, trung tâm)", self.unit)
        self.code = self.form.add("unit_code", "Mã định danh điện tử", QLineEdit())
        self.code.setPlaceholderText("ví dụ 000.31.27.H37 — phần đầu của mã hồ sơ")
        self.since = date_fields.optional_date()
        hint = QLabel("xã, phường mới sắp xếp (chính quyền hai cấp): 01/07/2025; để trống nếu "
                      "không rõ")
        hint.setStyleSheet("color: #555;")
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.since)
        line.addWidget(hint, 1)
        self.form.add("valid_from", "Hoạt động từ ngày", row)
        # the date's own errors are this field's, in its words (ErrorForm.add does it for a
        # date added alone)
        self.since.field, self.since.what = "valid_from", "Hoạt động từ ngày"

    def _slot_fields(self) -> None:
        """Which PC of how many issues codes (spec 4): asked, never assumed; neither answer is
        preselected on a new file, so two PCs installed alike never both issue 0001."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.only = QRadioButton("Chỉ máy này cấp mã hồ sơ cho đơn vị của cơ quan")
        self.shared = QRadioButton("Nhiều máy cùng cấp mã (các quầy; máy của xã và chi nhánh "
                                   "trung tâm tiếp nhận cho xã):")
        self.slot_group = QButtonGroup(self)
        row = QHBoxLayout()
        self.slot_number, self.slot_of = QSpinBox(), QSpinBox()
        self.slot_of.setRange(2, installation.SLOTS_MAX)
        self.slot_number.setRange(1, installation.SLOTS_MAX)
        self.slot_of.setValue(2)
        row.setContentsMargins(24, 0, 0, 0)
        for widget in (QLabel("máy này là máy số"), self.slot_number, QLabel("trong"),
                       self.slot_of, QLabel("máy (mỗi máy một số riêng)")):
            row.addWidget(widget)
        row.addStretch(1)
        for button in (self.only, self.shared):
            self.slot_group.addButton(button)
        column.addWidget(self.only)
        column.addWidget(self.shared)
        column.addLayout(row)
        if installation.slot_confirmed(self.db):  # answered already (exchange identity)
            number, of = installation.slot(self.db)
            (self.only if of == 1 else self.shared).setChecked(True)
            self.slot_of.setValue(max(of, 2))
            self.slot_number.setValue(number)
        self.slot_group.buttonToggled.connect(self._slot_enabled)
        self._slot_enabled()
        # its full height always: an error line shown above must not squeeze the number fields
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.form.add("code_slot", "Cấp mã hồ sơ", box)

    def _slot_enabled(self, *_args) -> None:
        for field in (self.slot_number, self.slot_of):
            field.setEnabled(self.shared.isChecked())

    def _slot(self) -> tuple[int, int] | None:
        if self.only.isChecked():
            return 1, 1
        if self.shared.isChecked():
            return self.slot_number.value(), self.slot_of.value()
        return None

    def _header_fields(self) -> None:
        self.header = {key: self.form.add(key, label, QLineEdit())
                       for key, label in HEADER_LABELS.items()}

    def _targets_box(self) -> QGroupBox:
        box = QGroupBox(f"Chỉ tiêu năm {self.today.year} (theo văn bản giao của tỉnh)")
        column = QVBoxLayout(box)
        current = settings.targets_for_year(self.db, self.today.year)
        self.targets = {}
        row = QHBoxLayout()
        for key, label in office_setup.TARGET_LABELS:
            spin = QDoubleSpinBox(minimum=0, maximum=100, decimals=0, suffix=" %")  # no "90.0"
            spin.setValue(current.get(key, 0) * 100)
            row.addWidget(QLabel(label))
            row.addWidget(spin)
            self.targets[key] = spin
        column.addLayout(row)
        refs = QLabel("<b>Tham chiếu quốc gia:</b><br>" + "<br>".join(
            f"• {line}" for line in office_setup.NATIONAL_REFERENCES))
        refs.setWordWrap(True)
        refs.setStyleSheet("color: #333;")
        column.addWidget(refs)
        return box

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        self.later_button = QPushButton("Để sau")
        self.later_button.clicked.connect(self.later)
        self.save_button = QPushButton("Lưu và bắt đầu")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.later_button)
        row.addWidget(self.save_button)
        return row

    def _unit_picked(self, index: int) -> None:
        if 0 <= index < len(self.choices):
            for key, value in office_setup.suggested_header(self.choices[index]).items():
                self.header[key].setText(value)
            since = self.choices[index].since
            if since is not None and not self.since.edit.text().strip():
                self.since.set_value(since)  # a day typed already is kept

    def _level(self) -> str:
        name = self.unit.currentText().strip()
        chosen = next((c for c in self.choices if c.name == name), None)
        return chosen.level if chosen else ("centre" if "trung tâm" in name.lower() else "commune")

    def save(self) -> bool:
        self.form.clear_errors()
        try:
            since = self.since.value()
            office_setup.save_first_start(
                self.db, unit_code=self.code.text(), unit_name=self.unit.currentText(),
                level=self._level(), header={k: w.text().strip() for k, w in self.header.items()},
                targets={k: round(s.value() / 100, 4) for k, s in self.targets.items()},
                year=self.today.year, today=self.today, slot=self._slot(),
                valid_from=since)
        except FieldError as exc:
            self.form.show_error(exc.field, exc.message)
            return False
        self.accept()
        return True

    def later(self) -> None:
        office_setup.skip_first_start(self.db, self.today)
        self.reject()
