"""Accounts, roles and the permission table (spec 10, issue 15 §1)."""
from __future__ import annotations

import re

import pytest

from core import accounts
from core.errors import FieldError, InputError
from db import actor, settings


def _admin(db):
    return accounts.create_account(db, "quantri", "Nguyễn Quản Trị", {"admin"}, "matkhau123")


def test_secrets_are_salted_scrypt_hashes():
    first, second = accounts.hash_secret("matkhau123"), accounts.hash_secret("matkhau123")
    assert first.startswith("scrypt$") and first != second and "matkhau123" not in first
    assert accounts.verify_secret("matkhau123", first)
    assert not accounts.verify_secret("matkhau124", first)
    assert not accounts.verify_secret("x", "garbage") and not accounts.verify_secret("x", None)


def test_first_account_must_be_an_administrator(db):
    assert accounts.needs_first_admin(db)
    with pytest.raises(FieldError, match="quản trị"):
        accounts.create_account(db, "canbo", "Cán Bộ", {"clerk"}, "matkhau123")
    _admin(db)
    assert not accounts.needs_first_admin(db)


def test_sign_in_with_password_and_pin(db):
    _admin(db)
    who = accounts.authenticate(db, "QuanTri ", "matkhau123")
    assert who.login == "quantri" and who.roles == {"admin"}
    with pytest.raises(InputError, match="PIN"):
        accounts.authenticate_pin(db, "quantri", "1234")   # no PIN set yet
    actor.sign_in(who)
    accounts.set_pin(db, "quantri", "2468")
    assert accounts.authenticate_pin(db, "quantri", "2468").login == "quantri"


def test_five_wrong_tries_lock_the_account(db):
    _admin(db)
    for _ in range(accounts.MAX_FAILED):
        with pytest.raises(InputError, match="Sai tên đăng nhập"):
            accounts.authenticate(db, "quantri", "sai-mat-khau")
    with pytest.raises(InputError, match="tạm khoá"):
        accounts.authenticate(db, "quantri", "matkhau123")


def test_only_an_administrator_manages_accounts(db):
    admin = _admin(db).as_actor()
    actor.sign_in(admin)
    accounts.create_account(db, "canbo", "Trần Cán Bộ", {"clerk"}, "matkhau123", pin="1357")
    actor.sign_in(accounts.authenticate(db, "canbo", "matkhau123"))
    with pytest.raises(accounts.PermissionDenied, match="canbo .*quản lý tài khoản"):
        accounts.create_account(db, "khac", "Người Khác", {"clerk"}, "matkhau123")
    with pytest.raises(accounts.PermissionDenied):
        accounts.reset_password(db, "quantri", "moi12345")


def test_the_last_administrator_keeps_the_role(db):
    actor.sign_in(_admin(db).as_actor())
    with pytest.raises(FieldError, match="ít nhất một tài khoản quản trị"):
        accounts.update_account(db, "quantri", roles={"clerk"})
    with pytest.raises(FieldError):
        accounts.update_account(db, "quantri", active=False)


def test_a_deactivated_account_cannot_sign_in(db):
    actor.sign_in(_admin(db).as_actor())
    accounts.create_account(db, "canbo", "Trần Cán Bộ", {"clerk"}, "matkhau123")
    accounts.update_account(db, "canbo", active=False)
    with pytest.raises(InputError, match="đã bị khoá"):
        accounts.authenticate(db, "canbo", "matkhau123")


@pytest.mark.parametrize("action", sorted(accounts.PERMISSIONS))
@pytest.mark.parametrize("role", ["clerk", "leader", "admin"])
def test_permission_table_decides_each_role_and_action(role, action):
    who = actor.Actor("x", "X", frozenset({role}))
    allowed = role in accounts.PERMISSIONS[action][1]
    assert accounts.can(who, action) is allowed
    with actor.acting_as(who):
        if allowed:
            assert accounts.require(action) is who
        else:
            with pytest.raises(accounts.PermissionDenied, match=re.escape(accounts.PERMISSIONS[action][0])):
                accounts.require(action)


def test_the_command_line_acts_for_the_os_user_with_every_right():
    who = actor.current()
    assert who.login.startswith("os:") and who.is_system
    assert all(accounts.can(who, a) for a in accounts.PERMISSIONS)


def test_setting_changes_record_who_and_what(db):
    actor.sign_in(_admin(db).as_actor())
    settings.put(db, "same_day_cutoff", "14:00")
    settings.put(db, "same_day_cutoff", "14:00")   # unchanged: no row
    rows = db.execute("SELECT actor, area, key, old_value, new_value FROM setting_changes "
                      "WHERE area = 'settings'").fetchall()
    assert rows == [("quantri", "settings", "same_day_cutoff", None, '"14:00"')]
    accounts_rows = db.execute("SELECT actor, key, new_value FROM setting_changes "
                               "WHERE area = 'accounts'").fetchall()
    assert accounts_rows[0][1] == "quantri"


def test_change_logs_are_append_only(db):
    settings.put(db, "same_day_cutoff", "14:00")
    import sqlite3
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE setting_changes SET actor = 'ai do'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM setting_changes")


def test_display_name_for_slips(db):
    _admin(db)
    assert accounts.display_name(db, "quantri") == "Nguyễn Quản Trị"
    assert accounts.display_name(db, "os:lan") == "lan"
    assert accounts.display_name(db, None) == ""


@pytest.mark.parametrize(("name", "message"), [
    ("   ", "Hãy nhập họ và tên"),
    ("A" * 101, "Họ và tên dài 101 ký tự"),
    ("Nguyễn\u202eVăn An", "ký tự ẩn đảo chiều chữ"),
    ("Lê\x00Thị", "ký tự điều khiển hoặc ký tự ẩn"),
])
def test_an_accounts_name_is_refused_blank_huge_or_with_hidden_characters(db, name, message):
    """The name prints on slips and in every history line: a 100 000-character name, a
    right-to-left mark or a blank rename was stored before."""
    actor.sign_in(_admin(db).as_actor())
    with pytest.raises(FieldError, match=message):
        accounts.create_account(db, "canbo.moi", name, {"clerk"}, "matkhau123")
    assert accounts.get(db, "canbo.moi") is None
    accounts.create_account(db, "canbo.moi", " Trần Thị Mới ", {"clerk"}, "matkhau123")
    with pytest.raises(FieldError, match=message):
        accounts.update_account(db, "canbo.moi", full_name=name)
    assert accounts.get(db, "canbo.moi").full_name == "Trần Thị Mới"


@pytest.mark.parametrize("pin", ["１２３４", "١٢٣٤", "12 34"])
def test_a_pin_is_four_to_eight_ascii_digits(db, pin):
    """Full-width or Arabic-Indic digits matched \\d: such a PIN was stored, and the clerk
    typing 1234 on the counter's keyboard was then refused."""
    actor.sign_in(_admin(db).as_actor())
    with pytest.raises(FieldError, match="PIN gồm 4 đến 8 chữ số"):
        accounts.set_pin(db, "quantri", pin)
    accounts.set_pin(db, "quantri", "1234")
    assert accounts.authenticate_pin(db, "quantri", "1234").login == "quantri"


def test_the_status_line_names_the_accounts_roles_not_always_cán_bộ():
    """Lead's review (ninth round): a leader was shown as "Cán bộ: …"."""
    def account(*roles):
        return accounts.Account("x", "Hoàng Thị Mai", frozenset(roles), None, True, True)
    assert accounts.signed_in_line(account("leader")) == "Lãnh đạo: Hoàng Thị Mai"
    assert accounts.signed_in_line(account("admin")) == "Quản trị: Hoàng Thị Mai"
    assert accounts.signed_in_line(account("clerk")) == "Cán bộ tiếp nhận: Hoàng Thị Mai"
    assert accounts.signed_in_line(account("admin", "leader")) == \
        "Lãnh đạo, Quản trị: Hoàng Thị Mai"
    assert accounts.signed_in_line(account()) == "Tài khoản không có vai trò: Hoàng Thị Mai"
