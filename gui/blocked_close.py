"""The main window's own × while a job's progress dialog blocks it (round 28).

Qt drops the window system's close request to a window blocked by a modal dialog (only
QWindow.close() from the program itself gets through): while an import ran, the clerk's click
on the main window's × did nothing. The progress dialog stays window-modal — so no menu or key
of the window starts a second job and the keys stay on the dialog — and, while a clerk's job
runs, a native event filter catches that request before Qt drops it: X11's WM_PROTOCOLS /
WM_DELETE_WINDOW, Windows' WM_CLOSE, addressed to a window under the job's dialog. One rule
for every such window: the request is answered as that window's × is when no job blocks it, by
its own close (closing's guard, `close_window`): the main window asks the quit question, as
Ctrl+Q over the dialog does («Huỷ công việc và đóng» or «Tiếp tục làm việc»); a window of its
own that started the job (the reconciliation window, round 29) asks whether to stop the job and
close it («Dừng và đóng cửa sổ» or «Tiếp tục»). The keys go back on the dialog after.

On Windows a message reaches the filters twice over: from the event dispatcher's loop
("windows_dispatcher_MSG", a posted WM_CLOSE) and from the window's procedure
("windows_generic_MSG", the one the × sends): either is taken, and a posted one taken from the
loop is never dispatched again. The MSG read is the start of wintypes.MSG.
"""
from __future__ import annotations

import ctypes
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QAbstractNativeEventFilter, QTimer
from PySide6.QtWidgets import QApplication

XCB_EVENT = b"xcb_generic_event_t"
WINDOWS_MSG = b"windows_generic_MSG"
WINDOWS_DISPATCHER_MSG = b"windows_dispatcher_MSG"
XCB_CLIENT_MESSAGE = 33
WM_CLOSE = 0x0010


class XcbClientMessage(ctypes.Structure):
    """xcb_client_message_event_t (xproto.h), as the X server sends it (32 bytes)."""
    _fields_ = [("response_type", ctypes.c_uint8), ("format", ctypes.c_uint8),
                ("sequence", ctypes.c_uint16), ("window", ctypes.c_uint32),
                ("type", ctypes.c_uint32), ("data32", ctypes.c_uint32 * 5)]


class WindowsMsg(ctypes.Structure):
    """The start of Windows' MSG: the window and the message."""
    _fields_ = [("hwnd", ctypes.c_void_p), ("message", ctypes.c_uint)]


def _x11_atoms() -> tuple[int, int] | None:
    """(WM_PROTOCOLS, WM_DELETE_WINDOW) on this X display; None off X11 (no such request).
    Only on the xcb platform: under Wayland the native interface's display() is a wl_display,
    which Xlib would read as its own Display and crash on."""
    if QApplication.platformName() != "xcb":
        return None
    native = QApplication.instance().nativeInterface()
    display = getattr(native, "display", None)
    if display is None or not display():
        return None
    try:
        xlib = ctypes.CDLL("libX11.so.6")  # (Qt's xcb platform itself needs it)
    except OSError:
        return None  # then Qt's own way: the blocked window's × does nothing
    xlib.XInternAtom.restype = ctypes.c_ulong
    xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    handle = int(display())
    return (xlib.XInternAtom(handle, b"WM_PROTOCOLS", 0),
            xlib.XInternAtom(handle, b"WM_DELETE_WINDOW", 0))


x11_atoms: Callable[[], tuple[int, int] | None] = _x11_atoms


def close_request_to(event_type: bytes, message: int, atoms) -> int | None:
    """The native id of the window the window system asks to close, or None (any other
    event)."""
    if event_type in (WINDOWS_MSG, WINDOWS_DISPATCHER_MSG):
        msg = WindowsMsg.from_address(message)
        return int(msg.hwnd or 0) if msg.message == WM_CLOSE else None
    if event_type != XCB_EVENT or atoms is None:
        return None
    event = XcbClientMessage.from_address(message)
    if (event.response_type & 0x7F != XCB_CLIENT_MESSAGE or event.format != 32
            or (event.type, event.data32[0]) != atoms):
        return None
    return int(event.window)


class _Filter(QAbstractNativeEventFilter):
    def __init__(self):
        super().__init__()
        self.guards: list = []  # closing's guards of the jobs' dialogs now shown
        self.atoms = x11_atoms()

    def nativeEventFilter(self, event_type, message):  # noqa: N802
        target = close_request_to(bytes(event_type), int(message), self.atoms)
        found = self._blocked(target) if target is not None else None
        if found is None:
            return False, 0  # (Qt's own way: delivered, or dropped under a question)
        guard, window = found
        # out of the window system's delivery
        QTimer.singleShot(0, guard, lambda: guard.close_window(window))
        return True, 0

    def _blocked(self, target: int):
        """(guard, window): the guard of the job's dialog on top and the window under it that
        `target` names; none while a question is open above the dialog (it is answered
        first)."""
        top = QApplication.activeModalWidget()
        for guard in self.guards:
            if shiboken6.isValid(guard) and guard.dialog is top:
                for window in guard.blocked():
                    if int(window.winId()) == target:
                        return guard, window
        return None


_filter: _Filter | None = None


def installed() -> QAbstractNativeEventFilter | None:
    """The filter on the application now (tests)."""
    return _filter


def watch(guard) -> None:
    """Catch the × of the window under `guard`'s dialog while the dialog lives."""
    global _filter
    if _filter is None:
        _filter = _Filter()
        QApplication.instance().installNativeEventFilter(_filter)
    _filter.guards.append(guard)
    guard.dialog.destroyed.connect(lambda *_: _forget(guard))


def _forget(guard) -> None:
    """The dialog is gone: the filter goes with the last one (no Python call per native event
    while no job runs)."""
    global _filter
    if _filter is None:
        return
    _filter.guards = [g for g in _filter.guards if g is not guard and shiboken6.isValid(g)]
    if not _filter.guards:
        QApplication.instance().removeNativeEventFilter(_filter)
        _filter = None
