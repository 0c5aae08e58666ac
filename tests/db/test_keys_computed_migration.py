"""Schema 21 (issue 18, size): a schema-20 file, its search keys stored in `dossiers.search_key`,
opens, is copied aside, loses the column (the table's payload shrinks by the keys' bytes),
gets the index over the computed keys (the view `dossier_keys`), finds exactly what it found,
passes `check`; "Huỷ" while the column is dropped or while the index fills leaves it as it
was. The writers of schema 20 stored the same keys the function computes."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from core import demo, searchkey
from core.database import open_database
from core.maintenance import check_database
from db import fulltext, schema, steps
from db.connection import transaction
from tests.db.older import searchable, stored_keys

BEFORE = schema.MIGRATIONS.index(schema.KEYS_COMPUTED)  # schema 20
DOSSIERS = 400
SEARCHES = (["nguyen"], ["van", "quan"], ["thi", "hoa"], ["an"], ["ubnd"], ["0905"], ["zzqx"],
            ["quan", "van"])


def _found(conn) -> dict:
    out = {}
    for words in SEARCHES:
        clauses, params = searchkey.match(words)
        out[tuple(words)] = [r[0] for r in conn.execute(
            f"SELECT d.id FROM dossiers d WHERE {' AND '.join(clauses)} ORDER BY d.id", params)]
    return out


def _payload(conn) -> int:
    return conn.execute("SELECT SUM(payload) FROM dbstat WHERE name IN ('dossiers', "
                        "'dossier_rows')").fetchone()[0]  # the rows' table since schema 22


@pytest.fixture
def schema_19(db_path, monkeypatch):
    """A demo as schema 20 kept it: the keys stored, the index over them."""
    db = open_database(db_path)
    demo.generate(db, dossiers=DOSSIERS, seed=6, today=dt.date(2026, 11, 27))
    found = _found(db.conn)
    with transaction(db) as conn:
        stored_keys(conn)
        conn.execute(f"PRAGMA user_version = {BEFORE}")
    db.close()
    conn = sqlite3.connect(db_path)
    searchable(conn)
    try:
        keys = conn.execute("SELECT SUM(length(CAST(search_key AS BLOB))) FROM dossiers").fetchone()[0]
        before = {"found": _found(conn), "payload": _payload(conn), "keys": keys}
        assert fulltext.is_intact(conn)  # the stored keys are the ones the function computes
    finally:
        conn.close()
    assert before["found"] == found and before["found"][("nguyen",)]
    monkeypatch.setattr(fulltext, "FILL_CHUNK", 100)  # four ranges of ids: progress to see
    return db_path, before


def _columns(conn) -> list[str]:
    return [r[1] for r in conn.execute("PRAGMA table_info(dossiers)")]


def test_the_upgrade_drops_the_stored_keys_and_finds_the_same(schema_19):
    path, before = schema_19
    told: list[tuple[int, int]] = []
    db = open_database(path, progress=lambda done, total: told.append((done, total)) or True)
    try:
        assert schema.version(db) == schema.SCHEMA_VERSION
        assert "search_key" not in _columns(db.conn)
        assert _found(db.conn) == before["found"]
        assert fulltext.is_intact(db.conn) and searchkey.is_current(db)
        # the keys' bytes gone from the table's rows (give or take the records' headers)
        assert before["payload"] - _payload(db.conn) >= 0.9 * before["keys"]
    finally:
        db.close()
    assert list(Path(path).parent.glob(f"{Path(path).name}.v{BEFORE}-*.bak"))
    filled = [(n, DOSSIERS) for n in range(100, DOSSIERS + 1, 100)]
    assert told[0] == (0, 1) and told[1] == (0, 0)  # the column dropped: busy, cancellable
    # then schema 22's rows copied, one report (db.dossier_rows)
    assert [t for t in told if t != (0, 0)] == [(0, 1), *filled, (DOSSIERS, DOSSIERS), (1, 1)]
    assert [f.text for f in check_database(path) if not f.ok] == []


@pytest.mark.parametrize("stop_at", [(0, 0), (200, DOSSIERS)])
def test_a_cancelled_upgrade_changes_nothing(schema_19, monkeypatch, stop_at):
    path, before = schema_19
    monkeypatch.setattr(steps, "BUSY_TICK_OPS", 100)  # the drop's ticks reach progress

    def progress(done: int, total: int) -> bool:
        return (done, total) != stop_at

    with pytest.raises(InterruptedError):
        open_database(path, progress=progress)
    conn = sqlite3.connect(path)
    searchable(conn)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == BEFORE
        assert "search_key" in _columns(conn)
        assert fulltext.is_intact(conn) and _found(conn) == before["found"]
    finally:
        conn.close()
    db = open_database(path)  # the next opening upgrades
    try:
        assert schema.version(db) == schema.SCHEMA_VERSION and _found(db.conn) == before["found"]
    finally:
        db.close()
