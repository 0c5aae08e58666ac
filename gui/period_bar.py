"""A row choosing a period (from, to) and a unit scope, shared by the list and report screens."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from core import periods, timefmt
from core.errors import InputError
from gui import shown, widgets
from gui.date_fields import TypedDate


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    month = periods.preset("month", day)
    return month.start, month.end


def date_edit(day: dt.date, what: str | None = None) -> TypedDate:
    return widgets.date_field(day, what=what)


class PeriodBar(QWidget):
    """From/to dates (default: this month) and a unit (with its sub-units); emits `changed`."""

    changed = Signal()

    def __init__(self, db, parent=None, *, today: dt.date | None = None, with_unit=True):
        super().__init__(parent)
        self.db = db
        first, last = month_bounds(today or timefmt.now().date())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.layout_ = QHBoxLayout()
        outer.addLayout(self.layout_)
        self.from_edit, self.to_edit = date_edit(first, "Từ ngày"), date_edit(last, "Đến ngày")
        self.layout_.addWidget(QLabel("Từ ngày"))
        self.layout_.addWidget(self.from_edit)
        self.layout_.addWidget(QLabel("đến"))
        self.layout_.addWidget(self.to_edit)
        # what is wrong with the days, under them, while it is wrong (checked_period): on its
        # own line and wrapped, never wider — "Đến ngày: ngày 31 không có trong tháng 2/2026
        # (tháng 2/2026 chỉ có 28 ngày)." beside the days made the Đánh giá screen 1831 px wide
        self.problem = shown.plain(QLabel())  # it quotes what was typed, shown as typed
        self.problem.setStyleSheet(widgets.ERROR_STYLE)  # the forms' field-error red
        self.problem.setWordWrap(True)
        self.problem.hide()
        outer.addWidget(self.problem)
        self.unit_box = None
        if with_unit:
            self.unit_box = widgets.combo(widgets.units(db), blank="Tất cả đơn vị")
            self.layout_.addWidget(QLabel("Đơn vị"))
            self.layout_.addWidget(self.unit_box)
            self.unit_box.currentIndexChanged.connect(self.changed)
        for edit in (self.from_edit, self.to_edit):
            edit.valueChanged.connect(self.changed)  # a day typed, never one on the way
            edit.finished.connect(self._typed)

    def set_period(self, first: dt.date, last: dt.date) -> None:
        for edit, day in ((self.from_edit, first), (self.to_edit, last)):
            edit.blockSignals(True)
            edit.set_value(day)
            edit.blockSignals(False)
        self.changed.emit()

    def period(self) -> tuple[dt.date, dt.date]:
        """The days typed; an InputError saying what is wrong with one (never another day)."""
        return self.from_edit.value(), self.to_edit.value()

    def _typed(self) -> None:
        """A day that is not one is said beside the days when the clerk leaves it."""
        if self.from_edit.problem() or self.to_edit.problem():
            self.checked_period()

    def checked_period(self) -> tuple[dt.date, dt.date] | None:
        """The period, or None after saying beside the days that it ends before it starts: a
        list of a reversed period would be empty with no word of why. The rule is core's
        (periods.order_problem), the one every screen and the command line apply."""
        try:
            first, last = self.period()
            problem = periods.order_problem(first, last)
        except InputError as exc:  # a day typed that is not one (core.typed_dates)
            problem = exc.message
        self.problem.setText(problem or "")
        self.problem.setVisible(problem is not None)
        for edit in (self.from_edit, self.to_edit):
            edit.setToolTip(shown.tip(problem or ""))
        return None if problem else (self.from_edit.value(), self.to_edit.value())

    def unit(self) -> str | None:
        return self.unit_box.currentData() if self.unit_box is not None else None

    def reload_units(self) -> None:
        if self.unit_box is None:
            return
        current = self.unit_box.currentData()
        self.unit_box.blockSignals(True)
        while self.unit_box.count() > 1:
            self.unit_box.removeItem(1)
        widgets.add_choices(self.unit_box, widgets.units(self.db))
        widgets.select_value(self.unit_box, current)
        self.unit_box.blockSignals(False)
