"""Tài khoản: the administrator's list of accounts and the idle lock (issue 15 §1).

Add an account, change its name and roles, lock it out or let it back in, reset a forgotten
password, set or remove its PIN; and how many minutes without input lock the window. Every write
is core.accounts' (which also refuses anyone but an administrator) through gui.ops.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core import accounts, office_settings
from core.errors import FieldError
from db import actor as actors
from db import settings
from gui import ops, permissions, widgets
from gui.dossiers.actions import FormDialog
from gui.signin import password_edit, passwords_match, role_boxes

COLUMNS = ("Tên đăng nhập", "Họ và tên", "Vai trò", "Trạng thái", "Mã PIN")


class AccountDialog(FormDialog):
    """A new account (login, name, roles, password twice, PIN) or an existing one's name and
    roles (`account` given: the login cannot change, it is what the history records)."""

    def __init__(self, parent=None, account: accounts.Account | None = None):
        super().__init__("Sửa tài khoản" if account else "Thêm tài khoản", parent)
        self.login = self.form.add("login", "Tên đăng nhập", QLineEdit())
        self.full_name = self.form.add("full_name", "Họ và tên", QLineEdit())
        box, self.roles = role_boxes(account.roles if account else ("clerk",))
        self.form.add("roles", "Vai trò", box)
        self.password = self.password2 = self.pin = None
        if account is not None:
            self.login.setText(account.login)
            self.login.setReadOnly(True)
            self.full_name.setText(account.full_name)
            return
        self.password = self.form.add("password", "Mật khẩu", password_edit(
            f"ít nhất {accounts.MIN_PASSWORD} ký tự"))
        self.password2 = self.form.add("password2", "Nhập lại mật khẩu", password_edit())
        self.pin = self.form.add("pin", "Mã PIN (không bắt buộc)", password_edit("4–8 chữ số"))

    def values(self) -> dict:
        out = {"login": self.login.text(), "full_name": self.full_name.text(),
               "roles": [role for role, check in self.roles.items() if check.isChecked()]}
        if self.password is not None and self.password2 is not None and self.pin is not None:
            passwords_match(self.password, self.password2)
            out.update(password=self.password.text(), pin=self.pin.text() or None)
        return out


class SecretDialog(FormDialog):
    """A new password (twice) or a PIN for one account, set by the administrator."""

    def __init__(self, title: str, login: str, *, pin: bool, parent=None):
        super().__init__(f"{title} — {login}", parent)
        self.is_pin = pin
        if pin:
            self.secret = self.form.add("pin", "Mã PIN mới", password_edit("4–8 chữ số"))
            self.again = None
        else:
            self.secret = self.form.add("password", "Mật khẩu mới", password_edit(
                f"ít nhất {accounts.MIN_PASSWORD} ký tự"))
            self.again = self.form.add("password2", "Nhập lại mật khẩu mới", password_edit())

    def values(self) -> dict:
        if self.again is not None:
            passwords_match(self.secret, self.again)
        elif not self.secret.text():
            raise FieldError("pin", "Hãy nhập mã PIN (4–8 chữ số).")
        return {"secret": self.secret.text()}


class AccountsScreen(QWidget):
    SHOWS = ops.SETTINGS  # accounts are written with SETTINGS changes

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.rows: list[accounts.Account] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Tài khoản</h2>Mỗi cán bộ một tài khoản: lịch sử hồ sơ, phiếu "
                                "in và thay đổi cài đặt ghi tên người làm."))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        layout.addWidget(self.table, 1)
        layout.addLayout(self._buttons())
        layout.addLayout(self._idle_row())

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, label, slot in (("add", "Thêm tài khoản…", self.add),
                                 ("edit", "Sửa tên, vai trò…", self.edit),
                                 ("active", "Khoá tài khoản", self.toggle_active),
                                 ("password", "Đặt lại mật khẩu…", self.reset_password),
                                 ("pin", "Đặt mã PIN…", self.set_pin),
                                 ("no_pin", "Bỏ mã PIN", self.remove_pin)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            permissions.guard(button, "accounts.manage")
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        return row

    def _idle_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel("Tự khoá màn hình sau"))
        self.idle_minutes = QSpinBox(minimum=0, maximum=office_settings.IDLE_LOCK_MAX)
        self.idle_minutes.setSuffix(" phút")
        self.idle_minutes.setSpecialValueText("không tự khoá")
        row.addWidget(self.idle_minutes)
        row.addWidget(QLabel("không thao tác (Ctrl+L khoá ngay)."))
        self.idle_button = permissions.guard(QPushButton("Lưu thời gian tự khoá"), "settings.edit")
        self.idle_button.clicked.connect(self.save_idle)
        row.addWidget(self.idle_button)
        row.addStretch(1)
        return row

    # ----- the list -------------------------------------------------------------------------
    def refresh(self) -> None:
        chosen = self.selected()
        self.rows = accounts.list_accounts(self.db)
        self.table.setRowCount(len(self.rows))
        for row, account in enumerate(self.rows):
            cells = (account.login, account.full_name, accounts.roles_text(account.roles),
                     "Đang hoạt động" if account.active else "Đã khoá",
                     "Có" if account.has_pin else "Chưa có")
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        # the last column to the right edge again: on a list already shown (after an account
        # was added) resizeColumnsToContents cut "Mã PIN" to its word, a blank band beside it,
        # until the window was resized; setting the stretch anew lays it out at once
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setStretchLastSection(True)
        logins = [a.login for a in self.rows]
        if chosen is not None and chosen.login in logins:
            self.table.selectRow(logins.index(chosen.login))
        self.idle_minutes.setValue(int(settings.get(self.db, "idle_lock_minutes") or 0))
        self._update_buttons()

    def selected(self) -> accounts.Account | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _update_buttons(self) -> None:
        account = self.selected()
        for key in ("edit", "active", "password", "pin", "no_pin"):
            self.buttons[key].setEnabled(account is not None)
        if account is not None:
            self.buttons["active"].setText("Khoá tài khoản" if account.active else "Mở lại tài khoản")
            self.buttons["no_pin"].setEnabled(account.has_pin)

    # ----- the administrator's actions ------------------------------------------------------
    def add(self) -> bool:
        dialog = AccountDialog(self)
        return ops.run_form(dialog, self.db, lambda db, v: accounts.create_account(db, **v),
                            ops.SETTINGS, doing="tạo tài khoản")

    def edit(self) -> bool:
        account = self.selected()
        if account is None:
            return False
        dialog = AccountDialog(self, account)
        saved = ops.run_form(dialog, self.db, lambda db, v: accounts.update_account(
            db, v["login"], full_name=v["full_name"], roles=v["roles"]), ops.SETTINGS,
            doing="lưu tài khoản")
        if saved:
            _own_account_changed(self.window(), self.db, account.login)
        return saved

    def toggle_active(self) -> bool:
        account = self.selected()
        if account is None:
            return False
        if account.active and not widgets.confirm(
                self, "Khoá tài khoản", f"Khoá tài khoản {account.login} ({account.full_name})? "
                "Người này sẽ không đăng nhập được cho đến khi được mở lại."):
            return False
        return ops.Op(self, lambda db: accounts.update_account(db, account.login,
                                                               active=not account.active),
                      ops.SETTINGS, doing="khoá hoặc mở lại tài khoản").run(self.db)

    def reset_password(self) -> bool:
        return self._secret("Đặt lại mật khẩu", pin=False)

    def set_pin(self) -> bool:
        return self._secret("Đặt mã PIN", pin=True)

    def _secret(self, title: str, *, pin: bool) -> bool:
        account = self.selected()
        if account is None:
            return False
        dialog = SecretDialog(title, account.login, pin=pin, parent=self)
        write = accounts.set_pin if pin else accounts.reset_password
        saved = ops.run_form(dialog, self.db, lambda db, v: write(db, account.login, v["secret"]),
                             ops.SETTINGS)
        if saved:
            widgets.inform(self, "Tài khoản", f"Đã {title.lower()} cho tài khoản {account.login}.")
        return saved

    def remove_pin(self) -> bool:
        account = self.selected()
        if account is None or not widgets.confirm(
                self, "Bỏ mã PIN", f"Bỏ mã PIN của tài khoản {account.login}? Người này mở khoá "
                "bằng mật khẩu."):
            return False
        return ops.Op(self, lambda db: accounts.set_pin(db, account.login, None),
                      ops.SETTINGS, doing="bỏ mã PIN").run(self.db)

    def save_idle(self) -> bool:
        minutes = self.idle_minutes.value()
        window = self.window()
        return ops.Op(self, lambda db: office_settings.save_idle_lock(db, minutes), ops.SETTINGS,
                      doing="lưu thời gian tự khoá").success(lambda _r: _reload_idle(window)).run(self.db)


def _own_account_changed(window, db, login: str) -> None:
    """The administrator gave their own account a role (or a new name): it applies now."""
    who = actors.signed_in()
    session = getattr(window, "session", None)
    if who is not None and who.login == login and session is not None:
        account = accounts.get(db, login)
        if account is not None:
            session.signed_in(account.as_actor())


def _reload_idle(window) -> None:
    """The new idle time applies at once, not at the next sign-in."""
    session = getattr(window, "session", None)
    if session is not None:
        session.load_idle_setting()
