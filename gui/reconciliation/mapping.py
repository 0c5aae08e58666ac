"""The column-mapping step: which column of the file is which field, a preview of the first
rows as MotCua reads them, and named profiles to reuse next month (core.transfer.profiles)."""
from __future__ import annotations

from itertools import islice

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from core.errors import MotCuaError
from core.labels import CHANNEL_VI, STATUS_VI
from core.transfer.cells import show
from core.transfer.files import Table, open_table
from core.transfer.mapped import MappedTable
from core.transfer.profiles import (
    FIELDS,
    REQUIRED,
    Profile,
    get_profile,
    list_profiles,
    save_profile,
)
from gui import ops, widgets

NONE = "(không có)"
WORDS = {"status": STATUS_VI, "channel": CHANNEL_VI}
PREVIEW_ROWS = 5
PREVIEW_FIELDS = ("code", "procedure_code", "applicant_name", "channel", "received_at",
                  "due_at", "finished_at", "status", "unit_code")


class MappingPanel(QGroupBox):
    """Profile choice, one column picker per field, preview, save."""

    def __init__(self, db, parent=None):
        super().__init__("Cột nào của tệp là trường nào (* là bắt buộc)", parent)
        self.db = db
        self.table: Table | None = None
        self.profiles = QComboBox()
        self.profiles.currentIndexChanged.connect(self._profile_chosen)
        self.pickers: dict[str, QComboBox] = {}
        self.save_button = QPushButton("Lưu mẫu cột…")
        self.save_button.clicked.connect(self.save_profile)
        self.preview = QTableWidget(0, len(PREVIEW_FIELDS))
        self.preview.setHorizontalHeaderLabels([FIELDS[f] for f in PREVIEW_FIELDS])
        self.preview.verticalHeader().hide()
        self.preview.setMinimumHeight(120)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self._layout()
        self.reload_profiles()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Mẫu cột:"))
        top.addWidget(self.profiles, 1)
        top.addWidget(self.save_button)
        grid = QGridLayout()
        for n, (name, label) in enumerate(FIELDS.items()):
            picker = QComboBox()
            picker.setMinimumContentsLength(12)
            picker.currentIndexChanged.connect(self.refresh_preview)
            self.pickers[name] = picker
            star = "*" if name in REQUIRED else ""
            grid.addWidget(QLabel(f"{label}{star}:"), n // 4, (n % 4) * 2)
            grid.addWidget(picker, n // 4, (n % 4) * 2 + 1)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addLayout(grid)
        box.addWidget(QLabel("Xem trước các dòng đầu (như MotCua đọc):"))
        box.addWidget(self.preview)
        box.addWidget(self.note)

    def reload_profiles(self, chosen: str | None = None) -> None:
        self.profiles.blockSignals(True)
        self.profiles.clear()
        for profile in list_profiles(self.db):
            label = "Cổng DVC quốc gia (national)" if profile.builtin else profile.name
            self.profiles.addItem(label, profile.name)
        self.profiles.blockSignals(False)
        widgets.select_value(self.profiles, chosen or "national")
        self._profile_chosen()

    def set_file(self, path: str) -> None:
        """Read the file's header (bounded: core.transfer.files) and offer its columns."""
        self.table = open_table(path)
        for picker in self.pickers.values():
            picker.blockSignals(True)
            picker.clear()
            picker.addItem(NONE, None)
            for column in self.table.header:
                if column:
                    picker.addItem(column, column)
            picker.blockSignals(False)
        self._profile_chosen()

    def _profile_chosen(self, *_args) -> None:
        profile = get_profile(self.db, self.profiles.currentData())
        for name, picker in self.pickers.items():
            source = (profile.source(name) or "").lower()
            index = picker.findData(source) if source else 0
            picker.blockSignals(True)
            picker.setCurrentIndex(max(index, 0))
            picker.blockSignals(False)
        self.refresh_preview()

    def columns(self) -> dict[str, str]:
        return {name: picker.currentData() for name, picker in self.pickers.items()
                if picker.currentData()}

    def profile(self) -> Profile:
        """The mapping as chosen now (named after the chosen profile when unchanged)."""
        chosen = get_profile(self.db, self.profiles.currentData())
        columns = self.columns()
        same = {k: v.lower() for k, v in chosen.columns.items()
                if self.table is None or v.lower() in self.table.header} == columns
        return chosen if same else Profile("(chưa lưu)", columns)

    def refresh_preview(self, *_args) -> None:
        self.preview.setRowCount(0)
        if self.table is None:
            return
        try:
            mapped = MappedTable(self.table, self.profile())
            rows = list(islice(mapped.rows(), PREVIEW_ROWS))
        except MotCuaError as exc:
            self.note.setText(str(exc))
            return
        self.note.setText("")
        self.preview.setRowCount(len(rows))
        for r, (_, cells) in enumerate(rows):
            for c, name in enumerate(PREVIEW_FIELDS):
                value = cells.get(name)
                shown = WORDS.get(name, {}).get(value, show(value)) if isinstance(value, str) \
                    else show(value)
                self.preview.setItem(r, c, QTableWidgetItem(shown))

    def save_profile(self) -> None:
        name = widgets.ask_text(self, "Lưu mẫu cột", "Tên mẫu cột (ví dụ: iGate Lạng Sơn):")
        if not name:
            return
        columns = self.columns()
        op = ops.Op(self, lambda db: save_profile(db, name, columns), ops.SETTINGS)
        if op.run(self.db):
            self.reload_profiles(name.strip())
