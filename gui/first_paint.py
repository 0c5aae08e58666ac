"""Paint the window first (issue 18): on a big file, the work of opening a screen — its first
figures, the status bar's counts of today — waits for the window's first paint, so the clerk
sees the window at once and the figures follow (a small file does it all on the spot)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent

from gui import worker


class PaintsFirst:
    """Mixed into a QWidget that has a `db`: `after_paint(job)`."""

    _painted = False
    _waiting: list[Callable[[], object]] | None = None

    def after_paint(self, job: Callable[[], object]) -> None:
        """Run `job` now, or on a big file not yet painted, just after its first paint."""
        if self._painted or not worker.background_path(self.db):  # type: ignore[attr-defined]
            job()
            return
        if self._waiting is None:
            self._waiting = []
        self._waiting.append(job)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)  # type: ignore[misc]
        if not self._painted:
            self._painted = True
            jobs, self._waiting = self._waiting or [], None
            for job in jobs:
                QTimer.singleShot(0, job)  # once this paint has reached the screen
