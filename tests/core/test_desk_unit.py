"""The unit a form opens on (core.desk_unit, try25 F2, review25 finding 4): the signed-in
account's own last choice, else its own unit, else the office's desk, else the first listed —
never another clerk's."""
from __future__ import annotations

from core import accounts, desk_unit
from db import actor, settings
from tests.core.factories import add_units

UNITS = ["U1", "U2", "U3"]


def office(db):
    add_units(db, (("U1", "Xã An Sơn", None), ("U2", "Xã Hòa Bình", None),
                   ("U3", "Xã Tân Lập", None)))
    made = {"admin": accounts.create_account(db, "quantri", "Trần Quản Trị", ["admin"],
                                             "matkhau123")}
    with actor.acting_as(made["admin"].as_actor()):
        made["u2"] = accounts.create_account(db, "canbo.u2", "Lê Thị Hai", ["clerk"],
                                             "matkhau123", unit_code="U2")
        made["none"] = accounts.create_account(db, "canbo.chung", "Vũ Văn Chung", ["clerk"],
                                               "matkhau123")
    return made


def test_the_accounts_last_choice_comes_before_its_own_unit(db):
    made = office(db)
    actor.sign_in(made["u2"].as_actor())
    assert desk_unit.own_unit(db) == "U2"
    # U3: what this login chose last (a centre clerk receiving for another unit keeps it)
    assert desk_unit.preset(db, UNITS, last="U3") == "U3"
    assert desk_unit.preset(db, UNITS, last=None) == "U2"  # no choice yet: its own unit
    assert desk_unit.preset(db, UNITS, last="U9") == "U2"  # a choice no longer listed
    settings.put(db, "office_setup", {"unit_code": "U1", "date": "2025-06-01"})
    assert desk_unit.preset(db, UNITS, last=None) == "U2"  # its unit before the office's desk
    assert desk_unit.preset(db, ["U1", "U3"], last=None) == "U1"  # its unit not offered


def test_without_a_unit_of_its_own_the_last_choice_then_the_office_then_the_first(db):
    made = office(db)
    actor.sign_in(made["none"].as_actor())
    assert desk_unit.own_unit(db) is None
    assert desk_unit.preset(db, UNITS, last="U3") == "U3"
    assert desk_unit.preset(db, UNITS, last=None) == "U1"
    assert desk_unit.preset(db, UNITS, last="U9") == "U1"  # a unit no longer listed
    settings.put(db, "office_setup", {"unit_code": "U2", "date": "2025-06-01"})
    assert desk_unit.preset(db, UNITS, last=None) == "U2"
    assert desk_unit.preset(db, [], last=None) is None


def test_nobody_signed_in_the_command_lines_user_has_no_unit(db):
    office(db)
    assert desk_unit.own_unit(db) is None
    assert desk_unit.preset(db, UNITS, last="U3") == "U3"
