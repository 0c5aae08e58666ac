"""One "something changed" notice (Anki's `operation_did_execute`): after any write the bus says
*what* changed (a gui.ops.Changes) and each screen refreshes only if it shows that kind."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class DataBus(QObject):
    executed = Signal(object)  # the Changes of the write just done
    changed = Signal()  # fires after every `executed`: for listeners that reload whatever changed


_bus: DataBus | None = None


def bus() -> DataBus:
    global _bus
    if _bus is None:
        _bus = DataBus()
    return _bus


def notify(changes) -> None:
    bus().executed.emit(changes)
    bus().changed.emit()


def notify_changed() -> None:
    """A write whose effects are not known precisely (an import, a restore): every kind."""
    from gui.ops import EVERYTHING
    notify(EVERYTHING)
