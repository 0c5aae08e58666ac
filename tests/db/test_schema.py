"""Migrations run in order from every earlier version, after a backup; foreign files are refused."""
from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from core.database import open_database
from db import schema, searchtext
from db.connection import DatabaseEnvironmentError, MotCuaConnection, connect, transaction

SAMPLE_V1 = [
    "INSERT INTO units(code, name, level) VALUES ('U1', 'Xã An Sơn', 'commune')",
    "INSERT INTO procedures(code, name, limit_value, limit_unit) VALUES ('1.001', 'Chứng thực', 1, 'working_days')",
    "INSERT INTO dossiers(code, unit_code, procedure_code, applicant_name, channel, received_at, status)"
    " VALUES ('U1-250303-0001', 'U1', '1.001', 'Lê Thị B', 'direct', '2025-03-03 08:00:00', 'received')",
]


@pytest.mark.parametrize("start", range(0, schema.SCHEMA_VERSION))
def test_every_earlier_version_migrates_forward_keeping_data(tmp_path, start):
    path = tmp_path / "old.db"
    db = connect(path)
    for index in range(start):
        schema.apply_migration(db, index)
    if start >= 1:
        with transaction(db) as conn:
            for statement in SAMPLE_V1:
                conn.execute(statement)
    db.close()
    if start == 0:  # connect() alone leaves a 0-byte file: never taken for a new database
        with pytest.raises(DatabaseEnvironmentError, match="rỗng"):
            open_database(path)
        return

    db = open_database(path)
    assert schema.version(db) == schema.SCHEMA_VERSION
    if start >= 1:
        row = db.execute("SELECT code, calc_due_at FROM dossiers").fetchone()
        assert row == ("U1-250303-0001", "2025-03-04 08:00:00")  # derived data rebuilt
        backups = list(tmp_path.glob("old.db.v*.bak"))
        assert len(backups) == 1
        old = sqlite3.connect(backups[0])
        assert old.execute("PRAGMA user_version").fetchone()[0] == start
        old.close()
    db.close()


def test_v5_keeps_payments_and_votes_live_and_makes_a_cancellation_final(tmp_path):
    path = tmp_path / "v4.db"
    db = connect(path)
    for index in range(4):
        schema.apply_migration(db, index)
    with transaction(db) as conn:
        for statement in SAMPLE_V1:
            conn.execute(statement)
        conn.execute("INSERT INTO payments(dossier_id, amount, method, paid_at) "
                     "VALUES (1, 2000, 'online', '2025-03-03 09:00:00')")
        conn.execute("INSERT INTO votes(unit_code, voted_at, rating) "
                     "VALUES ('U1', '2025-03-03 10:00:00', 'satisfied')")
    db.close()
    db = open_database(path)
    for table in ("payments", "votes"):
        assert db.execute(f"SELECT cancelled_at, cancel_reason, cancelled_by FROM {table}"
                          ).fetchall() == [(None, None, None)]  # stored entries stay live
        with transaction(db) as conn:
            conn.execute(f"UPDATE {table} SET cancelled_at = '2025-03-04 08:00:00', "
                         "cancel_reason = 'Nhập nhầm'")
        with pytest.raises(sqlite3.IntegrityError, match="stays cancelled"):
            with transaction(db) as conn:
                conn.execute(f"UPDATE {table} SET cancelled_at = NULL")
    db.close()


def test_a_foreign_sqlite_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers(id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseEnvironmentError, match="không phải của MotCua"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("hello, this is not SQLite" * 100)
    with pytest.raises(DatabaseEnvironmentError, match="không phải là cơ sở dữ liệu MotCua"):
        open_database(path)


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.db"
    db = open_database(path)
    db.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(DatabaseEnvironmentError, match="phiên bản MotCua mới hơn"):
        open_database(path)


def test_missing_file_without_create_creates_nothing(tmp_path):
    path = tmp_path / "missing.db"
    with pytest.raises(DatabaseEnvironmentError, match="Không tìm thấy"):
        open_database(path, create=False)
    assert not path.exists()


def test_wal_foreign_keys_and_busy_timeout(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_transaction_rolls_back_everything_on_error(db):
    with pytest.raises(RuntimeError):
        with transaction(db) as conn:
            conn.execute("INSERT INTO units(code, name) VALUES ('A', 'A')")
            with transaction(db) as inner:
                inner.execute("INSERT INTO units(code, name) VALUES ('B', 'B')")
            raise RuntimeError("boom")
    assert db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0


def test_inner_failure_rolls_back_only_the_savepoint(db):
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name) VALUES ('A', 'A')")
        with pytest.raises(sqlite3.IntegrityError):
            with transaction(db) as inner:
                inner.execute("INSERT INTO units(code, name) VALUES ('B', 'B')")
                inner.execute("INSERT INTO units(code, name) VALUES ('B', 'B')")
    assert [r[0] for r in db.execute("SELECT code FROM units")] == ["A"]


def test_read_only_database_gives_a_message(tmp_path):
    # Root ignores file permissions, so open the file read-only the way a locked-down share does.
    path = tmp_path / "x.db"
    open_database(path).close()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                           factory=MotCuaConnection)
    searchtext.register(conn)  # as every connection of the program (units' triggers call it)
    db = sqlite_utils.Database(conn)
    with pytest.raises(DatabaseEnvironmentError, match="chỉ cho phép đọc"):
        with transaction(db) as c:
            c.execute("INSERT INTO units(code, name) VALUES ('A', 'A')")
    conn.close()


def test_a_database_locked_by_another_program_gives_a_message(db_path, monkeypatch):
    import db.connection as connection
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    open_database(db_path).close()
    first = connect(db_path)
    first.conn.execute("BEGIN IMMEDIATE")  # another MotCua window is writing
    second = connect(db_path)
    try:
        with pytest.raises(DatabaseEnvironmentError, match="đang bị một chương trình khác khoá"):
            with transaction(second) as conn:
                conn.execute("INSERT INTO units(code, name) VALUES ('A', 'A')")
    finally:
        first.conn.execute("ROLLBACK")
        first.close()
        second.close()


def _coded(error: sqlite3.Error, code: int) -> sqlite3.Error:
    error.sqlite_errorcode = code  # as SQLite sets it; the words of the message do not matter
    return error


@pytest.mark.parametrize("error, words", [
    (_coded(sqlite3.OperationalError("database or disk is full"), 13), "Ổ đĩa đầy"),
    (OSError(28, "No space left on device"), "Ổ đĩa đầy"),
    (_coded(sqlite3.OperationalError("attempt to write a readonly database"), 8), "chỉ đọc"),
    (_coded(sqlite3.OperationalError("x"), 8 | (1 << 8)), "chỉ đọc"),  # READONLY_RECOVERY
    (_coded(sqlite3.DatabaseError("file is not a database"), 26), "không phải là cơ sở dữ liệu MotCua"),
    (_coded(sqlite3.DatabaseError("database disk image is malformed"), 11), "bị hỏng"),
    (_coded(sqlite3.OperationalError("unable to open database file"), 14), "Không mở được"),
    (_coded(sqlite3.OperationalError("database is locked"), 5), "đang bị một chương trình khác khoá"),
])
def test_environment_errors_become_vietnamese_messages(error, words):
    from db.connection import environment_message
    assert words in environment_message(error, "x.db")


@pytest.mark.parametrize("text", ["no such column: foo", "no such column: locked",
                                  "no such table: readonly_disk_is_full"])
def test_a_programming_error_is_not_mistaken_for_the_environment(text):
    from db.connection import environment_message
    real = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.OperationalError) as caught:
        real.execute(f"SELECT {text.split(': ')[1]} FROM sqlite_master" if "column" in text
                     else f"SELECT * FROM {text.split(': ')[1]}")
    assert caught.value.sqlite_errorcode == 1 and environment_message(caught.value) is None
    assert environment_message(_coded(sqlite3.OperationalError(text), 1)) is None


def test_two_tier_migration_widens_unit_levels_and_keeps_units(tmp_path):
    path = tmp_path / "v6.db"
    db = connect(path)
    for index in range(6):
        schema.apply_migration(db, index)
    with transaction(db) as conn:
        for statement in SAMPLE_V1:
            conn.execute(statement)
        with pytest.raises(sqlite3.IntegrityError):  # not a level before the two-tier rules
            conn.execute("INSERT INTO units(code, name, level) VALUES ('B', 'Chi nhánh', 'branch')")
    db.close()
    db = open_database(path)
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level, parent_code, valid_from) "
                     "VALUES ('B', 'Chi nhánh số 1', 'branch', 'U1', '2025-07-01')")
        conn.execute("UPDATE units SET valid_to = '2025-06-30', successor_code = 'B' WHERE code = 'U1'")
        conn.execute("UPDATE dossiers SET competent_unit_code = 'B', result_delivery = 'post'")
        conn.execute("INSERT INTO dossier_components(dossier_id, position, name, form) "
                     "VALUES (1, 1, 'Tờ khai', 'original')")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO units(code, name, level) VALUES ('X', 'X', 'hamlet')")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("SELECT level, successor_code FROM units ORDER BY code").fetchall() == [
        ("branch", None), ("commune", "B")]
    db.close()
