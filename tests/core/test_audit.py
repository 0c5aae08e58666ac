"""The tamper-evident history (spec 10, issue 15 §2): every write chains its events, the triggers
refuse changes, and `check` names any single edit made behind MotCua's back with sqlite3."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from core import dossiers as D
from core.database import open_database
from core.maintenance import audit
from core.maintenance.check import check_database, fingerprint_matches
from db import chain, schema, searchtext
from db.chain import AUDITED
from db.connection import connect, transaction
from main import main
from tests.core.factories import add_procedures, add_units

T0 = dt.datetime(2025, 3, 3, 8, 0)


@pytest.fixture
def worked(db_path):
    """Three dossiers taken through the clerk's actions, closed again (no MotCua running)."""
    db = open_database(db_path)
    add_units(db)
    add_procedures(db)
    first, _ = D.create_dossier(db, unit_code="U1", procedure_code="P.WD2", applicant_name="Trần Thị Hoa",
                                received_at=T0, fee=20000, channel="online")
    D.start_processing(db, first, at=T0 + dt.timedelta(hours=1))
    D.extend(db, first, new_due_at=T0 + dt.timedelta(days=9), reason="Chờ xác minh",
             at=T0 + dt.timedelta(hours=2))
    D.finish(db, first, at=T0 + dt.timedelta(days=1))
    D.return_result(db, first, at=T0 + dt.timedelta(days=2))
    second, _ = D.create_dossier(db, unit_code="U1", procedure_code="P.WD2", applicant_name="Lê Văn B",
                                 received_at=T0 + dt.timedelta(hours=3), due_at=T0 + dt.timedelta(days=5))
    D.correct_field(db, second, "received_at", T0 + dt.timedelta(hours=4), reason="Ghi nhầm giờ")
    D.reject(db, second, reason="Không đủ điều kiện", at=T0 + dt.timedelta(days=1))
    third, _ = D.create_dossier(db, unit_code="U2", procedure_code="P.WD2", applicant_name="Phạm C",
                                received_at=T0 + dt.timedelta(hours=5), fee=20000)
    D.add_payment(db, third, amount=20000, method="cash", paid_at=T0 + dt.timedelta(hours=6))
    D.request_supplement(db, third, reason="Thiếu bản sao", at=T0 + dt.timedelta(hours=6))
    db.close()
    return db_path


def sql(path, *statements, drop_triggers: bool = False) -> None:
    """What a tester does with the sqlite3 tool (given the search key's functions, as
    tests.core.tamper says)."""
    conn = sqlite3.connect(path)
    searchtext.register(conn)
    if drop_triggers:
        conn.execute("DROP TRIGGER events_sealed_final")
        conn.execute("DROP TRIGGER events_never_deleted")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def problems(path) -> list[str]:
    return [f.text for f in check_database(path) if not f.ok]


def audit_problems(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [f.text for f in audit.audit_findings(conn) if not f.ok]
    finally:
        conn.close()


def code_of(path, dossier_id: int) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT code FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0]
    finally:
        conn.close()


def test_every_clerk_action_is_chained_and_the_check_says_good(worked):
    assert problems(worked) == []
    conn = sqlite3.connect(worked)
    rows = conn.execute(chain.CONTENT_SQL + " ORDER BY e.id").fetchall()
    hashes = [r[0] for r in conn.execute("SELECT hash FROM events ORDER BY id")]
    conn.close()
    assert len(rows) == 11  # each hashed over the one before it (the first over nothing)
    full: list[bytes] = []
    for row in rows:  # the chain made independently, over full hashes
        full.append(chain.content_hash(full[-1] if full else None, *row[1:]))
    assert hashes == [digest[:chain.STORED_BYTES] for digest in full]  # each keeps its prefix
    assert all(len(h) == 8 for h in hashes)


def test_the_triggers_refuse_changing_or_deleting_an_event(worked):
    conn = sqlite3.connect(worked)
    searchtext.register(conn)  # else the search index's trigger refuses the deletion first
    conn.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET reason = 'khác' WHERE id = 3")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM events WHERE id = 3")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM dossiers WHERE id = 1")  # its events would go with it
    conn.close()


def test_the_edit_of_the_issue_received_at_by_sql_is_named(worked):
    sql(worked, "UPDATE dossiers SET received_at = '2025-03-03 07:00:00' WHERE id = 2")
    found = audit_problems(worked)
    assert len(found) == 1 and code_of(worked, 2) in found[0] and "thời điểm tiếp nhận" in found[0]
    assert any(code_of(worked, 2) in text for text in problems(worked))  # the command says it too


@pytest.mark.parametrize("field, value", [
    ("received_at", "'2025-03-03 07:00:00'"), ("due_at", "'2025-03-20 17:00:00'"),
    ("extended_due_at", "'2025-03-30 17:00:00'"), ("finished_at", "'2025-03-03 09:00:00'"),
    ("returned_at", "NULL"), ("status", "'done'"), ("channel", "'direct'"), ("fee", "0")])
def test_any_audited_field_edited_by_sql_is_named_with_its_dossier(worked, field, value):
    assert field in AUDITED
    sql(worked, f"UPDATE dossiers SET {field} = {value} WHERE id = 1")
    found = audit_problems(worked)
    assert len(found) == 1 and code_of(worked, 1) in found[0]
    assert audit.FIELD_VI[field] in found[0]


@pytest.mark.parametrize("column, value", [
    ("at", "'2025-03-03 07:00:00'"), ("actor", "'ai đó'"), ("action", "'finish'"),
    ("from_status", "'processing'"), ("to_status", "'withdrawn'"), ("reason", "'lý do khác'"),
    ("details", "'{}'"), ("dossier_id", "3"), ("hash", "zeroblob(32)")])
def test_any_single_edit_of_an_event_breaks_the_chain_there(worked, column, value):
    sql(worked, f"UPDATE events SET {column} = {value} WHERE id = 5", drop_triggers=True)
    found = audit_problems(worked)
    assert found and "sự kiện số 5 " in found[0]
    assert code_of(worked, 3 if column == "dossier_id" else 1) in found[0]


def test_a_deleted_event_is_caught_at_the_next_one(worked):
    sql(worked, "DELETE FROM events WHERE id = 3", drop_triggers=True)
    found = audit_problems(worked)
    assert "sự kiện số 4 " in found[0] and "không nối tiếp" in found[0]


def test_a_deleted_last_event_shows_in_the_dossier_it_belonged_to(worked):
    """The last event has no successor to break: its dossier's status no longer agrees (a last
    event that changes no audited field is caught only against a fingerprint or a backup)."""
    sql(worked, "DELETE FROM events WHERE id = (SELECT MAX(id) FROM events)", drop_triggers=True)
    assert problems(worked) and any(code_of(worked, 3) in text for text in audit_problems(worked))


def test_an_event_slipped_in_without_a_hash_is_named_even_after_more_work(worked):
    sql(worked, "INSERT INTO events(dossier_id, at, action, to_status, details) VALUES "
                "(2, '2025-03-05 08:00:00', 'correct', 'rejected', "
                "'{\"field\": \"received_at\", \"new\": \"2025-03-03 07:00:00\"}')",
        "UPDATE dossiers SET received_at = '2025-03-03 07:00:00' WHERE id = 2")
    db = open_database(worked)
    D.receive_supplement(db, 3, at=T0 + dt.timedelta(hours=7))  # the next clerk's action
    db.close()
    conn = sqlite3.connect(worked)
    assert conn.execute("SELECT COUNT(*) FROM events WHERE hash IS NULL").fetchone()[0] == 1
    conn.close()
    found = audit_problems(worked)
    assert "chưa được niêm phong" in found[0] and code_of(worked, 2) in found[0]


def test_a_dossier_without_any_event_is_named(worked):
    sql(worked, "INSERT INTO dossiers(code, unit_code, procedure_code, applicant_name, channel, "
                "received_at, status) VALUES ('U1-250303-0999', 'U1', 'P.WD2', 'X', 'direct', "
                "'2025-03-03 08:00:00', 'received')")
    assert any("U1-250303-0999" in text for text in audit_problems(worked))


# ----- the fingerprint on paper --------------------------------------------------------------
def head_fingerprint(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return audit.chain_head(conn).fingerprint
    finally:
        conn.close()


def test_the_monthly_report_prints_the_fingerprint_on_every_page(worked, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "m.pdf"
    assert main(["--db", str(worked), "report", "monthly", "--month", "2025-03", "--out", str(out)]) == 0
    fingerprint = head_fingerprint(worked)
    pages = pypdf.PdfReader(out).pages
    assert all(f"Dấu kiểm chứng dữ liệu: {fingerprint}" in page.extract_text() for page in pages)


def test_check_against_says_whether_the_data_still_matches(worked, capsys):
    fingerprint = head_fingerprint(worked)
    assert main(["--db", str(worked), "check", "--against", fingerprint.lower().replace("-", " ")]) == 0
    assert "KHỚP: dữ liệu đúng như lúc in" in capsys.readouterr().out
    db = open_database(worked)
    D.receive_supplement(db, 3, at=T0 + dt.timedelta(hours=7))  # ordinary work after the paper
    db.close()
    ok, text = fingerprint_matches(worked, fingerprint)
    assert ok and "thêm 1 sự kiện" in text
    sql(worked, "UPDATE dossiers SET received_at = '2025-03-03 07:00:00' WHERE id = 2")
    ok, text = fingerprint_matches(worked, fingerprint)
    assert not ok and "KHÔNG KHỚP" in text and code_of(worked, 2) in text
    sql(worked, "UPDATE dossiers SET received_at = '2025-03-03 12:00:00' WHERE id = 2",
        "UPDATE events SET reason = 'khác' WHERE id = 2", drop_triggers=True)
    assert main(["--db", str(worked), "check", "--against", fingerprint]) == 1
    assert "chuỗi đứt ở sự kiện số 2" in capsys.readouterr().out


def test_a_rewritten_history_no_longer_holds_the_printed_fingerprint(worked):
    fingerprint = head_fingerprint(worked)
    sql(worked, "UPDATE events SET reason = 'khác' WHERE id = 2", "UPDATE events SET hash = NULL",
        drop_triggers=True)
    conn = sqlite3.connect(worked)
    from db.chain import seal
    seal(conn)  # the attacker re-chains everything: the chain is whole again...
    conn.commit()
    conn.close()
    assert audit_problems(worked) == []
    ok, text = fingerprint_matches(worked, fingerprint)  # ...but not the paper's
    assert not ok and "không còn sự kiện nào mang dấu" in text


def test_a_fingerprint_typed_wrong_is_refused_in_vietnamese(worked):
    ok, text = fingerprint_matches(worked, "12-34")
    assert not ok and "không hợp lệ" in text


# ----- the upgrade of an existing database ----------------------------------------------------
def test_a_v7_database_is_chained_once_and_then_watched(tmp_path):
    path = tmp_path / "v7.db"
    db = connect(path)
    for index in range(7):
        schema.apply_migration(db, index)
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name) VALUES ('U1', 'Xã An Sơn')")
        conn.execute("INSERT INTO procedures(code, name, limit_value, limit_unit) "
                     "VALUES ('P1', 'Chứng thực', 1, 'working_days')")
        for n, (status, channel) in enumerate([("received", "direct"), ("done", "online"),
                                               ("processing", "postal")], start=1):
            conn.execute("INSERT INTO dossiers(code, unit_code, procedure_code, applicant_name, "
                         "channel, received_at, status, fee) VALUES (?, 'U1', 'P1', 'A', ?, ?, ?, 5000)",
                         [f"U1-250303-{n:04d}", channel, f"2025-03-03 0{n}:00:00", status])
        # the old writers: a receive event saying nothing more, an import naming fields only
        conn.execute("INSERT INTO events(dossier_id, at, action, to_status) "
                     "VALUES (1, '2025-03-03 01:00:00', 'receive', 'received')")
        conn.execute("INSERT INTO events(dossier_id, at, action, to_status, details) "
                     "VALUES (2, '2025-03-04 00:00:00', 'import', 'done', '{\"fields\": [\"status\"]}')")
    db.close()
    db = open_database(path)
    assert schema.version(db) == schema.SCHEMA_VERSION
    assert db.execute("SELECT COUNT(*) FROM events WHERE hash IS NULL").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 3  # dossier 3 got one
    db.close()
    assert problems(path) == []
    sql(path, "UPDATE dossiers SET channel = 'direct' WHERE id = 2")
    assert any("U1-250303-0002" in text and "kênh nộp" in text for text in audit_problems(path))
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM events")
    conn.close()


# ----- imports and restores -------------------------------------------------------------------
def test_imported_dossiers_record_what_they_set(db_path, tmp_path):
    from core.transfer import import_file
    from tests.core.transfer.conftest import (
        DOSSIERS_HEADER,
        PROCEDURES,
        PROCEDURES_HEADER,
        UNITS,
        UNITS_HEADER,
        dossier_row,
        write_csv,
    )
    db = open_database(db_path)
    assert import_file(db, "units", write_csv(tmp_path / "u.csv", UNITS_HEADER, UNITS)).ok
    assert import_file(db, "procedures", write_csv(tmp_path / "p.csv", PROCEDURES_HEADER,
                                                   PROCEDURES)).ok
    rows = [dossier_row("XTD-250102-0001", status="done", finished_at="2025-01-03 10:00",
                        returned_at=""),
            dossier_row("XTD-250102-0002", status="processing", finished_at="", returned_at="")]
    assert import_file(db, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows)).ok
    rows[1] = dossier_row("XTD-250102-0002", status="done", finished_at="2025-01-06 10:00",
                          returned_at="")
    assert import_file(db, "dossiers", write_csv(tmp_path / "d2.csv", DOSSIERS_HEADER, rows)).ok
    db.close()
    assert audit_problems(db_path) == []
    sql(db_path, "UPDATE dossiers SET finished_at = '2025-01-02 10:00:00' WHERE id = 2")
    assert any("XTD-250102-0002" in text for text in audit_problems(db_path))


def test_a_restored_copy_says_where_its_chain_stands(worked, tmp_path):
    older = tmp_path / "older.db"
    with sqlite3.connect(worked) as src, sqlite3.connect(older) as dst:
        src.backup(dst)
    db = open_database(worked)
    D.receive_supplement(db, 3, at=T0 + dt.timedelta(hours=7))
    db.close()
    now, before = sqlite3.connect(worked), sqlite3.connect(older)
    assert "trùng" in audit.compare_chains(now, now)
    assert "cũ hơn" in audit.compare_chains(before, now) and "1 sự kiện" in audit.compare_chains(before, now)
    assert "mới hơn" in audit.compare_chains(now, before)
    now.close()
    before.close()
    sql(older, "INSERT INTO events(dossier_id, at, action, to_status) VALUES "
               "(3, '2025-03-03 09:00:00', 'withdraw', 'withdrawn')")
    conn = sqlite3.connect(older)
    from db.chain import seal
    seal(conn)
    conn.commit()
    now = sqlite3.connect(worked)
    assert "rẽ nhánh" in audit.compare_chains(conn, now)
    conn.close()
    now.close()
