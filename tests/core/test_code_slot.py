"""A new installation issues no dossier code before somebody says which PC of how many it is
(spec 4): two PCs installed alike would both issue {unit}-{YYMMDD}-0001. An older file that
issued codes goes on as the slot 1 of 1 it was, recorded once, without a question."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import dossiers as D
from core import installation, office_setup
from core.database import open_database
from core.errors import FieldError, OperationError
from db.connection import transaction
from tests.core.factories import add_procedures, add_units

pytestmark = pytest.mark.slot_unconfirmed
DAY = dt.datetime(2025, 10, 20, 8, 0)


def receive(db, minutes=0) -> str:
    return D.create_dossier(db, unit_code="U1", procedure_code="P.WD2", applicant_name="Trần Thị Hoa",
                            received_at=DAY + dt.timedelta(minutes=minutes))[1]


def slot_changes(db) -> list[tuple]:
    return db.execute("SELECT key, old_value, new_value FROM setting_changes WHERE key = ? "
                      "ORDER BY id", [installation.SLOT_KEY]).fetchall()


def test_a_new_file_refuses_a_code_until_its_slot_is_confirmed(db):
    add_units(db)
    add_procedures(db)
    assert not installation.slot_confirmed(db)
    with pytest.raises(OperationError) as refused:
        receive(db)
    said = str(refused.value)
    assert "chưa được xác nhận số hiệu cấp mã hồ sơ" in said
    assert "Dữ liệu → Máy này trong nhóm trao đổi…" in said and "--slot K --of N" in said
    # refused inside the allocating transaction: nothing of the dossier was written
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM code_counters").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0
    installation.set_slot(db, 2, 3)
    assert installation.slot_confirmed(db) and receive(db).endswith("-0002")
    assert slot_changes(db) == [(installation.SLOT_KEY, None, '{"slot": 2, "of": 3}')]


def older_file(path, last: int | None) -> None:
    """A file as an older version left it: no slot ever stored; `last`: the code counter of U1
    on DAY its clerks drew (None: it never issued a code, its dossiers were imported)."""
    db = open_database(path)
    add_units(db)
    add_procedures(db)
    with transaction(db) as conn:
        if last is not None:
            conn.execute("INSERT INTO code_counters(unit_code, day, last) VALUES ('U1', ?, ?)",
                         [DAY.strftime("%y%m%d"), last])
    db.close()


def test_an_older_file_that_issued_codes_goes_on_as_1_of_1_recorded_once(tmp_path):
    path = tmp_path / "cu.db"
    older_file(path, last=3)
    db = open_database(path)  # the upgrade's opening: no question
    assert installation.slot_confirmed(db) and installation.slot(db) == (1, 1)
    assert receive(db).endswith("-0004")  # its counter goes on as before
    [(key, old, new)] = slot_changes(db)
    assert old is None and new.startswith('{"slot": 1, "of": 1}')
    assert installation.OLD_SLOT_NOTE in new
    db.close()
    db = open_database(path)
    assert len(slot_changes(db)) == 1  # once
    db.close()


def test_an_older_file_that_issued_codes_read_only_is_1_of_1_without_writing(tmp_path,
                                                                            monkeypatch):
    """Read-only (a CD, a share without write rights): nothing can be recorded, and the file
    is read as the 1 of 1 its writable opening will record, not as "not confirmed"."""
    from core import database
    path = tmp_path / "cu.db"
    older_file(path, last=3)
    monkeypatch.setattr(database, "writable", lambda path: False)
    db = open_database(path, mode="browse")
    assert db.read_only
    assert installation.slot_confirmed(db) and installation.slot(db) == (1, 1)
    assert db.execute("SELECT 1 FROM settings WHERE key = ?",
                      [installation.SLOT_KEY]).fetchone() is None  # nothing written
    db.close()


def test_an_older_file_that_never_issued_a_code_is_asked(tmp_path):
    path = tmp_path / "nhap.db"
    older_file(path, last=None)
    db = open_database(path)
    assert not installation.slot_confirmed(db) and slot_changes(db) == []
    with pytest.raises(OperationError, match="chưa được xác nhận"):
        receive(db)
    db.close()


def answers(db, slot) -> None:
    office_setup.save_first_start(
        db, unit_code="U9", unit_name="UBND xã Văn Quan", level="commune",
        header={"agency": "ỦY BAN NHÂN DÂN XÃ VĂN QUAN"}, targets={"on_time": 0.9}, year=2026,
        today=dt.date(2026, 11, 2), slot=slot)


def test_the_first_start_asks_which_pc_this_is(db):
    with pytest.raises(FieldError) as unanswered:
        answers(db, None)
    assert unanswered.value.field == "code_slot" and "máy số mấy" in str(unanswered.value)
    with pytest.raises(FieldError) as wrong:
        answers(db, (4, 3))
    assert wrong.value.field == "code_slot" and "từ 1 đến 3" in str(wrong.value)
    assert db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0  # nothing half-saved
    answers(db, (1, 1))
    assert installation.slot_confirmed(db) and installation.slot(db) == (1, 1)
    assert slot_changes(db) == [(installation.SLOT_KEY, None, '{"slot": 1, "of": 1}')]


def test_exchange_identity_says_unconfirmed_then_confirms(tmp_path, capsys):
    path = str(tmp_path / "m.db")
    open_database(path).close()
    assert main.main(["--db", path, "exchange", "identity"]) == 0
    out = capsys.readouterr()
    assert "Số hiệu cấp mã: chưa xác nhận." in out.out and "chưa cấp mã hồ sơ mới" in out.err
    assert main.main(["--db", path, "exchange", "identity", "--slot", "1", "--of", "1"]) == 0
    assert "máy 1 trong nhóm 1 máy" in capsys.readouterr().out


def test_the_demo_is_one_pc_alone(db):
    from core import demo
    demo.generate(db, dossiers=30, seed=1, today=dt.date(2026, 11, 2), workers=1)
    assert installation.slot_confirmed(db) and installation.slot(db) == (1, 1)
