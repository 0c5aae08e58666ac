"""Dialog buttons in Vietnamese, and after the fields in a dialog's focus chain."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

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
