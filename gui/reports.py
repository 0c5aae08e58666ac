"""Báo cáo: the periodic figures per unit (the columns of Biểu 06/VPCP/KSTT) for any period,
with the official PDFs (monthly report, dossier register) and the data exchange."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core import indicators, periods, timefmt
from core.calendar import load_calendar
from core.errors import InputError
from core.exchange.sources import Sources
from core.indicators import coverage
from core.indicators.by_field import BY_VI, compute_by_field
from core.indicators.reception import crosses_units, reception_workload
from core.indicators.vocabulary import provisional_note
from db.readonly import connect_read_only
from gui import errors, import_export, ops, permissions, printing, table_model, widgets
from gui.fit_columns import ColumnFitter, wrap_rows
from gui.folded_note import FoldedNote
from gui.period_bar import PeriodBar
from gui.report_sources import SourcesBar
from gui.report_table import UNIT, ReceptionModel, Table06Model, capital, field_rows, unit_rows

NO_CHANGE = ops.Changes()  # computing figures writes nothing

REPORT_PERMISSION = {"monthly": "report.print", "book": "report.print", "import": "data.import",
                     "export": "data.export", "signoff": "report.sign",
                     "excel06": "report.print", "excel766": "report.print"}


TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"


def compute_figures(first: dt.date, last: dt.date, unit: str | None, by_field: bool = False,
                    read_only_path: str | None = None):
    """The op run in the worker: the figures of Biểu 06 for a period and scope, by unit or by
    field (which evaluates every dossier of the period: seconds on a big database), and the
    receiving desks' workload.

    The worker's connection can write; a file the window opened read-only (read-only media, a
    colleague's copy) gets a read-only connection of its own instead (`read_only_path`)."""
    def op(db, _progress) -> tuple[dict, list, bool, list, Sources]:
        # queries with no steps to count: the dialog shows a busy bar and its Cancel drops
        # the figures when they come
        if db is not None:
            return _figures(db)
        own = connect_read_only(read_only_path)
        try:
            return _figures(own)
        finally:
            own.close()

    def _figures(db) -> tuple[dict, list, bool, list, Sources]:
        from core.exchange.sources import sources
        from core.indicators.coverage import notes
        from core.report_header import header_for
        figures = compute_by_field(db, first, last, unit=unit) if by_field else \
            indicators.compute(db, first, last, unit=unit)
        # what a unit's row and its own report cover, and whose header its papers print
        said = [] if by_field else notes(db, figures)
        # what the figures rest on: the packages of offline installations (the monthly
        # report's "Nguồn số liệu"), said before anything is printed — judged at the figures'
        # moment, as the report judges them, not at a second reading of the clock
        found = sources(db, first, last, timefmt.parse_db_time(figures["as_of"]), unit)
        return figures, reception_workload(db, first, last, unit), by_field, \
            said + [header_for(db, unit).note], found
    return op

class ReportsScreen(QWidget):
    SHOWS = ops.EVERYTHING  # figures from everything (gui.ops.Changes)

    def __init__(self, db, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or timefmt.now().date()
        layout = QVBoxLayout(self)
        layout.addLayout(self._period_row(db))
        layout.addLayout(self._buttons())
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        # a sender whose packages stop short of the period or leave a gap (core.exchange.
        # sources): folded into one line above the figures it concerns, and a button opening
        # the table the monthly report prints (gui.report_sources)
        self.source_bar = SourcesBar()
        self.sources = self.source_bar.note
        layout.addWidget(self.source_bar)
        self.model = Table06Model(self)
        self.table = table_model.sorted_view(self.model)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.fitter = ColumnFitter(self.table, UNIT)  # every rate in sight at 1366 px
        layout.addWidget(self.table, 1)
        # under the table: why a unit's row and its own report differ (core.indicators.coverage)
        # and whose header and signer its papers print (core.report_header)
        # folded into one line, opened by a click: in full they took 3–5 lines at 1366×728
        self.notes = FoldedNote()
        layout.addWidget(self.notes)
        layout.addWidget(self._reception_table())
        self.result: dict | None = None
        self.pending = None  # the worker computing the figures asked for last
        self.asked = 0  # requests made; only the last one's figures are shown

    def _period_row(self, db) -> QHBoxLayout:
        """The period asked for: its kind, its month, its days and unit (gui.period_bar)."""
        row = QHBoxLayout()
        self.preset = QComboBox()
        self.preset.addItem("Tự chọn", None)
        for key, label in periods.PRESETS_VI.items():
            self.preset.addItem(label, key)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        # the period a leader reports on: the one before in the first working days of the
        # running one (on 01/12 it opened on an empty December), else the running one
        # (core.periods.shown, Tổng quan's rule with the reporting days)
        self.is_working_day = load_calendar(db).is_working_day
        opening = self.opening("month").end
        # the kind and month of the period, as on Tổng quan (the same rule: periods.preset);
        # the days below stay typed for a period of one's own
        self.month_edit = widgets.TypedDate(opening, month=True, what="Tháng")
        self.month_edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.month_edit.valueChanged.connect(self._month_chosen)  # never a month on the way
        self.month_edit.finished.connect(self._month_typed)
        for label, widget in (("Kỳ", self.preset), ("tháng", self.month_edit)):
            row.addWidget(QLabel(label))
            row.addWidget(widget)
        self.period = PeriodBar(db, today=opening)
        self.period.changed.connect(self._name_preset)
        self.period.changed.connect(self.refresh)
        self._name_preset()  # it opens on a month: "Tháng", not "Tự chọn"
        if self.period.unit_box is not None:
            self._unit_takes_the_spare_width()
            row.addWidget(self.period, 1)
        else:
            row.addWidget(self.period)
            row.addStretch(1)
        return row

    def _unit_takes_the_spare_width(self) -> None:
        """The unit box takes the row's spare width, and only that."""
        # sized by its longest unit name (a province's centre's branch with its code, 480
        # px) this row, and so the window, was 1,415 px wide: past a 1366-px screen
        self.period.unit_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.period.unit_box.setMinimumContentsLength(16)
        # ...but it takes the row's spare width: at 1366 px "UBND xã Tri Lễ (000.4" was
        # cut while 400 px stood empty beside it
        self.period.unit_box.setSizePolicy(QSizePolicy.Policy.Expanding,
                                           QSizePolicy.Policy.Fixed)
        # ...which the two days shared with it: a typed date holds a line edit, so Qt
        # counted each as expanding too and gave all three 266 px; "UBND xã Yên Phúc
        # (000.43.00.H3" was cut while each date stood 150 px wider than its text
        # (the labels too, or "đến" stood apart from its day); what the unit's 480 px
        # cannot take goes before "Đơn vị", which stays at the right
        days = self.period.layout_
        for index in range(days.count()):
            if (item := days.itemAt(index).widget()) is not self.period.unit_box:
                item.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        days.insertStretch(days.count() - 2, 1)
        days.setStretchFactor(self.period.unit_box, 4)  # the unit first, up to its 480 px

    def _reception_table(self) -> QWidget:
        """The receiving desks' own workload (spec 5), shown only when some dossier of the
        scope was received at one unit for another."""
        self.reception = QWidget()
        box = QVBoxLayout(self.reception)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("<b>Tiếp nhận tại bộ phận một cửa, theo đơn vị giải quyết</b> "
                             "(hồ sơ được tính vào số liệu của đơn vị giải quyết)"))
        self.reception_model = ReceptionModel(self)
        self.reception_table = table_model.sorted_view(self.reception_model)
        self.reception_table.setMaximumHeight(150)
        # the two units share the width and wrap, as Biểu 06's names do (gui.fit_columns):
        # sized to their contents, a province's long names pushed the count out of sight
        wrap_rows(self.reception_table, (ReceptionModel.RECEIVING, ReceptionModel.COMPETENT),
                  {ReceptionModel.COUNT: 80})
        box.addWidget(self.reception_table)
        self.reception.hide()
        return self.reception

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        # Biểu 06 by unit, or by field grouped by level (its column 2); on this second row so the
        # period row still fits a 1366 px screen
        self.by = QComboBox()
        for key, label in BY_VI.items():
            self.by.addItem(label, key)
        self.by.currentIndexChanged.connect(self.refresh)
        row.addWidget(QLabel("Biểu 06"))
        row.addWidget(self.by)
        self.buttons: dict[str, QPushButton] = {}
        for key, label, slot in (("monthly", "Báo cáo tháng (PDF)…", self.monthly_pdf),
                                 ("book", "Sổ theo dõi hồ sơ (PDF)…", self.book_pdf),
                                 ("excel06", "Xuất Excel Biểu 06…", lambda: self.excel("bieu06")),
                                 ("excel766", "Xuất Excel 766…", lambda: self.excel("i766")),
                                 ("import", "Nhập dữ liệu…", self.import_data),
                                 ("export", "Xuất dữ liệu…", self.export_data),
                                 ("signoff", "Duyệt số liệu…", self.sign_off)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            permissions.guard(button, REPORT_PERMISSION[key])
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        return row

    def opening(self, kind: str) -> periods.Period:
        """The period of `kind` to report today (core.periods.shown)."""
        return periods.shown(kind, self.today, self.is_working_day)

    def _preset_chosen(self) -> None:
        """A kind chosen: its period to report while the month is the one the screen opened on
        (01/12/2026, "Kỳ báo cáo tháng": 15/11–14/12, running, not 15/10–14/11), else its period
        around the month in the "tháng" field (core.periods.month_after_kind)."""
        kind = self.preset.currentData()
        if not kind:
            return  # "Tự chọn": the days stay
        try:
            shown: periods.Period | None = periods.Period(*self.period.period())
        except InputError:  # a day typed that is not one: the month field decides
            shown = None
        if self.month_edit.problem() is None:
            month = periods.month_after_kind(shown, kind, self.month_edit.value(), self.opening)
            self.month_edit.blockSignals(True)  # one change of the days, of the period chosen
            self.month_edit.set_value(month)
            self.month_edit.blockSignals(False)
        self._show_period()

    def _month_chosen(self) -> None:
        """A month typed or stepped (↑/↓): the period of the kind chosen in that month; under
        "Tự chọn", the month itself (a leader typing 10/2026 asks for October)."""
        if not self.preset.currentData():
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self.preset.findData("month"))
            self.preset.blockSignals(False)
        self._show_period()

    def _show_period(self) -> None:
        """The days of the kind and month chosen (core.periods.preset, Tổng quan's rule), the
        figures of them when they are other days."""
        try:
            chosen = periods.preset(self.preset.currentData(), self.month_edit.value())
        except InputError:  # a month that is not one: said when the leader leaves the field
            return
        try:
            same = self.period.period() == (chosen.start, chosen.end)
        except InputError:  # a day typed that is not one: the month's days replace it
            same = False
        if not same:
            self.period.set_period(chosen.start, chosen.end)

    def _month_typed(self) -> None:
        """A month that is not one is said under the days; the figures shown stay those named."""
        if problem := self.month_edit.problem():
            self.period.problem.setText(problem)
            self.period.problem.show()
        else:
            self.period.checked_period()  # says nothing, or what is still wrong with a day

    def _name_preset(self) -> None:
        """The period shown names its kind and month: 01/10/2026–31/10/2026 typed is "Tháng"
        10/2026, a period no preset gives is "Tự chọn" (core.periods.preset_of)."""
        try:
            first, last = self.period.period()
        except InputError:  # a day that is not one names no period
            return
        kind = periods.preset_of(first, last)
        index = self.preset.findData(kind)
        self.preset.blockSignals(True)  # naming it changes no day
        self.preset.setCurrentIndex(max(index, 0))
        self.preset.blockSignals(False)
        if kind is None or self.month_edit.problem() is None and \
                periods.preset(kind, self.month_edit.value()) == periods.Period(first, last):
            return  # a month of the period already shown (Quý, 10/2026: October–December)
        self.month_edit.blockSignals(True)
        self.month_edit.set_value(last)  # preset_of's month: the kind's period around it
        self.month_edit.blockSignals(False)

    def refresh(self) -> None:
        """Compute the figures in a worker (a year at a million dossiers takes seconds): the
        screen keeps answering, and a newer request replaces one still running."""
        self.period.reload_units()
        if self.computing():
            self.pending.cancel()  # its figures are for a period no longer asked for
        checked = self.period.checked_period()
        if checked is None:  # a start typed past the old end, before «đến»: said under the
            self._clear()    # days (a modal box took the keys meant for «đến»; walk35)
            return
        first, last = checked
        self.asked += 1
        asked, shown = self.asked, periods.Period(first, last)
        read_only = bool(getattr(self.db, "read_only", False))
        by_field = self.by.currentData() == "field"
        action = ops.Op(self, compute_figures(first, last, self.period.unit(), by_field,
                                              self.db.path if read_only else None), NO_CHANGE)
        action.success(lambda result: self._show(result, shown, asked))
        action.failure(lambda _exc: self._answered(asked))
        self.pending = action.run_in_background(None if read_only else self.db.path,
                                                "Đang tính số liệu báo cáo…")
        self.pending.cancelled.connect(lambda: self._answered(asked))

    def _clear(self) -> None:
        """No figures while the days typed name no period: the last ones belong to another
        (review36: they stayed under the title of the old period, beside the message)."""
        self.asked, self.pending = self.asked + 1, None  # one still finishing: not its figures
        self.title.setText(f"<b>{TITLE}</b><br>(chưa có số liệu: các ngày đã nhập chưa là một kỳ)")
        self.model.show([], self.by.currentData() == "field")
        self.notes.set_notes("", [])
        self.source_bar.show_sources(Sources([], []))
        self.result = None
        self.reception_model.set_rows([])
        self.reception.hide()

    def computing(self) -> bool:
        """True while figures asked for are not shown yet (tests wait on it)."""
        return self.pending is not None

    def _answered(self, asked: int) -> None:
        if asked == self.asked:
            self.pending = None

    def _show(self, computed: tuple[dict, list, bool, list, Sources], shown: periods.Period,
              asked: int) -> None:
        result, reception, by_field, notes, found = computed
        if asked != self.asked:
            return  # an older request that finished after a newer one was made
        self._answered(asked)
        self.title.setText(f"<b>{TITLE}</b><br>"
                           f"({capital(shown.phrase())}) — đơn vị tính: số hồ sơ"
                           f"{' — ' + note if (note := provisional_note(result)) else ''}")
        self.model.show(field_rows(result) if by_field else unit_rows(result), by_field)
        self.fitter.fit()
        # the header's sentence comes last (compute_figures), the units' before it
        self.notes.set_notes(coverage.summary(len(notes) - 1, header=True), notes)
        self.source_bar.show_sources(found)
        self.result = result
        self.reception_model.set_rows(reception)
        self.reception.setVisible(crosses_units(reception))
        self.reception_table.resizeColumnToContents(ReceptionModel.COUNT)

    def monthly_pdf(self) -> None:
        """The report of exactly the period the screen shows (a state-report month included)."""
        printing.monthly_report(self, self.db, periods.Period(*self.period.period()),
                                self.period.unit(), self.by.currentData())

    def book_pdf(self) -> None:
        first, last = self.period.period()
        try:  # a reversed period would open an empty preview with no word of why
            periods.require_order(first, last)
        except InputError as exc:
            errors.show_error(self, exc, errors.failure_title("lập sổ theo dõi hồ sơ"))
            return
        printing.register_book(self, self.db, first, last, self.period.unit())

    def excel(self, kind: str):
        """Biểu 06 (by unit or field, as the screen shows it) or the 766 table of the period and
        unit shown, as a printable workbook (gui.form_export)."""
        from gui.form_export import export_form
        return export_form(self, self.db.path, kind, periods.Period(*self.period.period()),
                           self.period.unit(), self.by.currentData())

    def import_data(self) -> None:
        import_export.import_dialog(self, self.db.path)

    def export_data(self) -> None:
        """Dossiers of the period and unit shown may be exported alone (a commune's month for
        the provincial system); a period typed wrong offers every dossier only."""
        period, unit = self.period.checked_period(), self.period.unit()
        name = self.period.unit_box.currentText().strip() if self.period.unit_box else ""
        import_export.export_dialog(self, self.db.path,
                                    (*period, unit) if period else None, name)

    def sign_off(self) -> None:
        """The leader approves the figures of the period and unit shown (core.signoff); the
        monthly report of that period then prints the approval under the data fingerprint."""
        from core import signoff
        first, last = self.period.period()
        unit = self.period.unit()
        phrase = periods.Period(first, last).phrase()
        # the picker's text without the tree's indent (em spaces before a commune's name)
        where = f" của {self.period.unit_box.currentText().strip()}" if unit \
            else " của tất cả đơn vị"
        text = (f"Duyệt số liệu {phrase}{where}?\n\nDấu kiểm chứng dữ liệu hiện tại: "
                f"{signoff.current_fingerprint(self.db) or 'chưa có sự kiện'}.\n"
                "Việc duyệt được ghi lại với tên tài khoản của bạn và in ở chân báo cáo tháng.")
        if not widgets.confirm(self, "Duyệt số liệu", text, yes="Duyệt"):
            return
        ops.Op(self, lambda db: signoff.sign_off(db, first, last, unit), NO_CHANGE,
               doing="ghi duyệt số liệu").success(
            lambda done: widgets.inform(self, "Duyệt số liệu",
                                        f"Đã ghi: {done.name} duyệt số liệu {phrase}{where} lúc "
                                        f"{timefmt.vn_datetime(done.at)}.")).run(self.db)
