"""The main window's "Tài khoản" menu: one's own password and PIN, lock, change of clerk."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialogButtonBox

from core import accounts
from core.errors import FieldError, InputError
from db import actor as actors
from gui import ops, widgets
from gui.dossiers.actions import FormDialog
from gui.signin import password_edit


def build(window) -> None:
    menu = window.menuBar().addMenu("Tài &khoản")
    window.own_secret_action = menu.addAction("Đổi mật khẩu / mã PIN…",
                                              lambda: change_own_secret(window))
    menu.addSeparator()
    # Ctrl+L itself is caught by gui.session.IdleWatch (it must work inside dialogs too)
    window.lock_action = menu.addAction("Khoá màn hình (Ctrl+L)", window.session.lock)
    window.switch_action = menu.addAction("Đổi cán bộ…", lambda: switch_clerk(window))


def switch_clerk(window) -> None:
    """Lock, then ask the next clerk's login and PIN at once."""
    window.session.lock()
    window.sign_in_gate().form.switch_clerk()


class OwnSecretDialog(FormDialog):
    """The signed-in account changes its password and/or its PIN (the password asked first)."""

    def __init__(self, who, parent=None):
        super().__init__(f"Đổi mật khẩu / mã PIN — {who.full_name} ({who.login})", parent)
        self.login = who.login
        self.old = self.form.add("old", "Mật khẩu hiện tại", password_edit())
        self.password = self.form.add("password", "Mật khẩu mới", password_edit(
            "để trống nếu giữ mật khẩu cũ"))
        self.password2 = self.form.add("password2", "Nhập lại mật khẩu mới", password_edit())
        self.pin = self.form.add("pin", "Mã PIN mới", password_edit("4–8 chữ số; để trống nếu "
                                                                   "giữ nguyên"))
        self.remove_pin = QCheckBox("Bỏ mã PIN (chỉ mở khoá bằng mật khẩu)")
        self.form.add("remove_pin", "", self.remove_pin)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Lưu")

    def values(self) -> dict:
        from gui.signin import passwords_match
        passwords_match(self.password, self.password2)
        return {"old": self.old.text(), "password": self.password.text(),
                "pin": self.pin.text(), "remove_pin": self.remove_pin.isChecked()}


def save_own_secret(db, login: str, values: dict) -> str:
    """Check the current password, then change what was asked; returns what was done."""
    try:
        accounts.authenticate(db, login, values["old"], login_known=True)
    except InputError as exc:  # wrong, or the account locked after five wrong tries
        raise FieldError("old", exc.message) from exc
    done = []
    if values["password"]:
        accounts.change_password(db, login, values["old"], values["password"])
        done.append("mật khẩu")
    if values["remove_pin"]:
        accounts.set_pin(db, login, None)
        done.append("bỏ mã PIN")
    elif values["pin"]:
        accounts.set_pin(db, login, values["pin"])
        done.append("mã PIN")
    if not done:
        raise FieldError("password", "Hãy nhập mật khẩu mới hoặc mã PIN mới.")
    return ", ".join(done)


def change_own_secret(window) -> bool:
    who = actors.signed_in()
    if who is None:
        return False
    dialog = OwnSecretDialog(who, window)
    saved = ops.run_form(dialog, window.db, lambda db, v: save_own_secret(db, who.login, v),
                         ops.SETTINGS, doing="đổi mật khẩu")
    if saved:
        widgets.inform(window, "Tài khoản", "Đã lưu mật khẩu / mã PIN mới.")
    return saved
