"""Who is at the keyboard of the main window: sign-in, lock, change of clerk (issue 15 §1).

The window opens for the account already signed in (db.actor), else behind the gate
(gui.signin). It locks after `idle_lock_minutes` without keyboard or mouse input and on Ctrl+L:
the gate covers the data and db.actor signs out. What was open stays a clerk's business:
- the windows of the account (a dossier window, a report preview) are hidden and come back when
  the same account unlocks, and are closed when another account signs in;
- a form open in a modal dialog (intake, an action) is cancelled at the lock, nothing saved: a
  modal dialog cannot stay open behind the gate without blocking it, and the citizen at the
  counter must not read it;
- a job running in the background (an import, a backup) goes on: its progress is hidden with
  the windows and comes back to the same account; another clerk does not see it;
- the citizens' vote screens (kiosks) are not the clerk's: they stay.
"""
from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QInputEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog, QWidget

from core import accounts, office_setup
from db import actor as actors
from db import settings
from gui import permissions, signin

INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress}
LOCK_KEYS = QKeySequence("Ctrl+L")


class IdleWatch(QObject):
    """An application event filter: input restarts the idle timer; Ctrl+L locks at once (also
    inside a modal dialog, where the window's own shortcuts do not fire)."""

    def __init__(self, session: Session):
        super().__init__(session)
        self.session = session
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        # Every event of the application passes here: one not of the keyboard, mouse, wheel,
        # touch or tablet is told by its class (its Python wrapper is made anyway) before
        # event.type(), a Python enum made at each call (~3 µs; docs/speed.md, gui38).
        if not isinstance(event, QInputEvent) or self.session.locked:
            return False
        kind = event.type()
        if kind not in INPUT_EVENTS:
            return False
        if self.session.is_kiosk(watched):
            return False  # a citizen's taps on the vote screen do not keep the clerk's desk open
        self.session.idle.start()
        if kind == QEvent.Type.KeyPress and self._is_lock_key(event):
            self.session.lock()
            return True
        return False

    @staticmethod
    def _is_lock_key(event) -> bool:
        return QKeySequence(event.keyCombination()) == LOCK_KEYS

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class Session(QObject):
    """The sign-in state of one main window."""

    changed = Signal()  # signed in, locked, another clerk

    def __init__(self, window):
        super().__init__(window)
        self.window = window  # its sign-in card: window.sign_in_gate(), built when needed
        self.locked = True
        self.owner: str | None = None  # whose windows are open (hidden while locked)
        self.hidden: list[QWidget] = []
        self.last_switch_ms: float | None = None  # how long the last sign-in took, for the clerk
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self.lock)
        self.watch = IdleWatch(self)
        self._asked_at: float | None = None

    # ----- the idle time --------------------------------------------------------------------
    def set_idle_ms(self, ms: int) -> None:
        """0 = never lock by itself. Tests give a short time."""
        self.idle.stop()
        self.idle.setInterval(max(ms, 0))
        if ms > 0 and not self.locked:
            self.idle.start()

    def load_idle_setting(self) -> None:
        minutes = settings.get(self.window.db, "idle_lock_minutes") or 0
        self.set_idle_ms(int(minutes) * 60_000)

    def is_kiosk(self, widget) -> bool:
        if not isinstance(widget, QWidget):
            return False
        top = widget.window()
        return any(top is k for k in self.window.kiosk_link.open_kiosks())

    # ----- opening ---------------------------------------------------------------------------
    def start(self) -> None:
        """At the window's opening: continue as the signed-in account, or ask."""
        who = actors.signed_in()
        if who is not None:
            self.signed_in(who)
        else:
            self.ask()

    def ask(self, locked_actor=None) -> None:
        self.locked = True
        self.idle.stop()
        self.window.show_gate(True)
        self.window.sign_in_gate().ask(locked_actor)
        self._asked_at = time.perf_counter()
        self.changed.emit()

    def signed_in(self, who) -> None:
        """An account passed the gate (or was signed in already)."""
        started = time.perf_counter()
        if self.owner is not None and self.owner != who.login:
            self._close_hidden()  # the previous clerk's windows are not the next one's
        else:
            self._show_hidden()
        actors.sign_in(who)
        signin.remember_login(who.login)
        self.owner, self.locked = who.login, False
        permissions.apply_all()
        self.window.show_gate(False)
        self.load_idle_setting()
        self.changed.emit()
        self.last_switch_ms = (time.perf_counter() - started) * 1000
        self.window.signed_in(who)

    # ----- locking ---------------------------------------------------------------------------
    def lock(self) -> None:
        """Ctrl+L or the idle time: hide everything of the account, sign out, ask again."""
        if self.locked:
            return
        who = actors.signed_in()
        self._put_away()
        actors.sign_out()
        self.ask(who)

    def sign_out(self) -> None:
        """Another database (demo ↔ real) without this account: everything closes, sign in."""
        self._put_away()
        self._close_hidden()
        self.owner = None
        actors.sign_out()
        self.ask()

    def _put_away(self) -> None:
        popup = QApplication.activePopupWidget()
        while popup is not None:  # an open menu would stay on top of the gate
            popup.close()
            popup = QApplication.activePopupWidget()
        for top in QApplication.topLevelWidgets():
            if top is self.window or not top.isVisible() or self.is_kiosk(top):
                continue
            modal = top.isModal() or top.windowModality() != Qt.WindowModality.NonModal
            if modal and not isinstance(top, QProgressDialog):
                top.reject() if isinstance(top, QDialog) else top.close()
            else:
                top.hide()
                self.hidden.append(top)

    def _show_hidden(self) -> None:
        for widget in self.hidden:
            if shiboken6.isValid(widget):
                widget.show()
        self.hidden = []

    def _close_hidden(self) -> None:
        for widget in self.hidden:  # a job's progress closes with its job: closing it cancels
            if shiboken6.isValid(widget) and not isinstance(widget, QProgressDialog):
                widget.close()
        self.hidden = []

    # ----- another database -----------------------------------------------------------------
    def database_switched(self) -> None:
        """Accounts belong to a database: the signed-in account goes on in the new one when it
        is an active account there (its roles read again) or when the new one is the demo (the
        office's own account trying the demo); anyone else signs in again — a demo account,
        whose password is printed on the demo's gate, never writes into the real data."""
        who = actors.signed_in()
        if who is None:
            self.ask()
            return
        account = accounts.get(self.window.db, who.login)
        if account is not None and account.active:
            self.signed_in(account.as_actor())
        elif office_setup.is_demo(self.window.db):
            self.signed_in(who)
        else:
            self.sign_out()

    def shutdown(self) -> None:
        self.idle.stop()
        self.watch.remove()
