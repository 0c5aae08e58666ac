"""The two application-wide event filters in Python (gui.modality, gui.session's IdleWatch)
see every event of the program, ~2,500 a window's build and ~15,000 a minute of use. An event
neither handles is let through by its class, before `event.type()` (a Python enum made at each
call, ~3 µs): the session's idle time and the windows' modality are tested as ever in
tests/gui/test_signin.py and tests/gui/kiosk/test_kiosk.py."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from gui import modality, session


class Asked:
    """Events that count how often their type is asked."""

    def __init__(self):
        self.count = 0

    def event(self, kind: QEvent.Type) -> QEvent:
        asked = self

        class Counting(QEvent):
            def type(self):  # noqa: A003 - Qt's name
                asked.count += 1
                return super().type()
        return Counting(kind)


class FakeSession(QObject):
    locked = False

    def __init__(self):
        super().__init__()
        self.started = 0
        self.idle = self

    def start(self) -> None:
        self.started += 1

    def is_kiosk(self, widget) -> bool:
        return False


def test_an_event_neither_filter_handles_is_let_through_unasked(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    asked = Asked()
    owner = FakeSession()
    filters = [modality.WindowModalFilter(), session.IdleWatch(owner)]  # IdleWatch installs itself
    app = QApplication.instance()
    app.installEventFilter(filters[0])
    try:
        for kind in (QEvent.Type.DynamicPropertyChange, QEvent.Type.LayoutRequest,
                     QEvent.Type.Polish, QEvent.Type.UpdateRequest):
            app.sendEvent(widget, asked.event(kind))
        assert asked.count == 0  # each filter asked each event's type before
        app.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A,
                                        Qt.KeyboardModifier.NoModifier, "a"))
        assert owner.started == 1  # a key still restarts the idle time
    finally:
        app.removeEventFilter(filters[0])
        filters[1].remove()
