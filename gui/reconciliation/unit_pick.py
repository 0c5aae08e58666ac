"""The reconciliation's unit picker: the units in existence on some day of the chosen period,
listed again when the period changes (walk33: a commune dissolved by a merger was listed above
its successor of the same name), opening on the signed-in account's own unit when it has one
(core.desk_unit.own_unit, as the other screens), else on all units.

A unit's name runs to 90 characters («Trung tâm Phục vụ hành chính công xã … tại thôn …»): the box
takes the row's spare width, cuts a longer name in its middle (its code stays in sight, as
intake's boxes) and names it whole on hover; the list cuts in the middle too (recon34: at 1366 px
the box showed «…mở rộng tại thôn B» and no code, the clerk could not tell two such units)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QSizePolicy

from core import desk_unit
from gui import shown, widgets
from gui.date_fields import TypedDate

ALL_UNITS = "Tất cả đơn vị"


def box() -> QComboBox:
    """The unit picker: as wide as the row leaves it, a long name cut in its middle."""
    picker = widgets.combo([], elide_middle=True)
    picker.setMaximumWidth(16_777_215)  # the row's spare width, not combos' 480 px
    picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    picker.setMinimumContentsLength(24)
    picker.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    picker.view().setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a list past the screen
    picker.currentIndexChanged.connect(lambda _index: _tip(picker))
    return picker


def _tip(picker: QComboBox) -> None:
    picker.setToolTip(shown.tip(picker.currentText().strip()))


def fill(db, box: QComboBox, first, last, chosen: str | None) -> None:
    """`box` lists the units of [first, last]; `chosen` stays chosen while listed, else all."""
    box.blockSignals(True)
    try:
        box.clear()
        box.addItem(ALL_UNITS, None)
        widgets.add_choices(box, widgets.units(db, on=first, to=last))
        for row in range(box.count()):  # the whole name on hover in the list too
            box.setItemData(row, shown.tip(box.itemText(row).strip()), Qt.ItemDataRole.ToolTipRole)
        box.setCurrentIndex(max(box.findData(chosen), 0) if chosen is not None else 0)
    finally:
        box.blockSignals(False)
    _tip(box)


def follow(db, box: QComboBox, date_from: TypedDate, date_to: TypedDate) -> None:
    """Fill `box` for the period of the two fields, on the account's own unit, and again at
    each change of the period (a day typed wrong leaves the list as it was)."""
    def again(chosen: str | None) -> None:
        first, last = date_from.problem(), date_to.problem()
        if first or last:
            return
        start, end = date_from.value(), date_to.value()
        fill(db, box, start, max(start, end), chosen)

    again(desk_unit.own_unit(db))
    for field in (date_from, date_to):
        field.valueChanged.connect(lambda: again(box.currentData()))
