"""The dialog of the one-time work at start names the work being done (review25 finding 3):
after an update that changes the search key (searchkey.KEY_FORMAT), the first start rebuilds
the search index, and its dialog said "nâng cấp dữ liệu và cập nhật số liệu chỉ tiêu"."""
from __future__ import annotations

import datetime as dt

from core import searchkey
from core.database import open_database
from db.connection import transaction
from gui.app import RebuildProgress
from tests.core.factories import add_dossier, add_procedures, add_units


class Watched(RebuildProgress):
    """The window's dialog, noting the line it shows at each report of progress."""

    def __init__(self):
        super().__init__()
        self.shown: list[str] = []

    def __call__(self, done: int, total: int) -> bool:
        going_on = super().__call__(done, total)
        assert self.dialog is not None
        self.shown.append(self.dialog.labelText())
        return going_on


def test_a_search_index_rebuild_at_start_says_so(qtbot, db_path):
    db = open_database(db_path)
    add_units(db)
    add_procedures(db)
    add_dossier(db, code="A", received=dt.datetime(2025, 3, 3, 8))
    with transaction(db) as conn:  # keys of the version before: rebuilt at the next start
        conn.execute("UPDATE settings SET value = '3' WHERE key = ?", [searchkey.KEY_SETTING])
    db.close()
    progress = Watched()
    reopened = open_database(db_path, progress=progress, mode="browse")
    try:
        assert searchkey.is_current(reopened)
        assert progress.shown, "the rebuild showed no progress"
        assert set(progress.shown) == {"Đang dựng lại chỉ mục tìm kiếm (tệp của phiên bản trước)…"}
    finally:
        reopened.close()
        if progress.dialog is not None:
            progress.dialog.close()


def test_a_figures_rebuild_at_start_names_the_figures(qtbot, db_path):
    db = open_database(db_path)
    add_units(db)
    add_procedures(db)
    add_dossier(db, code="A", received=dt.datetime(2025, 3, 3, 8))
    from db import settings
    settings.put(db, "kpi_stale", 1)
    db.close()
    progress = Watched()
    reopened = open_database(db_path, progress=progress, mode="browse")
    try:
        assert set(progress.shown) == {"Đang tính lại số liệu chỉ tiêu…"}
    finally:
        reopened.close()
        if progress.dialog is not None:
            progress.dialog.close()
