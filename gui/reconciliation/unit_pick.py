"""The reconciliation's unit picker: the units in existence on some day of the chosen period,
listed again when the period changes (walk33: a commune dissolved by a merger was listed above
its successor of the same name), opening on the signed-in account's own unit when it has one
(core.desk_unit.own_unit, as the other screens), else on all units."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from core import desk_unit
from gui import widgets
from gui.date_fields import TypedDate

ALL_UNITS = "Tất cả đơn vị"


def fill(db, box: QComboBox, first, last, chosen: str | None) -> None:
    """`box` lists the units of [first, last]; `chosen` stays chosen while listed, else all."""
    box.blockSignals(True)
    try:
        box.clear()
        box.addItem(ALL_UNITS, None)
        widgets.add_choices(box, widgets.units(db, on=first, to=last))
        box.setCurrentIndex(max(box.findData(chosen), 0) if chosen is not None else 0)
    finally:
        box.blockSignals(False)


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
