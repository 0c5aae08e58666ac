"""Dữ liệu cá nhân (Law 91/2025/QH15): the administrator's window with four tabs — the access
log, retention, data-subject requests and the breach kit. Gated by `privacy.manage`."""
from __future__ import annotations

import time

from PySide6.QtWidgets import QDialog, QTabWidget, QVBoxLayout

from core import accounts, timefmt
from gui import widgets
from gui.privacy.breach_tab import BreachTab
from gui.privacy.log_tab import LogTab
from gui.privacy.retention_tab import RetentionTab
from gui.privacy.subject_tab import SubjectTab

TITLE = "Dữ liệu cá nhân"


class PrivacyWindow(QDialog):
    def __init__(self, db, db_path: str, parent=None, today=None):
        super().__init__(parent)
        self.setWindowTitle(f"{TITLE} — MotCua")
        today = today or timefmt.now().date()
        self.tabs = QTabWidget()
        self.log_tab = LogTab(db, today, self)
        self.retention_tab = RetentionTab(db, db_path, today, self)
        self.subject_tab = SubjectTab(db, self)
        self.breach_tab = BreachTab(db, db_path, today, self)
        for tab, title in ((self.log_tab, "Nhật ký truy cập"), (self.retention_tab, "Lưu giữ"),
                           (self.subject_tab, "Yêu cầu chủ thể dữ liệu"),
                           (self.breach_tab, "Sự cố lộ lọt")):
            self.tabs.addTab(tab, title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        widgets.fit_to_screen(self, 1100, 700)
        self.log_tab.refresh()


def open_privacy(window) -> PrivacyWindow | None:
    """From the menu: only an administrator (privacy.manage) gets the window."""
    if not accounts.can(None, "privacy.manage"):
        widgets.warn(window, TITLE, "Chỉ quản trị viên được xem nhật ký truy cập và quản lý dữ "
                                    "liệu cá nhân.")
        return None
    if getattr(window.db, "read_only", False):
        widgets.warn(window, TITLE, "Cơ sở dữ liệu đang mở chỉ để đọc: không ghi được nhật ký "
                                    "và không sửa được dữ liệu.")
        return None
    dialog = PrivacyWindow(window.db, window.db_path, window)
    window.privacy_window = dialog
    dialog.show()
    return dialog


REMINDER_SECONDS = 600  # the count runs every clerk action otherwise: 0,8 s on 200k due
_reminder: dict = {}


def reminder_text(db) -> str:
    """The status bar's notice for the administrator when dossiers are due for anonymising
    (counted at most every ten minutes, and again after the Lưu giữ tab changed something)."""
    from core.privacy import retention
    if not accounts.can(None, "privacy.manage"):
        return ""
    now = time.monotonic()
    if _reminder.get("db") is not db or now - _reminder.get("at", -REMINDER_SECONDS) \
            >= REMINDER_SECONDS:
        _reminder.update(db=db, at=now, text=retention.reminder(db) or "")
    return _reminder["text"]


def forget_reminder() -> None:
    _reminder.clear()
