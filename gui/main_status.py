"""What the main window says of its file, its clerk and the day: the notes above the screens
(read-only file, a copied file) and the status bar (account, file, reminders, today's counts)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from gui import permissions, status_note
from gui.status_counts import TodayCounts

READ_ONLY_NOTE = ("Chế độ chỉ đọc: không ghi được vào tệp dữ liệu {path} (tệp, thư mục hoặc ổ đĩa "
                  "chỉ cho phép đọc, hoặc ổ đĩa đầy). Vẫn xem được hồ sơ, chỉ tiêu và in báo cáo; "
                  "muốn tiếp nhận hay sửa hồ sơ, hãy chép tệp sang thư mục có quyền ghi hoặc giải "
                  "phóng dung lượng rồi mở lại.")


class Status:
    """Mixed into the MainWindow: its notes and status bar labels, and their updates."""

    def _notes(self, column: QVBoxLayout) -> None:
        self.read_only_note = QLabel()
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setStyleSheet("background: #fff4ce; color: #5c3c00; padding: 6px 10px;"
                                          " border-bottom: 1px solid #e0c36a;")
        column.addWidget(self.read_only_note)
        # a copied file issues no code until the administrator decides: said to the others in
        # full, wrapped; in the status bar (a message over the account and the file's name when
        # shown before the window) it was cut at 1366 px and drawn over the account's line
        self.home_note = QLabel()
        self.home_note.setWordWrap(True)
        self.home_note.setStyleSheet(self.read_only_note.styleSheet())
        self.home_note.hide()
        column.addWidget(self.home_note)

    def _status_bar(self) -> None:
        self.db_label = status_note.ElidedLabel(f"CSDL: {self.db_path}")  # a path deep in folders
        self.counts_label = QLabel()
        self.today_counts = TodayCounts(self, self.counts_label, lambda: self.db,
                                        lambda: self._now())
        self.kiosk_label = QLabel()
        self.backup_label = QLabel()
        self.backup_label.hide()
        self.history_label = QLabel()
        self.history_label.hide()
        self.account_label = QLabel()
        self.statusBar().addWidget(self.account_label)
        self.privacy_label = QLabel()  # retention due: the administrator's reminder
        self.privacy_label.setStyleSheet("color: #8a4b00;")
        self.privacy_label.hide()
        self.statusBar().addWidget(self.db_label, 1)
        for label in (self.privacy_label, self.history_label, self.backup_label, self.kiosk_label, self.counts_label):
            self.statusBar().addPermanentWidget(label)

    def update_read_only_note(self) -> None:
        """A database opened read-only (read-only file, folder or medium, or a full disk) says so."""
        read_only = bool(getattr(self.db, "read_only", False))
        self.read_only_note.setText(READ_ONLY_NOTE.format(path=self.db_path) if read_only else "")
        self.read_only_note.setVisible(read_only)

    def figures_shown(self) -> bool:
        """The office's figures in the status bar (the votes of the hour) show only to a
        signed-in clerk: not at the gate of a locked counter, nor before the first sign-in,
        when a vote or a poll recounted them."""
        return not self.session.locked

    def _ask_home(self) -> None:
        """A file opened on another PC, or beside its original: the administrator says what it
        is before any code is issued here (core.installation.home); a clerk is told whom to ask,
        as on a file whose slot nobody confirmed yet (core.installation.slot_confirmed)."""
        from core import installation
        where = installation.home(self.db)
        self.home_note.setVisible(where.ask and not permissions.allowed("settings.edit"))
        if not where.ask:
            # the same wrapped line (the status bar cut it at 1366 px); an administrator is asked
            unconfirmed = not installation.slot_confirmed(self.db) and \
                not permissions.allowed("settings.edit")
            self.home_note.setVisible(unconfirmed)
            self.home_note.setText(installation.unconfirmed_message() if unconfirmed else "")
            return
        if permissions.allowed("settings.edit"):
            if not getattr(self, "home_asked", False):  # once a session; then the menu item
                self.home_asked = True
                from gui import packages
                self.home_dialog = packages.home_dialog(self)
        else:
            self.home_note.setText(installation.moved_message(where))

    def update_status(self) -> None:
        if self.db is None:
            return  # let go of during a restore
        self.kiosk_link.update_count()
        self._update_reminder()
        self.today_counts.update()  # the live due times the register computed, if fresh

    def _update_reminder(self) -> None:
        """The administrator's retention reminder: only while someone is signed in."""
        from gui.privacy.window import reminder_text
        self.privacy_label.setText(reminder_text(self.db))
        self.privacy_label.setVisible(bool(self.privacy_label.text()) and self.figures_shown())
