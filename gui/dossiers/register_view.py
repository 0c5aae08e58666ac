"""Hồ sơ: the dossier register — tabs, filters, a diacritic-free search and the lazy table."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from core import empty_lists
from core.dossiers import CHANNEL_VI, STATUS_VI
from core.textnorm import SEARCH_MAX
from core.unit_scope import subtree_codes
from core.workbook import lists
from gui import keys, list_export, ops, permissions, shown, widgets
from gui.dossiers.register_columns import (  # noqa: F401  (the names other screens and tests use)
    LONG_CODE,
    NAMES,
    NAMES_LEAST,
    PROCEDURE,
    PROCEDURE_LEAST,
    UNIT,
    code_width,
    fit_columns,
    names_full,
)
from gui.dossiers.register_model import TABS, RegisterFilter, RegisterModel

LIVE_CHUNK = 150  # live due times computed per step (≈ 20 ms): the window stays responsive
COUNT_STEP_MS = 0  # between the steps finding a walked search's hits: at the next idle moment
# before the first of them: a zero timer fires before the paint the new rows asked for, and a
# step (10-50 ms at a million) would hold the first rows back; the paint takes less than this
FIRST_COUNT_STEP_MS = 30
# said inside the empty list (gui.empty_list): none yet, or none the filters let through


class RegisterScreen(QWidget):
    SHOWS = ops.DOSSIERS | ops.PAYMENTS | ops.CATALOGUE  # reloaded after these writes

    """The whole register; `fixed_ids` turns it into the list behind a dashboard figure."""

    counts_changed = Signal()

    def __init__(self, db, parent=None, *, fixed_ids: list[int] | None = None, now=None):
        super().__init__(parent)
        self.db = db
        self.model = RegisterModel(db, self, **({"now": now} if now else {}))
        self.model.filter = RegisterFilter(ids=fixed_ids)
        # a dashboard figure names its list, its unit and period
        self.export_title: str | None = None
        self.export_scope: str | None = None
        self._build()
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        # keyboard first (issue 14): Enter opens the single or first result, Down goes to the list
        self.search.returnPressed.connect(self._search_and_open)
        self.search.installEventFilter(self)
        self._live_timer = QTimer(self, interval=0)
        self._live_timer.timeout.connect(self._live_step)
        # a frequent search's hits, found between paints after its first rows (its count)
        self._count_timer = QTimer(self, interval=COUNT_STEP_MS)
        self._count_timer.timeout.connect(self._count_step)

    # ----- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        # what core.searchkey puts in a dossier's key, said in the box itself
        self.search = QLineEdit(placeholderText="Mã, tên, điện thoại, địa chỉ, đơn vị… "
                                                "(gõ không dấu được) — Ctrl+F")
        self.search.setToolTip("Tìm theo mã hồ sơ, họ tên, số điện thoại, địa chỉ người nộp, "
                               "tên đơn vị tiếp nhận hoặc đơn vị giải quyết; gõ có dấu hay không "
                               "dấu đều được, nhiều từ theo thứ tự bất kỳ.")
        self.search.setClearButtonEnabled(True)
        widgets.limit_length(self.search, SEARCH_MAX)
        top.addWidget(self.search, 3)
        self.new_button = QPushButton("Tiếp nhận hồ sơ (Ctrl+N)")
        self.new_button.clicked.connect(self.new_dossier)
        permissions.guard(self.new_button, "dossier.receive")
        self.open_button = QPushButton("Mở hồ sơ (Enter)")
        self.open_button.clicked.connect(self.open_current)
        top.addWidget(self.open_button)
        top.addWidget(self.new_button)
        self.export_button = list_export.button()
        self.export_button.clicked.connect(self.export_excel)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        layout.addLayout(self._filters())
        layout.addWidget(self.date_problem)  # under the days, on its own line: never wider
        self.tabs = QTabBar()
        for _, title in TABS:
            self.tabs.addTab(title)
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs)
        self.table = widgets.table_view()
        self.table.setModel(self.model)
        self.table.empty_text = self.empty_text
        fit_columns(self.table)
        header = self.table.horizontalHeader()
        header.setSortIndicator(*self.model.DEFAULT_SORT)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(lambda _: self.open_current())
        layout.addWidget(self.table, 1)
        self.summary = shown.plain(QLabel())  # it may quote what was typed: shown as typed
        layout.addWidget(self.summary)
        for key in ("Return", "Enter"):  # the list's own: not Enter in the search (gui.keys)
            keys.shortcut(key, self.table, self.open_current, keys.WIDGET)
        self._tab_order()

    def _tab_order(self) -> None:
        """Tab goes from the search through the filters to the list (issue 14 §3); the
        buttons beside the search have their own keys (Enter, Ctrl+N)."""
        chain = [self.search, self.unit_box, self.procedure_box, self.channel_box,
                 self.status_box, self.date_from, self.date_to, self.clear_button, self.tabs,
                 self.table, self.open_button, self.new_button, self.export_button]
        for first, second in zip(chain, chain[1:], strict=False):  # each with the next
            QWidget.setTabOrder(first, second)

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.unit_box = widgets.combo([], blank="Mọi đơn vị")
        self.procedure_box = widgets.combo([], blank="Mọi thủ tục")
        self.procedure_box.setMaximumWidth(320)
        self.channel_box = widgets.combo(CHANNEL_VI.items(), blank="Mọi kênh")
        self.status_box = widgets.combo(STATUS_VI.items(), blank="Mọi trạng thái")
        for box in (self.unit_box, self.procedure_box, self.status_box):
            narrow_combo(box)
        self.date_from = widgets.optional_date(what="Nhận từ ngày")
        self.date_to = widgets.optional_date(what="Nhận đến ngày")
        for box in (self.unit_box, self.procedure_box, self.channel_box, self.status_box):
            box.currentIndexChanged.connect(self.apply_filters)
        for edit in (self.date_from, self.date_to):
            edit.valueChanged.connect(self.apply_filters)
            # a day that is not one is said when the clerk leaves it (not at each key)
            edit.finished.connect(self._days_typed)
        # what is wrong with the days, under them, while it is wrong (as on Thanh toán)
        self.date_problem = shown.plain(QLabel())  # it may quote what was typed: shown as typed
        self.date_problem.setWordWrap(True)
        self.date_problem.setStyleSheet(widgets.ERROR_STYLE)
        self.date_problem.hide()
        clear = self.clear_button = QPushButton("Bỏ lọc")
        clear.clicked.connect(self.clear_filters)
        for label, widget in (("Đơn vị", self.unit_box), ("Thủ tục", self.procedure_box),
                              ("Kênh", self.channel_box), ("Trạng thái", self.status_box),
                              ("Nhận từ", self.date_from), ("đến", self.date_to)):
            row.addWidget(QLabel(label))
            row.addWidget(widget)
        row.addWidget(clear)
        row.addStretch(1)
        return row

    def _fill_choices(self) -> None:
        for box, items in ((self.unit_box, widgets.units(self.db)),
                           (self.procedure_box, widgets.procedures(self.db))):
            current = box.currentData()
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            widgets.add_choices(box, items)
            widgets.select_value(box, current)
            box.blockSignals(False)

    # ----- behaviour ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Data changed (or F5): recompute live due times and run the query again."""
        self._fill_choices()
        self.model.prepare(deferred=True)
        self.model.finish_live(LIVE_CHUNK)  # a usual office has no more: all known at once
        self.apply_filters()
        if not self.model.finish_live(0):
            self._live_timer.start()  # the rest between paints, chunk by chunk

    def apply_filters(self) -> None:
        self._search_timer.stop()  # a direct call replaces a pending search
        f = self.model.filter
        f.search = self.search.text()
        unit = self.unit_box.currentData()
        f.units = subtree_codes(self.db, unit) if unit else []
        f.procedure = self.procedure_box.currentData()
        f.channel = self.channel_box.currentData()
        f.status = self.status_box.currentData()
        f.tab = TABS[self.tabs.currentIndex()][0]
        wrong = self.date_from.problem() or self.date_to.problem()
        if wrong:  # never the list of another day than the one typed
            self._no_list(wrong)
            return
        f.date_from, f.date_to = self.date_from.value(), self.date_to.value()
        if self._reversed_days(f.date_from, f.date_to):
            return
        self.model.reload()
        self._update_counts()
        self._select_first()
        if self.model.hits.walking:  # the count and the rest of the list after this paint
            self._count_timer.start(FIRST_COUNT_STEP_MS)

    def _reversed_days(self, first, last) -> bool:
        """True, after saying so beside the days and showing no row, when "Nhận từ" is after
        "đến": the list would be empty with no word of why (core.periods.order_problem, the
        rule of every screen and command)."""
        from core.periods import order_problem
        problem = order_problem(first, last)
        self.date_problem.setVisible(problem is not None)
        if problem is None:
            return False
        self._no_list(problem)
        return True

    def _days_typed(self) -> None:
        wrong = self.date_from.problem() or self.date_to.problem()
        if wrong and wrong != self.date_problem.text():
            self._no_list(wrong)

    def _no_list(self, problem: str) -> None:
        """No row, and why, under the days: a day typed that is not one (core.typed_dates),
        or "Nhận từ" after "đến"."""
        self.date_problem.show()
        self._count_timer.stop()
        self.model.clear()
        self.date_problem.setText(problem)
        for index, (_key, title) in enumerate(TABS):
            self.tabs.setTabText(index, f"{title} (—)")
        self.summary.setText(f"Không có danh sách: {problem}")

    def clear_filters(self) -> None:
        for box in (self.unit_box, self.procedure_box, self.channel_box, self.status_box):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        for edit in (self.date_from, self.date_to):
            edit.blockSignals(True)
            edit.set_value(None)
            edit.blockSignals(False)
        self.search.clear()
        self.apply_filters()

    def _tab_changed(self, _index: int) -> None:
        self.apply_filters()

    def _live_step(self) -> None:
        if self.model.finish_live(LIVE_CHUNK):
            self._live_timer.stop()
            self._update_counts()  # the due-soon and overdue counts are known now

    def _count_step(self) -> None:
        if self._count_timer.interval() == FIRST_COUNT_STEP_MS:
            self._count_timer.setInterval(COUNT_STEP_MS)  # painted: the next steps at once
        if self.model.count_step():  # a new search started over in the same steps
            self._count_timer.stop()
            self._update_counts()

    def _update_counts(self) -> None:
        counts = self.model.tab_counts()
        for index, (key, title) in enumerate(TABS):
            count = counts[key]
            shown = "…" if count is None else widgets_number(count)  # still being computed
            self.tabs.setTabText(index, f"{title} ({shown})")
        shown = widgets_number(self.model.rowCount())
        found = (f"{shown} hồ sơ đầu (đang đếm tiếp…)" if self.model.count_pending
                 else f"{shown} hồ sơ")
        self.summary.setText(f"{found}. Nhấp đúp hoặc Enter để mở; nhấp tiêu đề cột để sắp xếp.")
        self.counts_changed.emit()

    def empty_text(self) -> str:
        return empty_lists.register(self.model.filter, self.model.count_pending,
                                    permissions.allowed("dossier.receive"))

    def hideEvent(self, event) -> None:
        self._search_timer.stop()
        super().hideEvent(event)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def eventFilter(self, watched, event) -> bool:
        if (watched is self.search and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Down):
            self._into_list()
            return True
        return super().eventFilter(watched, event)

    def _select_first(self) -> None:
        """A list with rows always has one current row, so Enter has something to open."""
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _search_and_open(self) -> None:
        if self._search_timer.isActive() or self.model.filter.search != self.search.text():
            self.apply_filters()  # the clerk pressed Enter before the search ran
        self.open_current()

    def _into_list(self) -> None:
        self._select_first()
        self.table.setFocus()

    def open_current(self) -> None:
        self._select_first()
        dossier_id = self.current_id()
        if dossier_id is not None:
            from gui.dossiers.detail import open_dossier
            open_dossier(self, self.db, dossier_id)

    def export_excel(self):
        """The list as shown — tab, filters, search and sort — as a workbook; returns the worker."""
        tab = self.model.filter.tab
        if not list_export.period_ok(self, self.model.filter.date_from, self.model.filter.date_to):
            return None
        self.model.finish_live()  # the order of a sort by due time needs every live due time
        title = (self.export_title or lists.REGISTER.title) + (
            "" if tab == "all" else f" — {dict(TABS)[tab].upper()}")
        return list_export.export(self, self.db, lists.REGISTER, self.model.all_ids(),
                                  self._scope(), moment=self.model.moment, title=title)

    def _scope(self) -> str:
        if self.export_scope:
            return self.export_scope
        f = self.model.filter
        more = [f"{label}: {box.currentText()}" for label, box in (
            ("Thủ tục", self.procedure_box), ("Kênh", self.channel_box),
            ("Trạng thái", self.status_box)) if box.currentData()]
        if f.search.strip():
            more.append(f"Tìm: “{f.search.strip()}”")
        return lists.scope(self.db, self.unit_box.currentData(), f.date_from, f.date_to, more)

    def new_dossier(self) -> None:
        if not permissions.allowed("dossier.receive"):
            return  # the button is hidden; a shortcut does nothing
        from gui.dossiers.intake import IntakeDialog
        widgets.exec_once(IntakeDialog(self.db, self))


def narrow_combo(box, chars: int = 8) -> None:
    """A combo sized by a few characters, not by its longest entry: one long procedure name
    (120+ characters) made the filter row, and so the window, wider than a 1366-px screen.
    The drop-down list still opens wide enough to read whole names."""
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(chars)
    box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    box.view().setMinimumWidth(480)
    box.view().setTextElideMode(Qt.TextElideMode.ElideMiddle)


def widgets_number(value: int) -> str:
    from core.timefmt import vn_number
    return vn_number(value)
