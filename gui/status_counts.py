"""The status bar's figures of today — received, due today, overdue — read from the live due
times the register computes too (issue 18).

Every write ends in the status bar's figures. They used to recompute every open dossier's
live due time on the GUI thread (0.3 s at a million dossiers) just after the register, when
it is shown, had refreshed the same temporary table (core.live_due) and started completing
it between paints. Now the status bar takes that table when it was filled from the data as
they are (and within a minute: core.live_due.is_fresh, the one rule), else refreshes it
itself the register's way (the due times the rules compute left pending); the pending due
times are completed by whoever comes first, a chunk at a time between paints, from one shared
list; the figures are set once all are known — the same figures, as at the moment the table
was filled.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from core import live_due as livedue
from core import timefmt

CHUNK = 150  # due times computed per step (≈ 20 ms), as the register does
FRESH_SECONDS = 60  # a table filled longer ago is refilled: "now" has moved on


class TodayCounts(QObject):
    def __init__(self, parent, label, db_of: Callable, now: Callable):
        super().__init__(parent)
        self.label, self._db_of, self._now = label, db_of, now
        self._timer = QTimer(self, interval=0)
        self._timer.timeout.connect(self._step)

    def update(self) -> None:
        db = self._db_of()
        if db is None:
            return
        # the register's or the dashboard's table when it is fresh (the calendar then loaded
        # only to fill it again)
        livedue.refresh_live_table(db, None, self._now(), deferred=True, max_age=FRESH_SECONDS)
        self._step()
        if self.label.property("pending"):
            self._timer.start()  # the rest between paints (a usual office: none left)

    def _step(self) -> None:
        db = self._db_of()
        if db is None:  # let go of during a restore
            self._timer.stop()
            return
        done = livedue.finish_pending(db, CHUNK)
        self.label.setProperty("pending", not done)
        if not done:
            return
        self._timer.stop()
        now = livedue.live_table(db).moment or self._now()
        counts = livedue.today_counts(db, now)
        self.label.setText(
            f"Hôm nay {timefmt.vn_date(now)}: tiếp nhận {timefmt.vn_number(counts['received'])}"
            f" · đến hạn {timefmt.vn_number(counts['due_today'])}"
            f" · quá hạn {timefmt.vn_number(counts['overdue'])}")
