"""Small shared widgets: optional dates, combos over the catalogue, forms with errors per field."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QElapsedTimer, QEvent, QObject, Qt, QTime
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDateTimeEdit, QFormLayout, QLabel,
                               QLineEdit, QMessageBox, QPlainTextEdit, QTableView,
                               QAbstractItemView, QVBoxLayout, QWidget)

from core import limits, vnsort
from core.textnorm import fold

NO_DATE = QDate(2000, 1, 1)
ERROR_STYLE = "color: #b3261e;"


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

    def set_value(self, day: dt.date | None) -> None:
        self.setDate(QDate(day) if day else NO_DATE)


def datetime_edit(moment: dt.datetime | None = None, parent=None) -> QDateTimeEdit:
    edit = QDateTimeEdit(parent)
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


COMBO_MAX_WIDTH = 480


def combo(items, *, blank: str | None = None, parent=None) -> QComboBox:
    """A combo of (value, label) pairs; `blank` adds a first "any" entry whose value is None."""
    box = QComboBox(parent)
    # a long unit or procedure name (up to core.limits' 500 characters) is elided in the box
    # instead of widening the window past the screen
    box.setMaximumWidth(COMBO_MAX_WIDTH)
    if blank is not None:
        box.addItem(blank, None)
    add_choices(box, items)
    return box


class Choice(tuple):
    """A (value, label) pair that also knows how deep it sits in a tree (a unit under its
    province): `add_choices` indents its label."""

    def __new__(cls, value, label: str, depth: int = 0):
        choice = super().__new__(cls, (value, label))
        choice.depth = depth
        return choice


# Two em spaces per level. (An item delegate would draw the indent without touching the text,
# but PySide 6.12 on Python 3.11 loses a reference to None on every Python paint() of a
# delegate and aborts after a few thousand rows drawn.)
INDENT = "\u2003\u2003"
TYPE_AHEAD_MS = 1000


class TypeAhead(QObject):
    """Typing the start of a name selects it in a combo, the indent and diacritics aside
    ("ubnd xa dong" finds "  UBND xã Đồng Giáp"): Qt's own search compares the shown text
    from its first character, indent included."""

    def __init__(self, box: QComboBox):
        super().__init__(box)
        self.box, self.typed, self.clock = box, "", QElapsedTimer()
        box.installEventFilter(self)
        box.view().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if event.type() != QEvent.Type.KeyPress:
            return False
        text = event.text()
        if (not text or not text.isprintable() or event.modifiers()
                & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)):
            return False
        if not self.clock.isValid() or self.clock.elapsed() > TYPE_AHEAD_MS:
            self.typed = ""
        if not self.typed and text == " ":
            return False  # Space opens the list, as in any combo
        self.clock.restart()
        self.typed += text
        wanted = fold(self.typed)
        for row in range(self.box.count()):
            if fold(self.box.itemText(row)).startswith(wanted):
                self.box.setCurrentIndex(row)
                self.box.view().setCurrentIndex(self.box.model().index(row, 0))
                break
        return True


def add_choices(box: QComboBox, items) -> None:
    """Append (value, label) pairs; the `Choice`s of a tree show indented by their depth."""
    for item in items:
        value, label = item
        depth = getattr(item, "depth", 0)
        box.addItem(INDENT * depth + label, value)
        if depth and box.findChild(TypeAhead) is None:
            TypeAhead(box)


def select_value(box: QComboBox, value) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)


def units(db) -> list[Choice]:
    """Every unit as a picker shows it: the tree's order (a province, then its units indented),
    siblings in Vietnamese alphabetical order (core.vnsort)."""
    # clip: a name stored by an older version may be far longer than the limit
    return [Choice(code, f"{limits.clip(name, 'name')} ({code})", depth)
            for code, name, depth in vnsort.unit_tree(db)]


def procedures(db) -> list[tuple[str, str]]:
    return [(r[0], f"{r[0]} — {limits.clip(r[1], 'name')}") for r in
            db.execute("SELECT code, name FROM procedures ORDER BY code")]


def table_view(parent=None) -> QTableView:
    """A list as clerks expect it: whole rows selected, no grid clutter, fixed row height."""
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def limit_length(widget: QWidget, limit: int) -> None:
    """Typing or pasting stops at `limit` characters (core.limits), as the core would refuse."""
    if isinstance(widget, QLineEdit):
        widget.setMaxLength(limit)
    elif isinstance(widget, QPlainTextEdit):
        def cut() -> None:
            text = widget.toPlainText()
            if len(text) > limit:
                widget.setPlainText(text[:limit])
                widget.moveCursor(widget.textCursor().MoveOperation.End)
        widget.textChanged.connect(cut)


class ErrorForm(QWidget):
    """A QFormLayout where each field has a red message line under it (core FieldError.field).

    A text field named in core.limits.TEXT takes at most that many characters.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.errors: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}

    def add(self, name: str, label: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(widget)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        layout.addWidget(error)
        self.form.addRow(label, box)
        self.errors[name] = error
        self.fields[name] = widget
        limit = limits.text_limit(name)
        if limit:
            limit_length(widget, limit)
        return widget

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()
            label.clear()

    def show_error(self, name: str, message: str) -> bool:
        """Show `message` under field `name`; False when the form has no such field."""
        label = self.errors.get(name)
        if label is None:
            return False
        label.setText(message)
        label.show()
        self.fields[name].setFocus()
        return True


def confirm(parent, title: str, text: str, *, yes: str, no: str = "Không") -> bool:
    """Ask a yes/no question with Vietnamese buttons ("Không" is the default, Esc answers it).

    QMessageBox.question's standard buttons read "Yes"/"No" (Qt ships no Vietnamese strings).
    """
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    accept = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
    refuse = box.addButton(no, QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(refuse)
    box.setEscapeButton(refuse)
    box.exec()
    return box.clickedButton() is accept


def fit_to_screen(widget: QWidget, width: int, height: int, margin: int = 16) -> None:
    """Resize `widget` to width×height, or less where its screen is smaller: on a 1366×768 PC
    with a taskbar a 900 px dialog would hide its buttons under the taskbar."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    area = screen.availableGeometry() if screen is not None else None
    if area is not None:
        width = min(width, area.width() - margin)
        height = min(height, area.height() - margin)
    widget.resize(width, height)

