"""Đối chiếu với hệ thống tỉnh (issue 16 §2): choose the provincial export, map its columns,
choose the period and unit, compare in a worker (progress, Cancel), read the results in tabs
with their counts, and print or save them (PDF, xlsx)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import empty_lists, timefmt
from core.errors import InputError, MotCuaError
from core.reconcile import AGAIN_WINDOW, Reconciliation, reconcile
from core.timefmt import vn_number
from core.transfer.csv_files import told_for
from gui import closing, errors, file_dialogs, permissions, screen_fit, widgets
from gui.reconciliation import unit_pick
from gui.reconciliation.greyed import enable
from gui.reconciliation.mapping import MappingPanel, read_head
from gui.reconciliation.models import (
    DifferencesModel,
    IndicatorsModel,
    ItemsModel,
    PairsModel,
    TheirsModel,
    UnreadModel,
)
from gui.table_model import sorted_view

FILTER = "Bảng tính (*.csv *.xlsx)"
NO_FILE = "Đang mờ vì chưa chọn tệp: bấm «Chọn tệp…» trước."
NO_RESULT = "Đang mờ vì chưa có kết quả: bấm «Đối chiếu» trước."
TITLE = "Đối chiếu với hệ thống tỉnh"
READING = "Đang đọc tệp…"  # the file's job line; its failures' title (errors.failure_title)
NOT_RUN = "Chưa đối chiếu"
# The largest size asked of the screen (fit_to_screen takes less where it has less): a
# full-HD screen's room, the tables' many columns seen whole
ROOM = (1880, 1000)


def last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


class ReconcileDialog(QDialog):
    def __init__(self, db, db_path: str, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.db, self.db_path = db, db_path
        self.result: Reconciliation | None = None
        self.worker = None
        self.reading = None  # the worker reading the chosen file's head (tests wait on it)
        first, last = last_month(today or timefmt.now().date())
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText("Tệp xuất của hệ thống tỉnh hoặc Cổng DVC quốc gia (.xlsx, .csv)")
        self.choose_button = QPushButton("Chọn &tệp…")
        self.choose_button.clicked.connect(self.choose_file)
        self.import_button = QPushButton("&Nhập tệp vào MotCua…")
        self.import_button.setToolTip("Nhập các hồ sơ của tệp (theo ánh xạ cột đang chọn) vào "
                                      "cơ sở dữ liệu; hồ sơ cùng mã được cập nhật theo tệp.")
        self.import_button.clicked.connect(self.import_file)
        permissions.guard(self.import_button, "data.import")  # the list is everyone's work
        self.mapping = MappingPanel(db, self)
        self.date_from = widgets.date_field(first, what="Đối chiếu từ ngày")
        self.date_to = widgets.date_field(last, what="Đối chiếu đến ngày")
        self.unit = unit_pick.box()
        unit_pick.follow(db, self.unit, self.date_from, self.date_to)  # the period's units
        self.tolerance = QSpinBox()
        self.tolerance.setRange(0, 1440)
        self.tolerance.setValue(30)
        self.tolerance.setSuffix(" phút")
        self.run_button = QPushButton("Đối &chiếu")
        self.run_button.setToolTip("So tệp với hồ sơ của MotCua trong kỳ và đơn vị đã chọn")
        self.run_button.clicked.connect(self.run)
        # the main buttons by Alt+T, N, C, P, E, G (their "&"): a clerk at the keyboard
        self.tabs = QTabWidget()
        self.models = {"indicators": IndicatorsModel(self), "only_ours": ItemsModel(self),
                       "only_theirs": TheirsModel(self), "differences": DifferencesModel(self),
                       "pairs": PairsModel(self), "unread": UnreadModel(self)}
        self.summary = QLabel("Chọn tệp, kiểm tra ánh xạ cột rồi bấm Đối chiếu.")
        self.summary.setWordWrap(True)
        self.pdf_button = QPushButton("Lưu &PDF…")
        self.xlsx_button = QPushButton("Lưu &Excel…")
        self.pdf_button.setToolTip("Lưu kết quả đối chiếu thành tệp PDF để in")
        self.xlsx_button.setToolTip("Lưu kết quả đối chiếu thành bảng tính Excel")
        self.pdf_button.clicked.connect(lambda: self.save(".pdf"))
        self.xlsx_button.clicked.connect(lambda: self.save(".xlsx"))
        self._layout()
        self._enable()
        # the room the screen has, up to a full-HD one's: the office's 1366 px all of it, and a
        # 1920×1080 one no longer 1360 px wide with its lists' columns cut (mend35)
        screen_fit.fit_to_screen(self, *ROOM)

    def closeEvent(self, event) -> None:  # noqa: N802
        """The title bar's × (Alt+F4) while the window's job runs asks first (gui.closing)."""
        if not closing.may_close_window(self):
            event.ignore()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        """Esc (before its job's dialog shows) closes as × does: its job asks first (QDialog's
        own Esc hid the window unasked, the job going on unseen)."""
        if event.matches(QKeySequence.StandardKey.Cancel):
            self.close()
            return
        super().keyPressEvent(event)

    def _layout(self) -> None:
        file_row = QHBoxLayout()
        file_row.addWidget(QLabel("Tệp:"))
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.import_button)
        period = QHBoxLayout()
        for label, widget in (("Từ ngày:", self.date_from), ("Đến ngày:", self.date_to),
                              ("Đơn vị:", self.unit), ("Lệch giờ tiếp nhận tối đa:", self.tolerance)):
            period.addWidget(QLabel(label))
            period.addWidget(widget, 1 if widget is self.unit else 0)  # the spare width: a name
        period.addWidget(self.run_button)
        self.tabs.addTab(self.mapping, "Ánh xạ cột của tệp")
        self.views = {}
        for key, title in self._tab_titles().items():
            self.views[key] = sorted_view(self.models[key], self)
            self.views[key].empty_text = lambda key=key: empty_lists.reconciled(self.result, key)
            self.tabs.addTab(self._with_note(self.views[key]) if key == "indicators"
                             else self.views[key], title)
        self.unread_tab = self.tabs.indexOf(self.views["unread"])
        # the reasons' rows as tall as their wrapped text, once the tab has its width
        unread = self.views["unread"]
        unread.horizontalHeader().sectionResized.connect(lambda *_: unread.resizeRowsToContents())
        self.tabs.setTabVisible(self.unread_tab, False)  # only when rows could not be read
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.xlsx_button)
        close = QPushButton("Đón&g")
        close.clicked.connect(self.reject)
        buttons.addWidget(close)
        box = QVBoxLayout(self)
        box.addLayout(file_row)
        box.addLayout(period)
        box.addWidget(self.tabs, 1)
        # its own row: a wrapped label beside buttons got one line's height and was cut (a
        # summary with the uncertain pairs' note runs to two lines)
        box.addWidget(self.summary)
        box.addLayout(buttons)

    def _with_note(self, view) -> QWidget:
        """The side-by-side table with the note on figures the province's file cannot give.
        The indicators' names take the spare width: the change column stretched to the far
        edge put each figure 700 px right of the row it belongs to."""
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.indicators_note = QLabel("")
        self.indicators_note.setWordWrap(True)
        self.indicators_note.hide()
        # above the figures: the province's side lacks the rows of its file that could not be read
        self.unread_note = QLabel("")
        self.unread_note.setWordWrap(True)
        self.unread_note.setStyleSheet(f"{widgets.ERROR_STYLE} font-weight: bold;")
        self.unread_note.hide()
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.unread_note)
        box.addWidget(view, 1)
        box.addWidget(self.indicators_note)
        return page

    def _tab_titles(self) -> dict[str, str]:
        r = self.result
        n = (lambda items: f" ({vn_number(len(items))})") if r else (lambda items: "")
        return {"indicators": "Chỉ tiêu hai bên",
                "only_ours": "Thiếu trên hệ thống tỉnh" + n(r.only_ours if r else []),
                "only_theirs": "Thiếu trong MotCua" + n(r.only_theirs if r else []),
                "differences": "Khác nhau" + n(r.differences if r else []),
                "pairs": "Đã ghép" + (f" ({vn_number(len(r.pairs))}, "
                                      f"{vn_number(len(r.near_pairs))} không theo mã)"
                                      if r and r.near_pairs else n(r.pairs if r else [])),
                "unread": f"Dòng không đọc được ({vn_number(r.unread_rows if r else 0)})"}

    def _enable(self) -> None:
        chosen = bool(self.path.text())
        for button in (self.run_button, self.import_button):
            enable(button, chosen, NO_FILE)
        # Enter takes the next step: choose the file, then run (Enter after the dates typed
        # pressed «Chọn tệp…», the dialog's first button, and the file dialog came back)
        (self.run_button if chosen else self.choose_button).setDefault(True)
        for button in (self.pdf_button, self.xlsx_button):
            enable(button, self.result is not None, NO_RESULT)

    def choose_file(self) -> None:
        path = file_dialogs.open_file_name(self, "Chọn tệp xuất của hệ thống tỉnh", "", FILTER)
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> None:
        """Read the file's header and first rows in a worker (a province's month as a
        workbook takes seconds to open), then offer its columns."""
        from gui.worker import run_in_background

        def read(_db, progress):
            try:
                return read_head(path, progress)
            except MotCuaError as exc:  # said with the file's own words below
                return exc
        self.reading = run_in_background(self, None, READING, read,
                                         lambda head: self._file_read(path, head), notify=False,
                                         on_failure=lambda _exc: self._read_done())
        self.reading.cancelled.connect(self._read_done)

    def _read_done(self) -> None:
        self.reading = None

    def _file_read(self, path: str, head) -> None:
        self._read_done()
        if isinstance(head, MotCuaError):  # a CSV's encoding advice in this window's words
            # told as the job's other failures are, and in the import's words (core's message)
            errors.show_error(self, told_for(head, AGAIN_WINDOW), errors.failure_title(READING))
            return
        self.mapping.show_file(head)
        self.path.setText(path)
        self._enable()

    def import_file(self) -> None:
        """The file into the live database through the mapping (spec 7's checks, all or
        nothing), after the clerk confirms."""
        from gui.reconciliation.importing import import_mapped_file
        self.worker = import_mapped_file(self, self.db_path, self.path.text(),
                                         self.mapping.profile())

    def run(self) -> None:
        from gui.worker import run_in_background
        try:  # the days typed, or what is wrong with them (no reconciliation of other days)
            first, last = self.date_from.value(), self.date_to.value()
        except InputError as exc:
            widgets.warn(self, TITLE, exc.message)
            return
        if last < first:
            widgets.warn(self, TITLE, "Ngày kết thúc kỳ đối chiếu trước ngày bắt đầu.")
            return
        path, unit, profile = self.path.text(), self.unit.currentData(), self.mapping.profile()
        tolerance = self.tolerance.value()

        def job(db, progress):
            try:
                return reconcile(db, path, first, last, unit=unit, profile=profile,
                                 tolerance_minutes=tolerance, progress=progress)
            except InputError as exc:  # the file or the mapping: said under this window's name
                return exc
        self.worker = run_in_background(self, self.db_path, "Đang đối chiếu với hệ thống tỉnh…",
                                        job, self.show_result, notify=False)

    def show_result(self, result: Reconciliation | InputError) -> None:
        if isinstance(result, InputError):  # a column missing, a file unreadable: nothing done
            widgets.warn(self, NOT_RUN, str(result))
            return
        if not result.ok:
            lines = "\n".join(str(e) for e in result.errors[:30])
            widgets.warn(self, "Tệp có lỗi, chưa đối chiếu",
                         f"{result.refusal_heading()}\n{lines}")
            return
        self.result = result
        self.models["indicators"].set_rows(result.indicators)
        self.indicators_note.setText("\n".join(result.notes()))
        self.indicators_note.setVisible(bool(self.indicators_note.text()))
        # in red above the figures: a file with nothing in the period (another month?), and
        # the rows of the file that could not be read; said there once, not again below
        warnings = [n for n in [result.scope_warning(), result.unread_note()] if n]
        self.unread_note.setText("\n".join(warnings))
        self.unread_note.setVisible(bool(warnings))
        self.models["unread"].set_rows(result.errors if result.unread_rows else [])
        self.tabs.setTabVisible(self.unread_tab, bool(result.unread_rows))
        self.models["only_ours"].set_rows(result.only_ours)
        self.models["only_theirs"].set_rows(result.only_theirs)
        self.models["differences"].set_rows(result.differences)
        self.models["pairs"].set_rows(result.pairs)
        for index, title in enumerate(self._tab_titles().values(), start=1):
            self.tabs.setTabText(index, title)
        for view in self.views.values():
            view.resizeColumnsToContents()
        self._wrap_reasons(self.views["unread"])
        self.views["unread"].resizeRowsToContents()
        self.tabs.setCurrentIndex(1)
        fuzzy = len(result.pairs) - result.by_code
        unread = (f"{vn_number(result.unread_rows)} dòng của tệp không đọc được, không được "
                  "đối chiếu. " if result.unread_rows else "")  # the whole sentence: the tabs'
        self.summary.setText(unread + f"{result.moment_line()}. "
                             + f"Khớp {vn_number(len(result.pairs))} hồ sơ ("
                             f"{vn_number(result.by_code)} theo mã, {vn_number(fuzzy)} theo thủ "
                             f"tục + chủ hồ sơ + giờ{', xem thẻ Đã ghép' if fuzzy else ''}). "
                             + self._outside_pointer(result)
                             + "Dòng của tệp ngoài kỳ hoặc ngoài đơn vị: "
                             f"{vn_number(result.outside)}."
                             + "".join(f" {w}" for w in [result.uncertain_note()] if w)
                             + "".join(f" {w}" for w in result.warnings if w not in warnings)
                             + "".join(f" {w}" for w in [result.trailer_note()] if w))
        self._enable()

    @staticmethod
    def _outside_pointer(result: Reconciliation) -> str:
        """Under every tab, where the red warning of a file of another period is not seen:
        that the pairs just counted are not the province's of this period, said where."""
        if not (result.paired_outside and result.scope_warning()):
            return ""
        return (f"Hệ thống tỉnh không tính {vn_number(result.paired_outside)} hồ sơ này vào kỳ "
                "đã chọn (xem lưu ý đỏ ở thẻ Chỉ tiêu hai bên). ")

    @staticmethod
    def _wrap_reasons(view) -> None:
        """A reason naming every code of the portal runs to 400 characters: wrapped in the
        width left, the row as tall as it needs (elided, its end was cut at 1366 px)."""
        header = view.horizontalHeader()
        header.setSectionResizeMode(header.count() - 1, QHeaderView.ResizeMode.Stretch)
        view.setWordWrap(True)

    def save(self, suffix: str) -> None:
        from core.reconcile.cli import save
        from gui.worker import run_in_background
        if self.result is None:
            return
        result = self.result
        name = f"doi_chieu_{result.date_from:%Y%m%d}_{result.date_to:%Y%m%d}{suffix}"
        kind = "PDF (*.pdf)" if suffix == ".pdf" else "Excel (*.xlsx)"
        path = file_dialogs.save_path(self, "Lưu kết quả đối chiếu", name, kind)
        if not path:
            return
        target = Path(path)
        self.worker = run_in_background(
            self, self.db_path, "Đang ghi kết quả đối chiếu…",
            lambda db, progress: save(db, result, target),
            lambda note: widgets.inform(self, TITLE,
                                        f"Đã ghi kết quả đối chiếu vào {target}.\n{note}"),
            notify=False)


def open_dialog(parent, db, db_path: str) -> ReconcileDialog | None:
    try:
        dialog = ReconcileDialog(db, db_path, parent)
    except MotCuaError as exc:
        errors.show_error(parent, exc, "Không thể mở cửa sổ đối chiếu")
        return None
    dialog.show()
    return dialog
