"""The desktop app's entry point: `run_gui(args)` opens the database and the main window."""
from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from core.database import open_database, resolve_path
from core.errors import MotCuaError
from db.connection import DatabaseEnvironmentError
from gui import errors


def make_app() -> QApplication:
    QCoreApplication.setOrganizationName("MotCua")
    QCoreApplication.setApplicationName("MotCua")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    font = QFont(app.font())
    font.setPointSize(max(font.pointSize(), 10))
    app.setFont(font)
    return app


def display_missing(env=None, platform: str | None = None) -> bool:
    """True on a Linux machine with no screen, where Qt would abort instead of opening."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    return platform.startswith("linux") and not any(
        env.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


NO_DISPLAY = ("Máy này không có màn hình đồ hoạ (DISPLAY) nên không mở được cửa sổ MotCua. "
              "Hãy dùng các lệnh dòng lệnh (python main.py --help) hoặc chạy dưới Xvfb.")


class RebuildProgress:
    """After an upgrade the indicator data is rebuilt once before the window opens: show how
    far it has come and keep the screen alive (events are processed between chunks)."""

    def __init__(self):
        self.dialog: QProgressDialog | None = None

    def __call__(self, done: int, total: int) -> bool:
        if self.dialog is None:
            self.dialog = QProgressDialog("Đang cập nhật số liệu chỉ tiêu sau khi nâng cấp "
                                          "(chỉ một lần)…", "Huỷ", 0, total)
            self.dialog.setWindowTitle("MotCua")
            self.dialog.setMinimumDuration(0)
        self.dialog.setValue(done)
        QApplication.processEvents()
        if done >= total:
            self.dialog.close()
        return not self.dialog.wasCanceled()


def run_gui(args) -> int:
    """Open the main window on args.db (None: the default database); returns the exit code."""
    app = make_app()
    errors.install()
    path = resolve_path(getattr(args, "db", None))
    try:
        db = open_database(path, progress=RebuildProgress(), mode="browse")
    except (DatabaseEnvironmentError, MotCuaError) as exc:
        QMessageBox.critical(None, "MotCua", exc.message)
        return 1
    except InterruptedError:  # the clerk cancelled the one-time rebuild: nothing was changed
        return 1
    from gui.main_window import MainWindow
    window = MainWindow(db, str(path))
    window.show()
    try:
        return app.exec()
    finally:
        if window.db is not None:  # after a restore, the window holds a new connection
            window.db.close()
