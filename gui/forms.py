"""Form fields: a form with a red message line under each field, a length cap from
core.limits, a text box of several lines that Tab leaves."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import limits
from gui.date_fields import TypedDate

ERROR_STYLE = "color: #b3261e;"


def limit_length(widget: QWidget, limit: int) -> None:
    """Typing or pasting stops at `limit` characters as the core counts them
    (core.limits.text_length: as stored, NFC, an emoji one), what was typed or pasted cut as
    a field's maximum length does: Qt's own maximum counts UTF-16 units, and cut a name typed
    with Unikey's combining marks, or holding an emoji, letters before the core's limit."""
    if isinstance(widget, QLineEdit):
        widget.setMaxLength(32767)  # Qt's own, no other
        if isinstance(widget.validator(), LengthValidator):  # another field's limit chosen
            widget.validator().limit = limit
            text = widget.text()  # a longer text cut to it, as Qt's maximum did (setText of
            kept = limits.fit_text(text, len(text), limit)[0]  # the same text does nothing)
            if kept != text:
                widget.setText(kept)
        else:
            widget.setValidator(LengthValidator(limit, widget))
    elif isinstance(widget, QPlainTextEdit):
        def cut() -> None:
            text = widget.toPlainText()
            if limits.text_length(text) > limit:
                widget.setPlainText(limits.fit_text(text, len(text), limit)[0])
                widget.moveCursor(widget.textCursor().MoveOperation.End)
        widget.textChanged.connect(cut)


class LengthValidator(QValidator):
    """A line's text within `limit` characters by core.limits' rule (see limit_length)."""

    def __init__(self, limit: int, parent=None):
        super().__init__(parent)
        self.limit = limit

    def validate(self, text: str, pos: int) -> object:  # noqa: D102 (Qt's)
        if limits.text_length(text) <= self.limit:
            return QValidator.State.Acceptable, text, pos
        end = _index(text, pos)  # Qt's cursor counts UTF-16 units, Python's code points
        kept, end = limits.fit_text(text, end, self.limit)
        return QValidator.State.Acceptable, kept, len(kept[:end].encode("utf-16-le")) // 2


def _index(text: str, units: int) -> int:
    """The code point index of UTF-16 position `units` in `text`."""
    return len(text.encode("utf-16-le")[:units * 2].decode("utf-16-le", errors="ignore"))


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
        box = _field_box()
        self.add_to(name, box, widget)
        self.form.addRow(label, box)
        if isinstance(widget, TypedDate):  # its wrong text is this field's error, in its words
            widget.field, widget.what = name, label.removesuffix(" (*)").strip()
        limit = limits.text_limit(name)
        if limit:
            limit_length(widget, limit)
        return widget

    def add_wide(self, name: str, label: str, widget: QWidget) -> QWidget:
        """A field across the whole form (a table), its label above it."""
        box = _field_box()
        box.layout().addWidget(QLabel(label))
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

    def show_error(self, name: str, message: str, focus: bool = True) -> bool:
        """Show `message` under field `name`; False when the form has no such field."""
        label = self.errors.get(name)
        if label is None:
            return False
        label.setText(message)
        label.show()
        if focus:
            self.fields[name].setFocus()
        _room_for_wrapped_lines(label, self.fields[name].width())
        return True

    def show_errors(self, errors: dict[str, str]) -> dict[str, str]:
        """Each message under its field at once, the first wrong field in the form's order
        focused; returns the messages for fields the form does not have."""
        wrong = [name for name in self.fields if name in errors]
        for name in wrong:
            self.show_error(name, errors[name], focus=False)
        if wrong:
            self.fields[wrong[0]].setFocus()
        return {name: message for name, message in errors.items() if name not in self.errors}


def _field_box() -> QWidget:
    """A field's place in the form: the field, its message line under it, close together."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(1)
    return box


def _room_for_wrapped_lines(label: QLabel, width: int) -> None:
    """Give the message `label` the height of its wrapped lines at `width` (its field's). A
    window's least height follows its layout's minimumSize(), which counts a word-wrapped
    message as one line: under 'Thời điểm' of a 480-px action dialog, 'Thời điểm thao tác … ở
    tương lai (bây giờ là …). Hãy kiểm tra lại …' (three lines) was squeezed into one and
    unreadable. With its least height set, the layout grows the dialog when it is shown again."""
    label.setMinimumHeight(label.heightForWidth(max(width, 100)))


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

