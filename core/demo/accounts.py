"""The demo's accounts (issue 15): an administrator, a leader and two clerks per receiving unit,
all with one documented password and PIN, so whoever tries the demo can sign in as any role.

The clerk who receives at a desk is `canbo.<unit login>`, the officer who processes the unit's
dossiers `xuly.<unit login>` (resources/demo/units.json `login`; `.cu` marks a unit that ended in
the 2025 merger). Their full names are the demo's fake staff (core.demo.people.staff), so the
receipt and the control slip print a person's name. The password and the PIN are hashed once
for every account: scrypt costs about 50 ms a hash (core.accounts), and the demo must stay fast.
"""
from __future__ import annotations

import datetime as dt

from core.accounts import hash_secret
from core.demo.catalogue import Unit
from db.settings import log_change

DEMO_PASSWORD = "motcua123"  # docs/demo.md; the window's sign-in hints at it on a demo file
DEMO_PIN = "1234"
ADMIN = ("quantri", "Quản trị hệ thống", "admin")
LEADER = ("lanhdao", "Hoàng Thị Mai", "leader")  # the report header's signer (units.json)
RECEIVING, PROCESSING = "canbo", "xuly"

# OR IGNORE: an empty file whose administrator was already created keeps that account
ACCOUNT_SQL = ("INSERT OR IGNORE INTO accounts(login, full_name, roles, unit_code, password_hash, "
               "pin_hash, created_at, created_by, password_changed_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, 'demo', ?)")


def unit_login(unit: Unit) -> str:
    """The tail of a unit's clerks' logins (its code, dots kept, when units.json names none)."""
    return unit.login or unit.code.lower()


def clerk_logins(unit: Unit) -> list[str]:
    """[the clerk who receives, the officer who processes] at `unit`."""
    return [f"{RECEIVING}.{unit_login(unit)}", f"{PROCESSING}.{unit_login(unit)}"]


def write_accounts(conn, staff: dict[str, tuple[str, str]], admin_unit: str | None,
                   moment: dt.datetime) -> int:
    """Insert the administrator, the leader and `staff` ({login: (full name, unit code)}) inside
    the demo's transaction; returns how many accounts were written."""
    password, pin = hash_secret(DEMO_PASSWORD), hash_secret(DEMO_PIN)
    at = moment.strftime("%Y-%m-%d %H:%M:%S")
    rows = [(login, name, role, admin_unit, password, pin, at, at)
            for login, name, role in (ADMIN, LEADER)]
    rows += [(login, name, "clerk", unit, password, pin, at, at)
             for login, (name, unit) in sorted(staff.items())]
    conn.executemany(ACCOUNT_SQL, rows)
    # the staff of a unit that ended in the 2025 merger left with it: their accounts stay (their
    # names are on the old dossiers' history) but can no longer sign in
    conn.execute("UPDATE accounts SET active = 0 WHERE created_by = 'demo' AND unit_code IN "
                 "(SELECT code FROM units WHERE valid_to IS NOT NULL AND valid_to < ?)",
                 [moment.date().isoformat()])
    log_change(conn, "accounts", "demo", None, f"tạo {len(rows)} tài khoản mẫu (docs/demo.md)")
    return len(rows)
