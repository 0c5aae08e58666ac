"""The kiosk window: pages, the citizen's taps and keys, polling for the clerk's invitations.

The window has its own database connection, so it works the same inside the clerk's app and as
a separate `python main.py kiosk` process. Every vote is written the moment a face is tapped;
while another program holds the database (a long import) it waits in memory
(core.kiosk.VoteQueue) and is written on a later tick, and the citizen is thanked all the same.
Only the clerk can leave: Ctrl+Shift+Q and a confirmation; Esc and Alt+F4 do nothing.
"""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from core import kiosk, timefmt
from core.database import open_database
from core.errors import FieldError
from db.connection import DatabaseEnvironmentError, environment_message
from gui import keys, widgets
from gui.kiosk.pages import RATINGS, ReasonsPage, StartPage, ThanksPage

log = logging.getLogger("motcua.kiosk")
KEYS = {Qt.Key.Key_1: RATINGS[0], Qt.Key.Key_2: RATINGS[1], Qt.Key.Key_3: RATINGS[2],
        Qt.Key.Key_4: RATINGS[3]}
EXIT_KEYS = "Ctrl+Shift+Q"
COUNTER_REFRESH_TICKS = 30  # the hourly count also drops as votes age, not only on new votes

STYLE = """
KioskWindow { background: #FFFFFF; }
QFrame#banner { background: #E3F2FD; border: 2px solid #0D47A1; border-radius: 14px; }
QFrame#banner[dossier="true"] { background: #FFF8E1; border: 3px solid #E65100; }
QLabel#counter { color: #455A64; }
QPushButton#reason { background: #ECEFF1; color: #0D1B2A; border: 3px solid #546E7A;
                     border-radius: 14px; padding: 8px; }
QPushButton#reason:checked { background: #0D47A1; color: #FFFFFF; border-color: #0D47A1; }
QPushButton#primary { background: #1B6E34; color: #FFFFFF; border-radius: 14px; font-weight: bold; }
QPushButton#secondary { background: #FFFFFF; color: #0D1B2A; border: 3px solid #546E7A;
                        border-radius: 14px; }
QLineEdit { border: 3px solid #546E7A; border-radius: 10px; padding: 6px 12px; color: #0D1B2A;
            background: #FFFFFF; }
"""


class KioskWindow(QWidget):
    """The citizen-facing vote screen of one unit."""

    voted = Signal(int, object)  # vote id, dossier id (None for a walk-in vote)

    def __init__(self, db_path: str | Path, unit_code: str, unit_name: str, *,
                 parent: QWidget | None = None, thanks_ms: int | None = None,
                 poll_ms: int = 1000, reasons_idle_ms: int = 60_000,
                 guard: kiosk.VoteGuard | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.db = open_database(db_path, create=False)
        self.unit_code = unit_code
        self.guard = guard or kiosk.VoteGuard()
        self.queue = kiosk.VoteQueue()
        self._unannounced: list[kiosk.PendingVote] = []
        self.invitation: kiosk.Invitation | None = None
        self.vote: kiosk.PendingVote | None = None
        self._clerk_closing = False
        self._data_version: int | None = None
        self._ticks = 0
        self.setWindowTitle(f"MotCua — Đánh giá sự hài lòng — {unit_name}")
        self.setStyleSheet(STYLE)
        self._build(unit_name)
        self._timers(thanks_ms, poll_ms, reasons_idle_ms)
        keys.shortcut(EXIT_KEYS, self, self.request_exit)
        self.poll()

    # ----- construction ----------------------------------------------------------------------
    def _build(self, unit_name: str) -> None:
        self.start = StartPage(unit_name)
        self.reasons = ReasonsPage()
        self.thanks = ThanksPage()
        self.stack = QStackedWidget()
        for page in (self.start, self.reasons, self.thanks):
            self.stack.addWidget(page)
        self.counter = QLabel()
        self.counter.setObjectName("counter")
        footer = QHBoxLayout()
        footer.setContentsMargins(16, 0, 16, 6)
        footer.addStretch(1)
        footer.addWidget(self.counter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack, 1)
        layout.addLayout(footer)
        self.start.rated.connect(self.choose)
        self.reasons.submitted.connect(self._submit_details)
        self.reasons.skipped.connect(lambda: self._show_thanks(self._last_rating))
        self.reasons.touched.connect(lambda: self.reasons_idle.start())
        self.thanks.tapped.connect(self.back_to_start)
        self._last_rating = RATINGS[0]

    def _timers(self, thanks_ms: int | None, poll_ms: int, reasons_idle_ms: int) -> None:
        self.thanks_timer = QTimer(self, singleShot=True)
        self.thanks_timer.setInterval(thanks_ms if thanks_ms is not None
                                      else int(kiosk.thanks_seconds(self.db) * 1000))
        self.thanks_timer.timeout.connect(self.back_to_start)
        # A citizen who walks away on the reasons page has voted already; just move on.
        self.reasons_idle = QTimer(self, singleShot=True)
        self.reasons_idle.setInterval(reasons_idle_ms)
        self.reasons_idle.timeout.connect(lambda: self._show_thanks(self._last_rating))
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_ms)
        self.poll_timer.timeout.connect(self.poll)
        self.poll_timer.start()

    # ----- polling ---------------------------------------------------------------------------
    def poll(self) -> None:
        """Pick up the clerk's invitation and the hourly count when another connection wrote."""
        self._ticks += 1
        if len(self.queue):
            self._flush()
        try:
            version = self.db.execute("PRAGMA data_version").fetchone()[0]
            if version != self._data_version or self._ticks >= COUNTER_REFRESH_TICKS:
                self._data_version = version
                self._ticks = 0
                self._refresh()
        except (DatabaseEnvironmentError, sqlite3.OperationalError) as exc:
            self.counter.setText(_environment_text(exc))  # e.g. locked a moment: next tick retries

    def _refresh(self) -> None:
        count = kiosk.votes_last_hour(self.db, self.unit_code)
        self.counter.setText(f"Phiếu trong 1 giờ qua: {count}")
        if self.stack.currentWidget() is self.start:
            invitation = kiosk.pending_invitation(self.db, self.unit_code)
            if invitation != self.invitation:
                self.invitation = invitation
                self.start.show_invitation(invitation)
                self.start.show_notice("")

    # ----- the citizen's vote ----------------------------------------------------------------
    def keyPressEvent(self, event) -> None:  # noqa: N802
        rating = KEYS.get(event.key())
        if rating and self.stack.currentWidget() is self.start:
            self.choose(rating)
            return
        if event.key() == Qt.Key.Key_Escape:
            return  # the citizen cannot leave the kiosk
        super().keyPressEvent(event)

    def choose(self, rating: str) -> None:
        """A face was tapped (or its key pressed): store the vote now, then thank or ask why."""
        if self.stack.currentWidget() is not self.start:
            return
        if not self.guard.allows():
            self.start.show_notice("Ông/Bà vừa đánh giá xong. Xin chờ vài giây rồi chọn lại.")
            return
        invitation = self.invitation
        vote = kiosk.PendingVote(self.unit_code, rating, timefmt.now(),
                                 dossier_id=invitation.dossier_id if invitation else None)
        self._unannounced.append(vote)
        self.queue.cast(self.db, vote)
        if vote.already_rated:
            self._already_rated(invitation)
            return
        self.guard.record()
        self._after_vote(vote)

    def _after_vote(self, vote: kiosk.PendingVote) -> None:
        self.vote = vote
        self._last_rating = vote.rating
        self.invitation = None
        self.start.show_invitation(None)
        self.start.show_notice("")
        self._settle()
        if vote.rating in kiosk.ASK_REASONS:
            self.reasons.reset(vote.rating)
            self.stack.setCurrentWidget(self.reasons)
            self.reasons_idle.start()
        else:
            self._show_thanks(vote.rating)

    def _already_rated(self, invitation: kiosk.Invitation | None) -> None:
        code = invitation.code if invitation else ""
        self.invitation = None
        self.start.show_invitation(None)
        self.start.show_notice(f"Hồ sơ {code} đã được đánh giá trước đó. Xin cảm ơn Ông/Bà!")

    def _submit_details(self, reasons: list, comment: str) -> None:
        try:
            self.queue.add_details(self.db, self.vote, reasons, comment)
        except FieldError as exc:  # a hidden character pasted into the comment: said, kept
            self.reasons.refuse(exc.message)
            return
        self._settle()
        self._show_thanks(self._last_rating)

    # ----- votes waiting for the database ----------------------------------------------------
    def _flush(self) -> None:
        self.queue.flush(self.db)
        self._settle()

    def _settle(self) -> None:
        """Tell the clerk's app about stored votes; say so quietly while some still wait."""
        for vote in [v for v in self._unannounced if v.vote_id is not None or v.already_rated]:
            self._unannounced.remove(vote)
            if vote.vote_id is not None:
                self.voted.emit(vote.vote_id, vote.dossier_id)
        if len(self.queue):
            self.counter.setText(f"Đang chờ cơ sở dữ liệu… {len(self.queue)} phiếu sẽ được ghi "
                                 "ngay khi xong")
        else:
            self._refresh_counter()

    def _show_thanks(self, rating: str) -> None:
        self.reasons_idle.stop()
        note = ("Chúng tôi sẽ xem xét để phục vụ tốt hơn." if rating in kiosk.ASK_REASONS
                else "")
        self.thanks.show_vote(rating, note)
        self.stack.setCurrentWidget(self.thanks)
        self.thanks_timer.start()

    def back_to_start(self) -> None:
        self.thanks_timer.stop()
        self.stack.setCurrentWidget(self.start)
        self._data_version = None  # show a new invitation at once
        self.poll()

    def _refresh_counter(self) -> None:
        self.counter.setText(f"Phiếu trong 1 giờ qua: {kiosk.votes_last_hour(self.db, self.unit_code)}")

    # ----- leaving (the clerk only) ----------------------------------------------------------
    def request_exit(self) -> None:
        if self.confirm_exit():
            self.shutdown()

    def confirm_exit(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Đóng màn hình đánh giá",
                          "Cán bộ muốn đóng màn hình đánh giá của người dân?", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # every message box plain (gui.shown)
        close = box.addButton("Đóng màn hình", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Không", QMessageBox.ButtonRole.RejectRole)
        widgets.exec_once(box)
        return box.clickedButton() is close

    def shutdown(self) -> None:
        """Close for good (the clerk confirmed, or the clerk's app is closing)."""
        self._clerk_closing = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._clerk_closing:
            event.ignore()  # Alt+F4 or the title bar: only the clerk's key combination closes
            return
        for timer in (self.poll_timer, self.thanks_timer, self.reasons_idle):
            timer.stop()
        self._last_flush()
        self.db.close()
        event.accept()

    def _last_flush(self) -> None:
        """Closing with votes still waiting: give the other writer up to half a minute."""
        self.queue.wait_ms = 5000
        for _attempt in range(6):
            if self.queue.flush(self.db):
                return
        log.error("kiosk closed with %d vote(s) not stored: %s", len(self.queue),
                  self.queue.last_error or "")

    def resizeEvent(self, event) -> None:  # noqa: N802
        height = max(480, self.height())
        for page in (self.start, self.reasons, self.thanks):
            page.scale(height)
        font = self.counter.font()
        font.setPixelSize(max(12, int(height * 0.022)))
        self.counter.setFont(font)
        super().resizeEvent(event)


def _environment_text(exc: Exception) -> str:
    """The Vietnamese text of a known failure; an SQLite error that is not one is a bug."""
    if isinstance(exc, sqlite3.OperationalError):
        text = environment_message(exc)
        if text is None:
            raise exc
        return text
    return exc.message
