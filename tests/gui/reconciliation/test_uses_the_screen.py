"""The reconciliation window on a 1920×1080 screen: it opened 1,360 px wide whatever the screen
held, its tables' columns cut on a screen with 500 px to spare (mend35). It now takes the room
the screen has (up to a full-HD one's), and on the office's 1366×728 all of it, as before."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, QRect
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


def test_on_a_full_hd_screen_the_fields_sit_together_and_the_preview_takes_the_room(
        qtbot, office, db_path, tmp_path, monkeypatch):  # noqa: F811
    """The fields' scroll area took twice the preview's share of the spare height (stretch
    2:1): its five rows of pickers were spread 83 px apart over 467 px, the preview 233 px
    (round 35's «Still open»). The rows now sit at their own height, the rest is the preview's."""
    full_hd = QRect(0, 0, 1920, 1040)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: full_hd)
    window = opened(qtbot, office, db_path)
    with_file(qtbot, window, tmp_path, monkeypatch)
    grid, panel = window.mapping.grid, window.mapping
    # (the grid lays itself out from the width the window's layout gives it, a few events
    # later: on a loaded machine more than 50 ms)
    qtbot.waitUntil(lambda: grid.columns == 6, timeout=5000)
    tops = sorted({picker.mapTo(grid, QPoint(0, 0)).y() for picker in panel.pickers.values()})
    assert len(tops) == 5
    steps = {b - a for a, b in zip(tops, tops[1:], strict=False)}
    assert max(steps) <= grid.row_height() + grid.line_gap() + 2, steps
    assert panel.fields.height() <= grid.heightForWidth(grid.width()) + 4
    assert panel.preview.height() > 2 * panel.fields.height(), (
        panel.preview.height(), panel.fields.height())
    assert outside(window) == []
