"""Names printed on every slip, report and register (round 13 review): a citizen's name was
checked for what the documents' font can draw (core.printable), but an account's full name (the
receiving clerk on every slip), a unit's name and a procedure's name were not: an emoji or a
Chinese character was stored and printed as □ everywhere. One rule (core.validation:
account_name_reason, printed_text_reason, clean_printed) at every entry: the core API (so the
window), the first start, `import units|procedures`; invisible characters left out as in a
citizen's name. A package from another installation keeps its names as recorded."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import accounts, catalogue, office_setup
from core.errors import FieldError
from core.exchange import export_package, import_package
from core.transfer import import_file
from db import actor
from db.connection import transaction
from tests.core.exchange.conftest import frozen_now, office, receive  # noqa: F401 (autouse)
from tests.core.exchange.test_exchange import SINCE
from tests.core.factories import add_procedures, add_units
from tests.core.transfer.conftest import PROCEDURES, PROCEDURES_HEADER, UNITS_HEADER, write_csv

# name -> what the message names
UNPRINTED = {"Xã An Sơn 😀": "không in được trên phiếu: '😀' (U+1F600)",
             "Xã 安山": "không in được trên phiếu: '安' (U+5B89)",
             "Xã An\x07Sơn": "không in được trên phiếu: (U+0007)"}
# what a unit's or a procedure's name may hold: anything the bundled font draws
PRINTED = ["Xã An Sơn", "Cấp giấy chứng nhận № 3 (§ 2, 30°C) – “mẫu” …", "UBND phường Ngọc Hà"]
ADMIN = actor.Actor("quantri", "Quản Trị", frozenset({"admin"}))


def _procedure(code="P.NEW", name="Thủ tục mới", **more) -> dict:
    return dict(code=code, name=name, field="Hộ tịch", limit_value=3, limit_unit="working_days",
                fee=0, online_level="full", paper_result=0, same_day_cutoff=None,
                valid_from=dt.date(2025, 1, 1), **more)


def _count(db, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


# ---- a unit ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", UNPRINTED)
def test_a_unit_whose_name_cannot_be_printed_is_refused_naming_the_character(db, name):
    add_units(db)
    with pytest.raises(FieldError) as caught:
        catalogue.save_unit(db, "U9", name, "commune", None)
    assert caught.value.field == "name"
    if "\x07" in name:  # a control character: the rule of a unit's name (core.unit_text, round 32)
        assert caught.value.message == ("Tên đơn vị chứa ký tự điều khiển không in được "
                                        "(mã U+0007) ở vị trí 6.")
    else:
        assert caught.value.message == f"Tên đơn vị có ký tự {UNPRINTED[name]}."
    with pytest.raises(FieldError, match="U\\+"):  # renaming one too
        catalogue.save_unit(db, "U1", name, "commune", None)
    assert _count(db, "units") == 2
    assert db.execute("SELECT name FROM units WHERE code = 'U1'").fetchone()[0] == "Xã An Sơn"


@pytest.mark.parametrize("name", PRINTED)
def test_a_unit_may_hold_what_the_documents_print(db, name):
    catalogue.save_unit(db, "U9", name, "commune", None)
    assert db.execute("SELECT name FROM units WHERE code = 'U9'").fetchone()[0] == name


def test_a_units_invisible_characters_are_left_out_as_in_a_citizens_name(db):
    catalogue.save_unit(db, "U9", "\ufeffXã\u200b An  Sơn\u00a0", "commune", None)
    assert db.execute("SELECT name FROM units WHERE code = 'U9'").fetchone()[0] == "Xã An Sơn"
    with pytest.raises(FieldError, match="Cần nhập tên đơn vị"):
        catalogue.save_unit(db, "U8", "\u200b\u200b", "commune", None)
    with pytest.raises(FieldError, match="đảo chiều chữ \\(mã U\\+202E\\)"):
        catalogue.save_unit(db, "U8", "Xã \u202eAn Sơn", "commune", None)


def test_the_first_start_refuses_such_a_unit_name_too(db):
    with pytest.raises(FieldError) as caught:
        office_setup.save_first_start(db, unit_code="U9", unit_name="Xã Chín 🏛", level="commune",
                                      header={}, targets={"on_time": 0.9}, year=2025,
                                      today=dt.date(2025, 3, 3))
    assert caught.value.field == "unit_name" and "'🏛' (U+1F3DB)" in caught.value.message
    assert _count(db, "units") == 0


# ---- a procedure ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", UNPRINTED)
def test_a_procedure_whose_name_cannot_be_printed_is_refused(db, name):
    add_units(db)
    add_procedures(db)
    with pytest.raises(FieldError) as caught:
        catalogue.save_procedure(db, _procedure(name=name))
    assert caught.value.field == "name"
    assert caught.value.message == f"Tên thủ tục có ký tự {UNPRINTED[name]}."
    with pytest.raises(FieldError, match="U\\+"):  # the window's path: the plan is refused
        catalogue.procedure_change(db, _procedure("P.WD2", name=name), [])
    assert db.execute("SELECT COUNT(*) FROM procedures WHERE code = 'P.NEW'").fetchone()[0] == 0


def test_a_procedures_name_is_cleaned_and_may_hold_what_the_documents_print(db):
    catalogue.save_procedure(db, _procedure(name="Đăng ký\u200b khai sinh\u00ad"))
    catalogue.save_procedure(db, _procedure("P.2", name=PRINTED[1]))
    names = dict(db.execute("SELECT code, name FROM procedures").fetchall())
    assert names == {"P.NEW": "Đăng ký khai sinh", "P.2": PRINTED[1]}
    with pytest.raises(FieldError, match="Cần nhập tên thủ tục"):
        catalogue.save_procedure(db, _procedure("P.3", name=" \u200b "))


# ---- an account -----------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "shown"), [
    ("Nguyễn Văn An 😀", "'😀' (U+1F600)"), ("王小明", "'王' (U+738B)"),
    ("Иван Петров", "'И' (U+0418)"), ("Lò Văn\x07 Hai", ": (U+0007)")])
def test_an_accounts_name_follows_a_citizens_name_rule(db, name, shown):
    """The receiving clerk's name is printed on every slip: the characters of a name."""
    accounts.create_account(db, "quantri", "Nguyễn Quản Trị", {"admin"}, "matkhau123")
    actor.sign_in(ADMIN)
    with pytest.raises(FieldError) as caught:
        accounts.create_account(db, "canbo.moi", name, {"clerk"}, "matkhau123")
    assert caught.value.field == "full_name"
    assert caught.value.message.startswith("Họ và tên có ") and shown in caught.value.message
    assert "\x07" not in caught.value.message
    assert accounts.get(db, "canbo.moi") is None
    with pytest.raises(FieldError, match="U\\+"):
        accounts.update_account(db, "quantri", full_name=name)
    assert accounts.get(db, "quantri").full_name == "Nguyễn Quản Trị"


def test_an_accounts_invisible_characters_are_left_out(db):
    """A zero-width space pasted with the name was refused; now left out, as in a citizen's."""
    made = accounts.create_account(db, "quantri", "Nguyễn\u200b Quản Trị\ufeff", {"admin"},
                                   "matkhau123")
    assert made.full_name == "Nguyễn Quản Trị"


# ---- the import -----------------------------------------------------------------------------
def test_import_units_names_the_row_and_column_and_writes_nothing(db, tmp_path):
    rows = [["U1", "Xã An Sơn", "commune", ""], ["U2", "Xã Hòa Bình 😀", "commune", ""],
            ["U3", "Xã\u200b Ba", "commune", ""], ["U4", "Xã 安山", "commune", ""]]
    result = import_file(db, "units", write_csv(tmp_path / "u.csv", UNITS_HEADER, rows))
    assert [(e.row, e.column) for e in result.errors] == [(3, "name"), (5, "name")]
    assert str(result.errors[0]) == ("Dòng 3, cột name, giá trị 'Xã Hòa Bình 😀': có ký tự "
                                     "không in được trên phiếu: '😀' (U+1F600)")
    assert _count(db, "units") == 0
    result = import_file(db, "units", write_csv(tmp_path / "v.csv", UNITS_HEADER,
                                                [rows[0], rows[2]]))
    assert not result.errors
    assert dict(db.execute("SELECT code, name FROM units").fetchall()) == {
        "U1": "Xã An Sơn", "U3": "Xã Ba"}


def test_import_procedures_names_the_row_and_column_and_writes_nothing(db, tmp_path):
    rows = [list(PROCEDURES[0]), [*PROCEDURES[1][:1], "Chứng thực 🖊", *PROCEDURES[1][2:]]]
    result = import_file(db, "procedures", write_csv(tmp_path / "p.csv", PROCEDURES_HEADER, rows))
    assert [(e.row, e.column) for e in result.errors] == [(3, "name")]
    assert "'🖊' (U+1F58A)" in result.errors[0].reason
    assert _count(db, "procedures") == 0


def test_the_command_line_import_exits_2(tmp_path, capsys):
    path = write_csv(tmp_path / "u.csv", UNITS_HEADER, [["U1", "Xã 😀", "commune", ""]])
    assert main.main(["--db", str(tmp_path / "m.db"), "import", "units", str(path),
                      "--new-db"]) == 2
    err = capsys.readouterr().err
    assert "chưa ghi gì" in err and "Dòng 2, cột name" in err and "(U+1F600)" in err


# ---- a package from another installation: kept as recorded -----------------------------------
def test_a_packages_names_are_kept_as_the_other_installation_recorded_them(tmp_path):
    """Written before the rule (or by an older version): a package's unit and procedure names
    are taken as they are, new rows and rows chosen ("theirs") alike, as its citizens' names."""
    centre, other = office(tmp_path / "centre.db", (1, 2)), office(tmp_path / "other.db", (2, 2))
    odd_unit, odd_proc = "Xã An Sơn 😀\u200b", "Chứng thực 安 bản sao"
    with transaction(other) as conn:
        conn.execute("UPDATE units SET name = ? WHERE code = 'U1'", [odd_unit])
        conn.execute("UPDATE procedures SET name = ? WHERE code = 'P.WD2'", [odd_proc])
        conn.execute("INSERT INTO units(code, name, level) VALUES ('U7', ?, 'commune')",
                     ["Xã Bảy 🌾"])
    receive(other, "Trần Thị Hoa", unit="U2")
    package = tmp_path / "other.zip"
    export_package(other, package, SINCE)
    other.close()
    with actor.acting_as(ADMIN):
        result = import_package(centre, package, catalogue="theirs")
    assert result.written and sorted(result.catalogue_taken) == ["procedures:P.WD2", "units:U1"]
    names = dict(centre.execute("SELECT code, name FROM units").fetchall())
    assert names["U1"] == odd_unit and names["U7"] == "Xã Bảy 🌾"
    assert centre.execute("SELECT name FROM procedures WHERE code = 'P.WD2'").fetchone()[0] == \
        odd_proc
    assert _count(centre, "dossiers") == 1
    centre.close()
