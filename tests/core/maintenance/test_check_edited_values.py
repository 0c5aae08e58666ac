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
