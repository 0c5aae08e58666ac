"""Paint the window first (issue 18): on a big file, the work of opening a screen — its first
figures, the status bar's counts of today — waits for the window's first paint, so the clerk
sees the window at once and the figures follow (a small file does it all on the spot)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent

from gui import worker

# The start-up backup and history check of a big file wait this long after the first paint:
# their threads would share the interpreter with the dashboard's figures (a whole chain check
# is seconds of Python at a million dossiers).
JOBS_AFTER_PAINT_MS = 5000


class PaintsFirst:
    """Mixed into a QWidget that has a `db`: `after_paint(job)`."""

    _painted = False
    _waiting: list[tuple[Callable[[], object], int]] | None = None

    def after_paint(self, job: Callable[[], object], delay_ms: int = 0) -> None:
        """Run `job` now, or on a big file not yet painted, `delay_ms` after its first paint."""
        if self._painted or not worker.background_path(self.db):  # type: ignore[attr-defined]
            job()
            return
        if self._waiting is None:
            self._waiting = []
        self._waiting.append((job, delay_ms))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)  # type: ignore[misc]
        if not self._painted:
            self._painted = True
            jobs, self._waiting = self._waiting or [], None
            for job, delay_ms in jobs:
                QTimer.singleShot(delay_ms, job)  # 0: once this paint has reached the screen
