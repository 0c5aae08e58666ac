"""Small shared widgets: optional dates, combos over the catalogue, forms with errors per field."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QElapsedTimer, QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from core import limits, vnsort
from core.labels import unit_text
from core.moment import valid_in_period
from core.textnorm import fold
from gui.date_fields import (  # noqa: F401  (widgets is the one import of the screens)
    TypedDate,
    date_field,
    datetime_edit,
    from_edit,
    optional_date,
    time_field,
)
from gui.empty_list import ListView
from gui.screen_fit import (  # noqa: F401
    FRAME_ALLOWANCE,
    LONG_UNIT_CODE,
    fit_column,
    fit_to_screen,
    keep_on_screen,
    text_width,
)

ERROR_STYLE = "color: #b3261e;"
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


def units(db, on: dt.date | None = None) -> list[Choice]:
    """Every unit as a picker shows it: the tree's order (a province, then its units indented),
    siblings in Vietnamese alphabetical order (core.vnsort); with `on`, only those in existence
    that day (a commune dissolved by a merger no longer receives nor resolves dossiers)."""
    alive = None if on is None else {
        code for code, since, until in db.execute("SELECT code, valid_from, valid_to FROM units")
        if valid_in_period(since, until, on, on)}
    return [Choice(code, unit_text(name, code), depth)
            for code, name, depth in vnsort.unit_tree(db) if alive is None or code in alive]


def procedures(db) -> list[tuple[str, str]]:
    return [(r[0], f"{r[0]} — {limits.clip(r[1], 'name')}") for r in
            db.execute("SELECT code, name FROM procedures ORDER BY code")]


def rows_to_choose(view: QTableView) -> None:
    """A read-only list whose rows are chosen one at a time, whole: Tab leaves it (rows are
    chosen with the arrows or a click, never by the focus walking the cells)."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()


class ChoiceTable(QTableWidget):
    """A short read-only list (rows_to_choose) whose row only an arrow key or a click chooses:
    the row an action applies to is never guessed from where the focus happened to land."""

    def __init__(self, rows: int, columns: int, parent=None):
        super().__init__(rows, columns, parent)
        rows_to_choose(self)

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().focusInEvent(event)
        # Qt makes the first row current when the focus comes by Tab: Space then selected it
        # (in the vote chooser, the citizen's own vote, usually). With no row chosen, nothing
        # is current either.
        if not self.selectionModel().hasSelection():
            self.selectionModel().setCurrentIndex(
                QModelIndex(), self.selectionModel().SelectionFlag.NoUpdate)


def table_view(parent=None) -> ListView:
    """A list as clerks expect it: whole rows selected, no grid clutter, fixed row height; a
    sentence in it when empty, once the screen gives one (gui.empty_list)."""
    view = ListView(parent)
    rows_to_choose(view)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
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
        error.setTextFormat(Qt.TextFormat.PlainText)  # it may quote what was typed
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        layout.addWidget(error)
        self.form.addRow(label, box)
        self.errors[name] = error
        self.fields[name] = widget
        if isinstance(widget, TypedDate):  # its wrong text is this field's error, in its words
            widget.field, widget.what = name, label.removesuffix(" (*)").strip()
        limit = limits.text_limit(name)
        if limit:
            limit_length(widget, limit)
        return widget

    def add_wide(self, name: str, label: str, widget: QWidget) -> QWidget:
        """A field across the whole form (a table), its label above it."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(QLabel(label))
        self.form.addRow(box)
        self.add_to(name, box, widget)
        return widget

    def add_to(self, name: str, box: QWidget, widget: QWidget) -> None:
        """Put `widget` and its message line at the end of `box`'s layout, known as `name`."""
        error = QLabel()
        error.setTextFormat(Qt.TextFormat.PlainText)  # it may quote what was typed
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        box.layout().addWidget(widget)
        box.layout().addWidget(error)
        self.errors[name] = error
        self.fields[name] = widget

    def clear_errors(self) -> None:
        for name in self.errors:
            self.clear_error(name)

    def clear_error(self, name: str) -> None:
        label = self.errors.get(name)
        if label is not None:
            label.hide()
            label.clear()
            label.setMinimumHeight(0)

    def show_error(self, name: str, message: str) -> bool:
        """Show `message` under field `name`; False when the form has no such field."""
        label = self.errors.get(name)
        if label is None:
            return False
        label.setText(message)
        label.show()
        self.fields[name].setFocus()
        _room_for_wrapped_lines(label, self.fields[name].width())
        return True


def _room_for_wrapped_lines(label: QLabel, width: int) -> None:
    """Give the message `label` the height of its wrapped lines at `width` (its field's). A
    window's least height follows its layout's minimumSize(), which counts a word-wrapped
    message as one line: under 'Thời điểm' of a 480-px action dialog, 'Thời điểm thao tác … ở
    tương lai (bây giờ là …). Hãy kiểm tra lại …' (three lines) was squeezed into one and
    unreadable. With its least height set, the layout grows the dialog when it is shown again."""
    label.setMinimumHeight(label.heightForWidth(max(width, 100)))


# Qt ships no Vietnamese translation (PySide6 has no qtbase_vi.qm): every standard button would
# read "OK", "Cancel", "Yes", "No". All message boxes, button boxes and input dialogs of the
# program take their button texts from here.
YES, NO, OK, CANCEL, CLOSE = "Có", "Không", "Đồng ý", "Huỷ", "Đóng"
BUTTON_TEXT = {
    QDialogButtonBox.StandardButton.Ok: OK, QDialogButtonBox.StandardButton.Cancel: CANCEL,
    QDialogButtonBox.StandardButton.Yes: YES, QDialogButtonBox.StandardButton.No: NO,
    QDialogButtonBox.StandardButton.Close: CLOSE, QDialogButtonBox.StandardButton.Save: "Lưu",
    QDialogButtonBox.StandardButton.Open: "Mở", QDialogButtonBox.StandardButton.Apply: "Áp dụng",
}


def vietnamese_buttons(box: QDialogButtonBox) -> QDialogButtonBox:
    """Give a button box's standard buttons their Vietnamese words."""
    for button in box.buttons():
        text = BUTTON_TEXT.get(box.standardButton(button))
        if text:
            button.setText(text)
    return box


def button_box(*standard: QDialogButtonBox.StandardButton) -> QDialogButtonBox:
    """A QDialogButtonBox of standard buttons (roles, Esc and Enter as Qt does) in Vietnamese."""
    flags = QDialogButtonBox.StandardButton.NoButton
    for one in standard:
        flags |= one
    return vietnamese_buttons(QDialogButtonBox(flags))


def fields_before_buttons(dialog: QDialog, buttons: QDialogButtonBox) -> None:
    """Put `buttons` at the end of `dialog`'s focus chain, after every field, and open the
    dialog on its first field unless a field already has the focus. Qt chains widgets in the
    order they join the window: a dialog whose fields are added after its buttons otherwise
    opens on "Đồng ý", and what the clerk types goes nowhere while Enter saves the fields as
    they were filled in."""
    inside = [b for b in buttons.buttons() if b.focusPolicy() & Qt.FocusPolicy.TabFocus]
    fields: list[QWidget] = []
    widget = dialog.nextInFocusChain()
    while widget is not None and widget is not dialog:
        if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget not in inside
                and not buttons.isAncestorOf(widget) and not widget.isHidden()):
            fields.append(widget)
        widget = widget.nextInFocusChain()
    if not fields:
        return
    previous = fields[-1]
    for button in inside:
        QWidget.setTabOrder(previous, button)
        previous = button
    focused = dialog.focusWidget()
    if focused is None or focused in inside:
        fields[0].setFocus(Qt.FocusReason.TabFocusReason)


class TextBox(QPlainTextEdit):
    """A text of several lines in a form (a reason, a comment): Tab goes on to the next field
    (a plain QPlainTextEdit types a tab character, and the clerk could not leave it by
    keyboard), Enter starts a new line, Ctrl+Enter presses the dialog's default button."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            window = self.window()
            default = next((b for b in window.findChildren(QPushButton)
                            if b.isDefault() and b.isVisible() and b.isEnabled()), None)
            if isinstance(window, QDialog) and default is not None:
                default.click()
                return
        super().keyPressEvent(event)


def exec_once(dialog: QDialog) -> int:
    """Run a modal dialog, then free it. A dialog closed but left as a hidden child of its
    window stays in memory until that window closes: a preview kept its pages as pixmaps
    (3.7 MB a page: every receipt printed from the register, 33 MB a nine-page document) for
    the whole session when its owner was a screen of the main window. The deletion waits for
    the event loop, so the caller may still read the dialog's answer after this returns."""
    try:
        return dialog.exec()
    finally:
        dialog.deleteLater()


def run_message(kind: str, box: QMessageBox):
    """The one place a message box runs (tests answer it here): the button clicked, or None."""
    exec_once(box)
    return box.clickedButton()


def _message(parent, icon, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, parent=parent)
    # plain: a citizen's name or a package's text in it shows as typed, tags and all (gui.shown)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if text.count("\n") > LONG_MESSAGE_LINES:
        _scroll_text(box)
    return box


LONG_MESSAGE_LINES = 20


def _scroll_text(box: QMessageBox) -> None:
    """A long list (40 changed days, 30 bad rows) scrolls inside the box: as a plain label it
    made the box 1,222 px tall, its buttons under the taskbar of a 768-px screen."""
    label = box.findChild(QLabel, "qt_msgbox_label")
    grid = box.layout()
    if label is None or not isinstance(grid, QGridLayout):
        return
    row, column, rows, columns = grid.getItemPosition(grid.indexOf(label))
    grid.removeWidget(label)
    scroll = QScrollArea()
    scroll.setWidget(label)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    screen = (parent_screen(box) or QGuiApplication.primaryScreen()).availableGeometry()
    scroll.setFixedHeight(min(label.sizeHint().height(), screen.height() // 2))
    scroll.setMinimumWidth(min(label.sizeHint().width() + 24, screen.width() // 2))
    grid.addWidget(scroll, row, column, rows, columns)


def parent_screen(widget: QWidget):
    parent = widget.parentWidget()
    return parent.screen() if parent is not None else widget.screen()


def inform(parent, title: str, text: str, *, kind: str = "information") -> None:
    """A message with one "Đóng" button (QMessageBox.information would say "OK")."""
    icon = {"information": QMessageBox.Icon.Information, "warning": QMessageBox.Icon.Warning,
            "critical": QMessageBox.Icon.Critical}[kind]
    box = _message(parent, icon, title, text)
    close = box.addButton(CLOSE, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(close)
    box.setEscapeButton(close)
    run_message(kind, box)


def warn(parent, title: str, text: str) -> None:
    inform(parent, title, text, kind="warning")


def confirm(parent, title: str, text: str, *, yes: str = YES, no: str = NO) -> bool:
    """Ask a yes/no question with Vietnamese buttons ("Không" is the default, Esc answers it).

    QMessageBox.question's standard buttons read "Yes"/"No" (Qt ships no Vietnamese strings).
    """
    box = _message(parent, QMessageBox.Icon.Question, title, text)
    accept = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
    refuse = box.addButton(no, QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(refuse)
    box.setEscapeButton(refuse)
    return run_message("question", box) is accept


def ask_three(parent, title: str, text: str, yes: str, other: str, no: str) -> str | None:
    """A question with two ways forward and a way back: "yes" (the default), "other" (the
    answer "no" to the question asked), or None (`no`: cancel, Esc)."""
    box = _message(parent, QMessageBox.Icon.Question, title, text)
    accept = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
    second = box.addButton(other, QMessageBox.ButtonRole.NoRole)
    refuse = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(accept)
    box.setEscapeButton(refuse)
    clicked = run_message("question", box)
    return "yes" if clicked is accept else "other" if clicked is second else None


def run_input(dialog: QInputDialog) -> bool:
    """The one place an input dialog runs (tests answer it here)."""
    return exec_once(dialog) == QDialog.DialogCode.Accepted


def _input(parent, title: str, label: str) -> QInputDialog:
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    for text in dialog.findChildren(QLabel):  # a name asked about shows as typed
        text.setTextFormat(Qt.TextFormat.PlainText)
    dialog.setOkButtonText(OK)
    dialog.setCancelButtonText(CANCEL)
    return dialog


def choose(parent, title: str, label: str, items: list[str], current: int = 0) -> str | None:
    """One of `items` picked from a list (QInputDialog.getItem with "Đồng ý"/"Huỷ"), or None."""
    dialog = _input(parent, title, label)
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(False)
    box = dialog.findChild(QComboBox)
    if box is not None and any(item.startswith(INDENT) for item in items):
        TypeAhead(box)  # a tree of units: typing a name finds it, the indent aside
    if items:
        dialog.setTextValue(items[current])
    return dialog.textValue() if run_input(dialog) else None


def ask_text(parent, title: str, label: str, text: str = "") -> str | None:
    """A line of text typed by the clerk (QInputDialog.getText in Vietnamese), or None;
    `text`: what the line holds at first (a name to change)."""
    dialog = _input(parent, title, label)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextValue(text)
    return dialog.textValue() if run_input(dialog) else None
