"""The reconciliation window on a 1920×1080 screen: it opened 1,360 px wide whatever the screen
held, its tables' columns cut on a screen with 500 px to spare (mend35). It now takes the room
the screen has (up to a full-HD one's), and on the office's 1366×728 all of it, as before."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication

from gui import widgets
from gui.reconciliation.screen import ReconcileDialog
from tests.gui.reconciliation.test_fits_office_screen import outside, with_file
from tests.gui.reconciliation.test_screen import dialog, office  # noqa: F401


def opened(qtbot, office, db_path) -> ReconcileDialog:  # noqa: F811
    widget = ReconcileDialog(office, str(db_path), today=dt.date(2025, 2, 10))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_full_hd_screen_is_used(qtbot, office, db_path, monkeypatch):  # noqa: F811
    full_hd = QRect(0, 0, 1920, 1040)  # 1920×1080 less a 40 px taskbar
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: full_hd)
    window = opened(qtbot, office, db_path)
    extra_w, extra_h = widgets.FRAME_ALLOWANCE
    assert window.width() >= 1800 and window.height() >= 950, window.size()
    assert window.width() + extra_w <= 1920 and window.height() + extra_h <= 1040


def test_the_office_screen_is_used_whole_and_nothing_is_outside(  # noqa: F811
        qtbot, window_font, dialog, tmp_path, monkeypatch):  # noqa: F811
    area = QApplication.primaryScreen().availableGeometry()
    extra_w, extra_h = widgets.FRAME_ALLOWANCE
    assert (dialog.width() + extra_w + 16, dialog.height() + extra_h + 16) == (area.width(),
                                                                            area.height())
    with_file(qtbot, dialog, tmp_path, monkeypatch)
    assert outside(dialog) == []
