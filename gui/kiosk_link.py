"""The clerk's side of the citizens' vote kiosk (issue 6, docs/kiosk.md).

- "Mở màn hình đánh giá" opens the kiosk as a window of this app (asking for the unit when the
  database has several);
- a vote reaches every screen without a restart: a kiosk in this process says so through its
  `voted` signal; a kiosk in another process (`python main.py kiosk`, e.g. on a PC's second
  screen) only through the database, so a timer compares core.kiosk.last_vote_id — MAX(id) of
  the primary key, one B-tree step — every couple of seconds;
- the status bar shows the unit's votes of the last hour, the clerk's check against stuffing.
"""
from __future__ import annotations

import sqlite3

import shiboken6
from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from core import desk_unit, kiosk
from core.errors import MotCuaError
from db.connection import DatabaseEnvironmentError
from gui import bus, errors, modality, ops, unit_preset, widgets

POLL_MS = 2000
COUNT_EVERY = 30  # polls between two counts with no new vote: the hourly count drops as votes age


class KioskLink(QObject):
    def __init__(self, window, label: QLabel, poll_ms: int = POLL_MS):
        super().__init__(window)
        self.window = window  # the main window: its db and db_path may change (restore)
        self.label = label
        self.kiosks: list[QWidget] = []
        self._last: int | None = None
        self._ticks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        modality.install()  # the clerk's dialogs never block an in-process kiosk

    # ----- opening the kiosk ------------------------------------------------------------------
    def open_kiosk(self) -> QWidget | None:
        """Open the kiosk of a unit in this process (or bring back the one already open)."""
        unit = self.choose_unit()
        if unit is None:
            return None
        for window in self.open_kiosks():
            if window.unit_code == unit:
                window.raise_()
                window.activateWindow()
                return window
        from gui.kiosk import open_kiosk_window  # the kiosk's pages are built only when asked for
        try:
            window = open_kiosk_window(self.window, self.window.db_path, unit)
        except MotCuaError as exc:
            errors.show_error(self.window, exc, errors.failure_title("mở màn hình đánh giá"))
            return None
        QSettings().setValue("kiosk/unit", unit)  # this PC's kiosk, for the status bar's count
        unit_preset.remember("kiosk", unit)
        window.voted.connect(self.vote_cast)
        self.kiosks.append(window)
        self.update_count()
        return window

    def choose_unit(self) -> str | None:
        choices = widgets.units(self.window.db)
        if not choices:
            self.window.statusBar().showMessage(
                "Chưa có đơn vị nào: hãy nhập danh mục đơn vị trước khi mở màn hình đánh giá.", 8000)
            return None
        if len(choices) == 1:
            return choices[0][0]
        codes = [code for code, _ in choices]
        # indented by depth, as every other unit picker (widgets.add_choices)
        labels = [widgets.INDENT * getattr(choice, "depth", 0) + choice[1] for choice in choices]
        # this clerk's last choice, else their own unit, as at intake (core.desk_unit; another
        # clerk's last kiosk at this shared PC was offered before, try25 F2)
        last = unit_preset.last_choice("kiosk") or unit_preset.last_choice("intake")
        preset = desk_unit.preset(self.window.db, codes, last)
        label = widgets.choose(
            self.window, "Mở màn hình đánh giá", "Màn hình đánh giá của đơn vị:",
            labels, codes.index(preset) if preset in codes else 0)
        if label is None:
            return None
        return codes[labels.index(label)]

    def open_kiosks(self) -> list[QWidget]:
        self.kiosks = [w for w in self.kiosks if shiboken6.isValid(w) and w.isVisible()]
        return self.kiosks

    def shutdown_all(self) -> None:
        """Close the in-process kiosks (the app is closing, or its database is being replaced)."""
        for window in self.open_kiosks():
            window.shutdown()
        self.kiosks = []

    # ----- noticing votes ---------------------------------------------------------------------
    def vote_cast(self, _vote_id: int, _dossier_id) -> None:
        """A kiosk of this process stored a vote: refresh now rather than at the next poll."""
        bus.notify(ops.VOTES)  # the main window's refresh also records the new last vote id

    def poll(self) -> None:
        """Notice a vote written by another process (or another connection of this one)."""
        self._ticks += 1
        try:
            last = kiosk.last_vote_id(self.window.db)
        except (DatabaseEnvironmentError, sqlite3.Error):
            return  # locked for a moment, or closed during a restore: the next tick retries
        if self._last is not None and last != self._last:
            bus.notify(ops.VOTES)
        elif self._ticks >= COUNT_EVERY:
            self.update_count()

    def update_count(self) -> None:
        """The votes of the last hour of the kiosk's unit; also marks the votes seen so far."""
        self._ticks = 0
        db = self.window.db
        self._last = kiosk.last_vote_id(db)
        unit = self.count_unit()
        self.label.setVisible(unit is not None and self.window.figures_shown())
        if unit is None:
            return
        count = kiosk.votes_last_hour(db, unit)
        self.label.setText(f"Phiếu đánh giá 1 giờ qua ({unit}): {count}")
        self.label.setToolTip("Số phiếu đánh giá của đơn vị trong 60 phút vừa qua, để cán bộ phát "
                              "hiện việc bấm phiếu bất thường trên màn hình đánh giá.")

    def count_unit(self) -> str | None:
        """The open kiosk's unit, else the one last opened, else the database's only unit."""
        open_now = self.open_kiosks()
        if open_now:
            return open_now[-1].unit_code
        remembered = QSettings().value("kiosk/unit")
        codes = [row[0] for row in self.window.db.execute("SELECT code FROM units LIMIT 2")]
        if remembered and self.window.db.execute(
                "SELECT 1 FROM units WHERE code = ?", [remembered]).fetchone():
            return remembered
        return codes[0] if len(codes) == 1 else None
