"""What a screen shows of a stored text: the one output rule (core.textnorm.shown_text), no bidi
control, no format or control character. A value stored before that rule (an older database) or
received in another installation's package is kept as stored — the screens neutralise it, never
rewrite it: a right-to-left override (U+202E) in an applicant's name or address turned the
letters after it around in the register, the dossier window, the dialogs and the kiosk, so the
clerk read another name than the one stored and searched for. The chokepoints call this: the
lists' models (gui.lazymodel, gui.table_model), the dossier window's fields and history, its
small tables (`item`), the kiosk's texts.

And as typed: Qt draws a label, a message box or a tooltip as HTML when its text looks like
HTML (Qt.mightBeRichText). An applicant named `<b>Nguyễn</b>` showed in bold, `<img src=…>`
drew a picture (or a broken one) and the tags were gone: the clerk did not read what is stored
and would copy another name onto a slip. A stored value shows in a `label` (plain text), in a
rich label only `escaped`, in a tooltip by `tip`; gui.widgets' message boxes are plain."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QTableWidgetItem, QWidget

from core.textnorm import shown_text


def text(value: str | None) -> str:
    """`value` as a screen shows it ("" for None)."""
    return shown_text(value) if value else ""


def item(value: str | None, tooltip: str | None = None) -> QTableWidgetItem:
    """A table's cell showing `value` (and on hover `tooltip`) by the output rule."""
    cell = QTableWidgetItem(text(value))
    if tooltip is not None:
        cell.setToolTip(tip(tooltip))
    return cell


def escaped(value: str | None) -> str:
    """`value` shown, for a label that is rich on purpose (a bold code): every `<`, `>`, `&`
    and quote as itself."""
    return html.escape(text(value), quote=True)


def plain(label: QLabel) -> QLabel:
    """`label` draws its text as it is, never as HTML."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def label(value: str | None, parent: QWidget | None = None) -> QLabel:
    """A label showing the stored `value` by the output rule, exactly as typed."""
    return plain(QLabel(text(value), parent))


def tip(value: str | None) -> str:
    """A tooltip's text showing `value` as typed. Qt has no plain format for a tooltip: a text
    it would take for HTML is given escaped inside a paragraph that keeps its lines and spaces,
    so it reads as it was stored; any other text is given unchanged (drawn as plain)."""
    shown = text(value)
    if not GuiQt.mightBeRichText(shown):
        return shown
    return f"<p style='white-space:pre'>{html.escape(shown, quote=False)}</p>"

