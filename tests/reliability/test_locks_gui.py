"""Issue 10 §1 with the app's real file dialog: browsing the database's folder touches none of
its files, so the process keeps SQLite's own locks, and nothing written afterwards is lost."""
from __future__ import annotations

import datetime as dt
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QListView

from core.database import open_database
from gui import file_dialogs
from tests.reliability.helpers import (
    a_days_work,
    counts,
    counts_elsewhere,
    holder,
    run_main,
    small_office,
    sqlite_locks_held,
)

MORNING = dt.datetime(2025, 6, 11, 8, 0)
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/locks")


def _listed(view: QListView) -> set[str]:
    model, root = view.model(), view.rootIndex()
    return {model.index(row, 0, root).data() for row in range(model.rowCount(root))}


def _browse_then_cancel(qtbot, seen: dict) -> None:
    """Runs inside the dialog's event loop: wait until the folder is listed and every file's
    icon and type have been looked up, note what is shown, then close it like Esc would."""
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, QFileDialog) and w.isVisible())
    view = dialog.findChild(QListView, "listView")
    qtbot.waitUntil(lambda: {"hoso.xlsx", "ghichu.txt"} <= _listed(view), timeout=10000)
    qtbot.wait(1000)  # Qt's file-info thread fetches icons and types after the listing
    seen["names"] = _listed(view)
    seen["locks"] = sqlite_locks_held(seen["db_path"])
    dialog.reject()


def test_browsing_the_database_folder_keeps_the_locks_and_loses_nothing(qtbot, db, db_path,
                                                                       tmp_path):
    small_office(db)
    a_days_work(db, MORNING)
    (tmp_path / "hoso.xlsx").write_bytes(b"PK")
    (tmp_path / "ghichu.txt").write_text("ghi chú", encoding="utf-8")
    assert sqlite_locks_held(db_path)
    seen = {"db_path": db_path}
    QTimer.singleShot(50, lambda: _browse_then_cancel(qtbot, seen))
    assert file_dialogs.open_file_name(None, "Nhập dữ liệu", str(tmp_path), "Mọi tệp (*)") == ""
    assert {"hoso.xlsx", "ghichu.txt"} <= seen["names"]
    assert not {"test.db", "test.db-wal", "test.db-shm"} & seen["names"]
    assert seen["locks"] and sqlite_locks_held(db_path)  # no file of the database was opened

    assert run_main(db_path, "kpi", "--from", "2025-06-01", "--to", "2025-06-30").returncode == 0
    a_days_work(db, MORNING + dt.timedelta(hours=2))
    stored = counts(db)
    assert counts_elsewhere(db_path) == stored == (2, 10, 4, 2, 2)
    kiosk = holder(db_path)
    db.close()
    kiosk.communicate("")
    reopened = open_database(db_path)
    try:
        assert counts(reopened) == stored
    finally:
        reopened.close()


def test_the_save_dialog_hides_the_database_too(qtbot, db, db_path, tmp_path):
    small_office(db)
    (tmp_path / "hoso.xlsx").write_bytes(b"PK")
    (tmp_path / "ghichu.txt").write_text("ghi chú", encoding="utf-8")
    seen = {"db_path": db_path}
    QTimer.singleShot(50, lambda: _browse_then_cancel(qtbot, seen))
    assert file_dialogs.save_file_name(None, "Lưu tài liệu PDF", str(tmp_path), "Mọi tệp (*)") == ""
    assert not {"test.db", "test.db-wal", "test.db-shm"} & seen["names"]
    assert seen["locks"]
