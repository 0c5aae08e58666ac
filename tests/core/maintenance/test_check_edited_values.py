"""`check` of a database whose dossier rows were edited by SQL to values no MotCua writes — a
moment past the years a date holds, text in the INTEGER fee column: each dossier named as
differing from its history, never a crash log (the recomputation of the stored facts stopped
`check` on an AttributeError or a TypeError, break34)."""
from __future__ import annotations

import sqlite3

import pytest

from core.database import open_database
from core.maintenance import check_database
from tests.core import tamper


@pytest.mark.parametrize("column, value, said", [
    ("received_at", 99_999_999_999_999, "thời điểm tiếp nhận"),
    ("received_at", -99_999_999_999_999, "thời điểm tiếp nhận"),
    ("finished_at", 2**63 - 1, "thời điểm xử lý xong"),
    ("fee", "mười nghìn", "lệ phí"),
])
def test_a_value_no_motcua_writes_is_named_not_a_crash(db_path, column, value, said):
    db = open_database(db_path)
    try:
        tamper.build(db)
        code = db.execute("SELECT code FROM dossier_rows WHERE id = 1").fetchone()[0]
    finally:
        db.close()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(f"UPDATE dossier_rows SET {column} = ? WHERE id = 1", [value])
    conn.close()
    failed = [f.text for f in check_database(db_path) if not f.ok]
    assert any(code in text and "cách tính hiện tại" in text for text in failed), failed
    assert any(code in text and said in text for text in failed), failed


def _edited(db_path, sql: str, params=()) -> list[str]:
    db = open_database(db_path)
    try:
        tamper.build(db)
    finally:
        db.close()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(sql, params)
    conn.close()
    return [f.text for f in check_database(db_path) if not f.ok]


@pytest.mark.parametrize("sql, params", [
    ("INSERT OR REPLACE INTO settings VALUES ('office_hours_dated', ?)",
     ['[{"valid_from": "x", "hours": 5}]']),
    ("INSERT OR REPLACE INTO settings VALUES ('office_hours', ?)", ['"abc"']),
    ("INSERT INTO calendar(date, kind) VALUES ('2025-13-45', 'holiday')", []),
])
def test_office_hours_or_a_day_edited_unreadable_are_named(db_path, sql, params):
    failed = _edited(db_path, sql, params)
    assert any(text.startswith("Giờ làm việc hoặc lịch làm việc (ngày nghỉ, ngày làm bù) không "
                               "đọc được") for text in failed), failed


@pytest.mark.parametrize("value", ["{bad", ""])
def test_this_installation_s_id_edited_unreadable_is_named_not_a_crash(db_path, value):
    """The origins' finding read the id with json.loads unguarded: a crash log (break34); then
    it said every vote of this PC's points right without having looked (review34b)."""
    failed = _edited(db_path, "UPDATE settings SET value = ? WHERE key = 'installation_id'",
                     [value])
    assert [text for text in failed if text.startswith(
        "Mã cài đặt của máy này (cài đặt installation_id) không đọc được")] == [
        "Mã cài đặt của máy này (cài đặt installation_id) không đọc được (bị sửa bên ngoài "
        "MotCua?): không xét được phiếu do máy này ghi có trỏ đúng phiếu của máy này không."
    ], failed


def test_a_vote_moment_past_every_date_is_said_in_the_daily_sums(db_path):
    """kpi_daily's cells sorted with a day of None among dates: a crash log."""
    failed = _edited(db_path, "UPDATE vote_rows SET voted_at = 99999999999999 WHERE id = 1")
    assert any("ngày (không đọc được)" in text for text in failed), failed
