"""Catalogue and settings writes live in core: each save is one transaction with the
recomputation it causes (issue 12 §2)."""
from __future__ import annotations

import datetime as dt

import pytest

from core import catalogue, office_settings, recompute, timefmt
from core.errors import FieldError
from db import settings
from tests.core.factories import add_dossier, add_procedures, add_units


def due_of(db, dossier_id: int) -> str:
    return db.execute("SELECT calc_due_at FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0]


def test_a_unit_is_saved_and_never_placed_under_itself(db):
    add_units(db, (("H1", "Huyện", None), ("X1", "Xã", "H1")))
    catalogue.save_unit(db, " X2 ", " Xã Mới ", "commune", "H1")
    assert db.execute("SELECT name, parent_code FROM units WHERE code = 'X2'").fetchone() == \
        ("Xã Mới", "H1")
    with pytest.raises(FieldError) as error:
        catalogue.save_unit(db, "H1", "Huyện", "district", "X1")
    assert error.value.field == "parent_code"
    with pytest.raises(FieldError) as error:
        catalogue.save_unit(db, "X3", "  ", "commune", None)
    assert error.value.field == "name"
    assert db.execute("SELECT parent_code FROM units WHERE code = 'H1'").fetchone()[0] is None



def test_a_level_there_is_none_is_named_alike_at_the_desk_and_from_a_package(db):
    """The desk said «Cấp đơn vị không hợp lệ: 'planet'.» (Python's quotes) where a package's
    new unit said «planet» (break34): one rule, one wording (core.catalogue.check_level)."""
    with pytest.raises(FieldError) as error:
        catalogue.save_unit(db, "X4", "Xã Bốn", "planet", None)
    assert error.value.field == "level"
    assert str(error.value) == "Cấp đơn vị không hợp lệ: «planet».", str(error.value)
    assert db.execute("SELECT COUNT(*) FROM units WHERE code = 'X4'").fetchone()[0] == 0

def test_a_holiday_and_its_recomputation_are_one_transaction(db):
    add_units(db)
    add_procedures(db)
    touched = add_dossier(db, code="A", received=dt.datetime(2025, 3, 3, 8))
    before = due_of(db, touched)
    assert catalogue.set_calendar_day(db, dt.date(2025, 3, 4), "holiday", "Nghỉ") == 1
    moved = due_of(db, touched)
    assert moved > before
    # a cancelled recomputation rolls the calendar change back with it
    with pytest.raises(InterruptedError):
        catalogue.set_calendar_day(db, dt.date(2025, 3, 4), None, progress=lambda d, t: False)
    assert db.execute("SELECT kind FROM calendar WHERE date = '2025-03-04'").fetchone()[0] == \
        "holiday"
    assert due_of(db, touched) == moved
    catalogue.set_calendar_day(db, dt.date(2025, 3, 4), None)
    assert due_of(db, touched) == before


def test_a_new_fee_is_kept_by_the_dossiers_received_before_and_followed_after(db, monkeypatch):
    """core.fees: received before the change with no fee of their own, they keep the old fee in
    their own; their own 0 or value is untouched; one received from the change on follows the
    new fee and is the only one recomputed."""
    add_units(db)
    add_procedures(db)
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2025, 3, 3, 9))
    before = add_dossier(db, code="A", received=dt.datetime(2025, 3, 3, 8))
    own_zero = add_dossier(db, code="Z", received=dt.datetime(2025, 3, 3, 8), fee=0)
    own_fee = add_dossier(db, code="F", received=dt.datetime(2025, 3, 3, 8), fee=3000)
    after = add_dossier(db, code="B", received=dt.datetime(2025, 3, 3, 10))  # a later clock's
    code = db.execute("SELECT procedure_code FROM dossiers WHERE id = ?", [before]).fetchone()[0]
    row = db.execute(f"SELECT {', '.join(catalogue.PROCEDURE_FIELDS)} FROM procedures "
                     "WHERE code = ?", [code]).fetchone()
    values = dict(zip(catalogue.PROCEDURE_FIELDS, row, strict=True), valid_from=dt.date(2025, 1, 1))
    old_fee = values["fee"]
    values["fee"] = (old_fee or 0) + 50_000
    plan = catalogue.procedure_change(db, values)
    assert (plan.ids, plan.dated, plan.new) == ([after], False, False)
    assert plan.fee_message() is None  # not written yet
    assert recompute.apply_dated(db, plan.change, plan.ids) == 1
    assert plan.fee_message() == ("Mức phí mới áp dụng cho hồ sơ tiếp nhận từ nay; 1 hồ sơ đã "
                                  "tiếp nhận giữ mức phí cũ 0 đ.")
    assert db.execute("SELECT fee FROM procedures WHERE code = ?", [code]).fetchone()[0] == \
        values["fee"]
    fees = dict(db.execute("SELECT id, fee FROM dossiers").fetchall())
    assert fees == {before: old_fee, own_zero: 0, own_fee: 3000, after: None}
    assert db.execute("SELECT COUNT(*) FROM setting_changes WHERE key = ?",
                      [f"{code}: mức phí"]).fetchone()[0] == 1
    same = dict(values)
    assert catalogue.procedure_change(db, same).ids == []  # the same fee again: nothing moves
    new = dict(values, code="P.NEW", name="Thủ tục mới")
    assert catalogue.procedure_change(db, new).new and catalogue.save_procedure(db, new) == 0
    assert db.execute("SELECT name FROM procedures WHERE code = 'P.NEW'").fetchone()[0] == \
        "Thủ tục mới"


def test_settings_saves_are_whole(db):
    with pytest.raises(ValueError):
        office_settings.save_policies(db, {"supplement_policy": "restart", "due_basis": "bad"})
    assert settings.get(db, "supplement_policy") == "pause"  # nothing of the failed save kept
    office_settings.save_policies(db, {"supplement_policy": "restart", "due_basis": "extended"})
    assert settings.policy(db)["supplement"] == "restart"
    office_settings.save_targets(db, 2026, {"on_time": 0.955555})
    assert settings.targets_for_year(db, 2026)["on_time"] == 0.9556
    office_settings.save_header(db, {"agency": "  UBND xã  "}, ["", " Sở Nội vụ "])
    header = settings.get(db, "report_header")
    assert header["agency"] == "UBND xã" and header["recipients"] == ["Sở Nội vụ"]


def test_a_header_longer_than_a_document_prints_is_refused(db):
    with pytest.raises(FieldError, match="^Cơ quan ban hành dài 201 ký tự") as error:
        office_settings.save_header(db, {"agency": "X" * 201}, [])
    assert error.value.field == "agency"  # said under that line (round 19)
    with pytest.raises(FieldError) as error:
        office_settings.save_header(db, {}, [f"Nơi {i}" for i in range(11)])
    assert error.value.field == "recipients"
    with pytest.raises(FieldError):
        office_settings.save_header(db, {}, ["N" * 101])
    assert settings.get(db, "report_header")["recipients"] != ["N" * 101]  # nothing kept


def test_a_calendar_day_limit_is_a_whole_number_of_days(db):
    """spec 2.2: calendar_days N is the reception date + N days, so N is whole; only working
    days may be fractional. 2,5 calendar days was saved, printed '2,5 ngày' and counted as 2."""
    add_units(db)
    add_procedures(db)
    row = db.execute(f"SELECT {', '.join(catalogue.PROCEDURE_FIELDS)} FROM procedures "
                     "WHERE code = 'P.CD10'").fetchone()
    values = dict(zip(catalogue.PROCEDURE_FIELDS, row, strict=True), valid_from=dt.date(2025, 1, 1))
    for value in (2.5, 0.5):
        with pytest.raises(FieldError) as error:
            catalogue.save_procedure(db, dict(values, limit_value=value))
        assert error.value.field == "limit_value" and "số ngày nguyên" in error.value.message
        with pytest.raises(FieldError):
            catalogue.save_procedure(db, dict(values, code="P.NEW", name="Mới", limit_value=value))
    assert db.execute("SELECT limit_value FROM procedures WHERE code = 'P.CD10'").fetchone()[0] == 10
    catalogue.save_procedure(db, dict(values, limit_value=3))
    catalogue.save_procedure(db, dict(values, limit_unit="working_days", limit_value=2.5))
    assert db.execute("SELECT limit_value, limit_unit FROM procedures WHERE code = 'P.CD10'"
                      ).fetchone() == (2.5, "working_days")
