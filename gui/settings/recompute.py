"""After a change that moves due times: say how many dossiers it affects, then save the change
and recompute those dossiers in one transaction, in a worker.

The dossiers touched come from core.recompute. The worker opens its own connection, applies the
change, refreshes the dossiers in chunks (core.facts) reporting progress, and commits once:
Cancel rolls everything back, the change included, so figures never disagree with the rules.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QMessageBox

from core import facts
from core.timefmt import vn_number
from db.connection import transaction
from gui.worker import Cancelled, run_in_background

OPEN_SQL = "status IN ('received', 'processing', 'supplement')"


def open_count(db, ids: list[int]) -> int:
    if not ids:
        return 0
    return db.execute(f"SELECT COUNT(*) FROM dossiers WHERE {OPEN_SQL} AND id IN "
                      "(SELECT value FROM json_each(?))", [str(ids)]).fetchone()[0]


def confirm(parent, what: str, db, ids: list[int]) -> bool:
    """Ask before saving; nothing to ask when no dossier is affected."""
    if not ids:
        return True
    answer = QMessageBox.question(
        parent, "Thay đổi ảnh hưởng đến hạn xử lý",
        f"{what} làm thay đổi hạn trả kết quả của {vn_number(len(ids))} hồ sơ "
        f"({vn_number(open_count(db, ids))} hồ sơ đang giải quyết). Các hồ sơ này sẽ được tính "
        "lại hạn và phân loại đúng hạn/quá hạn. Tiếp tục?")
    return answer == QMessageBox.StandardButton.Yes


def apply_change(parent, db_path: str, change: Callable, ids: list[int], on_done=None):
    """Run `change(db)` and recompute `ids` in one transaction of a worker's connection."""
    def job(db, progress):
        with transaction(db):
            change(db)
            for start in range(0, len(ids), 2000):
                facts.refresh(db, ids[start:start + 2000])
                if progress(min(start + 2000, len(ids)), len(ids)) is False:
                    raise Cancelled()  # rolls back the change with the recomputation
        return len(ids)
    return run_in_background(parent, db_path, "Đang lưu và tính lại hạn xử lý của các hồ sơ…",
                             job, on_done)
