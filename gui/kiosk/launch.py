"""Opening the kiosk: as its own program (`python main.py kiosk`) or as a window of the clerk's app.

Where it goes: `--screen N` (1 = the main monitor) puts it full screen on that monitor; without
it, a PC with two monitors gets it full screen on the second, a PC with one gets a window.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication, QWidget

from core import crashlog, kiosk
from core.database import open_database, resolve_path
from core.errors import InputError
from gui.kiosk.window import KioskWindow

WINDOW_SIZE = (1024, 700)


def screen_choice(count: int, requested: int | None) -> tuple[int, bool]:
    """(index into the screen list, full screen?) for `count` monitors and the 1-based request."""
    if requested is not None:
        if not 1 <= requested <= count:
            raise InputError(f"Không có màn hình số {requested}: máy này có {count} màn hình "
                             f"(chọn --screen từ 1 đến {count}).")
        return requested - 1, True
    if count >= 2:
        return 1, True
    return 0, False


def place(window: QWidget, screens: list[QScreen], requested: int | None) -> None:
    """Show the window on its monitor: full screen there, or as a window on a single screen."""
    index, full = screen_choice(len(screens), requested)
    screen = screens[index]
    window.winId()  # creates the native window so it can be moved to its screen
    window.windowHandle().setScreen(screen)
    if full:
        window.setGeometry(screen.geometry())
        window.showFullScreen()
        return
    area = screen.availableGeometry()
    width, height = min(WINDOW_SIZE[0], area.width()), min(WINDOW_SIZE[1], area.height())
    window.setGeometry(area.x() + (area.width() - width) // 2,
                       area.y() + (area.height() - height) // 2, width, height)
    window.show()


def unit_of(db_path: str | Path, unit_code: str | None) -> tuple[str, str]:
    """Check the database and the unit before any window opens (bad input → exit code 2)."""
    db = open_database(db_path, create=False)
    try:
        return kiosk.resolve_unit(db, unit_code)
    finally:
        db.close()


def open_kiosk_window(parent: QWidget | None, db_path: str | Path, unit_code: str,
                      screen: int | None = None) -> KioskWindow:
    """The kiosk as a window of the clerk's app (same process, its own connection).

    Raises InputError for an unknown unit or screen. The window goes away with `parent` but is
    not its child: a child window shares its parent's modality group, so every dialog of the
    clerk would block the citizens' taps (gui.modality). `window.shutdown()` closes it from
    the app, `window.voted` tells the app a vote was cast so its screens can refresh.
    """
    code, name = unit_of(db_path, unit_code)
    window = KioskWindow(db_path, code, name)
    if parent is not None:
        parent.destroyed.connect(window.shutdown)
        parent.destroyed.connect(window.deleteLater)
    place(window, QApplication.screens(), screen)
    return window


def run_kiosk(args: argparse.Namespace) -> int:
    """`python main.py [--db PATH] kiosk [--unit CODE] [--screen N]`: runs until the clerk exits."""
    db_path = resolve_path(args.db)
    code, name = unit_of(db_path, args.unit)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("MotCua")
    window = KioskWindow(db_path, code, name)
    _install_excepthook(window, debug=bool(getattr(args, "debug", False)))
    place(window, app.screens(), args.screen)
    return app.exec()


def _install_excepthook(window: KioskWindow, debug: bool) -> None:
    """A bug inside a slot is logged; the citizen sees a short note, never a traceback."""
    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        path = crashlog.write(exc.with_traceback(tb))
        if debug:
            sys.__excepthook__(exc_type, exc, tb)
        window.start.show_notice(f"Có lỗi của chương trình, xin báo cán bộ (nhật ký: {path.name}).")
    sys.excepthook = hook
