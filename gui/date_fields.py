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
