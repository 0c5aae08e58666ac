"""«Đơn vị tiếp nhận» opens on the signed-in clerk's own unit (try25 F2): at a counter PC
shared by the clerks of two communes, the next clerk no longer receives under the previous
clerk's unit (its code, its report row, its receipt header) unless they notice the top line."""
from __future__ import annotations

from core import accounts
from db import actor
from gui.dossiers.intake import IntakeDialog
from tests.gui.clicks import click

PASSWORD = "matkhau123"


def clerks(db) -> dict[str, accounts.Account]:
    admin = accounts.create_account(db, "quantri", "Trần Quản Trị", ["admin"], PASSWORD)
    with actor.acting_as(admin.as_actor()):
        return {login: accounts.create_account(db, login, name, ["clerk"], PASSWORD, unit_code=unit)
                for login, name, unit in (("canbo.dgiap", "Nguyễn Thị Giáp", "X01"),
                                          ("canbo.trcac", "Lê Văn Các", "X02"),
                                          ("canbo.a", "Vũ Thị An", None),
                                          ("canbo.b", "Đỗ Văn Bảo", None))}


def receive_one(qtbot, db, unit: str | None = None) -> str:
    """The clerk opens Tiếp nhận, (picks `unit`,) fills it in and clicks «Lưu»; the code."""
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    if unit is not None:
        dialog.unit_box.setCurrentIndex(dialog.unit_box.findData(unit))
    dialog.procedure_edit.set_code("1.004227")
    dialog.name_edit.setText("Vũ Thị Mai")
    click(qtbot, dialog.save_button)
    assert dialog.created is not None
    return dialog.created[1]


def preset(qtbot, db) -> str:
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    return dialog.unit_box.currentData()


def test_the_next_clerk_at_a_shared_pc_gets_their_own_unit(qtbot, db, office):
    made = clerks(db)
    actor.sign_in(made["canbo.dgiap"].as_actor())
    assert preset(qtbot, db) == "X01"  # not H01, the first of the list
    assert receive_one(qtbot, db).startswith("X01-")
    actor.sign_in(made["canbo.trcac"].as_actor())  # the next clerk at the same PC
    assert preset(qtbot, db) == "X02"  # was X01, the PC's last choice
    assert receive_one(qtbot, db).startswith("X02-")
    actor.sign_in(made["canbo.dgiap"].as_actor())
    assert preset(qtbot, db) == "X01"


def test_an_account_without_a_unit_gets_its_own_last_choice_not_anothers(qtbot, db, office):
    made = clerks(db)
    actor.sign_in(made["canbo.a"].as_actor())
    assert preset(qtbot, db) == "H01"  # no unit, no choice yet, no office desk: the first
    assert receive_one(qtbot, db, unit="X02").startswith("X02-")
    assert preset(qtbot, db) == "X02"  # its own last choice
    actor.sign_in(made["canbo.b"].as_actor())
    assert preset(qtbot, db) == "H01"  # not canbo.a's X02
    actor.sign_in(made["canbo.a"].as_actor())
    assert preset(qtbot, db) == "X02"


def test_a_clerk_with_a_unit_who_received_for_another_keeps_that_choice(qtbot, db, office):
    # the rule's order (review25 finding 4): this login's last choice before its account's
    # unit, so a centre clerk who receives for other units is not reset at every intake; and
    # never another login's choice, whatever its unit
    made = clerks(db)
    actor.sign_in(made["canbo.dgiap"].as_actor())
    assert receive_one(qtbot, db, unit="X02").startswith("X02-")
    assert preset(qtbot, db) == "X02"  # was X01, the account's unit, at every intake
    actor.sign_in(made["canbo.trcac"].as_actor())  # X02 too, by its own unit
    assert receive_one(qtbot, db, unit="X01").startswith("X01-")
    actor.sign_in(made["canbo.b"].as_actor())  # no unit: neither X02 nor X01 of the others
    assert preset(qtbot, db) == "H01"
    actor.sign_in(made["canbo.dgiap"].as_actor())
    assert preset(qtbot, db) == "X02"  # its own last choice, not canbo.trcac's X01
