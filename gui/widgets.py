"""The screens' one import for the shared widgets, and the one place a message box or an input
dialog runs (tests answer it here: run_message, run_input).

The widgets themselves live in modules of one purpose, re-exported here so a screen needs one
import: gui.combos (combos over the catalogue), gui.list_views (lists chosen by row), gui.forms
(fields and their error lines), gui.buttons (Vietnamese buttons), gui.date_fields, gui.screen_fit.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QWidget,
)

from gui.buttons import (  # noqa: F401  (widgets is the one import of the screens)
    BUTTON_TEXT,
    CANCEL,
    CLOSE,
    NO,
    OK,
    YES,
    button_box,
    fields_before_buttons,
    vietnamese_buttons,
)
from gui.combos import (  # noqa: F401
    COMBO_MAX_WIDTH,
    INDENT,
    TYPE_AHEAD_MS,
    Choice,
    MiddleElidedCombo,
    TypeAhead,
    add_choices,
    combo,
    procedures,
    select_value,
    units,
)
from gui.date_fields import (  # noqa: F401
    TypedDate,
    date_field,
    datetime_edit,
    from_edit,
    optional_date,
    time_field,
)
from gui.forms import ERROR_STYLE, ErrorForm, TextBox, limit_length  # noqa: F401
from gui.list_views import ChoiceTable, rows_to_choose, table_view, whole_rows  # noqa: F401
from gui.screen_fit import (  # noqa: F401
    FRAME_ALLOWANCE,
    LONG_UNIT_CODE,
    fit_column,
    fit_to_screen,
    keep_on_screen,
    text_width,
)


class FoldedLabel(QLabel):
    """A note, word-wrapped, that takes no room while it says nothing: the mapping step's
    empty line under its preview held 21 px of the office screen's height, which its fields
    needed (recon39)."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self._fold()

    def clear(self) -> None:  # QLabel's own clear() goes round setText (review39b)
        self.setText("")

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ParentChange:  # put in a window: folded by its text then
            self._fold()                                # (review39a: text set before stayed hidden)
        return super().event(event)

    def _fold(self) -> None:
        if self.parentWidget() is not None:  # alone it would be shown as a window of its own
            self.setVisible(bool(self.text()))


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


def ask_text(parent, title: str, label: str, text: str = "",
             limit: int | None = None) -> str | None:
    """A line of text typed by the clerk (QInputDialog.getText in Vietnamese), or None;
    `text`: what the line holds at first (a name to change); `limit`: its most characters
    (core.limits.text_length, as every field)."""
    dialog = _input(parent, title, label)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    line = dialog.findChild(QLineEdit)
    if limit is not None and line is not None:
        limit_length(line, limit)
    dialog.setTextValue(text)
    return dialog.textValue() if run_input(dialog) else None
