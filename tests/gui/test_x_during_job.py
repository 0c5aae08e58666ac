"""Round 28: the main window's own title-bar × did nothing while a job's window-modal progress
dialog was up (Qt drops the window system's close request to a blocked window). Now the
window system's request — handed to Qt's native event filters exactly as the X11 (xcb) and
Windows platforms hand it, before Qt drops it — asks the quit question Ctrl+Q asks: «Tiếp tục
làm việc» lets the import go on and finish; «Huỷ công việc và đóng» stops it, writes nothing and
closes the program. The menus stay out of reach while the job runs (one job at a time).
On a real X display (QT_QPA_PLATFORM=xcb under Xvfb) the last test sends the very
WM_DELETE_WINDOW a window manager sends."""
from __future__ import annotations

import ctypes

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QApplication, QMenu

from gui import blocked_close, closing, worker
from tests.gui.test_packages import counter_package, window  # noqa: F401 (fixtures)
from tests.gui.test_packages_progress import (  # noqa: F401 (fixtures)
    let_go,
    progress_dialog,
    state,
)
from tests.gui.test_progress_keys import answered, held_import, press

ATOMS = (301, 302)  # WM_PROTOCOLS, WM_DELETE_WINDOW as a display would number them


@pytest.fixture
def x11(monkeypatch):
    """The offscreen platform has no X display: the atoms an X server would give."""
    if QApplication.platformName() != "xcb":
        monkeypatch.setattr(blocked_close, "x11_atoms", lambda: ATOMS)


def wm_delete(target) -> bool:
    """What the xcb platform does with a window manager's close request: the native event
    filters first (then Qt drops it, the window being blocked)."""
    protocols, delete = blocked_close.x11_atoms()
    event = blocked_close.XcbClientMessage(response_type=33, format=32,
                                           window=int(target.winId()), type=protocols)
    event.data32[0] = delete
    return _filtered(blocked_close.XCB_EVENT, event)


def windows_close(target) -> bool:
    msg = blocked_close.WindowsMsg(hwnd=int(target.winId()), message=blocked_close.WM_CLOSE)
    return _filtered(blocked_close.WINDOWS_MSG, msg)


def _filtered(event_type: bytes, event) -> bool:
    """What a platform does first with a native event: the native event filters installed
    on the application (QAbstractEventDispatcher.filterNativeEvent, whose PySide6 binding
    cannot be called: it asks for a third argument its signature refuses)."""
    installed = blocked_close.installed()
    if installed is None:
        return False  # none: Qt goes on with the event (and drops a blocked window's close)
    handled, _ = installed.nativeEventFilter(QByteArray(event_type), ctypes.addressof(event))
    return handled


def codes_in(db) -> set[str]:
    return {row[0] for row in db.execute("SELECT code FROM dossiers")}


def test_x_asks_and_go_on_lets_the_import_finish(  # noqa: F811
        window, db, qtbot, monkeypatch, message_boxes, counter_package, let_go, x11):  # noqa: F811
    package, codes = counter_package
    again: list[bool] = []

    def second_x_then_go_on(box):
        again.append(wm_delete(window))  # × again while the question is open: Qt's (dropped)
        press(qtbot, closing.KEEP_WORKING)(box)
    asked = answered(monkeypatch, message_boxes, second_x_then_go_on)
    dialog, release = held_import(qtbot, window, monkeypatch, package, let_go)
    assert wm_delete(window)
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    qtbot.waitUntil(lambda: bool(again), timeout=5000)
    assert again == [False]
    assert asked[0][0] == closing.TITLE and "Đang nhập gói trao đổi…" in asked[0][1]
    assert "Huỷ công việc và đóng chương trình?" in asked[0][1]
    # «Tiếp tục làm việc»: the keys are back on the dialog, the import goes on
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    assert window.isVisible() and progress_dialog() is dialog
    assert not worker.clerk_jobs()[0].stopping
    release.set()
    qtbot.waitUntil(lambda: any(m[1] == "Đã nhập gói" for m in message_boxes), timeout=20000)
    worker.wait_all()
    assert window.isVisible() and len(asked) == 1
    assert set(codes) <= codes_in(db)


def test_x_then_cancel_and_close_writes_nothing(  # noqa: F811
        window, db, qtbot, monkeypatch, message_boxes, counter_package, let_go, x11):  # noqa: F811
    package, codes = counter_package
    before = state(db)
    asked = answered(monkeypatch, message_boxes, press(qtbot, closing.CANCEL_AND_CLOSE))
    dialog, release = held_import(qtbot, window, monkeypatch, package, let_go)
    assert windows_close(window)  # Windows' WM_CLOSE is taken the same way
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked[0][0] == closing.TITLE
    assert window.isVisible()  # not before the import has stopped
    release.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    worker.wait_all()
    assert len(asked) == 1
    assert state(db) == before
    assert not codes_in(db) & set(codes)


def test_other_windows_and_events_are_left_to_qt(  # noqa: F811
        window, db, qtbot, monkeypatch, message_boxes, counter_package, let_go, x11):  # noqa: F811
    package, _ = counter_package
    asked = answered(monkeypatch, message_boxes, press(qtbot, closing.KEEP_WORKING))
    dialog, release = held_import(qtbot, window, monkeypatch, package, let_go)
    assert not wm_delete(dialog)  # the dialog's own × is its guard's (it asks «Dừng …?»)
    ping = blocked_close.XcbClientMessage(response_type=33, format=32,
                                          window=int(window.winId()),
                                          type=blocked_close.x11_atoms()[0])
    ping.data32[0] = 999  # _NET_WM_PING and the like: not a close
    assert not _filtered(blocked_close.XCB_EVENT, ping)
    qtbot.wait(200)
    assert not asked
    release.set()
    qtbot.waitUntil(lambda: any(m[1] == "Đã nhập gói" for m in message_boxes), timeout=20000)
    worker.wait_all()
    assert not wm_delete(window)  # no job: Qt closes the window its own way


def test_the_menus_and_keys_start_nothing_while_the_job_runs(  # noqa: F811
        window, db, qtbot, monkeypatch, message_boxes, counter_package, let_go, x11):  # noqa: F811
    package, codes = counter_package
    dialog, release = held_import(qtbot, window, monkeypatch, package, let_go)
    bar = window.menuBar()
    menus = [m for m in bar.findChildren(QMenu) if m.menuAction() in bar.actions()]
    # clicks and keys through the window system, as the clerk's (QTest on a widget would hand
    # them to it directly, past Qt's modal blocking)
    handle = window.windowHandle()
    for menu in menus:  # a real click on each menu's title opens nothing
        qtbot.mouseClick(handle, Qt.MouseButton.LeftButton,
                         pos=bar.mapTo(window, bar.actionGeometry(menu.menuAction()).center()))
        qtbot.wait(50)
        assert not menu.isVisible(), menu.title()
    triggered: list[str] = []
    for action in window.shortcut_actions + [window.exchange_import_action]:
        action.triggered.connect(lambda *_, a=action: triggered.append(a.text()))
    for key, modifier in ((Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
                          (Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier),
                          (Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)):
        qtbot.keyClick(dialog.windowHandle(), key, modifier)
        qtbot.keyClick(handle, key, modifier)
    qtbot.wait(100)
    assert triggered == [] and worker.clerk_jobs() == [worker.clerk_jobs()[0]]
    assert QApplication.activeWindow() is dialog  # the keys stay on the dialog
    release.set()
    qtbot.waitUntil(lambda: any(m[1] == "Đã nhập gói" for m in message_boxes), timeout=20000)
    worker.wait_all()


def test_a_window_managers_close_on_a_real_x_display(  # noqa: F811
        window, db, qtbot, monkeypatch, message_boxes, counter_package, let_go):  # noqa: F811
    # asked once the application exists: before it, platformName() is the default platform
    # ('xcb'), and this test alone under offscreen sent to no display and crashed the run
    if QApplication.platformName() != "xcb":
        pytest.skip("needs the xcb platform (QT_QPA_PLATFORM=xcb on an X display)")
    package, codes = counter_package
    asked = answered(monkeypatch, message_boxes, press(qtbot, closing.KEEP_WORKING))
    dialog, release = held_import(qtbot, window, monkeypatch, package, let_go)
    _send_wm_delete(int(window.winId()))
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked[0][0] == closing.TITLE
    release.set()
    qtbot.waitUntil(lambda: any(m[1] == "Đã nhập gói" for m in message_boxes), timeout=20000)
    worker.wait_all()
    assert window.isVisible() and set(codes) <= codes_in(db)


def _send_wm_delete(window_id: int) -> None:
    """WM_DELETE_WINDOW as a window manager sends it, on a connection of its own."""
    xlib = ctypes.CDLL("libX11.so.6")
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XInternAtom.restype = ctypes.c_ulong
    xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    xlib.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long,
                                ctypes.c_void_p]
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]

    class ClientMessage(ctypes.Structure):
        _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong),
                    ("send_event", ctypes.c_int), ("display", ctypes.c_void_p),
                    ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                    ("format", ctypes.c_int), ("l", ctypes.c_long * 5)]

    class XEvent(ctypes.Union):
        _fields_ = [("xclient", ClientMessage), ("pad", ctypes.c_long * 24)]
    display = xlib.XOpenDisplay(None)
    event = XEvent()
    event.xclient.type, event.xclient.window, event.xclient.format = 33, window_id, 32
    event.xclient.message_type = xlib.XInternAtom(display, b"WM_PROTOCOLS", 0)
    event.xclient.l[0] = xlib.XInternAtom(display, b"WM_DELETE_WINDOW", 0)
    xlib.XSendEvent(display, window_id, 0, 0, ctypes.byref(event))
    xlib.XCloseDisplay(display)


def test_no_xlib_call_off_x11_even_when_the_platform_has_a_display(qapp, monkeypatch):
    """Under Wayland, nativeInterface() is a QWaylandApplication whose display() is a
    wl_display: given to Xlib's XInternAtom it crashed the window when a job started. Only
    the xcb platform is asked for its atoms."""
    class Wayland:
        @staticmethod
        def display():
            return 0x1234  # not an X Display

    if QApplication.platformName() == "xcb":
        pytest.skip("off X11 only")
    called = []
    monkeypatch.setattr(QApplication, "nativeInterface", lambda _self: Wayland())
    monkeypatch.setattr(blocked_close.ctypes, "CDLL", lambda *a: called.append(a))
    assert blocked_close._x11_atoms() is None
    assert called == []
