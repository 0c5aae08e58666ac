"""Tổng quan: the indicators of a period and scope, the units behind their targets, what is late."""
from __future__ import annotations

import datetime as dt

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core import empty_lists, indicators, periods, timefmt
from core.indicators import i766
from core.indicators.coverage import summary as coverage_summary
from core.indicators.vocabulary import provisional_note
from db import settings
from gui import errors, list_export, ops, shown, widgets, worker
from gui.dashboard import behind, unit_rates
from gui.dashboard.cards import INDICATORS, CardSet, IndicatorCard, link
from gui.dashboard.chart import RatesChart
from gui.dashboard.page766 import Page766
from gui.dossiers.register_model import RegisterModel
from gui.dossiers.register_view import code_width
from gui.folded_note import FoldedNote

# clickable figures of the strip under the cards: (label, figure path)
STRIP = (("Tiếp nhận", "received.total"), ("trực tuyến", "received.online"),
         ("trực tiếp/bưu chính", "received.direct_postal"), ("kỳ trước chuyển sang", "received.carried_over"),
         ("Đã giải quyết", "resolved.total"), ("trước hạn", "resolved.early"),
         ("đúng hạn", "resolved.on_time"), ("quá hạn", "resolved.late"), ("Rút/dừng", "withdrawn"),
         ("Đang giải quyết", "in_progress.total"), ("trong hạn", "in_progress.within_time"),
         ("quá hạn", "in_progress.overdue"))


def moment_note(result: dict) -> str:
    """' — số liệu tạm tính đến 10 giờ 15 phút, ngày 30/11/2026' while the period runs (spec 2.3, 5)."""
    note = provisional_note(result)
    return f" — {note}" if note else ""


def figure_value(figures: dict, path: str) -> int:
    value = figures
    for part in path.split("."):
        value = value[part]
    return value


COMPUTING = "đang tính…"
def figures(db, period: periods.Period, unit: str | None, today: dt.date | None) -> dict:
    """Everything the screen shows for a period and scope, read from `db` (no widget touched:
    it runs in a worker on a big file)."""
    from core.indicators.coverage import notes
    result = indicators.compute(db, period.start, period.end, unit=unit, detail=True)
    targets_766 = settings.targets_766_for_year(db, period.end.year)
    return {"period": period, "result": result, "coverage": notes(db, result),
            "sentences": behind.gap_sentences(db, result, period, today),
            "targets_766": targets_766,
            "sentences_766": behind.gap_sentences_766(db, result, targets_766, period, today)}


class DashboardScreen(QWidget):
    SHOWS = ops.EVERYTHING  # figures read from everything

    def __init__(self, db, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today
        self.result: dict | None = None
        self.loader = None  # the worker computing the figures of a big file
        self._asked: tuple | None = None
        self.found: dict | None = None  # the figures shown (the 766 page is filled from them)
        self.page_766: Page766 | None = None  # built when first shown (gui.dashboard.page766)
        outer = QVBoxLayout(self)
        outer.addLayout(self._controls())
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.body = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        outer.addLayout(self._footer())
        self._cards()
        self.strip = QLabel()
        self.strip.setWordWrap(True)
        self.strip.linkActivated.connect(self.open_figure)
        self.body.addWidget(self.strip)
        # a card of a commune with a reception point and the commune's row differ: why
        # (core.indicators.coverage, the words of the report and of Báo cáo)
        # (folded into one line, opened by a click)
        self.coverage = FoldedNote()
        self.body.addWidget(self.coverage)
        row = QVBoxLayout()
        self.chart = RatesChart()
        self.chart_box = chart_box = QGroupBox(
            f"Tỷ lệ {i766.FIRST_SET_NAME} theo đơn vị (đường nét đứt: chỉ tiêu)")
        # Many units make the chart wider than the screen: it scrolls on its own, so the cards,
        # the figures and the unit table above and below keep the window's width.
        chart_scroll = QScrollArea()
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        chart_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        chart_scroll.setWidget(self.chart)
        chart_scroll.setMinimumHeight(self.chart.minimumHeight() +
                                      chart_scroll.horizontalScrollBar().sizeHint().height() + 4)
        self.chart_scroll = chart_scroll
        QVBoxLayout(chart_box).addWidget(chart_scroll)
        row.addWidget(chart_box)
        self.charts = row  # the 766 page's chart goes under Biểu 06's once shown
        self.unit_rates = unit_rates.UnitRatesModel(self)
        self.unit_table = unit_rates.unit_table(self.unit_rates)
        self.table_box = table_box = QGroupBox()
        self.unit_tables = QStackedWidget()
        self.unit_tables.addWidget(self.unit_table)
        QVBoxLayout(table_box).addWidget(self.unit_tables)
        row.addWidget(table_box)
        self.body.addLayout(row)
        self.body.addLayout(self._late_lists())

    # ----- building -------------------------------------------------------------------------
    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.preset_box = QComboBox()
        for key, label in periods.PRESETS_VI.items():
            self.preset_box.addItem(label, key)
        # the period running today (core.periods.shown, the rule Báo cáo shares)
        self.kind = self.preset_box.currentData()
        self.month_edit = widgets.TypedDate(self.opening(self.kind).end, month=True, what="Tháng")
        self.unit_box = widgets.combo(widgets.units(self.db), blank="Toàn bộ đơn vị")
        # a province's long unit names ("Chi nhánh Trung tâm Phục vụ hành chính công tỉnh tại
        # …") would size the box, and with the set switch the row would outgrow a 1366 px
        # screen: the box shows ~27 characters, its list the whole names (24 cut a commune
        # under its province, indent and code: "UBND xã Yên Phúc (000.43.00.H3")
        self.unit_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.unit_box.setMinimumContentsLength(27)
        self.unit_box.view().setMinimumWidth(self.unit_box.view().sizeHintForColumn(0) + 24)
        self.period_label = shown.plain(QLabel(COMPUTING))  # until the first figures (a worker)
        self.period_label.setWordWrap(True)  # the provisional note must not widen the window
        self.period_label.setMinimumWidth(260)  # two or three lines, not a column of words
        for label, widget in (("Kỳ", self.preset_box), ("tháng", self.month_edit),
                              ("Phạm vi", self.unit_box)):
            row.addWidget(QLabel(label))
            row.addWidget(widget)
        row.addWidget(self.period_label, 1)
        # which set the cards and the unit table show (spec 5.1: both, each named)
        self.set_buttons = QButtonGroup(self)
        for index, name in enumerate((i766.FIRST_SET_NAME, i766.SET_NAME)):
            button = QPushButton(name)
            button.setCheckable(True)
            button.setChecked(index == 0)
            self.set_buttons.addButton(button, index)
            row.addWidget(button)
        self.set_buttons.idClicked.connect(self.show_set)
        self.preset_box.currentIndexChanged.connect(self._kind_chosen)
        self.month_edit.valueChanged.connect(self.refresh)  # a month typed, never one on the way
        self.month_edit.finished.connect(self._month_typed)
        self.unit_box.currentIndexChanged.connect(self.refresh)
        return row

    def _footer(self) -> QHBoxLayout:
        """Below the scrolled page, always in view (the top row is full at 1366 px): the export
        of the late lists that sit at the page's foot."""
        row = QHBoxLayout()
        row.addStretch(1)
        self.export_button = list_export.button("Xuất Excel danh sách trễ hạn…")
        self.export_button.setToolTip("Ghi danh sách hồ sơ đang quá hạn hoặc đến hạn trong 2 ngày "
                                      "làm việc (mọi cột của sổ hồ sơ) ra tệp Excel.")
        self.export_button.clicked.connect(self.export_late)
        row.addWidget(self.export_button)
        return row

    def _cards(self) -> None:
        """Biểu 06's cards, page 0 of `sets`; the 766 page is page 1 once shown."""
        self.sets = QStackedWidget()
        self.cards: dict[str, IndicatorCard] = {}
        box = CardSet(f"{i766.FIRST_SET_NAME} (Biểu số 06/VPCP/KSTT)")
        row = QHBoxLayout(box)
        for key in INDICATORS:
            card = IndicatorCard(key)
            card.figure_clicked.connect(self.open_figure)
            row.addWidget(card)
            self.cards[key] = card
        self.sets.addWidget(box)
        self.body.addWidget(self.sets)

    def _page_766(self) -> Page766:
        """The 766 cards, chart and unit table, built and filled the first time they are shown."""
        if self.page_766 is None:
            page = self.page_766 = Page766(self.open_figure, self)
            self.sets.addWidget(page.cards_box)
            self.charts.insertWidget(self.charts.indexOf(self.chart_box) + 1, page.chart_box)
            self.unit_tables.addWidget(page.table)
            if self.found is not None:
                page.fill(self.found)
        return self.page_766

    def show_set(self, index: int) -> None:
        """0: Biểu 06, 1: Chỉ số 766 — the cards and the unit table of that set."""
        page_766 = self._page_766() if index == 1 else self.page_766
        for stack in (self.sets, self.unit_tables):
            stack.setCurrentIndex(index)
            for page in range(stack.count()):  # the stack as tall as the page shown, no more
                policy = QSizePolicy.Policy.Preferred if page == index else QSizePolicy.Policy.Ignored
                stack.widget(page).setSizePolicy(policy, policy)
            stack.updateGeometry()
        name = i766.FIRST_SET_NAME if index == 0 else i766.SET_NAME
        self.table_box.setTitle(f"Đơn vị — {name} (ô đỏ: chưa đạt chỉ tiêu)")
        # Biểu 06's chart under the 766 cards read as 766's (try25 F7): each page its own
        self.chart_box.setVisible(index == 0)
        if page_766 is not None:
            page_766.chart_box.setVisible(index == 1)

    def _late_lists(self) -> QGridLayout:
        """The two lists of late dossiers; their models come with the first figures (a model
        reads the calendar: not before the window has painted)."""
        grid = QGridLayout()
        self.late_models: dict[str, RegisterModel] = {}
        self.late_titles: dict[str, str] = {}
        self.late_views = {}
        for column, (tab, title) in enumerate((("overdue", "Hồ sơ đang quá hạn"),
                                               ("soon", "Hồ sơ đến hạn trong 2 ngày làm việc"))):
            box = QGroupBox(title)
            layout = QVBoxLayout(box)
            view = widgets.table_view()
            view.setMinimumHeight(200)
            layout.addWidget(view)
            self.late_titles[tab] = title
            grid.addWidget(box, 0, column)
            self.late_views[tab] = view
        return grid

    def _late_model(self, tab: str) -> RegisterModel:
        model = self.late_models.get(tab)
        if model is not None:
            return model
        model = self.late_models[tab] = RegisterModel(self.db, self)
        model.filter.tab = tab
        view = self.late_views[tab]
        view.setModel(model)
        for hidden in (1, 3, 4, 5, 8):
            view.hideColumn(hidden)
        for c, width in ((0, code_width(view)), (2, 130), (6, 125)):
            view.setColumnWidth(c, width)
        view.doubleClicked.connect(lambda index, m=model: self._open_dossier(m, index))
        view.empty_text = lambda: empty_lists.late(tab, bool(model.filter.units))  # good news
        return model

    def opening(self, kind: str) -> periods.Period:
        """The period of `kind` running today: Tổng quan watches it live (core.periods.shown)."""
        return periods.shown(kind, self.today or timefmt.now().date())

    def _kind_chosen(self) -> None:
        """A kind chosen: the period of it running today while the month is the one the screen
        opened on (16/12/2026, "Kỳ báo cáo tháng": 15/12/2026–14/01/2027, not the one before),
        else its period of the month chosen (core.periods.month_after_kind)."""
        old, self.kind = self.kind, self.preset_box.currentData()
        if self.month_edit.problem() is None:
            month = self.month_edit.value()
            month = periods.month_after_kind(periods.preset(old, month), self.kind, month,
                                             self.opening)
            self.month_edit.blockSignals(True)  # one refresh, of the period chosen
            self.month_edit.set_value(month)
            self.month_edit.blockSignals(False)
        self.refresh()

    # ----- data -----------------------------------------------------------------------------
    def period(self) -> periods.Period:
        """The period of the month typed (an InputError saying what is wrong with it)."""
        return periods.preset(self.preset_box.currentData(), self.month_edit.value())

    def _month_typed(self) -> None:
        problem = self.month_edit.problem()
        if problem:  # said where the period is named; the figures shown stay those named
            self.period_label.setText(problem)

    def unit(self) -> str | None:
        return self.unit_box.currentData()

    def refresh(self) -> None:
        """The figures of the period and scope chosen: computed here on a small file, in a
        worker on a big one while the screen says "đang tính…" (the window paints first)."""
        problem = self.month_edit.problem()
        if problem:  # a month typed that is not one: said, no figures of another month
            self.period_label.setText(problem)
            return
        period, unit = self.period(), self.unit()
        path = worker.background_path(self.db)
        if path is None:
            self._show(figures(self.db, period, unit, self.today))
            return
        self._asked = asked = (period, unit)
        self.period_label.setText(f"({period.label()}) — {COMPUTING}")
        self.loader = worker.run_quietly(
            path, lambda db, _progress: figures(db, period, unit, self.today),
            lambda found: self._arrived(asked, found),
            lambda exc: errors.show_error(self, exc, errors.failure_title("tính số liệu"))
            if shiboken6.isValid(self) else None)

    def _arrived(self, asked: tuple, found: dict) -> None:
        """Figures from the worker, shown unless the clerk asked for others meanwhile."""
        if shiboken6.isValid(self) and asked == self._asked:
            self._show(found)

    def _show(self, found: dict) -> None:
        self.found = found
        period = found["period"]
        self.result = found["result"]
        self.period_label.setText(f"({period.label()}){moment_note(self.result)}")
        total, targets = self.result["total"], self.result["targets"]
        denominator = self.result["policy"]["online_denominator"]
        sentences = found["sentences"]
        for key, card in self.cards.items():
            gap, projection = sentences.get(key, ("", ""))
            card.show_figures(total, targets[key], denominator, gap, projection)
        self.strip.setText(" · ".join(
            f"{label}: {link(path, figure_value(total, path))}"
            for label, path in STRIP))
        said = found.get("coverage", [])
        self.coverage.set_notes(coverage_summary(len(said)), said)
        self.chart.set_data(self.result["units"], targets)
        self._fill_units(self.result["units"], targets)
        if self.page_766 is not None:
            self.page_766.fill(found)
        self.show_set(self.set_buttons.checkedId())
        self._fill_late_lists()

    def _fill_units(self, units: list[dict], targets: dict) -> None:
        self.unit_rates.set_units(units, targets)
        unit_rates.fit_height(self.unit_table, len(units))

    def _fill_late_lists(self) -> None:
        from core.unit_scope import subtree_codes
        unit = self.unit()
        moment = None  # both lists at the first one's moment: one pass over the open dossiers
        for tab in self.late_views:
            model = self._late_model(tab)
            model.prepare(moment=moment)
            moment = model.moment
            model.filter.units = subtree_codes(self.db, unit) if unit else []
            model.reload()

    # ----- drilling down --------------------------------------------------------------------
    def open_figure(self, figure: str) -> None:
        period = self.period()
        # the list is evaluated at the moment of the figure shown, even if the clock moved on
        moment = timefmt.parse_db_time(self.result["as_of"]) if self.result else None
        behind.show_dossiers_behind(self, self.db, figure, period, self.unit(), moment)

    def export_late(self):
        """One of the late lists, with every column of the register (the boxes hide some), as a
        workbook; returns the worker, None when the clerk cancelled."""
        from core.workbook import lists
        titles = list(self.late_titles.values())
        picked = widgets.choose(self, "Xuất Excel", "Danh sách:", titles)
        if picked is None:
            return None
        tab = next(key for key, title in self.late_titles.items() if title == picked)
        model = self.late_models.get(tab)
        if model is None:  # a big file: its lists come with the first figures (a worker)
            widgets.inform(self, "Xuất Excel", "Danh sách còn đang tính, xin thử lại sau giây lát.")
            return None
        return list_export.export(self, self.db, lists.REGISTER, model.all_ids(),
                                  lists.scope(self.db, self.unit()), moment=model.moment,
                                  title=picked.upper())

    def _open_dossier(self, model, index) -> None:
        from gui.dossiers.detail import open_dossier
        open_dossier(self, self.db, model.id_at(index.row()))
