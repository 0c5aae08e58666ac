"""The column-mapping step: which column of the file is which field, a preview of the first
rows as MotCua reads them, and named profiles to reuse next month (core.transfer.profiles)."""
from __future__ import annotations

from itertools import islice

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
)

from core import empty_lists, limits, validation
from core.errors import MotCuaError
from core.labels import CHANNEL_VI, STATUS_VI
from core.timefmt import parse_db_time, vn_datetime
from core.transfer import day_only
from core.transfer.cells import show, time_value
from core.transfer.files import Table, open_table, table_at
from core.transfer.layout import TRAILER_MAX, Expected, column_key, trailer_note
from core.transfer.mapped import MappedTable
from core.transfer.profiles import (
    FIELDS,
    HEADER_ROW_MAX,
    REQUIRED,
    TIME_FIELDS,
    UNSAVED,
    Profile,
    get_profile,
    list_profiles,
)
from gui import permissions, shown, widgets
from gui.empty_list import SentenceTable
from gui.reconciliation.field_grid import FieldGrid, FieldScroll
from gui.reconciliation.greyed import enable, enable_allowed
from gui.reconciliation.guess import Guessing
from gui.reconciliation.kept_choices import NONE, clerk_choices, keep
from gui.reconciliation.profile_actions import ProfileActions
from gui.reconciliation.profile_match import choose_fitting

WORDS = {"status": STATUS_VI, "channel": CHANNEL_VI}
PREVIEW_ROWS = 5
# rows kept of a file: the header may be named as far down as a profile allows, then the
# preview's rows (a few more: rows left out, not-received ones) and a trailer's worth
HEAD_ROWS = HEADER_ROW_MAX + PREVIEW_ROWS * 4 + TRAILER_MAX
BUILTIN_KEPT = ("Đang mờ vì mẫu cột có sẵn «Cổng DVC quốc gia» không đổi tên hay xóa được; "
                "hãy chọn một mẫu cột đã lưu.")
NO_COLUMNS = ("Đang mờ vì chưa có cột nào để lưu: chọn tệp của hệ thống tỉnh, chọn cột cho "
              "từng trường rồi lưu thành mẫu cột.")
SETTING = "settings.edit"  # a saved column profile is a setting
NO_FILE_ROW = "Đang mờ vì chưa chọn tệp: chọn tệp rồi mới chọn được dòng tiêu đề."
PREVIEW_FIELDS = ("code", "procedure_code", "applicant_name", "channel", "received_at",
                  "due_at", "finished_at", "status", "unit_code")


class FirstRows(Table):
    """A file's first rows, read once: the header row is chosen among them and the preview maps
    them again at each change of a picker or of the header row (reading a 4 MB workbook again
    took 1.6 s a change). `complete`: the whole file is here, so its trailer is known too."""

    def __init__(self, table: Table, cached: list, complete: bool):
        super().__init__(table.path, table.header, table.header_row, table.delimiter,
                         table.formulas, table.titles, table.expected, table.searched)
        self.cached = cached
        self.complete = complete

    def records(self):
        return iter(self.cached)

    def at(self, expected: Expected | None, header_row: int | None) -> FirstRows:
        """These rows with their header found for `expected` (or at the row given)."""
        head = FirstRows(self, self.cached, self.complete)
        head.expected = expected
        return table_at(head, header_row)  # type: ignore[return-value]


def read_head(path: str, progress=None) -> FirstRows:
    """Open the file and keep its first rows: enough for the header to be looked for (or
    chosen) and for the preview below it. Seconds for a big workbook: run it in a worker,
    whose dialog shows the two steps (opening, then the first rows)."""
    step = progress or (lambda done, total: True)
    step(0, 2)
    table = open_table(path)
    step(1, 2)
    records = table.records()
    try:
        # a row wider than a sheet is refused by the header search, not kept whole
        cached = [(n, tuple(cells[:limits.COLUMNS_MAX + 1]))
                  for n, cells in islice(records, HEAD_ROWS + 1)]
    finally:
        records.close()
        table.close()  # the rows came from the workbook the header search opened (XlsxRows)
    return FirstRows(table, cached[:HEAD_ROWS], len(cached) <= HEAD_ROWS)


class RowBox(QSpinBox):
    """A row number typed and confirmed with Enter: the key takes the number here instead of
    reaching the window's default button (which opened the file dialog again and dropped the
    row just typed)."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.interpretText()
            event.accept()
            return
        super().keyPressEvent(event)


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


def _shown_cell(name: str, cells, moments: tuple[dict[str, str], set[str]]) -> str:
    """A mapped cell as the import will store it: a moment the file gives as a day alone at
    the time core.transfer.day_only's rule takes (`moments`: day_only.shown_moments of the
    row, the import's rule), marked so ("07:00 02/01/2025 (chỉ có ngày)"), not as midnight; a
    time read from a column of its own joined to its date."""
    value = cells.get(name)
    if name == "applicant_name" and isinstance(value, str):
        # the name as it is stored (no hidden character, spaces squeezed): "Trần\u200bThị"
        # was previewed glued, "TrầnThị", where the import stores "Trần Thị"
        return validation.clean_name(value) or ""
    settled, days = moments
    if name in days:
        return f"{vn_datetime(parse_db_time(settled[name]))} (chỉ có ngày)"
    return _shown(name, value)


class MappingPanel(Guessing, ProfileActions, QGroupBox):
    """Profile choice, one column picker per field, preview, save."""

    def __init__(self, db, parent=None):
        super().__init__("Cột nào của tệp là trường nào (* là bắt buộc)", parent)
        self.db = db
        self.table: Table | None = None
        # the profile chosen is the built-in one (kept at its choice: rights_changed runs at a
        # sign-in, when this window's database may have been let go, demo switch or restore)
        self.builtin = True
        self.profiles = QComboBox()
        self.profiles.currentIndexChanged.connect(self._profile_chosen)
        self.pickers: dict[str, QComboBox] = {}
        # One list of the file's columns that every picker shows: a file may have thousands of
        # columns, and copying them into each of the twenty pickers (and measuring every
        # name for each picker's width) froze the window for seconds.
        self.choices = QStandardItemModel(self)
        self._fill_choices([], [])
        self._buttons()
        self.preview = SentenceTable(0, len(PREVIEW_FIELDS))
        self.preview.empty_text = self._no_preview_text  # the note names a problem it found
        self.preview.setHorizontalHeaderLabels([FIELDS[f] for f in PREVIEW_FIELDS])
        self.preview.verticalHeader().hide()
        self._fit_preview()  # whole titles before any row is read
        widgets.whole_rows(self.preview, PREVIEW_ROWS)  # 5 whole at 1366×728, not 3 (recon38)
        self.note = widgets.FoldedLabel()  # no room taken while it says nothing
        self.head: FirstRows | None = None
        self.chosen_row: int | None = None  # the header row named by the clerk or the profile
        self.header_error = ""
        self.wanted: dict[str, str] = {}  # field -> column the clerk or the profile wants
        self.header_row = RowBox()
        self.header_row.setRange(1, HEADER_ROW_MAX)
        self.header_row.setPrefix("dòng ")
        self.header_row.setKeyboardTracking(False)  # "12" typed is row 12, not row 1 first
        self.header_row.setToolTip("Dòng của tệp chứa tên các cột (các dòng trên là tiêu đề, "
                                   "tên đơn vị…). MotCua tự tìm theo tên cột của mẫu; chọn "
                                   "dòng khác nếu tìm sai.")
        self.header_row.valueChanged.connect(self._row_chosen)
        enable(self.header_row, False, NO_FILE_ROW)
        self.header_how = QLabel("")
        self.guessed: dict[str, str] = {}  # field -> column chosen by its name (Guessing)
        self._layout()
        self.reload_profiles()

    def _buttons(self) -> None:
        """The profile's buttons: save, rename, delete, export, import."""
        self.save_button = _button("Lưu mẫu cột…", "Lưu các cột đang chọn thành mẫu cột để dùng "
                                   "lại tháng sau", self.save_profile)
        # a saved profile renamed or deleted here (the built-in one cannot be: both disabled)
        self.rename_button = _button("Đổi tên…", "Đổi tên mẫu cột đang chọn", self.rename_profile)
        self.delete_button = _button("Xóa mẫu…", "Xóa mẫu cột đang chọn", self.delete_profile)
        # a province's mapping shared between offices as a file (profile export/import)
        self.export_button = _button("Xuất ra tệp…", "Xuất mẫu cột đang chọn ra tệp .json để "
                                     "gửi đơn vị khác", self.export_profile)
        self.import_button = _button("Nhập từ tệp…", "Nhập mẫu cột từ tệp .json một đơn vị khác "
                                     "gửi", self.import_profile)
        permissions.guard(self.import_button, "settings.edit")
        # a profile is a setting (spec 10): saved, renamed, deleted by an account that may change
        # settings, greyed for the others with who may (greyed.enable_allowed); any account
        # uses a mapping, saved or not
        permissions.follow_rights(self)

    def _layout(self) -> None:
        # two rows, the buttons beside the profile: in one row with the header row's note
        # the panel needed 1,386 px
        top = QHBoxLayout()
        top.addWidget(QLabel("Mẫu cột:"))
        top.addWidget(self.profiles, 1)
        for button in (self.save_button, self.rename_button, self.delete_button,
                       self.export_button, self.import_button):
            top.addWidget(button)
        header = QHBoxLayout()
        header.addWidget(QLabel("Dòng tiêu đề:"))
        header.addWidget(self.header_row)
        self.header_how.setWordWrap(True)
        header.addWidget(self.header_how, 1)
        self.grid = FieldGrid()
        for name, label in FIELDS.items():
            picker = QComboBox()
            picker.setModel(self.choices)
            # the width from ten letters, not from measuring every column's name (twelve: three
            # columns of fields at 1366 px and ten rows, 72 px to scroll; the tooltip is whole)
            picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            picker.setMinimumContentsLength(10)
            picker.view().setUniformItemSizes(True)
            picker.currentIndexChanged.connect(lambda _i, name=name: self._picked(name))
            self.pickers[name] = picker
            star = "*" if name in REQUIRED else ""
            self.grid.add(QLabel(f"{label}{star}:"), picker)
        self.fields = FieldScroll(self.grid)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addLayout(header)
        box.addWidget(self.fields)  # as tall as its rows, scrolling when short
        box.addWidget(QLabel("Xem trước các dòng đầu (như MotCua đọc):"))
        box.addWidget(self.preview, 1)
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
        """Read the file's first rows here (the window reads them in a worker: show_file)."""
        self.show_file(read_head(path))

    def show_file(self, head: FirstRows) -> None:
        kept = clerk_choices(self)  # the clerk's unsaved columns, kept where the file has them
        self.head = head
        enable(self.header_row, True, NO_FILE_ROW)
        self._profile_chosen()
        said = "" if kept else choose_fitting(self)  # last month's saved mapping
        keep(self, kept)
        if said:
            self.say_header(said)

    def _fill_choices(self, header: list[str], titles: list[str]) -> None:
        """The shared list: "(không có)" then each named column once, in the file's order,
        spelt as the file spells it ("SoDienThoai"); its data is the column's key
        (core.transfer.layout.column_key), by which the pickers and a profile match it."""
        self.choices.clear()
        items = [QStandardItem(NONE)]
        spelt: dict[str, str] = {}
        for column, title in zip(header, titles or header, strict=False):
            if column:
                spelt.setdefault(column, title)
        for column, title in spelt.items():
            item = QStandardItem(title)
            item.setData(column, Qt.ItemDataRole.UserRole)
            item.setToolTip(shown.tip(title))  # a spreadsheet's title, as typed
            items.append(item)
        for item in items:
            item.setEditable(False)
        self.choices.invisibleRootItem().appendRows(items)

    def _profile_chosen(self, *_args) -> None:
        profile = get_profile(self.db, self.profiles.currentData())
        self.builtin = profile.builtin
        self.rights_changed()
        self.chosen_row = profile.header_row  # None: the header found by the profile's names
        self._place_header(profile.expected())
        self.wanted = {name: column_key(profile.source(name) or "") for name in self.pickers}
        self._pick(self.wanted)
        self.refresh_preview()

    def _picked(self, name: str) -> None:
        self.wanted[name] = self.pickers[name].currentData() or ""
        self.said_again(name)
        self.refresh_preview()

    def _row_chosen(self, row: int) -> None:
        """The clerk names the header row: the columns offered and the preview follow it; the
        columns chosen so far are chosen again wherever the new header has them."""
        self.chosen_row = row
        self._place_header(Profile("", {k: v for k, v in self.wanted.items() if v}).expected())
        self._pick(self.wanted)
        self.refresh_preview()

    def _place_header(self, expected) -> None:
        """The header row of the file's first rows: the one chosen, else found by `expected`
        (core.transfer.layout.find_header, the rule of every import)."""
        self.table, self.header_error = None, ""
        if self.head is not None:
            try:
                self.table = self.head.at(expected, self.chosen_row)
            except MotCuaError as exc:  # a blank row chosen: said under the preview
                self.header_error = str(exc)
        for picker in self.pickers.values():
            picker.blockSignals(True)
        self._fill_choices(self.table.header if self.table else [],
                           self.table.titles if self.table else [])
        for picker in self.pickers.values():
            picker.blockSignals(False)
        self.header_row.blockSignals(True)
        self.header_row.setValue(self.table.header_row if self.table else self.chosen_row or 1)
        self.header_row.blockSignals(False)
        self.header_how.setText(self._how())
        self.rights_changed()

    def rights_changed(self) -> None:
        """The profile buttons enabled by what is chosen and by the account's right to change
        settings (greyed with who may; permissions.follow_rights calls it at a sign-in)."""
        # no database read: a closed window's may have been let go (close_database)
        for button in (self.rename_button, self.delete_button):
            enable_allowed(button, SETTING, not self.builtin, BUILTIN_KEPT)
        enable_allowed(self.save_button, SETTING, self.table is not None, NO_COLUMNS)

    def columns(self) -> dict[str, str]:
        """field -> the column chosen, as the file spells it ("SoDienThoai"): what a saved
        profile keeps and every message names (matched by its key all the same)."""
        return {name: picker.currentText() for name, picker in self.pickers.items()
                if picker.currentData()}

    def profile(self) -> Profile:
        """The mapping as chosen now (named after the chosen profile when unchanged), with the
        header row when the clerk named one."""
        chosen = get_profile(self.db, self.profiles.currentData())
        columns = self.columns()
        header = set(self.table.header) if self.table is not None else None
        same = {k: column_key(v) for k, v in chosen.columns.items()
                if header is None or column_key(v) in header} == \
            {k: column_key(v) for k, v in columns.items()}
        if same and self.chosen_row == chosen.header_row:
            return chosen
        return Profile(UNSAVED, columns, header_row=self.chosen_row)

    def _no_preview_text(self) -> str:
        if self.note.text():  # the file's problem, said beside the list
            return ""
        return empty_lists.file_preview(self.table is not None)

    def refresh_preview(self, *_args) -> None:
        for picker in self.pickers.values():  # the whole name where a narrow picker cuts it
            picker.setToolTip(picker.currentText())
        self.preview.setRowCount(0)
        if self.table is None:
            self.note.setText(self.header_error)
            return
        try:
            mapped = MappedTable(self.table, self.profile())
            rows = list(mapped.rows())  # the first rows only: what read_head kept
        except MotCuaError as exc:
            self.note.setText(str(exc))
            return
        complete = isinstance(self.table, FirstRows) and self.table.complete
        self.note.setText(trailer_note(mapped.trailer, "hồ sơ") if complete else "")
        rows = rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        hours = day_only.DayHours(self.db)
        for r, (_, cells) in enumerate(rows):
            moments = day_only.shown_moments(cells, hours)
            for c, name in enumerate(PREVIEW_FIELDS):
                self.preview.setItem(r, c, QTableWidgetItem(_shown_cell(name, cells, moments)))
        self._fit_preview()  # whole headers and values, not "gày kết thúc xử"

    def _fit_preview(self) -> None:
        """Columns to their contents, the last to the edge (sized so, it lost its stretch)."""
        self.preview.resizeColumnsToContents()
        for stretched in (False, True):  # stretched now, and at every resize
            self.preview.horizontalHeader().setStretchLastSection(stretched)


def _button(text: str, tip: str, clicked) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.clicked.connect(clicked)
    return button
