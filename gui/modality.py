"""Dialogs block only the window they belong to, never the citizens' vote screen (issue 14).

QDialog.exec() and the QMessageBox/QInputDialog helpers open *application*-modal dialogs, which
stop input to every window of the process — including a kiosk opened with F9 inside the
clerk's app, so a citizen's tap waited until the clerk closed the dossier window. One
application-wide filter turns every parented application-modal window into a window-modal
one just before it shows (the clerk's window stays blocked as before); the kiosk has no parent
window (gui.kiosk.launch), so no clerk's dialog can block it. Dialogs without a parent are
left as Qt makes them: they are opened before or after the main window exists.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QWidget

APP = Qt.WindowModality.ApplicationModal
WINDOW = Qt.WindowModality.WindowModal


class WindowModalFilter(QObject):
    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        # The Show event reaches the widget after its native window (QWindow) is made but
        # before it is made visible, which is when Qt registers the modal window and decides
        # what it blocks: changing the QWindow's modality here is in time. The widget's own
        # property is left alone: changing it inside QDialog.exec() leaves exec() running
        # after the dialog closes.
        # Every event of the application passes here (~2,500 a window's build): a Show is told
        # by its class, which the event's Python wrapper has anyway, not by event.type(), a
        # Python enum made at each call (~3 µs; docs/speed.md, gui38).
        if not isinstance(event, QShowEvent):
            return False
        if (isinstance(watched, QWidget) and watched.isWindow()
                and watched.parentWidget() is not None):
            handle = watched.windowHandle()
            if handle is not None and handle.modality() == APP:
                handle.setModality(WINDOW)
        return False


def install() -> None:
    """Install the filter once on the running QApplication (idempotent)."""
    app = QApplication.instance()
    if app is None or app.property("motcua_window_modal"):
        return
    app.installEventFilter(WindowModalFilter(app))
    app.setProperty("motcua_window_modal", True)
