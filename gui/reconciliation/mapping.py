"""The column-mapping step: which column of the file is which field, a preview of the first
rows as MotCua reads them, and named profiles to reuse next month (core.transfer.profiles)."""
from __future__ import annotations

from itertools import islice

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
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
from core.timefmt import parse_db_time, vn_datetime
from core.transfer.cells import show, time_value
from core.transfer.files import Table, open_table
from core.transfer.mapped import MappedTable
from core.transfer.profiles import (
    FIELDS,
    REQUIRED,
    TIME_FIELDS,
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


class FirstRows(Table):
    """A file's header and its first rows, read once: the preview maps these again at each
    change of a picker (reading a 4 MB workbook again took 1.6 s a change)."""

    def __init__(self, table: Table, rows: list):
        super().__init__(table.path, table.header, table.header_row, table.delimiter,
                         table.formulas, table.titles)
        self.first = rows

    def rows(self):
        return iter(self.first)


def read_head(path: str, progress=None) -> FirstRows:
    """Open the file and keep its first rows (a few more than shown: rows the mapping leaves
    out, not-received ones, would leave the preview short). Seconds for a big workbook: run it
    in a worker, whose dialog shows the two steps (opening, then the first rows)."""
    step = progress or (lambda done, total: True)
    step(0, 2)
    table = open_table(path)
    step(1, 2)
    return FirstRows(table, list(islice(table.rows(), PREVIEW_ROWS * 4)))


def _shown(name: str, value) -> str:
    """A mapped cell in the window's words: statuses and channels named, moments as
    08:03 01/04/2025 like every other list, read by the import's own rule (database text,
    06/01/2025 08:00, an Excel date alike); a moment it refuses is shown as the file has it."""
    if name in TIME_FIELDS and value is not None:
        try:
            canonical = time_value(value)
        except ValueError:  # CellError too: the import will name it
            return show(value)
        return "" if canonical is None else vn_datetime(parse_db_time(canonical))
    if not isinstance(value, str):
        return show(value)
    return WORDS.get(name, {}).get(value, show(value))


class MappingPanel(QGroupBox):
    """Profile choice, one column picker per field, preview, save."""

    def __init__(self, db, parent=None):
        super().__init__("Cột nào của tệp là trường nào (* là bắt buộc)", parent)
        self.db = db
        self.table: Table | None = None
        self.profiles = QComboBox()
        self.profiles.currentIndexChanged.connect(self._profile_chosen)
        self.pickers: dict[str, QComboBox] = {}
        # One list of the file's columns that every picker shows: a file may have thousands of
        # columns, and copying them into each of the twenty pickers (and measuring every
        # name for each picker's width) froze the window for seconds.
        self.choices = QStandardItemModel(self)
        self._fill_choices([], [])
        self.save_button = QPushButton("Lưu mẫu cột…")
        self.save_button.clicked.connect(self.save_profile)
        self.preview = QTableWidget(0, len(PREVIEW_FIELDS))
        self.preview.setHorizontalHeaderLabels([FIELDS[f] for f in PREVIEW_FIELDS])
        self.preview.verticalHeader().hide()
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.resizeColumnsToContents()  # whole titles before any row is read
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
            picker.setModel(self.choices)
            # the width from a few letters, not from measuring every column's name
            picker.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            picker.setMinimumContentsLength(12)
            picker.view().setUniformItemSizes(True)
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
        """Read the file's header and first rows here and offer its columns (the window reads
        them in a worker and calls show_file)."""
        self.show_file(read_head(path))

    def show_file(self, table: FirstRows) -> None:
        self.table = table
        for picker in self.pickers.values():
            picker.blockSignals(True)
        self._fill_choices(self.table.header, self.table.titles)
        for picker in self.pickers.values():
            picker.blockSignals(False)
        self._profile_chosen()

    def _fill_choices(self, header: list[str], titles: list[str]) -> None:
        """The shared list: "(không có)" then each named column once, in the file's order,
        spelt as the file spells it ("SoDienThoai"), matched lower-cased."""
        self.choices.clear()
        items = [QStandardItem(NONE)]
        spelt: dict[str, str] = {}
        for column, title in zip(header, titles or header, strict=False):
            if column:
                spelt.setdefault(column, title)
        for column, title in spelt.items():
            item = QStandardItem(title)
            item.setData(column, Qt.ItemDataRole.UserRole)
            item.setToolTip(title)
            items.append(item)
        for item in items:
            item.setEditable(False)
        self.choices.invisibleRootItem().appendRows(items)

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
                self.preview.setItem(r, c, QTableWidgetItem(_shown(name, cells.get(name))))
        self.preview.resizeColumnsToContents()  # whole headers and values, not "gày kết thúc xử"

    def save_profile(self) -> None:
        name = widgets.ask_text(self, "Lưu mẫu cột", "Tên mẫu cột (ví dụ: iGate Lạng Sơn):")
        if not name:
            return
        columns = self.columns()
        op = ops.Op(self, lambda db: save_profile(db, name, columns), ops.SETTINGS)
        if op.run(self.db):
            self.reload_profiles(name.strip())
