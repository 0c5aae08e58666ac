"""The desktop app's entry point: `run_gui(args)` opens the database and the main window."""
from __future__ import annotations

import os
import sqlite3
import sys

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QProgressDialog

from core import paths
from core.database import open_database, resolve_path
from core.errors import MotCuaError
from db.connection import DatabaseEnvironmentError
from db.errors import as_environment_error
from gui import errors, worker


def make_app() -> QApplication:
    QCoreApplication.setOrganizationName("MotCua")
    QCoreApplication.setApplicationName("MotCua")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    font = QFont(app.font())
    font.setPointSize(max(font.pointSize(), 10))
    app.setFont(font)
    install_qt_vietnamese(app)
    return app


def install_qt_vietnamese(app: QCoreApplication) -> bool:
    """Qt's own dialogs in Vietnamese: the file dialog's places, menus and questions, the
    message boxes' standard buttons and Linux's print dialog (Qt ships no Vietnamese; the
    strings are in resources/translations/qt_vi.ts, compiled to qt_vi.qm)."""
    translator = QTranslator(app)  # the app owns it: it must live as long as the app
    if not translator.load(str(paths.resource_path("translations", "qt_vi.qm"))):
        return False
    return app.installTranslator(translator)


def display_missing(env=None, platform: str | None = None) -> bool:
    """True on a Linux machine with no screen, where Qt would abort instead of opening."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    return platform.startswith("linux") and not any(
        env.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


# What Qt's xcb platform plugin (the window on an X11 screen) loads from the system
# (objdump -p plugins/platforms/libqxcb.so on PySide6 6.12), with the Debian package of each.
XCB_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-util.so.1": "libxcb-util1",
    "libxcb-image.so.0": "libxcb-image0", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0", "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shm.so.0": "libxcb-shm0", "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0", "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1", "libX11-xcb.so.1": "libx11-xcb1",
}


def _loadable(name: str) -> bool:
    import ctypes
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def xcb_packages_missing(env=None, platform: str | None = None, loadable=_loadable) -> list[str]:
    """The Debian packages whose libraries Qt's X11 window needs and this Linux lacks (without
    them Qt aborts with an English "could not load the Qt platform plugin xcb")."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    wanted = env.get("QT_QPA_PLATFORM", "")
    x11 = wanted.startswith("xcb") or (not wanted and env.get("DISPLAY")
                                        and not env.get("WAYLAND_DISPLAY"))
    if not platform.startswith("linux") or not x11 or getattr(sys, "frozen", False):
        return []  # a built program carries the libraries it found at build time
    return sorted({package for name, package in XCB_PACKAGES.items() if not loadable(name)})


def xcb_message(packages: list[str]) -> str:
    line = " ".join(packages)
    return (f"Máy thiếu thư viện hệ thống để mở cửa sổ MotCua: hãy cài bằng lệnh "
            f"\"apt-get install {line}\". / Qt's window needs system libraries this machine "
            f"lacks: apt-get install {line}")


NO_DISPLAY = ("Máy này không có màn hình đồ hoạ (DISPLAY) nên không mở được cửa sổ MotCua. "
              "Hãy dùng các lệnh dòng lệnh (python main.py --help) hoặc chạy dưới Xvfb.")


class RebuildProgress:
    """An upgrade, the indicator data or the search index rebuilt once after it, before the
    window opens (each step named by its title, core.database's STEP_*): show how far it has
    come and keep the screen alive (events are processed between chunks). The upgrade's
    closing VACUUM says (0, 0): a busy bar, and no "Huỷ" since it cannot stop."""

    LABEL = "Đang nâng cấp dữ liệu và cập nhật số liệu chỉ tiêu (chỉ một lần)…"
    BUSY_LABEL = ("Đang sắp xếp lại tệp dữ liệu sau khi nâng cấp (chỉ một lần, không huỷ được; "
                  "khoảng một phút cho một triệu hồ sơ)…")

    def __init__(self):
        self.dialog: QProgressDialog | None = None
        self.busy = False
        self.label = self.LABEL

    def step(self, title: str) -> RebuildProgress:
        """The next step of the opening (core.database's STEP_* titles): the dialog names it —
        a search-index rebuild alone read "nâng cấp dữ liệu và cập nhật số liệu chỉ tiêu"."""
        self.label = f"{title}…"
        if self.dialog is not None and not self.busy:
            self.dialog.setLabelText(self.label)
        return self

    def __call__(self, done: int, total: int) -> bool:
        if self.dialog is None:
            self.dialog = QProgressDialog(self.label, "Huỷ", 0, total)
            self.dialog.setWindowTitle("MotCua")
            self.dialog.setMinimumDuration(0)
        if total == 0:
            return self._busy(self.dialog)
        if self.busy:
            self._measured_again(self.dialog)
        self.dialog.setMaximum(total)  # the upgrade (0 of 1), then the rebuild (of N)
        # At its maximum the dialog hides itself (autoClose) and stays usable for the next
        # phase; close() would count as "Huỷ" and the rebuild after an upgrade would stop.
        self.dialog.setValue(done)
        QApplication.processEvents()
        return not self.dialog.wasCanceled()

    def _busy(self, dialog: QProgressDialog) -> bool:
        if not self.busy:
            self.busy = True
            dialog.setCancelButton(None)  # nothing to cancel now
            dialog.setLabelText(self.BUSY_LABEL)
            dialog.setRange(0, 0)
            dialog.show()
        QApplication.processEvents()
        return True

    def _measured_again(self, dialog: QProgressDialog) -> None:
        self.busy = False
        dialog.reset()  # forgets an Escape pressed while busy: it must not stop the rebuild
        dialog.setLabelText(self.label)
        dialog.setCancelButtonText("Huỷ")


def _open_window(path):
    """The main window on its database, or None when it cannot be opened and no backup was
    restored in its place. A big file is not fully checked at opening, so damage SQLite meets
    while the window reads its first figures is refused the same way."""
    from gui.backup_restore import refused_at_start
    from gui.main_window import MainWindow
    while True:
        db = None
        try:
            db = open_database(path, progress=RebuildProgress(), mode="browse")
            return MainWindow(db, str(path))
        except InterruptedError:  # the clerk cancelled the one-time rebuild: nothing was changed
            return None
        except (DatabaseEnvironmentError, MotCuaError, sqlite3.Error) as exc:
            if db is not None:
                db.close()
            known = exc if isinstance(exc, MotCuaError) else as_environment_error(exc, path)
            if known is None:
                raise  # a bug: the crash log
            if not refused_at_start(path, known, paths.default_db_path()):
                return None


def run_gui(args) -> int:
    """Open the main window on args.db (None: the default database); returns the exit code."""
    app = make_app()
    errors.install()
    path = resolve_path(getattr(args, "db", None))
    window = _open_window(path)
    if window is None:
        return 1
    # a new real database asks once for the office's unit and header, once an administrator
    # has signed in (the window opens on the sign-in gate, gui.session)
    window.offer_first_start = True
    window.show()
    try:
        return app.exec()
    finally:
        # a job's checkpoint still running after its result was handed over (a month-end
        # merge's, gui.worker): the thread ends before the process does
        worker.wait_handed_over()
        if window.db is not None:  # after a restore, the window holds a new connection
            window.db.close()
