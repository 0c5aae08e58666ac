"""What a screen shows of a stored text: the one output rule (core.textnorm.shown_text), no bidi
control, no format or control character. A value stored before that rule (an older database) or
received in another installation's package is kept as stored — the screens neutralise it, never
rewrite it: a right-to-left override (U+202E) in an applicant's name or address turned the
letters after it around in the register, the dossier window, the dialogs and the kiosk, so the
clerk read another name than the one stored and searched for. The chokepoints call this: the
lists' models (gui.lazymodel, gui.table_model), the dossier window's fields and history, its
small tables (`item`), the kiosk's texts."""
from __future__ import annotations

from PySide6.QtWidgets import QTableWidgetItem

from core.textnorm import shown_text


def text(value: str | None) -> str:
    """`value` as a screen shows it ("" for None)."""
    return shown_text(value) if value else ""


def item(value: str | None, tooltip: str | None = None) -> QTableWidgetItem:
    """A table's cell showing `value` (and on hover `tooltip`) by the output rule."""
    cell = QTableWidgetItem(text(value))
    if tooltip is not None:
        cell.setToolTip(text(tooltip))
    return cell
