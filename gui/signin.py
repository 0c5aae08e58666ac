"""The screen in front of the data: the first administrator, the sign-in, the lock (issue 15 §1).

`Gate` covers the main window's whole content. On a database with no account it asks for the
administrator (the first start, before anything else); otherwise for a login and a password. When
the window locks it asks the same account for its password or PIN, and "Đổi cán bộ" lets the
next clerk at a shared counter PC sign in with login and PIN in a few seconds. It emits
`signed_in(actor)`; gui.session does the rest.
"""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core import accounts, office_setup
from core.errors import FieldError
from core.labels import ROLE_VI
from db.schema import ROLES
from gui import ops, shown, widgets
from gui.account_list import AccountList

ERROR_STYLE = "color: #b3261e;"
CARD_STYLE = ("QFrame#card { background: white; border: 1px solid #c8d0da; border-radius: 8px; }")


def password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


# QSettings: the last account signed in at this PC (gui.session), chosen first at the gate
LAST_LOGIN_KEY = "signin/last_login"


def last_login() -> str | None:
    return str(QSettings().value(LAST_LOGIN_KEY, "") or "") or None


def remember_login(login: str) -> None:
    QSettings().setValue(LAST_LOGIN_KEY, login)


def demo_hint() -> str:
    """The demo accounts' secrets, printed on the demo file's gate only; the demo package (and
    its generators) is imported for it alone, not at every start."""
    from core.demo.accounts import DEMO_PASSWORD, DEMO_PIN
    return (f"Dữ liệu mẫu: mật khẩu các tài khoản mẫu là <b>{DEMO_PASSWORD}</b>, "
            f"mã PIN <b>{DEMO_PIN}</b>.")


class FirstAdminForm(QWidget):
    """The first start: the administrator's name, login, password twice and an optional PIN."""

    created = Signal(object)  # the Actor

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Tạo tài khoản quản trị</h2>"))
        intro = QLabel("Lần đầu sử dụng: hãy tạo tài khoản quản trị. Người quản trị thêm tài khoản "
                       "cho cán bộ tiếp nhận và lãnh đạo, sửa danh mục, cài đặt và khôi phục dữ "
                       "liệu.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = widgets.ErrorForm()
        self.full_name = self.form.add("full_name", "Họ và tên", QLineEdit())
        self.login = self.form.add("login", "Tên đăng nhập", QLineEdit())
        self.login.setPlaceholderText("ví dụ quantri")
        self.password = self.form.add("password", "Mật khẩu", password_edit(
            f"ít nhất {accounts.MIN_PASSWORD} ký tự"))
        self.password2 = self.form.add("password2", "Nhập lại mật khẩu", password_edit())
        self.pin = self.form.add("pin", "Mã PIN (không bắt buộc)", password_edit(
            "4–8 chữ số, để mở khoá nhanh"))
        layout.addWidget(self.form)
        self.create_button = QPushButton("Tạo tài khoản và bắt đầu")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create)
        for edit in (self.full_name, self.login, self.password, self.password2, self.pin):
            edit.returnPressed.connect(self.create)
        layout.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignRight)

    def create(self) -> bool:
        self.form.clear_errors()
        if self.password.text() != self.password2.text():
            self.form.show_error("password2", "Hai lần nhập mật khẩu không giống nhau.")
            return False
        values = dict(login=self.login.text(), full_name=self.full_name.text(),
                      roles=("admin",), password=self.password.text(),
                      pin=self.pin.text() or None)
        op = ops.Op(self, lambda db: accounts.create_account(db, **values), ops.SETTINGS,
                    form=self.form, fallback="login", doing="tạo tài khoản")
        if not op.run(self.db):
            return False
        self.created.emit(op.result.as_actor())
        return True


LOCKED_LOGIN_STYLE = ("QLineEdit { background: #ececec; color: #333; border: 1px solid #d0d0d0; "
                      "font-weight: bold; }")


class SignInForm(QWidget):
    """Login and password; locked: the same account's password or PIN, or another clerk."""

    signed_in = Signal(object)  # the Actor

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.locked_login: str | None = None
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.accounts = AccountList()
        self.accounts.setMaximumHeight(170)
        self.accounts.currentItemChanged.connect(self._picked)
        # the account chosen already (the last one here) clicked is no change of item: the click
        # itself goes on to the secret too (review39b: the password typed into the list)
        self.accounts.itemClicked.connect(self._picked)
        self.accounts.itemActivated.connect(lambda _item: self.secret.setFocus())
        layout.addWidget(self.accounts)
        self.login = QLineEdit()
        self.login.setPlaceholderText("Tên đăng nhập")
        self.secret = password_edit("Mật khẩu")
        self.login_label = QLabel("Tên đăng nhập")
        layout.addWidget(self.login_label)
        layout.addWidget(self.login)
        self.secret_label = QLabel("Mật khẩu")
        layout.addWidget(self.secret_label)
        layout.addWidget(self.secret)
        self.error = shown.plain(QLabel())  # it may quote what was typed: shown as typed
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        layout.addWidget(self.hint)
        layout.addLayout(self._buttons())
        self.login.returnPressed.connect(self.secret.setFocus)
        self.secret.returnPressed.connect(self.sign_in)

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.switch_button = QPushButton("Đổi cán bộ")
        self.switch_button.setToolTip("Cán bộ khác đăng nhập bằng tên đăng nhập và mã PIN "
                                      "(hoặc mật khẩu); các cửa sổ đang mở của người trước được "
                                      "đóng lại.")
        self.switch_button.clicked.connect(self.switch_clerk)
        self.sign_in_button = QPushButton("Đăng nhập")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.sign_in)
        row.addWidget(self.switch_button)
        row.addStretch(1)
        row.addWidget(self.sign_in_button)
        return row

    # ----- the three ways in ----------------------------------------------------------------
    def show_sign_in(self) -> None:
        """Nobody signed in: any active account, with its password."""
        self.locked_login = None
        self._prepare("<h2>Đăng nhập</h2>Chọn tài khoản hoặc gõ tên đăng nhập, rồi nhập mật khẩu.",
                      "Mật khẩu", editable=True)
        self.switch_button.hide()
        self._choose(last_login())

    def show_locked(self, actor) -> None:
        """The window locked: only `actor` unlocks it (password or PIN), or another clerk."""
        self.locked_login = actor.login
        self._prepare(f"<h2>Màn hình đã khoá</h2><b>{shown.escaped(actor.full_name)}</b> "
                      f"({shown.escaped(actor.login)}) mở khoá "
                      "bằng mật khẩu hoặc mã PIN. Cán bộ khác bấm <b>Đổi cán bộ</b>.",
                      "Mật khẩu hoặc mã PIN", editable=False)
        self.login.setText(actor.login)
        self.switch_button.show()
        self.secret.setFocus()

    def switch_clerk(self) -> None:
        """Another clerk at the same counter: login and PIN (or password)."""
        locked, self.locked_login = self.locked_login, None
        self._prepare("<h2>Đổi cán bộ</h2>Chọn tài khoản của mình, nhập mã PIN hoặc mật khẩu.",
                      "Mật khẩu hoặc mã PIN", editable=True)
        self.with_pin = True
        self.switch_button.hide()
        self._choose(None, besides=locked)  # another clerk than the one who locked

    def _prepare(self, title: str, secret_label: str, *, editable: bool) -> None:
        self.title.setText(title)
        self.secret_label.setText(secret_label)
        self.secret.setPlaceholderText(secret_label)
        self.with_pin = not editable  # unlocking accepts the PIN; switch_clerk sets it too
        self.secret.clear()
        self.error.clear()
        self.login.clear()
        self._login_editable(editable)
        self.accounts.setVisible(editable)
        self._fill_accounts()
        self.hint.setText(demo_hint() if office_setup.is_demo(self.db) else "")
        self.hint.setVisible(bool(self.hint.text()))

    def _login_editable(self, editable: bool) -> None:
        """Locked, the login is the locked account's and cannot change: shown as plain text on
        grey, out of the Tab order, so nobody tries to type another name into it."""
        self.login.setReadOnly(not editable)
        self.login.setFocusPolicy(Qt.FocusPolicy.StrongFocus if editable
                                  else Qt.FocusPolicy.NoFocus)
        self.login.setStyleSheet("" if editable else LOCKED_LOGIN_STYLE)
        self.login.setToolTip("" if editable else "Tài khoản đang khoá màn hình. Cán bộ khác "
                              "bấm Đổi cán bộ.")
        self.login_label.setText("Tên đăng nhập" if editable
                                 else "Tài khoản đang khoá màn hình (không đổi được ở đây)")

    def _fill_accounts(self) -> None:
        self.accounts.blockSignals(True)
        self.accounts.clear()
        for account in accounts.list_accounts(self.db):
            if account.active:
                item = QListWidgetItem(f"{account.full_name} — {account.login} "
                                       f"({accounts.roles_text(account.roles)})")
                item.setData(Qt.ItemDataRole.UserRole, account.login)
                self.accounts.addItem(item)
        self.accounts.setCurrentRow(-1)
        self.accounts.blockSignals(False)

    def _choose(self, login: str | None, besides: str | None = None) -> None:
        """The list opens at its top with `login` (the last account signed in at this PC) chosen
        and in sight, or its first account (other than `besides`): refilled, it kept the place
        the previous clerk had scrolled it to. Either is selected whole in the focused login
        field: Enter goes on to the secret, a typed login replaces it. Not the secret field at
        once (review39a): at a shared counter the next clerk typing her own password unseen
        would count failed attempts against the previous clerk's account, and lock it."""
        if self.accounts.count() == 0:
            self.login.setFocus()
            return
        row = self.accounts.row_of(lambda each: each == login)
        first = self.accounts.row_of(lambda each: each != besides) or 0
        self.accounts.open_at(first if row is None else row)
        self.login.setText(self.accounts.login_at(self.accounts.currentRow()))
        self.login.selectAll()
        self.login.setFocus()

    def _picked(self, item) -> None:
        if item is not None and not self.login.isReadOnly():
            self.login.setText(item.data(Qt.ItemDataRole.UserRole))
            self.secret.setFocus()

    # ----- checking -------------------------------------------------------------------------
    def sign_in(self) -> bool:
        login, secret = self.login.text().strip(), self.secret.text()
        self.error.clear()
        if not login or not secret:
            self.error.setText("Hãy nhập tên đăng nhập và " + self.secret_label.text().lower() + ".")
            return False
        check = self._check(login, secret)
        op = ops.Op(self, check, ops.Changes()).failure(self._failed)
        if not op.run(self.db):
            return False
        self.secret.clear()
        self.signed_in.emit(op.result)
        return True

    def _check(self, login: str, secret: str):
        """The PIN is tried when the screen accepts one and the account has one; a secret that
        is not a PIN's shape is always the password (one wrong try, never two)."""
        account = accounts.get(self.db, login.lower())
        by_pin = (self.with_pin and account is not None and account.has_pin
                  and accounts.PIN_RE.fullmatch(secret) is not None)
        known = self.locked_login is not None  # the locked account: only the secret can be wrong
        if by_pin:
            return lambda db: accounts.authenticate_pin(db, login, secret, login_known=known)
        return lambda db: accounts.authenticate(db, login, secret, login_known=known)

    def _failed(self, exc: BaseException) -> None:
        self.secret.clear()
        self.secret.setFocus()
        from gui import errors
        text, is_bug = errors.message_for(exc)
        if is_bug:
            errors.show_error(self, exc, errors.failure_title("đăng nhập"))
        self.error.setText(text)


class Gate(QWidget):
    """The card in the middle of the window: the first administrator or the sign-in."""

    signed_in = Signal(object)

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # its own background
        self.setStyleSheet("Gate { background: #e9eef4; }" + CARD_STYLE)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        card = QFrame()
        card.setObjectName("card")
        card.setFixedWidth(460)
        column = QVBoxLayout(card)
        column.addWidget(QLabel("<b style='color:#1f4e79'>MotCua — Bộ phận Một cửa</b>"))
        self.pages = QStackedWidget()
        column.addWidget(self.pages)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.first_admin: FirstAdminForm | None = None
        self.form = SignInForm(db)
        self.form.signed_in.connect(self.signed_in)
        self.pages.addWidget(self.form)
        self.set_database(db)

    def set_database(self, db) -> None:
        self.db = self.form.db = db
        if self.first_admin is not None:
            self.first_admin.db = db

    def ask(self, locked_actor=None) -> None:
        """Show the right question for the database and the moment."""
        if accounts.needs_first_admin(self.db):
            if self.first_admin is None:
                self.first_admin = FirstAdminForm(self.db)
                self.first_admin.created.connect(self.signed_in)
                self.pages.addWidget(self.first_admin)
            self.pages.setCurrentWidget(self.first_admin)
            self.first_admin.full_name.setFocus()
            return
        self.pages.setCurrentWidget(self.form)
        if locked_actor is not None:
            self.form.show_locked(locked_actor)
        else:
            self.form.show_sign_in()


def role_boxes(chosen=()) -> tuple[QWidget, dict[str, QCheckBox]]:
    """One check box per role, in the order of db.schema.ROLES, for the account forms."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    checks = {}
    for role in ROLES:
        check = QCheckBox(ROLE_VI[role])
        check.setChecked(role in chosen)
        row.addWidget(check)
        checks[role] = check
    row.addStretch(1)
    return box, checks


def passwords_match(first: QLineEdit, second: QLineEdit, field: str = "password2") -> None:
    if first.text() != second.text():
        raise FieldError(field, "Hai lần nhập mật khẩu không giống nhau.")
