"""Accounts, roles and what each role may do (spec 10, issue 15 §1).

Three roles: the clerk at the counter (cán bộ tiếp nhận) receives dossiers, moves them on,
records payments and votes; the leader (lãnh đạo) reads everything, prints and signs the
reports; the administrator (quản trị) keeps settings, catalogue, calendar, accounts and restores.
An account may hold several roles (a commune of three people). The command line acts for the
operating-system user with every right: whoever can run it can open the file with any SQLite
tool anyway; what protects the figures from that person is the hash-chained history (spec 10).

Passwords and PINs are stored as salted scrypt hashes (hashlib, no extra library). A PIN is the
short secret for switching clerk at a shared counter PC; five wrong tries lock the account for
five minutes either way.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

import sqlite_utils

from core import actor_names, limits, validation
from core.errors import FieldError, InputError, OperationError
from core.labels import ROLE_VI
from db import actor as actors
from db.actor import Actor
from db.connection import transaction
from db.schema import ROLES
from db.settings import log_change

# What each action is called in a refusal, and which roles may do it. One table: the window
# enables its buttons from it and core refuses from it, so the two never disagree.
PERMISSIONS: dict[str, tuple[str, frozenset[str]]] = {
    "dossier.receive": ("tiếp nhận hồ sơ", frozenset({"clerk"})),
    "dossier.act": ("xử lý, trả kết quả hồ sơ", frozenset({"clerk"})),
    "dossier.extend": ("gia hạn hồ sơ", frozenset({"clerk", "leader"})),
    "dossier.correct": ("sửa thông tin hồ sơ", frozenset({"clerk", "admin"})),
    "payment.record": ("ghi nhận, huỷ thanh toán", frozenset({"clerk"})),
    "vote.record": ("ghi nhận, huỷ phiếu đánh giá", frozenset({"clerk"})),
    "complaint.record": ("ghi nhận phản ánh, kiến nghị", frozenset({"clerk", "leader"})),
    "slip.print": ("in phiếu của hồ sơ", frozenset({"clerk", "leader"})),
    "report.print": ("in, xuất báo cáo", frozenset({"clerk", "leader", "admin"})),
    "report.sign": ("ký, chốt số liệu báo cáo", frozenset({"leader"})),
    "personal.full": ("xem, xuất đầy đủ dữ liệu cá nhân", frozenset({"leader", "admin"})),
    "data.export": ("xuất dữ liệu", frozenset({"leader", "admin"})),
    "data.import": ("nhập dữ liệu", frozenset({"admin"})),
    "data.backup": ("sao lưu dữ liệu", frozenset({"clerk", "leader", "admin"})),
    "data.restore": ("khôi phục dữ liệu", frozenset({"admin"})),
    "settings.edit": ("thay đổi cài đặt", frozenset({"admin"})),
    "catalogue.edit": ("sửa danh mục đơn vị, thủ tục", frozenset({"admin"})),
    "calendar.edit": ("sửa lịch làm việc", frozenset({"admin"})),
    "accounts.manage": ("quản lý tài khoản", frozenset({"admin"})),
    "privacy.manage": ("quản lý dữ liệu cá nhân (nhật ký truy cập, lưu giữ, yêu cầu)",
                       frozenset({"admin"})),
}

MIN_PASSWORD = 8
PIN_RE = re.compile(r"[0-9]{4,8}")  # ASCII: "１２３４" from an input method is no PIN one can retype
MAX_FAILED = 5
LOCKOUT = dt.timedelta(minutes=5)
LOGIN_RE = re.compile(r"[a-z0-9._-]{2,32}")
# scrypt with 16 MiB of memory: about 50 ms here, slow enough that guessing is costly, quick
# enough that a clerk switching at the counter does not wait.
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


class PermissionDenied(OperationError):
    """The signed-in account's roles do not allow the action."""


@dataclass(frozen=True)
class Account:
    login: str
    full_name: str
    roles: frozenset[str]
    unit_code: str | None
    active: bool
    has_pin: bool

    def as_actor(self) -> Actor:
        return Actor(self.login, self.full_name, self.roles)


def hash_secret(secret: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, dklen=32, **_SCRYPT)
    b64 = base64.b64encode
    return (f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}$"
            f"{b64(salt).decode()}${b64(digest).decode()}")


def verify_secret(secret: str, stored: str | None) -> bool:
    """Whether `secret` matches a hash of hash_secret (compared in constant time)."""
    try:
        kind, n, r, p, salt, digest = (stored or "").split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(secret.encode(), salt=base64.b64decode(salt), dklen=len(expected),
                             n=int(n), r=int(r), p=int(p), maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


# ---- permissions -------------------------------------------------------------------------

def can(who: Actor | None, action: str) -> bool:
    """Whether `who` (default: the current writer) may do `action`."""
    who = who if who is not None else actors.current()
    if who.is_system:
        return True
    return bool(who.roles & PERMISSIONS[action][1])


def require(action: str) -> Actor:
    """The current writer, if allowed to do `action`; PermissionDenied names who and what."""
    who = actors.current()
    if not can(who, action):
        roles = ", ".join(ROLE_VI[r] for r in sorted(who.roles) if r in ROLE_VI) or "không có vai trò"
        raise PermissionDenied(f"Tài khoản {who.login} ({roles}) không có quyền "
                               f"{PERMISSIONS[action][0]}.")
    return who


def recorded(action: str, actor: str | None = None) -> str:
    """`require(action)`, then the login a write records: `actor` when the caller names one
    (a test, an import replaying another office's clerk), else the current writer's."""
    who = require(action)
    return actor or who.login


def roles_text(roles: frozenset[str] | set[str]) -> str:
    return ", ".join(ROLE_VI[r] for r in ROLES if r in roles)


def signed_in_line(who: Account) -> str:
    """Who works at the window, named by the account's roles (the status bar): 'Lãnh đạo:
    Hoàng Thị Mai', 'Cán bộ tiếp nhận: Nguyễn Văn Hùng', 'Cán bộ tiếp nhận, Quản trị: Trần
    Quản Trị' (roles in the order of db.schema.ROLES, words of core.labels.ROLE_VI); never
    'Cán bộ:' for a leader or an administrator."""
    roles = roles_text(who.roles)
    return f"{roles}: {who.full_name}" if roles else f"Tài khoản không có vai trò: {who.full_name}"


# ---- reading -----------------------------------------------------------------------------

_COLUMNS = "login, full_name, roles, unit_code, active, pin_hash IS NOT NULL"


def _account(row) -> Account:
    login, name, roles, unit, active, has_pin = row
    return Account(login, name, frozenset(r for r in roles.split(",") if r), unit, bool(active),
                   bool(has_pin))


def list_accounts(db: sqlite_utils.Database) -> list[Account]:
    return [_account(r) for r in db.execute(f"SELECT {_COLUMNS} FROM accounts ORDER BY login")]


def get(db: sqlite_utils.Database, login: str) -> Account | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM accounts WHERE login = ?", [login]).fetchone()
    return _account(row) if row else None


def needs_first_admin(db: sqlite_utils.Database) -> bool:
    """True until the first start has created the administrator."""
    return db.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is None


def display_name(db: sqlite_utils.Database, login: str | None) -> str:
    """The name of a login recorded at THIS installation ('' when nobody): a sign-off, a
    setting change. A row's login, which a package may have brought from another installation,
    is named by core.actor_names (Names.of: the one rule for rows)."""
    return actor_names.local_name(db, login)


# ---- checks of what a person typed -------------------------------------------------------

def _check_login(login: str) -> str:
    login = login.strip().lower()
    if not LOGIN_RE.fullmatch(login):
        raise FieldError("login", "Tên đăng nhập gồm 2–32 ký tự: chữ không dấu, số, dấu chấm, "
                                  "gạch dưới hoặc gạch ngang.")
    return login


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise FieldError("password", f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")


def _check_pin(pin: str) -> None:
    if not PIN_RE.fullmatch(pin):
        raise FieldError("pin", "Mã PIN gồm 4 đến 8 chữ số.")


def _check_full_name(full_name: str) -> str:
    """The name as stored: it goes on slips, the status bar and every history line, so it is
    never blank, never longer than a slip's line, and carries no hidden or control characters
    (a right-to-left mark would print the name backwards). Invisible characters are left out
    and the characters are a citizen's name's (core.validation.clean_name, account_name_reason):
    one a slip cannot print is refused, named."""
    name = validation.clean_name(full_name) or ""
    if not name:
        raise FieldError("full_name", "Hãy nhập họ và tên.")
    limits.check_text("full_name", name)
    if reason := validation.account_name_reason(name):
        raise FieldError("full_name", f"Họ và tên {reason}.")
    return name


def _check_roles(roles) -> str:
    chosen = [r for r in ROLES if r in set(roles)]
    unknown = set(roles) - set(ROLES)
    if unknown or not chosen:
        raise FieldError("roles", "Hãy chọn ít nhất một vai trò: " + ", ".join(ROLE_VI.values()) + ".")
    return ",".join(chosen)


def _now() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


# ---- writing -----------------------------------------------------------------------------

def create_account(db: sqlite_utils.Database, login: str, full_name: str, roles, password: str,
                   *, pin: str | None = None, unit_code: str | None = None) -> Account:
    """Add an account. The very first one is the administrator the first start creates; after
    it, only an administrator adds accounts."""
    first = needs_first_admin(db)
    if first and "admin" not in set(roles):
        raise FieldError("roles", "Tài khoản đầu tiên phải là tài khoản quản trị.")
    if not first:
        require("accounts.manage")
    login, role_text = _check_login(login), _check_roles(roles)
    full_name = _check_full_name(full_name)
    _check_password(password)
    if pin:
        _check_pin(pin)
    with transaction(db) as conn:
        if conn.execute("SELECT 1 FROM accounts WHERE login = ?", [login]).fetchone():
            raise FieldError("login", f"Tên đăng nhập {login} đã có.")
        conn.execute(
            "INSERT INTO accounts(login, full_name, roles, unit_code, password_hash, pin_hash, "
            "created_at, created_by, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [login, full_name, role_text, unit_code, hash_secret(password),
             hash_secret(pin) if pin else None, _now(), actors.login(), _now()])
        log_change(conn, "accounts", login, None, f"tạo tài khoản ({role_text})")
    account = get(db, login)
    assert account is not None
    return account


def _failed(db: sqlite_utils.Database, login: str) -> None:
    with transaction(db) as conn:
        conn.execute("UPDATE accounts SET failed_attempts = failed_attempts + 1 WHERE login = ?",
                     [login])
        conn.execute("UPDATE accounts SET locked_until = ?, failed_attempts = 0 "
                     "WHERE login = ? AND failed_attempts >= ?",
                     [(dt.datetime.now() + LOCKOUT).strftime("%Y-%m-%d %H:%M:%S"), login,
                      MAX_FAILED])


def _sign_in_with(db: sqlite_utils.Database, login: str, secret: str, column: str,
                  login_known: bool = False) -> Actor:
    wrong = InputError(wrong_secret(column, login_known))
    login = login.strip().lower()
    row = db.execute(f"SELECT {column}, active, locked_until, failed_attempts FROM accounts "
                     "WHERE login = ?", [login]).fetchone()
    if row is None:
        raise wrong
    stored, active, locked_until, failed = row
    if not active:
        raise InputError(f"Tài khoản {login} đã bị khoá bởi quản trị.")
    if locked_until and locked_until > _now():
        raise InputError(f"Tài khoản {login} tạm khoá do nhập sai nhiều lần; "
                         f"thử lại sau {locked_until[11:16]}.")
    if not verify_secret(secret, stored):
        if not getattr(db, "read_only", False):  # a read-only file (issue 14) counts no tries
            _failed(db, login)
        raise wrong
    if failed or locked_until:  # else a sign-in writes nothing: no wait on a busy database,
        with transaction(db) as conn:  # and a read-only file can still be read by its staff
            conn.execute("UPDATE accounts SET failed_attempts = 0, locked_until = NULL "
                         "WHERE login = ?", [login])
    account = get(db, login)
    assert account is not None
    return account.as_actor()


def wrong_secret(column: str, login_known: bool) -> str:
    """The refusal of a wrong secret. A typed login: one message for either wrong (which one is
    not told). A login the clerk cannot change (the locked screen's account, one's own password
    change): only the secret can be wrong, so only it is named — "Sai tên đăng nhập hoặc mã PIN"
    under a login shown read-only sent a tired clerk looking for a typo in it."""
    secret = "mật khẩu." if column == "password_hash" else "mã PIN."
    return ("Sai " if login_known else "Sai tên đăng nhập hoặc ") + secret


def authenticate(db: sqlite_utils.Database, login: str, password: str, *,
                 login_known: bool = False) -> Actor:
    """The account for a login and password; InputError (one message for either wrong) else."""
    return _sign_in_with(db, login, password, "password_hash", login_known)


def authenticate_pin(db: sqlite_utils.Database, login: str, pin: str, *,
                     login_known: bool = False) -> Actor:
    """Switching clerk at the counter: the login and its PIN (an account without one: refused)."""
    return _sign_in_with(db, login, pin, "pin_hash", login_known)


def change_password(db: sqlite_utils.Database, login: str, old: str, new: str) -> None:
    """The account's own change: the old password is asked again."""
    authenticate(db, login, old, login_known=True)
    _set_secret(db, login, "password_hash", new)


def reset_password(db: sqlite_utils.Database, login: str, new: str) -> None:
    """An administrator sets a forgotten password."""
    require("accounts.manage")
    _set_secret(db, login, "password_hash", new)


def set_pin(db: sqlite_utils.Database, login: str, pin: str | None) -> None:
    """Set or remove (None) the PIN of an account: the account itself or an administrator."""
    if actors.current().login != login:
        require("accounts.manage")
    if pin:
        _check_pin(pin)
    _set_secret(db, login, "pin_hash", pin)


def _set_secret(db: sqlite_utils.Database, login: str, column: str, secret: str | None) -> None:
    if column == "password_hash":
        _check_password(secret or "")
    with transaction(db) as conn:
        changed = conn.execute(
            f"UPDATE accounts SET {column} = ?, password_changed_at = ? WHERE login = ?",
            [hash_secret(secret) if secret else None, _now(), login]).rowcount
        if not changed:
            raise InputError(f"Không có tài khoản {login}.")
        what = "đổi mật khẩu" if column == "password_hash" else ("đặt mã PIN" if secret
                                                                 else "bỏ mã PIN")
        log_change(conn, "accounts", login, None, what)


def update_account(db: sqlite_utils.Database, login: str, *, full_name: str | None = None,
                   roles=None, active: bool | None = None, unit_code: str | None = None) -> None:
    """An administrator renames, changes the roles of, or (de)activates an account. The last
    active administrator cannot lose the role or be deactivated: nobody could manage again."""
    require("accounts.manage")
    before = get(db, login)
    if before is None:
        raise InputError(f"Không có tài khoản {login}.")
    new_name = _check_full_name(full_name) if full_name is not None else before.full_name
    new_roles = _check_roles(roles) if roles is not None else ",".join(sorted(before.roles))
    new_active = before.active if active is None else active
    if "admin" in before.roles and ("admin" not in new_roles.split(",") or not new_active):
        others = db.execute("SELECT COUNT(*) FROM accounts WHERE active = 1 AND login != ? "
                            "AND ',' || roles || ',' LIKE '%,admin,%'", [login]).fetchone()[0]
        if not others:
            raise FieldError("roles", "Phải còn ít nhất một tài khoản quản trị đang hoạt động.")
    with transaction(db) as conn:
        conn.execute("UPDATE accounts SET full_name = ?, roles = ?, active = ?, unit_code = ? "
                     "WHERE login = ?",
                     [new_name, new_roles, int(new_active),
                      unit_code if unit_code is not None else before.unit_code, login])
        log_change(conn, "accounts", login,
                   f"{before.full_name}; {','.join(sorted(before.roles))}; "
                   f"{'hoạt động' if before.active else 'khoá'}",
                   f"{new_name}; {new_roles}; "
                   f"{'hoạt động' if new_active else 'khoá'}")
