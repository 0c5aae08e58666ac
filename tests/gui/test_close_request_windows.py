"""Round 29: the Windows branch of gui.blocked_close, proven on Linux as far as it can be. Qt's
Windows platform hands its native filters a pointer to the message's MSG, with the event type
"windows_generic_MSG" (from the window's procedure: the WM_CLOSE a title bar's × sends) or
"windows_dispatcher_MSG" (from the event loop: a posted WM_CLOSE, such as a task manager's
«Close window»). Here a real wintypes.MSG (the structure as Windows lays it out: the window
first, the message at the pointer's width) is made with ctypes and handed over with a window's
winId() as its HWND (on Windows winId() is the HWND). What only a Windows PC can prove — that
Qt there calls the filter for a blocked window's × at all, and with these event types — is in
docs/reliability.md."""
from __future__ import annotations

import ctypes
import ctypes.wintypes as wintypes

import pytest
from PySide6.QtCore import QByteArray

from gui import blocked_close, closing, worker
from tests.gui.reconciliation.test_screen import office  # noqa: F401 (fixture)
from tests.gui.reconciliation.test_x_during_its_job import (  # noqa: F401 (fixtures)
    RUN_TITLE,
    held_run,
    reconciliation,
    released,
)
from tests.gui.test_progress_keys import answered, press

WM_DESTROY, WM_QUIT, WM_SYSCOMMAND, WM_NCLBUTTONDOWN = 0x0002, 0x0012, 0x0112, 0x00A1
KINDS = (b"windows_generic_MSG", b"windows_dispatcher_MSG")


def msg(hwnd: int, message: int) -> wintypes.MSG:
    made = wintypes.MSG()
    made.hWnd, made.message, made.wParam, made.lParam = hwnd, message, 0, 0
    return made


def handed(kind: bytes, made: wintypes.MSG) -> bool:
    """What Qt's Windows platform does first with a message: the native filters (then, for a
    blocked window's WM_CLOSE, Qt drops it)."""
    installed = blocked_close.installed()
    if installed is None:
        return False
    taken, _ = installed.nativeEventFilter(QByteArray(kind), ctypes.addressof(made))
    return taken


def test_the_layout_read_is_wintypes_msg():
    """The window and the message where Windows puts them (the pointer's width, then a UINT)."""
    assert (blocked_close.WindowsMsg.hwnd.offset, blocked_close.WindowsMsg.message.offset) == \
           (wintypes.MSG.hWnd.offset, wintypes.MSG.message.offset)
    assert blocked_close.WindowsMsg.message.size == wintypes.MSG.message.size == 4


@pytest.mark.parametrize("kind", KINDS)
def test_wm_close_names_its_window_and_nothing_else_is_a_close(kind):
    made = msg(0x5A5A0, blocked_close.WM_CLOSE)
    assert blocked_close.close_request_to(kind, ctypes.addressof(made), None) == 0x5A5A0
    for other in (WM_DESTROY, WM_QUIT, WM_SYSCOMMAND, WM_NCLBUTTONDOWN, 0x0000):
        made = msg(0x5A5A0, other)
        assert blocked_close.close_request_to(kind, ctypes.addressof(made), None) is None
    made = msg(0x5A5A0, blocked_close.WM_CLOSE)  # any other native event type: not Windows'
    assert blocked_close.close_request_to(b"xcb_generic_event_t", ctypes.addressof(made),
                                          None) is None
    assert blocked_close.close_request_to(b"NSEvent", ctypes.addressof(made), None) is None


@pytest.mark.parametrize("kind", KINDS)
def test_wm_close_to_the_windows_under_a_job_asks_and_other_messages_are_left_to_qt(
        kind, qtbot, office, db_path, tmp_path, monkeypatch, message_boxes,  # noqa: F811
        released):  # noqa: F811
    main, window = reconciliation(qtbot, office, db_path, tmp_path, monkeypatch)
    asked = answered(monkeypatch, message_boxes, lambda box: press(
        qtbot, closing.GO_ON if box.windowTitle() == RUN_TITLE else closing.KEEP_WORKING)(box))
    dialog = held_run(qtbot, window, monkeypatch, released)
    for hwnd in (int(main.winId()), int(window.winId())):
        for other in (WM_DESTROY, WM_SYSCOMMAND, WM_NCLBUTTONDOWN):
            assert not handed(kind, msg(hwnd, other))
    assert not handed(kind, msg(int(dialog.winId()), blocked_close.WM_CLOSE))  # its guard's
    assert not handed(kind, msg(0x7777, blocked_close.WM_CLOSE))  # a window not ours
    qtbot.wait(200)
    assert not asked
    assert handed(kind, msg(int(window.winId()), blocked_close.WM_CLOSE))
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=5000)
    assert handed(kind, msg(int(main.winId()), blocked_close.WM_CLOSE))
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=5000)
    assert [a[0] for a in asked] == [RUN_TITLE, closing.TITLE]
    assert not worker.clerk_jobs()[0].stopping
    released.set()
    qtbot.waitUntil(lambda: window.result is not None, timeout=20000)
    assert main.isVisible() and window.isVisible()
    assert not handed(kind, msg(int(window.winId()), blocked_close.WM_CLOSE))  # no job: Qt's
