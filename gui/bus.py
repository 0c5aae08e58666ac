"""One "something changed" notice (Anki style): after any write, every screen refreshes itself."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class DataBus(QObject):
    changed = Signal()


_bus: DataBus | None = None


def bus() -> DataBus:
    global _bus
    if _bus is None:
        _bus = DataBus()
    return _bus


def notify_changed() -> None:
    bus().changed.emit()
