"""A unit's life span keeps the dossiers it holds (units29): the catalogue let an end date
(valid_to) be set before dossiers already received there, or a start (valid_from) after them;
`import dossiers` refuses such a dossier as new (core.moment.unit_absent_reason), so the export
no longer imported into a fresh database (spec 7). One rule now, core.moment.unit_span_refusal,
on every path that sets a unit's dates: the catalogue, the units file, the first start."""
from __future__ import annotations

import datetime as dt

import pytest

from core import catalogue, office_setup
from core.database import open_database
from core.errors import FieldError
from core.transfer import import_file
from db.connection import transaction
from tests.core.transfer.conftest import write_csv
from tests.core.transfer.test_roundtrip import ORDER, export_all, fill

D = dt.date
UNITS_HEADER = ["code", "name", "level", "parent_code", "valid_from", "valid_to", "successor_code"]


def dates(db, code: str) -> tuple:
    return db.execute("SELECT valid_from, valid_to FROM units WHERE code = ?", [code]).fetchone()


def assert_round_trip(db, tmp_path) -> None:
    """The export imports into a fresh database, every row of every kind (spec 7)."""
    counts = export_all(db, tmp_path / "out", ".csv")
    fresh = open_database(tmp_path / "fresh.db")
    try:
        for kind in ORDER:
            result = import_file(fresh, kind, tmp_path / "out" / f"{kind}.csv")
            assert result.ok and result.added + result.unchanged == counts[kind], (kind, result.errors)
    finally:
        fresh.close()


def test_the_catalogue_refuses_an_end_before_the_units_dossiers(db, tmp_path):
    fill(db)  # Tân Đoàn received dossiers on 02/01/2025 (two) and 20/01/2025
    with pytest.raises(FieldError) as refused:
        catalogue.save_unit(db, "XTD", "UBND xã Tân Đoàn", "commune", "VQ",
                            valid_to=D(2025, 1, 10))
    assert refused.value.field == "valid_to"
    assert str(refused.value) == (
        "Không thể đặt ngày hoạt động đến hết 10/01/2025 cho UBND xã Tân Đoàn: còn 1 hồ sơ "
        "của đơn vị (nơi tiếp nhận hoặc giải quyết) được tiếp nhận sau ngày đó (muộn nhất "
        "20/01/2025). Hãy chọn ngày từ 20/01/2025 trở đi, hoặc để trống.")
    with pytest.raises(FieldError, match="còn 3 hồ sơ .*muộn nhất 20/01/2025"):
        catalogue.save_unit(db, "XTD", "UBND xã Tân Đoàn", "commune", "VQ",
                            valid_to=D(2025, 1, 1))
    assert dates(db, "XTD") == (None, None)  # nothing written
    # its last dossier's day is still its own: allowed
    catalogue.save_unit(db, "XTD", "UBND xã Tân Đoàn", "commune", "VQ", valid_to=D(2025, 1, 20))
    assert dates(db, "XTD") == (None, "2025-01-20")
    assert_round_trip(db, tmp_path)


def test_the_competent_unit_counts_and_a_late_start_is_refused(db, tmp_path):
    fill(db)  # Na Lầu resolves a dossier Tân Đoàn received on 02/01/2025, receives from 03/01
    with pytest.raises(FieldError) as refused:
        catalogue.save_unit(db, "XNL", "UBND xã Na Lầu", "commune", "VQ",
                            valid_from=D(2025, 1, 3), valid_to=D(2025, 6, 30),
                            successor_code="XTD")
    assert refused.value.field == "valid_from"
    assert ("Không thể đặt ngày hoạt động từ 03/01/2025 cho UBND xã Na Lầu: còn 1 hồ sơ của "
            "đơn vị (nơi tiếp nhận hoặc giải quyết) được tiếp nhận trước ngày đó (sớm nhất "
            "02/01/2025). Hãy chọn ngày không muộn hơn 02/01/2025") in str(refused.value)
    assert dates(db, "XNL") == (None, "2025-06-30")
    catalogue.save_unit(db, "XNL", "UBND xã Na Lầu", "commune", "VQ", valid_from=D(2025, 1, 2),
                        valid_to=D(2025, 6, 30), successor_code="XTD")
    assert_round_trip(db, tmp_path)


def test_the_units_file_refuses_the_same_change(db, tmp_path):
    fill(db)
    rows = [["XTD", "UBND xã Tân Đoàn", "commune", "VQ", "", "2025-01-10", ""],
            ["XNL", "UBND xã Na Lầu", "commune", "VQ", "2025-01-03", "2025-06-30", "XTD"],
            ["XM", "UBND xã Mới", "commune", "VQ", "2025-07-01", "", ""]]
    refused = import_file(db, "units", write_csv(tmp_path / "u.csv", UNITS_HEADER, rows))
    assert [(e.row, e.column) for e in refused.errors] == [(2, "valid_to"), (3, "valid_from")]
    assert "cho UBND xã Tân Đoàn: còn 1 hồ sơ" in refused.errors[0].reason
    assert "(sớm nhất 02/01/2025)" in refused.errors[1].reason
    assert dates(db, "XTD") == (None, None) and dates(db, "XNL") == (None, "2025-06-30")
    assert db.execute("SELECT COUNT(*) FROM units WHERE code = 'XM'").fetchone()[0] == 0
    # a file without the date columns keeps the stored dates: nothing to refuse
    names = [["XTD", "UBND xã Tân Đoàn"], ["XNL", "UBND xã Na Lầu"]]
    assert import_file(db, "units", write_csv(tmp_path / "n.csv", ["code", "name"], names)).ok
    assert_round_trip(db, tmp_path)


def test_the_first_start_refuses_a_start_after_dossiers_already_held(db):
    fill(db)
    choice = office_setup.unit_choices()[0]
    answers = dict(unit_name="UBND xã Tân Đoàn", level="commune",
                   header=office_setup.suggested_header(choice), targets={}, year=2025,
                   today=D(2025, 3, 1))
    with pytest.raises(FieldError, match="hoạt động từ 15/01/2025 cho UBND xã Tân Đoàn: còn 2"):
        office_setup.save_first_start(db, unit_code="XTD", valid_from=D(2025, 1, 15), **answers)
    assert dates(db, "XTD") == (None, None)
    office_setup.save_first_start(db, unit_code="XTD", valid_from=D(2025, 1, 2), **answers)
    assert dates(db, "XTD") == ("2025-01-02", None)


def test_dates_already_stored_inconsistent_do_not_block_other_edits(db):
    """A database from before this rule: a rename keeps its dates and is not refused."""
    fill(db)
    with transaction(db) as conn:
        conn.execute("UPDATE units SET valid_to = '2025-01-01' WHERE code = 'XTD'")
    catalogue.save_unit(db, "XTD", "UBND xã Tân Đoàn mới", "commune", "VQ",
                        valid_to=D(2025, 1, 1))
    assert db.execute("SELECT name FROM units WHERE code = 'XTD'").fetchone()[0] == \
        "UBND xã Tân Đoàn mới"


def test_a_units_file_meets_a_dossier_received_after_its_check(db, db_path, tmp_path,
                                                              monkeypatch):
    """`import units` checked a unit's dates (unit_span_refusal) before its transaction: a
    dossier received at the unit between the file's check and its write was left after the
    unit's last day. Checked again inside the write's transaction: refused, nothing written."""
    from core import facts
    from core.errors import InputError
    from core.transfer.units import Units
    from db.connection import connect
    fill(db)  # Tân Đoàn's last dossier: 20/01/2025
    path = write_csv(tmp_path / "units.csv", UNITS_HEADER,
                     [["XTD", "UBND xã Tân Đoàn", "commune", "VQ", "", "2025-01-25", ""]])
    other = connect(db_path, create=False)

    def desk_meanwhile(self, result):  # after every row is checked, before any is written
        last = other.execute("SELECT id, received_at FROM dossiers WHERE unit_code = 'XTD' "
                             "ORDER BY received_at DESC").fetchone()
        with transaction(other) as conn:
            conn.execute("UPDATE dossiers SET received_at = ? WHERE id = ?",
                         ["2025-02-03" + last[1][10:], last[0]])
            facts.refresh(other, [last[0]])
        return frozenset()

    monkeypatch.setattr(Units, "withhold", desk_meanwhile)
    with pytest.raises(InputError) as refused:
        import_file(db, "units", path)
    other.close()
    assert str(refused.value).startswith(
        "Chưa nhập gì: hồ sơ vừa được ghi trong lúc kiểm tra tệp, và dòng 2 (XTD): Không thể "
        "đặt ngày hoạt động đến hết 25/01/2025 cho UBND xã Tân Đoàn: còn 1 hồ sơ")
    assert dates(db, "XTD") == (None, None)
