"""Combos over the catalogue: (value, label) choices, a tree of units indented, typing a name
finds it, a long entry cut in its middle."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter

from core import limits, vnsort
from core.labels import unit_text
from core.moment import valid_in_period
from core.textnorm import fold

COMBO_MAX_WIDTH = 480


class MiddleElidedCombo(QComboBox):
    """A combo whose closed box cuts a long entry in its middle, not at its end: a unit reads
    "Chi nhánh Trung tâm … Văn Quan (000.01.90.H37)", its code in sight (the end was cut:
    "…tại Văn Quan (0"). The list's indentation of a unit under its parent is not drawn here."""

    def paintEvent(self, event) -> None:
        painter = QStylePainter(self)
        option = self._option()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text(self._field_width(option))
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def shown_text(self, width: int | None = None) -> str:
        if width is None:
            width = self._field_width(self._option())
        return self.fontMetrics().elidedText(self.currentText().strip(),
                                             Qt.TextElideMode.ElideMiddle, max(0, width - 4))

    def _option(self) -> QStyleOptionComboBox:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return option

    def _field_width(self, option: QStyleOptionComboBox) -> int:
        return self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField, self).width()


def combo(items, *, blank: str | None = None, parent=None,
          elide_middle: bool = False) -> QComboBox:
    """A combo of (value, label) pairs; `blank` adds a first "any" entry whose value is None."""
    box = MiddleElidedCombo(parent) if elide_middle else QComboBox(parent)
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


def units(db, on: dt.date | None = None, to: dt.date | None = None) -> list[Choice]:
    """Every unit as a picker shows it: the tree's order (a province, then its units indented),
    siblings in Vietnamese alphabetical order (core.vnsort); with `on`, only those in existence
    that day (a commune dissolved by a merger no longer receives nor resolves dossiers), or on
    some day from `on` to `to` (a period's picker: the reconciliation's)."""
    alive = None if on is None else {
        code for code, since, until in db.execute("SELECT code, valid_from, valid_to FROM units")
        if valid_in_period(since, until, on, to or on)}
    return [Choice(code, unit_text(name, code), depth)
            for code, name, depth in vnsort.unit_tree(db) if alive is None or code in alive]


def procedures(db) -> list[tuple[str, str]]:
    return [(r[0], f"{r[0]} — {limits.clip(r[1], 'name')}") for r in
            db.execute("SELECT code, name FROM procedures ORDER BY code")]
