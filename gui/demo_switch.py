"""Switching the window between the office's real database and the demo file (issue 14 §7).

The demo lives in its own file (core.paths.demo_db_path), marked as demo in its settings, so
trying the program never fills the real database. One menu item goes there ("Mở dữ liệu mẫu",
creating the demo on first use) and back ("Về dữ liệu thật").
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from core import office_setup, paths, timefmt
from core.database import open_database
from gui.worker import run_in_background

DEMO_DOSSIERS = 20000
REAL_KEY = "main/real_db"  # the real database the window came from, to go back to


def remember_real(db, db_path: str) -> None:
    """Called when a window opens a database: a real one is where "Về dữ liệu thật" returns."""
    if not office_setup.is_demo(db):
        QSettings().setValue(REAL_KEY, str(db_path))


def real_path() -> str:
    return str(QSettings().value(REAL_KEY, str(paths.default_db_path())))


def demo_ready(path: Path) -> bool:
    """The demo file exists and holds its data (a cancelled creation leaves it empty)."""
    if not path.exists():
        return False
    db = open_database(path, create=False, mode="read")
    try:
        return bool(db.execute("SELECT 1 FROM dossiers LIMIT 1").fetchone())
    finally:
        db.close()


def open_demo(window, dossiers: int = DEMO_DOSSIERS):
    """Open the demo file in `window`, creating its data first when it has none.

    Returns the worker when the demo is being generated (tests wait on it), else None.
    """
    path = paths.demo_db_path()
    if demo_ready(path):
        switch_to(window, path)
        return None
    _create_marked(path)
    from core import demo
    today = timefmt.now().date()
    return run_in_background(
        window, str(path), f"Đang tạo {dossiers:,} hồ sơ mẫu trong tệp riêng…".replace(",", "."),
        lambda db, progress: demo.generate(db, dossiers=dossiers, seed=1, today=today,
                                           progress=progress),
        lambda _result: switch_to(window, path), notify=False)


def _create_marked(path: Path) -> None:
    """The demo file exists and says it is the demo before any data goes in."""
    db = open_database(path)
    try:
        office_setup.mark_demo(db)
    finally:
        db.close()


def back_to_real(window) -> None:
    switch_to(window, Path(real_path()))


def switch_to(window, path: Path) -> bool:
    """Close the window's database and open `path` in its place (created when missing)."""
    window.close_database()
    window.db_path = str(path)
    if not window.reopen_database(create=True):
        return False
    window.database_switched()
    return True
