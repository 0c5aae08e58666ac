"""The main window's navigation: the list of screens, each built when first shown and refreshed
when what it shows has changed, and the screen each account last used at this PC."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from db import actor as actors
from gui import ops, screen_fit

# key, title, module:class — screens are built when first shown, so the window opens at once
SCREENS = (
    ("dashboard", "Tổng quan", "gui.dashboard.screen:DashboardScreen"),
    ("dossiers", "Hồ sơ", "gui.dossiers.register_view:RegisterScreen"),
    ("payments", "Thanh toán", "gui.payments:PaymentsScreen"),
    ("votes", "Đánh giá", "gui.votes:VotesScreen"),
    ("reports", "Báo cáo", "gui.reports:ReportsScreen"),
    ("catalogue", "Danh mục", "gui.catalogue.screen:CatalogueScreen"),
    ("settings", "Cài đặt", "gui.settings.screen:SettingsScreen"),
    ("accounts", "Tài khoản", "gui.settings.accounts:AccountsScreen"),
)


def screen_setting(login: str | None) -> str:
    """The setting of the last screen used at this PC (None) or by one account there."""
    return "main/screen" if login is None else f"main/screen/{login}"


NAV_PADDING = 8  # px around each screen's name in the navigation list
# a screen shown only to the accounts that may use it (issue 15 §1)
SCREEN_PERMISSION = {"accounts": "accounts.manage"}


def _load(target: str) -> Callable:
    import importlib
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


class Navigation:
    """Mixed into the MainWindow: its `nav` list of SCREENS and its `stack` of the screens built."""

    def _nav_list(self) -> QListWidget:
        nav = QListWidget()
        nav.setStyleSheet(f"QListWidget {{ font-size: 11pt; }} "
                          f"QListWidget::item {{ padding: {NAV_PADDING}px; }}")
        for key, title, _ in SCREENS:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            nav.addItem(item)
        # as wide as its longest name: at a fixed 150 px it kept 40 px empty beside "Thanh
        # toán" that the register's procedure column (100 px at 1366) was short of
        nav.setFixedWidth(screen_fit.list_width(nav, NAV_PADDING))
        return nav

    def _open_remembered(self, login: str) -> None:
        """The screen this account last used at this PC; its first time, the dashboard. The
        PC's last screen was another account's: a leader signing in after a clerk landed on
        the paper-vote form (the leader's month end, ninth round)."""
        keys = [k for k, _, _ in SCREENS]
        last = QSettings().value(screen_setting(login), "dashboard")
        row = keys.index(last) if last in keys else 0
        if self.nav.item(row).isHidden():
            row = 0
        self.nav.setCurrentRow(row)

    # ----- screens --------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not self.db.execute("SELECT 1 FROM dossiers LIMIT 1").fetchone() and \
            not self.db.execute("SELECT 1 FROM procedures LIMIT 1").fetchone()

    def show_screen(self, key: str) -> QWidget:
        row = [k for k, _, _ in SCREENS].index(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        elif self.stack.currentWidget() is not self.screens.get(key):
            self._nav_changed(row)  # e.g. the welcome page gives way once the database is filled
        return self.stack.currentWidget()  # the welcome page while the database is empty

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        key, _, target = SCREENS[row]
        if key == "dashboard" and self.is_empty():
            self.stack.setCurrentWidget(self._welcome())
            return
        screen = self.screens.get(key)
        if screen is None:
            screen = _load(target)(self.db, self)
            self.screens[key] = screen
            self.stack.addWidget(screen)
            self.after_paint(screen.refresh)
        elif key in self._stale:
            screen.refresh()
        self._stale.discard(key)
        self.stack.setCurrentWidget(screen)
        QSettings().setValue(screen_setting(None), key)  # where the window opens, signed out
        who = actors.signed_in()
        if who is not None:
            QSettings().setValue(screen_setting(who.login), key)

    def _welcome(self) -> QWidget:
        if "welcome" not in self.screens:
            from gui.welcome import WelcomePage
            page = WelcomePage(self.db, self.db_path, self)
            page.done.connect(lambda: self.show_screen("dashboard"))
            self.screens["welcome"] = page
            self.stack.addWidget(page)
        return self.screens["welcome"]

    def current_key(self) -> str | None:
        row = self.nav.currentRow()
        return SCREENS[row][0] if row >= 0 else None

    # ----- refresh --------------------------------------------------------------------------
    def data_changed(self, changes=ops.EVERYTHING) -> None:
        """Something was written: the screens that show it (their SHOWS) refresh, the visible
        one now, the others when shown (Anki's table marks its cache stale the same way)."""
        self._stale.update(k for k, screen in self.screens.items() if k != "welcome" and
                           changes.touches(getattr(screen, "SHOWS", ops.EVERYTHING)))
        self.refresh_current()

    def refresh_current(self) -> None:
        if self.db is None:
            return  # during a restore: the screens come back when the database is reopened
        key = self.current_key()
        if key == "dashboard" and "dashboard" not in self.screens:
            self._nav_changed(self.nav.currentRow())  # the welcome page may give way now
        elif key in self._stale:  # a screen not showing what changed keeps its rows
            self.screens[key].refresh()
            self._stale.discard(key)
        self.update_status()
