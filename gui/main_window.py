"""The main window: its layout, the session's hooks (gate, sign-in), its remembered geometry, and
switching, letting go of and closing its database. Navigation, menus and status bar are mixed in."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core import accounts, office_setup, timefmt
from core.database import open_database
from db.connection import DatabaseEnvironmentError
from gui import (
    backup_restore,
    bus,
    closing,  # asks before quitting under a running job (issue 14.9)
    demo_switch,
    errors,
    history_status,
    permissions,
    session,
    widgets,
    worker,
)
from gui.first_paint import JOBS_AFTER_PAINT_MS, PaintsFirst
from gui.kiosk_link import KioskLink
from gui.main_menus import Menus
from gui.main_nav import SCREEN_PERMISSION, SCREENS, Navigation, screen_setting
from gui.main_status import Status
from gui.signin import Gate

__all__ = ["SCREENS", "MainWindow"]


class MainWindow(PaintsFirst, Navigation, Menus, Status, QMainWindow):
    """The window: its navigation (gui.main_nav), menus (gui.main_menus) and notes and status bar
    (gui.main_status) are mixed in; here its layout, the session's hooks and the database's
    switching, letting go and closing."""

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
        self.nav = self._nav_list()
        self.stack = QStackedWidget()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self._notes(column)
        row = QHBoxLayout()
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        column.addLayout(row, 1)
        self.body = central
        self.gate: Gate | None = None  # built when first asked for (`sign_in_gate`)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.body)
        self.setCentralWidget(self.pages)
        self.session = session.Session(self)
        self.update_read_only_note()
        self.nav.currentRowChanged.connect(self._nav_changed)
        self._status_bar()

    def update_title(self) -> None:
        """The demo file says so in the title, on every screen (issue 14 §7)."""
        demo = self.db is not None and office_setup.is_demo(self.db)
        self.setWindowTitle("MotCua — Bộ phận Một cửa" + (" — DỮ LIỆU MẪU" if demo else ""))
        if hasattr(self, "demo_action"):
            self.demo_action.setText("Về dữ liệu thật" if demo else "Mở dữ liệu mẫu")

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

    # ----- who is at the keyboard (gui.session) --------------------------------------------
    def sign_in_gate(self) -> Gate:
        """The sign-in card, built the first time it is needed (a lock, a sign-out, a start
        with nobody signed in): a window opened for an account signed in already never
        pays for it (~12 ms). It always asks the window's file as it is now."""
        if self.gate is None:
            self.gate = Gate(self.db)
            self.gate.signed_in.connect(self.session.signed_in)
            self.pages.addWidget(self.gate)
        elif self.gate.db is not self.db:  # another file, or this one reopened (a restore)
            self.gate.set_database(self.db)
        return self.gate

    def show_gate(self, on: bool) -> None:
        """The gate covers the data (menus, shortcuts and the day's counts too) while locked."""
        self.pages.setCurrentWidget(self.sign_in_gate() if on else self.body)
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
            errors.show_error(self, exc, errors.failure_title(errors.OPENING_DATABASE))
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
