"""Date and time fields of forms, filters and periods: one field (`TypedDate`), the text typed
read by the one rule of typed dates (core.typed_dates) — never another day or time than the one
typed. It replaces QDateEdit/QDateTimeEdit everywhere, and QTimeEdit for a time of day
(`time_field`; see TypedDate for what they did)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QWidget

from core import timefmt, typed_dates
from core.errors import FieldError, InputError
from gui.shown import tip


def optional_date(day: dt.date | None = None, parent=None, what: str | None = None) -> TypedDate:
    """A day that may be empty (shown "—": no limit), e.g. a filter's "Nhận từ"."""
    return TypedDate(day, parent, optional=True, what=what)


def date_field(day: dt.date | None = None, parent=None, what: str | None = None) -> TypedDate:
    """A day of a form or a period (`dd/mm/yyyy`); `what` begins its messages."""
    return TypedDate(day, parent, what=what)


def datetime_edit(moment: dt.datetime | None = None, parent=None) -> TypedDate:
    """A moment of a form (`HH:MM dd/mm/yyyy`), e.g. the reception time of a dossier."""
    return TypedDate(moment, parent, moment=True)


def time_field(value: dt.time | None = None, parent=None, what: str | None = None, *,
               empty: str | None = None) -> TypedDate:
    """A time of day (`HH:MM`, also typed 7:30, 7h30), e.g. an office-hours session's start.
    `empty`: the field may be left empty (its value None), meaning what these words say in
    its tooltip: a procedure's same-day cut-off, empty for the common one (core.due)."""
    return TypedDate(value, parent, clock=True, what=what, optional=empty is not None, empty=empty)


def from_edit(edit: TypedDate) -> dt.datetime:
    """The moment typed in `edit` (its FieldError when it is not one)."""
    return edit.value()


class TypedDate(QWidget):
    """A day (`dd/mm/yyyy`), a moment (`moment=True`: `HH:MM dd/mm/yyyy`), a month
    (`month=True`: `mm/yyyy`) or a time of day (`clock=True`: `HH:MM`, no calendar; ↑/↓ move
    it by 5 minutes) typed as the clerk sees it, with a calendar (the arrow at the
    field's end, or Alt+↓ / F4), read by the one rule of typed
    dates (core.typed_dates) or by `parse(text)` (raising InputError). A QDateEdit or
    QDateTimeEdit turned 31/02 into another day, 15/13 into January, "26" into a kept year,
    ignored 24:30 or a whole new time typed over the old one, and the form saved that other
    moment without a word (a QTimeEdit turned 17:00 typed over 11:30 into 11:00, 12:75 into
    11:07, and refused 7h30); here the text is what is used, or the rule's message says what is
    wrong (`problem`; `value` raises it, as a FieldError of the form's field when the field
    was added to an ErrorForm, so the form shows it under the field and saves nothing).

    `optional`: an empty field (shown "—") is no date (`value()` is None). Tab and Shift+Tab
    leave the field; ↑/↓ move the day by one (a moment keeps its time). `valueChanged` is
    emitted when the text reads as another value (not while it is wrong), `edited` at each
    change of the text, `finished` when the clerk leaves the field (the moment for a filter
    to say what is wrong: not at each key); a wrong text is framed red with its message as
    the tooltip."""

    valueChanged = Signal()  # noqa: N815 - Qt's naming
    edited = Signal()
    finished = Signal()  # the clerk left the field (Tab, Enter, a click elsewhere)

    def __init__(self, value: dt.date | dt.datetime | dt.time | None = None, parent=None, *,
                 moment: bool = False, month: bool = False, clock: bool = False,
                 optional: bool = False, what: str | None = None, parse=None,
                 empty: str | None = None):
        from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QStyle
        super().__init__(parent)
        self.moment, self.month, self.optional, self.parse = moment, month, optional, parse
        self.clock = clock
        self.empty = empty or "để trống là không giới hạn"  # an optional field's empty, in words
        self.what = what or ("Thời điểm" if moment else "Tháng" if month else
                             "Giờ" if clock else "Ngày")
        self.field: str | None = None  # the ErrorForm's name of the field (ErrorForm.add)
        self._shown: tuple[str, object] | None = None  # text set by the program, its value
        self._last: object = None  # the value last read (for valueChanged)
        self._wrong = False  # the text did not read as a value
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("—" if optional else (
            "giờ:phút ngày/tháng/năm" if moment else "tháng/năm" if month else
            "giờ:phút" if clock else "ngày/tháng/năm"))
        self.edit.setToolTip(self._help())
        self.edit.setMaxLength(20)
        # the calendar is a button inside the field, at its end (the arrow a QDateEdit had):
        # a "Lịch…" button beside each of a period's two days widened the Đánh giá screen
        # past a 1366-px window; Tab never stops on it
        self.calendar = self.edit.addAction(
            self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown),
            QLineEdit.ActionPosition.TrailingPosition)
        self.calendar.setToolTip("Chọn ngày trên lịch (Alt+↓)")
        self.calendar.triggered.connect(self._pick)
        self.calendar.setVisible(not clock)  # a time of day has no calendar
        sample = ("00:00 00/00/0000" if moment else "00/0000" if month else "00:00" if clock
                  else "00/00/0000")
        self.edit.setFixedWidth(self.edit.fontMetrics().horizontalAdvance(sample) + 40)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.installEventFilter(self)
        self.edit.textChanged.connect(self._changed)
        if value is not None:
            self.set_value(value)

    # ----- the value ------------------------------------------------------------------------
    def set_value(self, value: dt.date | dt.datetime | dt.time | None) -> None:
        """Show `value` (None: empty, for an optional field)."""
        if self.month and value is not None:
            value = value.replace(day=1)
        text = self._text_of(value)
        self._shown = (text, value)
        self.edit.setText(text)

    def text(self) -> str:
        return self.edit.text()

    def read(self):
        """The value of the text by the rule; InputError naming what is wrong."""
        text = self.edit.text()
        if self.optional and not text.strip():
            return None
        if self.parse is not None:
            value = self.parse(text)
        elif self.moment:
            value = typed_dates.parse_moment(text, self.what)
        elif self.month:
            value = typed_dates.parse_month(text, self.what)
        elif self.clock:
            value = typed_dates.parse_clock(text, self.what)
        else:
            value = typed_dates.parse_day(text, self.what)
        shown = self._shown[1] if self._shown is not None else None
        if isinstance(value, dt.datetime) and isinstance(shown, dt.datetime) and \
                shown.replace(second=0, microsecond=0) == value:
            return shown  # the moment the program put there, left as shown: to its second
        return value

    def _text_of(self, value) -> str:
        if value is None:
            return ""
        if self.moment:
            return timefmt.vn_datetime(value)
        if self.clock:  # a time, or a text kept as stored (a procedure's cut-off "24:00")
            return value if isinstance(value, str) else f"{value:%H:%M}"
        return f"{value:%m/%Y}" if self.month else timefmt.vn_date(value)

    def value(self):
        """The typed value (a date, a datetime, or None for an empty optional field); a
        FieldError of the form's field (an InputError outside a form) when it is not one."""
        try:
            return self.read()
        except InputError as exc:
            if self.field:
                raise FieldError(self.field, exc.message) from None
            raise

    def problem(self) -> str | None:
        try:
            self.read()
        except InputError as exc:
            return exc.message
        return None

    def _changed(self, _text: str = "") -> None:
        problem = self.problem()
        self.edit.setStyleSheet("" if problem is None else "QLineEdit { border: 1px solid #c62828; }")
        self.edit.setToolTip(tip(problem or self._help()))  # it quotes what was typed
        if problem is None:
            value = self.read()
            if value != self._last or self._wrong:  # another value, or right again
                self._last = value
                self._wrong = False
                self.valueChanged.emit()
        self._wrong = problem is not None
        self.edited.emit()

    def _help(self) -> str:
        if self.clock:
            return ("Gõ " + typed_dates.CLOCK_FORMS + (f"; {self.empty}" if self.optional else "")
                    + ". ↑/↓: thêm/bớt 5 phút.")
        forms = (typed_dates.MOMENT_FORMS if self.moment else typed_dates.MONTH_FORMS
                 if self.month else typed_dates.DAY_FORMS)
        return ("Gõ " + forms + (f"; {self.empty}" if self.optional else "")
                + (". ↑/↓: tháng trước/sau" if self.month else ". ↑/↓: ngày trước/sau")
                + "; Alt+↓: lịch.")

    # ----- keys and the calendar ------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        from PySide6.QtCore import QEvent
        if watched is self.edit and event.type() == QEvent.Type.FocusOut:
            self.finished.emit()
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            key, mods = event.key(), event.modifiers()
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.finished.emit()  # also in a window that is not the active one
            if not self.clock and (key == Qt.Key.Key_F4 or (
                    key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier)):
                self._pick()
                return True
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not mods & (
                    Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier):
                self._step(1 if key == Qt.Key.Key_Up else -1)
                return True
        return super().eventFilter(watched, event)

    def _step(self, days: int) -> None:
        if self.problem() is not None:
            return  # a wrong text is not moved into another one: its message stays
        current = self.read()
        if current is None:
            return
        try:
            if self.clock:  # 5 minutes, within the day (23:55 stays, not 00:00 of no day)
                if isinstance(current, str):  # "HH:MM" as stored ("24:00" ↓ is 23:55)
                    hours, _, rest = current.partition(":")
                    current = dt.timedelta(hours=int(hours), minutes=int(rest or 0))
                    minutes = int(current.total_seconds()) // 60 + 5 * days
                else:
                    minutes = current.hour * 60 + current.minute + 5 * days
                if 0 <= minutes < 24 * 60:
                    self._set_typed(dt.time(minutes // 60, minutes % 60))
            elif self.month:
                index = current.year * 12 + current.month - 1 + days
                self._set_typed(dt.date(index // 12, index % 12 + 1, 1))
            else:
                self._set_typed(current + dt.timedelta(days=days))
        except (OverflowError, ValueError):
            return

    def _set_typed(self, value) -> None:
        """Put `value` in the field as if typed (the owner hears it, `edited` and all)."""
        text = self._text_of(value)
        if self._shown is not None and self._shown[1] is not None and self.moment:
            self._shown = (text, value)  # keep the seconds of a moment moved by ↑/↓
        self.edit.setText(text)
        self.edit.textEdited.emit(text)  # the export dialog's line follows the calendar too

    def _pick(self) -> None:
        from PySide6.QtWidgets import QCalendarWidget, QDialog, QVBoxLayout
        popup = QDialog(self)
        popup.setWindowTitle("Chọn ngày")
        layout = QVBoxLayout(popup)
        calendar = QCalendarWidget()
        calendar.setGridVisible(True)
        layout.addWidget(calendar)
        try:
            shown = self.read()
        except InputError:  # nothing valid typed yet: the calendar opens on today
            shown = None
        if shown is not None:
            calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        calendar.activated.connect(popup.accept)
        calendar.clicked.connect(popup.accept)
        popup.accepted.connect(lambda: self._picked(calendar.selectedDate().toPython(), shown))
        self.popup = popup
        popup.open()

    def _picked(self, day: dt.date, shown) -> None:
        if self.moment:
            at = shown.time() if isinstance(shown, dt.datetime) else dt.time(0, 0)
            self._set_typed(dt.datetime.combine(day, at))
        else:
            self._set_typed(day.replace(day=1) if self.month else day)
        self.edit.setFocus()
