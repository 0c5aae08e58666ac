"""After a change that moves due times: say how many dossiers it affects, then refresh them.

The change itself is saved together with the `kpi_stale` mark (core.database rebuilds stale
derived data when the database is opened), then the refresh (core.facts) runs in a worker on
its own connection with progress and cancel; only a complete refresh clears the mark.
"""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from core import facts
from core.timefmt import vn_number
from db import settings
from db.connection import transaction
from gui.worker import run_in_background


def confirm(parent, what: str, count: int, open_count: int) -> bool:
    """Ask before saving; nothing to ask when no dossier is affected."""
    if count == 0:
        return True
    answer = QMessageBox.question(
        parent, "Thay đổi ảnh hưởng đến hạn xử lý",
        f"{what} làm thay đổi hạn trả kết quả của {vn_number(count)} hồ sơ "
        f"({vn_number(open_count)} hồ sơ đang giải quyết). Các hồ sơ này sẽ được tính lại "
        "hạn và phân loại đúng hạn/quá hạn. Tiếp tục?")
    return answer == QMessageBox.StandardButton.Yes


def refresh_dossiers(parent, db_path: str, ids: list[int] | None, on_done=None):
    """Recompute the given dossiers (None: every dossier) in a worker."""
    def job(db, progress):
        if ids is None:
            facts.rebuild_all(db, progress)
            return
        for start in range(0, len(ids), 2000):
            with transaction(db):
                facts.refresh(db, ids[start:start + 2000])
            if progress(min(start + 2000, len(ids)), len(ids)) is False:
                return  # stays marked stale: the next start rebuilds everything
        settings.put(db, "kpi_stale", 0)
    return run_in_background(parent, db_path, "Đang tính lại hạn xử lý của các hồ sơ…", job,
                             on_done)


def count_all(db) -> tuple[int, int]:
    total = db.execute("SELECT COUNT(*) FROM dossiers WHERE due_at IS NULL").fetchone()[0]
    open_ = db.execute("SELECT COUNT(*) FROM dossiers WHERE due_at IS NULL AND status IN "
                       "('received', 'processing', 'supplement')").fetchone()[0]
    return total, open_
