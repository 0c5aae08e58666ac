"""A form the clerk closes with text typed in it asks first (clerk29).

A tired clerk's Esc in the middle of a reception (or the «Đóng» button, or the window's ×)
closed the form at once: the applicant's name, phone and address typed so far were gone with
no word. Now, when any text field reads other than it did when the form opened, the clerk is
asked «Bỏ những gì đã nhập?», «Quay lại nhập tiếp» the default (Esc or Enter keeps the form).
Only the clerk's own ways of closing ask: a program closing the dialog (Ctrl+L's lock, a
saved form's accept) goes straight through `reject()`/`accept()` as before (Ctrl+L drops the
form, as it did: the lock must not wait on a question to a clerk who may have walked away).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from gui import widgets
from gui.date_fields import TypedDate

QUESTION_TITLE = "Bỏ những gì đã nhập?"
QUESTION = ("Biểu mẫu còn nội dung đã nhập nhưng chưa lưu:\n{fields}\n\n"
            "Đóng biểu mẫu thì những nội dung này mất hẳn.")
DROP, KEEP = "Bỏ nội dung, đóng biểu mẫu", "Quay lại nhập tiếp"


def _text_fields(dialog: QWidget) -> list[QWidget]:
    """The fields a clerk types text into: line edits and text boxes; not the line edit of a
    spin box, a combo box or a date (a time or an amount is typed again in a moment, and the
    form fills them itself)."""
    found: list[QWidget] = []
    for edit in dialog.findChildren(QLineEdit):
        if not isinstance(edit.parentWidget(), (QAbstractSpinBox, QComboBox, TypedDate)):
            found.append(edit)
    found.extend(dialog.findChildren(QPlainTextEdit))
    return found


def _text(field: QWidget) -> str:
    return field.toPlainText() if isinstance(field, QPlainTextEdit) else field.text()


def _label(dialog: QWidget, field: QWidget) -> str:
    """The form's label of a field (or of the widget holding it), else its placeholder."""
    form = getattr(dialog, "form", None)
    layout = getattr(form, "form", None)
    widget: QWidget | None = field
    while layout is not None and widget is not None and widget is not dialog:
        label = layout.labelForField(widget)
        if label is not None and label.text():
            return label.text().replace(" (*)", "")
        widget = widget.parentWidget()
    return getattr(field, "placeholderText", lambda: "")() or "ô nhập"


class AsksBeforeDropping(QDialog):
    """A dialog whose Esc, own close button (connected to `close_asked`) and window's × ask
    before typed text is dropped."""

    _typed_at_open: dict[int, str] | None = None

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if self._typed_at_open is None:  # what the form held when first shown (filled-in values)
            self._typed_at_open = {id(f): _text(f) for f in _text_fields(self)}
        super().showEvent(event)

    def refilled(self, *fields: QWidget) -> None:
        """The form itself put a value in `fields` (the stored value of the field chosen to
        correct): what they hold now is not the clerk's typing."""
        if self._typed_at_open is not None:  # (before the first show: taken then)
            self._typed_at_open.update({id(f): _text(f) for f in fields})

    def typed_fields(self) -> list[str]:
        """The labels of the fields whose text changed since the form opened."""
        before = self._typed_at_open or {}
        return [_label(self, f) for f in _text_fields(self)
                if f.isVisibleTo(self) and _text(f).strip() != before.get(id(f), "").strip()]

    def may_drop(self) -> bool:
        """True when nothing typed would be lost, or the clerk chose to drop it."""
        typed = self.typed_fields()
        if not typed:
            return True
        fields = "\n".join(f"• {name}" for name in dict.fromkeys(typed))
        return widgets.confirm(self, QUESTION_TITLE, QUESTION.format(fields=fields),
                               yes=DROP, no=KEEP)

    def close_asked(self) -> None:
        """The dialog's «Đóng»/«Huỷ» button."""
        if self.may_drop():
            self.reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.key() == Qt.Key.Key_Escape and not self.may_drop():
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        # the window's × (a program closes these forms by reject() or accept(), unasked)
        if self.isVisible() and not self.may_drop():
            event.ignore()
            return
        super().closeEvent(event)
