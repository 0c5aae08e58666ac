"""Date and time fields of forms: an optional date shown as "—", a date-time field that Tab
leaves for the next field (a clerk types the day; arrows change its sections)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QWidget

NO_DATE = QDate(2000, 1, 1)


class OptionalDate(QDateEdit):
    """A date that may be empty: its minimum shows as "—" (no limit)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText("—")
        self.setDate(NO_DATE)

    def value(self) -> dt.date | None:
        return None if self.date() == NO_DATE else self.date().toPython()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        # QDateTimeEdit also swallows Tab while it shows its special value ("—")
        if not leave_on_tab(self, event):
            super().keyPressEvent(event)

    def set_value(self, day: dt.date | None) -> None:
        self.setDate(QDate(day) if day else NO_DATE)


def leave_on_tab(edit: QDateTimeEdit, event) -> bool:
    """Tab leaves a date field for the next field (True when it did). QDateTimeEdit walks
    day, month, year, hour and minute first: in the register's filter row the keyboard never
    got out of "Nhận từ" (issue 14 §3), in a form Tab took five presses per date. The arrows
    and typing still move between the sections."""
    if event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) or (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier):
        return False
    forward = event.key() == Qt.Key.Key_Tab and not (
        event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
    event.accept()
    QWidget.focusNextPrevChild(edit, forward)
    return True


class DateTimeField(QDateTimeEdit):
    """A date and time of a form: Tab goes to the next field (`leave_on_tab`)."""

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if not leave_on_tab(self, event):
            super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802
        # QWidget.event() asks this before keyPressEvent(); QDateTimeEdit answers by moving
        # to its next section
        return QWidget.focusNextPrevChild(self, forward)


def datetime_edit(moment: dt.datetime | None = None, parent=None) -> QDateTimeEdit:
    edit = DateTimeField(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("HH:mm dd/MM/yyyy")
    if moment:
        edit.setDateTime(to_qdatetime(moment))
    return edit


def to_qdatetime(moment: dt.datetime) -> QDateTime:
    return QDateTime(QDate(moment.year, moment.month, moment.day),
                     QTime(moment.hour, moment.minute, moment.second))


def from_edit(edit: QDateTimeEdit) -> dt.datetime:
    return edit.dateTime().toPython().replace(microsecond=0)


class TypedDate(QWidget):
    """A day typed as the clerk sees it (dd/mm/yyyy) with a calendar beside it, read through a
    rule of core (`parse(text) -> date`, raising InputError). A QDateEdit turns 31/02 into
    another day, keeps its old day while "26" is typed for the year, or rolls a day over when
    the month changes under it, so the day used could differ from the day confirmed; here the
    text is what is used, or the rule's message says what is wrong (`problem`, `value`)."""

    def __init__(self, parse, day: dt.date | None = None, parent=None):
        from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton
        super().__init__(parent)
        self.parse = parse
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("ngày/tháng/năm")
        self.edit.setMaxLength(10)
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("00/00/00000") + 16)
        self.calendar = QToolButton()
        self.calendar.setText("Lịch…")
        self.calendar.setToolTip("Chọn ngày trên lịch")
        self.calendar.clicked.connect(self._pick)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(self.calendar)
        row.addStretch(1)
        self.setFocusProxy(self.edit)
        if day is not None:
            self.set_value(day)

    def set_value(self, day: dt.date) -> None:
        self.edit.setText(f"{day:%d/%m/%Y}")

    def text(self) -> str:
        return self.edit.text()

    def value(self) -> dt.date:
        """The typed day by the rule; InputError (its message) when it is not one."""
        return self.parse(self.edit.text())

    def problem(self) -> str | None:
        from core.errors import InputError
        try:
            self.value()
        except InputError as exc:
            return exc.message
        return None

    def _pick(self) -> None:
        from PySide6.QtWidgets import QCalendarWidget, QDialog, QVBoxLayout
        popup = QDialog(self)
        popup.setWindowTitle("Chọn ngày")
        layout = QVBoxLayout(popup)
        calendar = QCalendarWidget()
        calendar.setGridVisible(True)
        layout.addWidget(calendar)
        try:
            shown = self.value()
        except Exception:  # noqa: BLE001 - nothing valid typed yet: the calendar opens on today
            shown = None
        if shown is not None:
            calendar.setSelectedDate(QDate(shown))
        calendar.activated.connect(popup.accept)
        calendar.clicked.connect(popup.accept)
        popup.accepted.connect(lambda: self._picked(calendar.selectedDate().toPython()))
        self.popup = popup
        popup.open()

    def _picked(self, day: dt.date) -> None:
        self.set_value(day)
        self.edit.setFocus()
        self.edit.textEdited.emit(self.edit.text())  # the dialog's line follows the calendar too
