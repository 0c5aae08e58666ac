"""Schema 21: the search key is computed (db.searchtext), never stored, and the full-text index
over it stays exact through every way a key changes — a dossier received, corrected, moved to
another unit, deleted; a unit renamed (the catalogue, a units file); a unit that comes after
its dossiers. FTS5's integrity-check (rank 1) compares the index with the keys computed now:
a trigger telling 'delete' another text than was indexed fails it."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from core import catalogue, dossiers, facts, searchkey
from core.textnorm import search_words
from core.transfer import import_file
from db import fulltext
from db.connection import transaction
from tests.core.factories import add_procedures, add_units

DAY = dt.datetime(2025, 6, 2, 9, 0)


@pytest.fixture
def office(db):
    add_units(db, (("H", "UBND huyện Văn Quan", None), ("DG", "UBND xã Đồng Giáp", "H"),
                   ("YP", "UBND xã Yên Phúc", "H")))
    add_procedures(db)
    made = {}
    for name, unit in (("Lý Thị Mai", "DG"), ("Hoàng Văn Nam", "YP"), ("Đặng Văn Tú", "H")):
        made[name] = dossiers.create_dossier(db, unit_code=unit, procedure_code="P.WD2",
                                             applicant_name=name, applicant_phone="0912345678",
                                             applicant_address="Thôn Bản Piát",
                                             received_at=DAY)[0]
    return made


def found(db, text: str) -> list[int]:
    clauses, params = searchkey.match(search_words(text))
    return sorted(r[0] for r in db.execute(
        f"SELECT d.id FROM dossiers d WHERE {' AND '.join(clauses)}", params))


def test_the_key_is_computed_and_not_stored(db, office):
    assert "search_key" not in [r[1] for r in db.execute("PRAGMA table_info(dossiers)")]
    key = db.execute(f"SELECT search_key FROM {fulltext.VIEW} WHERE id = ?",
                     [office["Lý Thị Mai"]]).fetchone()[0]
    assert key.endswith("| ly thi mai| 0912345678| thon ban piat| ubnd xa dong giap")
    assert key == searchkey.dossier_key(
        *db.execute("SELECT d.code, applicant_name, applicant_phone, applicant_address, u.name "
                    "FROM dossiers d JOIN units u ON u.code = d.unit_code WHERE d.id = ?",
                    [office["Lý Thị Mai"]]).fetchone())
    assert found(db, "dong giap") == [office["Lý Thị Mai"]] and fulltext.is_intact(db)


def test_a_correction_a_move_and_a_deletion_keep_the_index_exact(db, office):
    dossier_id = office["Hoàng Văn Nam"]
    dossiers.correct_field(db, dossier_id, "applicant_name", "Ma Seo Chứ", reason="Gõ nhầm tên")
    assert fulltext.is_intact(db)
    assert found(db, "seo chu") == [dossier_id] and found(db, "hoang van nam") == []
    with transaction(db) as conn:  # resolved by another unit: its name enters the key
        conn.execute("UPDATE dossiers SET competent_unit_code = 'DG' WHERE id = ?", [dossier_id])
    facts.refresh(db, [dossier_id])  # as the program's writers do (its facts, not its key)
    assert fulltext.is_intact(db) and dossier_id in found(db, "dong giap")
    with transaction(db) as conn:  # the whole row changed at once, the status too
        conn.execute("UPDATE dossiers SET unit_code = 'H', competent_unit_code = NULL, "
                     "applicant_phone = '0987654321', applicant_address = NULL, "
                     "status = 'processing' WHERE id = ?", [dossier_id])
    facts.refresh(db, [dossier_id])
    assert fulltext.is_intact(db) and found(db, "0987654321") == [dossier_id]
    columns = [r[1] for r in db.execute("PRAGMA table_info(dossiers)") if r[1] not in ("id", "code")]
    with transaction(db) as conn:  # a copy without history, so it may be deleted
        conn.execute(f"INSERT INTO dossiers(code, {', '.join(columns)}) SELECT 'COPY-XYZ', "
                     f"{', '.join(columns)} FROM dossiers WHERE id = ?", [dossier_id])
        copy = conn.execute("SELECT id FROM dossiers WHERE code = 'COPY-XYZ'").fetchone()[0]
    assert found(db, "copy-xyz") == [copy] and fulltext.is_intact(db)
    with transaction(db) as conn:
        conn.execute("DELETE FROM dossiers WHERE id = ?", [copy])
    assert found(db, "copy-xyz") == [] and fulltext.is_intact(db)


def test_renaming_a_unit_forgets_the_old_name_as_it_was_indexed(db, office, tmp_path):
    ours = office["Lý Thị Mai"]
    with transaction(db) as conn:  # a dossier of H resolved by DG: DG's name is in its key too
        conn.execute("UPDATE dossiers SET competent_unit_code = 'DG' WHERE id = ?",
                     [office["Đặng Văn Tú"]])
    facts.refresh(db, [office["Đặng Văn Tú"]])
    catalogue.save_unit(db, code="DG", name="UBND xã Đồng Giáp Mới", level="commune",
                        parent_code="H")
    assert fulltext.is_intact(db)
    assert found(db, "giap moi") == sorted([ours, office["Đặng Văn Tú"]])
    path = tmp_path / "units.csv"
    path.write_text("code,name,level,parent_code\nDG,UBND xã Tân Đoàn,commune,H\n",
                    encoding="utf-8")
    result = import_file(db, "units", path)
    assert result.written and not result.errors
    assert fulltext.is_intact(db)
    assert found(db, "tan doan") == sorted([ours, office["Đặng Văn Tú"]])
    assert found(db, "giap moi") == [] and found(db, "dong giap") == []
    catalogue.save_unit(db, code="DG", name="UBND xã Tân Đoàn", level="commune", parent_code="H")
    assert fulltext.is_intact(db)  # the same name again: nothing to index again


def test_a_unit_loaded_after_its_dossiers_enters_their_keys(db, office):
    with transaction(db) as conn:  # as a load with the foreign keys deferred may order them
        conn.execute("PRAGMA defer_foreign_keys = ON")
        conn.execute("UPDATE dossiers SET unit_code = 'NEW' WHERE id = ?", [office["Lý Thị Mai"]])
        assert fulltext.is_intact(conn)
        conn.execute("INSERT INTO units(code, name, level, parent_code) "
                     "VALUES ('NEW', 'UBND xã Khánh Khê', 'commune', 'H')")
        assert fulltext.is_intact(conn)
    facts.refresh(db, [office["Lý Thị Mai"]])
    assert found(db, "khanh khe") == [office["Lý Thị Mai"]]


def test_a_connection_without_the_functions_reads_but_cannot_change_a_key(db, office, db_path):
    """The sqlite3 shell, a viewer: every table reads, and the index's rowids; a change of
    what a key is made of is refused (the triggers call the function), not half-written."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        assert conn.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 3
        assert len(conn.execute(f"SELECT rowid FROM {fulltext.TABLE} WHERE {fulltext.TABLE} "
                                "MATCH ?", [fulltext.query([" mai"])]).fetchall()) == 1
        conn.execute("UPDATE dossiers SET note = 'gọi lại' WHERE id = ?", [office["Lý Thị Mai"]])
        with pytest.raises(sqlite3.OperationalError, match="no such function"):
            conn.execute("UPDATE dossiers SET applicant_name = 'X' WHERE id = ?",
                         [office["Lý Thị Mai"]])
        with pytest.raises(sqlite3.OperationalError, match="no such function"):
            conn.execute(f"SELECT search_key FROM {fulltext.VIEW}").fetchall()
    finally:
        conn.close()
    assert fulltext.is_intact(db) and found(db, "ly thi mai") == [office["Lý Thị Mai"]]


def test_a_units_code_is_never_changed_under_the_index(db, office):
    """ON UPDATE CASCADE would move the dossiers' unit_code after the unit already holds its new
    code: their old keys could not be computed for the index's 'delete'. The change is refused
    whole (a reorganisation makes new units), and the index stays exact."""
    with pytest.raises(sqlite3.IntegrityError, match="never changes"), transaction(db) as conn:
        conn.execute("UPDATE units SET code = 'DG2' WHERE code = 'DG'")
    assert db.execute("SELECT unit_code FROM dossiers WHERE id = ?",
                      [office["Lý Thị Mai"]]).fetchone()[0] == "DG"
    assert fulltext.is_intact(db) and found(db, "dong giap") == [office["Lý Thị Mai"]]
