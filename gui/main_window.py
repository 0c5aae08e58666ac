"""The main window: navigation between the screens, the status bar, shortcuts, remembered layout."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core import accounts, office_setup, timefmt
from core.database import open_database
from db import actor as actors
from db.connection import DatabaseEnvironmentError
from gui import (
    account_menu,
    backup_restore,
    bus,
    closing,  # asks before quitting under a running job (issue 14.9)
    demo_switch,
    errors,
    history_status,
    ops,
    permissions,
    screen_fit,
    session,
    status_note,
    widgets,
    worker,
)
from gui.first_paint import JOBS_AFTER_PAINT_MS, PaintsFirst
from gui.kiosk_link import KioskLink
from gui.signin import Gate
from gui.status_counts import TodayCounts

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


READ_ONLY_NOTE = ("Chế độ chỉ đọc: không ghi được vào tệp dữ liệu {path} (tệp, thư mục hoặc ổ đĩa "
                  "chỉ cho phép đọc, hoặc ổ đĩa đầy). Vẫn xem được hồ sơ, chỉ tiêu và in báo cáo; "
                  "muốn tiếp nhận hay sửa hồ sơ, hãy chép tệp sang thư mục có quyền ghi hoặc giải "
                  "phóng dung lượng rồi mở lại.")


def _load(target: str) -> Callable:
    import importlib
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


class MainWindow(PaintsFirst, QMainWindow):
    def __init__(self, db, db_path: str, now=None, *, auto_backup: bool = True):
        super().__init__()
        self.db, self.db_path = db, str(db_path)
        self._now = now or (lambda: timefmt.now())
        self.update_title()
        self.screens: dict[str, QWidget] = {}
        self._stale: set[str] = set()
        self._closed = False
        self.offer_first_start = False  # gui.app sets it: the office's setup after the first sign-in
        self._build()
        self.kiosk_link = KioskLink(self, self.kiosk_label)
        self._menus()
        self._shortcuts()
        self._restore()  # reads the first figures: may fail on a damaged file (gui.app refuses it)
        demo_switch.remember_real(self.db, self.db_path)
        bus.bus().executed.connect(self.data_changed)  # only once the window stands
        self.backup_worker = self.history_worker = None
        if auto_backup:  # on a big file, once its first figures have had their time (issue 18)
            self.after_paint(self._start_up_jobs, JOBS_AFTER_PAINT_MS)
        self.session.start()  # the account signed in already, or the gate (gui.session)

    def _start_up_jobs(self) -> None:
        self.backup_worker = backup_restore.start_auto_backup(self)
        # the other start-up job: is the history intact? (issue 15 §2, in the background)
        self.history_worker = history_status.start(self, self.history_label)

    # ----- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.nav = QListWidget()
        self.nav.setStyleSheet(f"QListWidget {{ font-size: 11pt; }} "
                               f"QListWidget::item {{ padding: {NAV_PADDING}px; }}")
        for key, title, _ in SCREENS:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        # as wide as its longest name: at a fixed 150 px it kept 40 px empty beside "Thanh
        # toán" that the register's procedure column (100 px at 1366) was short of
        self.nav.setFixedWidth(screen_fit.list_width(self.nav, NAV_PADDING))
        self.stack = QStackedWidget()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
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
        row = QHBoxLayout()
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        column.addLayout(row, 1)
        self.body = central
        self.gate = Gate(self.db)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.body)
        self.pages.addWidget(self.gate)
        self.setCentralWidget(self.pages)
        self.session = session.Session(self, self.gate)
        self.update_read_only_note()
        self.nav.currentRowChanged.connect(self._nav_changed)
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

    def update_title(self) -> None:
        """The demo file says so in the title, on every screen (issue 14 §7)."""
        demo = self.db is not None and office_setup.is_demo(self.db)
        self.setWindowTitle("MotCua — Bộ phận Một cửa" + (" — DỮ LIỆU MẪU" if demo else ""))
        if hasattr(self, "demo_action"):
            self.demo_action.setText("Về dữ liệu thật" if demo else "Mở dữ liệu mẫu")

    def toggle_demo(self) -> None:
        """One menu item between the real database and the demo file."""
        if office_setup.is_demo(self.db):
            demo_switch.back_to_real(self)
        else:
            self.demo_worker = demo_switch.open_demo(self)

    def database_switched(self) -> None:
        """After opening another file in this window: title, status bar, the first start."""
        self.db_label.setText(f"CSDL: {self.db_path}")
        self.update_title()
        demo_switch.remember_real(self.db, self.db_path)
        if getattr(self, "history_worker", None) is not None:  # another file: its own history
            self.history_worker = history_status.start(self, self.history_label)
        bus.notify_changed()
        self.offer_first_start = True  # once someone who may set the office up is signed in
        self.session.database_switched()  # accounts belong to a database

    def update_read_only_note(self) -> None:
        """A database opened read-only (read-only file, folder or medium, or a full disk) says so."""
        read_only = bool(getattr(self.db, "read_only", False))
        self.read_only_note.setText(READ_ONLY_NOTE.format(path=self.db_path) if read_only else "")
        self.read_only_note.setVisible(read_only)

    # ----- who is at the keyboard (gui.session) --------------------------------------------
    def show_gate(self, on: bool) -> None:
        """The gate covers the data (menus, shortcuts and the day's counts too) while locked."""
        self.pages.setCurrentWidget(self.gate if on else self.body)
        self.menuBar().setVisible(not on)
        for action in self.shortcut_actions:
            action.setEnabled(not on)
        self.counts_label.setVisible(not on)
        if on:
            self.kiosk_label.hide()
            self.privacy_label.hide()  # the administrator's reminder leaves with them
            self.account_label.setText("Chưa đăng nhập")
        elif self.db is not None:
            self.kiosk_link.update_count()  # shown again if a unit has a count (figures_shown)
            self._update_reminder()

    def figures_shown(self) -> bool:
        """The office's figures in the status bar (the votes of the hour) show only to a
        signed-in clerk: not at the gate of a locked counter, nor before the first sign-in,
        when a vote or a poll recounted them."""
        return not self.session.locked

    def signed_in(self, who) -> None:
        """After a sign-in or a change of clerk: the status bar names the account, the screens
        it may not use leave the list, the office's setup is offered to who may do it."""
        self.account_label.setText(accounts.signed_in_line(who))
        for row, (key, _title, _target) in enumerate(SCREENS):
            need = SCREEN_PERMISSION.get(key)
            self.nav.item(row).setHidden(bool(need) and not permissions.allowed(need))
        self._open_remembered(who.login)
        self._ask_home()
        if self.offer_first_start and permissions.allowed("settings.edit"):
            self.offer_first_start = False
            from gui import first_start
            first_start.offer(self)

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

    def _menus(self) -> None:
        data = self.menuBar().addMenu("&Dữ liệu")
        self.demo_action = data.addAction("Mở dữ liệu mẫu", self.toggle_demo)
        self.update_title()
        data.addSeparator()
        self.reconcile_action = permissions.guard(data.addAction(
            "Đối chiếu với hệ thống tỉnh…", self.open_reconciliation), "report.print")
        data.addSeparator()
        self.backup_action = permissions.guard(data.addAction(
            "Sao lưu ngay", lambda: backup_restore.backup_now(self)), "data.backup")
        self.restore_action = permissions.guard(data.addAction(
            "Khôi phục từ bản sao lưu…", lambda: backup_restore.restore_dialog(self)),
            "data.restore")
        data.addSeparator()
        self._exchange_menu(data)
        data.addSeparator()
        self.privacy_action = permissions.guard(
            data.addAction("Dữ liệu cá nhân…", self.open_privacy), "privacy.manage")
        data.addSeparator()
        data.addAction("Thoát (Ctrl+Q)", self.close)
        votes = self.menuBar().addMenu("Đánh &giá")
        self.kiosk_action = votes.addAction("Mở màn hình đánh giá", self.kiosk_link.open_kiosk)
        self.kiosk_action.setShortcut(QKeySequence("F9"))
        permissions.guard(votes.addAction("Nhập phiếu đánh giá giấy",
                                          lambda: self.show_screen("votes")), "vote.record")
        account_menu.build(self)

    def _exchange_menu(self, data) -> None:
        """Packages between installations (spec 9, gui.packages)."""
        from gui import packages
        # a counter PC's packages leave from the clerk's PC, signed in by a leader or the
        # administrator (the package carries every citizen's details): the clerk sees the item
        # and who may use it, greyed, rather than nothing
        data.setToolTipsVisible(True)
        self.exchange_export_action = permissions.guard(data.addAction(
            "Xuất gói trao đổi…", lambda: packages.export_dialog(self)), "data.export",
            greyed=True)
        self.exchange_import_action = permissions.guard(data.addAction(
            "Nhập gói trao đổi…", lambda: packages.import_dialog(self)), "data.import")
        self.exchange_slot_action = permissions.guard(data.addAction(
            "Máy này trong nhóm trao đổi…", lambda: packages.slot_dialog(self)), "settings.edit")
        self.known_senders_action = permissions.guard(data.addAction(
            "Máy gửi gói đã biết…", self.open_known_senders), "settings.edit")

    def open_known_senders(self) -> None:
        from gui.known_senders import known_senders_dialog
        self.known_senders_dialog = known_senders_dialog(self)

    def open_reconciliation(self) -> None:
        from gui.reconciliation.screen import open_dialog
        self.reconcile_dialog = open_dialog(self, self.db, self.db_path)

    def _shortcuts(self) -> None:
        self.shortcut_actions: list[QAction] = []
        for keys, slot in (("Ctrl+N", self.new_dossier), ("Ctrl+F", self.find),
                           ("F5", lambda: self.data_changed()), ("Ctrl+Q", self.close)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.shortcut_actions.append(action)

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
        self.today_counts.changed()
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

    def open_privacy(self):
        from gui.privacy.window import open_privacy
        return open_privacy(self)

    # ----- shortcuts ------------------------------------------------------------------------
    def new_dossier(self) -> None:
        if not permissions.allowed("dossier.receive"):
            self.statusBar().showMessage(permissions.refusal("dossier.receive"), 8000)
            return
        if not self.db.execute("SELECT 1 FROM procedures LIMIT 1").fetchone():
            self.statusBar().showMessage("Chưa có danh mục thủ tục: hãy nhập danh mục hoặc "
                                         "tạo dữ liệu mẫu trước.", 8000)
            return
        from gui.dossiers.intake import IntakeDialog
        dialog = IntakeDialog(self.db, self)
        if widgets.exec_once(dialog) and dialog.created:
            self.statusBar().showMessage(f"Đã tiếp nhận hồ sơ {dialog.created[1]}.", 10000)

    def find(self) -> None:
        self.show_screen("dossiers").focus_search()

    # ----- remembered layout ----------------------------------------------------------------
    def _restore(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            widgets.keep_on_screen(self)  # saved on another screen, or shrunk to nothing
        else:
            # First start: the office PCs have 1366×768 or smaller screens, where a fixed size
            # would hang under the taskbar; the dashboard and register want the whole width.
            self.resize(1280, 760)
            widgets.keep_on_screen(self)  # its normal size too fits above the taskbar
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        keys = [k for k, _, _ in SCREENS]
        last = settings.value(screen_setting(None), "dashboard")
        self.nav.setCurrentRow(keys.index(last) if last in keys else 0)
        self.after_paint(self.update_status)

    # ----- letting go of the database (restore) --------------------------------------------
    def close_database(self) -> None:
        """Close every connection of this window to its database file: kiosks, screens, own."""
        self.kiosk_link.shutdown_all()
        self.kiosk_link.timer.stop()
        worker.wait_all()  # e.g. the start-up backup still reading the file
        for screen in self.screens.values():
            self.stack.removeWidget(screen)
            screen.deleteLater()
        self.screens.clear()
        self._stale.clear()
        self.db.close()
        self.db = None

    def reopen_database(self, create: bool = False) -> bool:
        """Open the database again (restored or not) and rebuild the screen in view."""
        try:
            self.db = open_database(self.db_path, create=create, mode="browse")
        except DatabaseEnvironmentError as exc:
            errors.show_error(self, exc)
            return False
        self.kiosk_link.timer.start()
        self.update_read_only_note()
        self._nav_changed(self.nav.currentRow())
        self.update_status()
        return True

    def closeEvent(self, event) -> None:
        if not closing.may_close(self):  # a job still runs: cancel it first, or go on
            event.ignore()
            return
        self.kiosk_link.shutdown_all()  # a kiosk left open would keep the app running
        self.kiosk_link.timer.stop()
        self.session.shutdown()
        QSettings().setValue("main/geometry", self.saveGeometry())
        if not self._closed:  # a second close (e.g. by the test harness) has nothing to undo
            bus.bus().executed.disconnect(self.data_changed)
            self._closed = True
        super().closeEvent(event)
