"""After a change that moves due times: say how many dossiers it affects, then save the change
and recompute those dossiers in one transaction, in a worker.

The dossiers touched come from core.recompute. The worker opens its own connection, applies the
change, refreshes the dossiers in chunks (core.facts) reporting progress, and commits once:
Cancel rolls everything back, the change included, so figures never disagree with the rules.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout

from core import recompute as core_recompute
from core.moment import open_sql
from core.timefmt import vn_number
from db.connection import DatabaseBusyError
from gui import ops, shown, widgets
from gui.db_wait import GIVE_UP_SECONDS
from gui.worker import run_in_background

OPEN_SQL = open_sql()


def open_count(db, ids: list[int]) -> int:
    if not ids:
        return 0
    return db.execute(f"SELECT COUNT(*) FROM dossiers WHERE {OPEN_SQL} AND id IN "
                      "(SELECT value FROM json_each(?))", [str(ids)]).fetchone()[0]


def confirm(parent, what: str, db, ids: list[int]) -> bool:
    """Ask before saving; nothing to ask when no dossier is affected."""
    if not ids:
        return True
    return widgets.confirm(
        parent, "Thay đổi ảnh hưởng đến hạn xử lý",
        f"{what} làm thay đổi hạn trả kết quả của {vn_number(len(ids))} hồ sơ "
        f"({vn_number(open_count(db, ids))} hồ sơ đang giải quyết). Các hồ sơ này sẽ được tính "
        "lại hạn và phân loại đúng hạn/quá hạn. Tiếp tục?", yes="Tiếp tục")


def apply_change(parent, db_path: str, change: Callable, ids: list[int], on_done=None,
                 changes: ops.Changes = ops.CATALOGUE | ops.DOSSIERS):
    """Run `change(db)` and recompute `ids` in one transaction of a worker's connection
    (core.recompute.apply_dated); Cancel rolls both back."""
    def job(db, progress):
        # in a worker: wait out another writer (a long import) as the window's saves do,
        # instead of failing after the busy timeout; a busy database rolled the whole
        # transaction back, so trying again is safe; the progress dialog stays up meanwhile
        deadline = time.monotonic() + GIVE_UP_SECONDS
        while True:
            try:
                return core_recompute.apply_dated(db, change, ids, progress)
            except DatabaseBusyError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.25)
    op = ops.Op(parent, job, changes)
    if on_done is not None:
        op.success(on_done)
    return op.run_in_background(db_path, "Đang lưu và tính lại hạn xử lý của các hồ sơ…")


class RetroactiveDialog(QDialog):
    """A change from a past date (spec 2.1): what it changes, listed first; applied on Yes only.

    Opened window-modal without blocking (`open()`), so the caller goes on in `accepted`.
    """

    def __init__(self, parent, what: str, lines: list[str]):
        super().__init__(parent)
        self.setWindowTitle("Thay đổi áp dụng cho thời gian đã qua")
        layout = QVBoxLayout(self)
        intro = QLabel(f"<b>{what}</b> từ một ngày đã qua sẽ thay đổi số liệu đã có:")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        # the lines name procedures and days as stored: shown as typed (gui.shown)
        self.details = shown.label("\n".join(f"• {line}" for line in lines))
        self.details.setWordWrap(True)
        layout.addWidget(self.details)
        layout.addWidget(QLabel("Các báo cáo đã in cho thời gian này sẽ không còn khớp. "
                                "Chỉ áp dụng khi có quyết định thay đổi từ ngày đó."))
        buttons = QDialogButtonBox()
        self.apply_button = QPushButton("Áp dụng thay đổi")
        self.cancel_button = QPushButton("Không áp dụng")
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setDefault(True)  # a stray Enter keeps history as it is
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)


def save_dated(parent, *, what: str, db, valid_from, today, change: Callable, ids: list[int],
               on_done=None, changes: ops.Changes = ops.CATALOGUE | ops.DOSSIERS):
    """Save a dated rule change: a past date lists its impact and waits for Yes (spec 2.1).

    The impact is worked out in a worker (a change from long ago may touch most dossiers); the
    RetroactiveDialog then opens as `parent.retro_dialog`. Returns the worker, or None.
    """
    if valid_from < today:
        def preview(worker_db, progress):
            return core_recompute.impact(worker_db, change, ids, valid_from, progress)

        def ask(impact):
            parent.retro_dialog = RetroactiveDialog(parent, what, impact.lines())
            parent.retro_dialog.accepted.connect(
                lambda: _start(parent, db, change, ids, on_done, changes))
            parent.retro_dialog.open()
        parent.retro_dialog = None
        return run_in_background(parent, db.path, "Đang xem trước các hồ sơ bị ảnh hưởng…",
                                 preview, ask, notify=False)
    if not confirm(parent, what, db, ids):
        return None
    return _start(parent, db, change, ids, on_done, changes)


def _start(parent, db, change, ids, on_done, changes):
    parent.worker = apply_change(parent, db.path, change, ids, on_done, changes)
    return parent.worker
