"""Schema 22 (issue 18, size): a schema-21 file, its dossiers' moments stored as text in the
table `dossiers`, opens, is copied aside, and comes out with the rows in `dossier_rows`
(moments as INTEGER seconds) and `dossiers` the view: every dossier's values as they were, the
same ids, the same event history and chain head, the same facts and sums, the same search
results without rebuilding the index; `check` passes. "Huỷ" during the copy or the indexes,
or a moment the seconds would not give back, leaves the file as it was."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from core import demo, searchkey
from core.database import open_database
from core.maintenance import check_database
from db import chain, dossier_rows, fulltext, moments, schema, steps
from db.errors import DatabaseDamagedError
from tests.db.older import searchable, text_dossiers

BEFORE = schema.MIGRATIONS.index(schema.DOSSIER_ROWS)  # schema 21
DOSSIERS = 400
SEARCHES = (["nguyen"], ["van", "quan"], ["an"], ["0905"], ["ubnd"])


def _state(conn) -> dict:
    """Everything the upgrade must keep, read as every reader reads it (`dossiers`, `events`)."""
    found = {}
    for words in SEARCHES:
        clauses, params = searchkey.match(words)
        found[tuple(words)] = [r[0] for r in conn.execute(
            f"SELECT d.id FROM dossiers d WHERE {' AND '.join(clauses)} ORDER BY d.id", params)]
    return {"dossiers": conn.execute("SELECT * FROM dossiers ORDER BY id").fetchall(),
            "events": conn.execute("SELECT * FROM events ORDER BY id").fetchall(),
            "head": chain.head(conn),
            "kpi": conn.execute("SELECT * FROM kpi_daily ORDER BY day, unit_code").fetchall(),
            "children": conn.execute("SELECT COUNT(*), SUM(dossier_id) FROM payments").fetchone(),
            "fts": conn.execute(f"SELECT rowid FROM {fulltext.TABLE} WHERE {fulltext.TABLE} "
                                "MATCH ? ORDER BY rowid", [fulltext.query(["ngu"])]).fetchall(),
            "found": found}


@pytest.fixture
def schema_21(db_path, monkeypatch):
    """The demo as schema 21 kept it, and what it reads."""
    db = open_database(db_path)
    demo.generate(db, dossiers=DOSSIERS, seed=3, today=dt.date(2026, 11, 27))
    now = _state(db.conn)
    db.close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        text_dossiers(conn)
        searchable(conn)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == BEFORE
        assert conn.execute("SELECT typeof(received_at) FROM dossiers LIMIT 1").fetchone() == ("text",)
        before = _state(conn)
    finally:
        conn.close()
    assert before == now and before["found"][("nguyen",)] and before["fts"]
    monkeypatch.setattr(dossier_rows, "CHUNK", 100)  # four ranges: progress to see
    return db_path, before


def _types(conn) -> set[str]:
    """The types the rows' moments are stored as."""
    return {r[0] for m in moments.COLUMNS
            for r in conn.execute(f"SELECT DISTINCT typeof({m}) FROM dossier_rows")}


def test_the_upgrade_stores_seconds_and_reads_the_same(schema_21):
    path, before = schema_21
    told: list[tuple[int, int]] = []
    db = open_database(path, progress=lambda done, total: told.append((done, total)) or True)
    try:
        assert schema.version(db) == schema.SCHEMA_VERSION
        assert _state(db.conn) == before  # same values, ids, history, chain head, sums, hits
        assert _types(db.conn) <= {"integer", "null"}
        kinds = dict(db.execute("SELECT name, type FROM sqlite_master WHERE name IN "
                                "('dossiers', 'dossier_rows')").fetchall())
        assert kinds == {"dossiers": "view", "dossier_rows": "table"}
        assert fulltext.is_intact(db.conn)  # the index kept, not rebuilt: its ids are the rows'
        children = {r[2] for t in ("event_rows", "payments", "votes", "supplements", "extensions")
                    for r in db.execute(f"PRAGMA foreign_key_list({t})") if r[3] == "dossier_id"}
        assert children == {"dossier_rows"}
    finally:
        db.close()
    assert list(Path(path).parent.glob(f"{Path(path).name}.v{BEFORE}-*.bak"))
    copied = [(n, DOSSIERS) for n in range(100, DOSSIERS + 1, 100)]
    assert [t for t in told if t != (0, 0)] == [(0, 1), *copied, (1, 1)]
    assert [f.text for f in check_database(path) if not f.ok] == []


@pytest.mark.parametrize("stop_at", [(200, DOSSIERS), (0, 0)])
def test_a_cancelled_upgrade_changes_nothing(schema_21, monkeypatch, stop_at):
    path, before = schema_21
    monkeypatch.setattr(steps, "BUSY_TICK_OPS", 100)

    def progress(done: int, total: int) -> bool:
        return (done, total) != stop_at

    with pytest.raises(InterruptedError):
        open_database(path, progress=progress)
    conn = sqlite3.connect(path)
    searchable(conn)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == BEFORE
        assert conn.execute("SELECT type FROM sqlite_master WHERE name = 'dossiers'").fetchone() \
            == ("table",)
        assert _state(conn) == before
    finally:
        conn.close()
    db = open_database(path)  # the next opening upgrades
    try:
        assert schema.version(db) == schema.SCHEMA_VERSION and _state(db.conn) == before
    finally:
        db.close()


@pytest.mark.parametrize("odd", ["2025-03-03 09:00", "2025-02-30 09:00:00", "2025-03-03T09:00:00"])
def test_a_moment_the_seconds_would_not_give_back_refuses_the_upgrade(schema_21, odd):
    """Never a guess: a text written outside MotCua that is not exactly a moment stops the
    upgrade (rolled back, the file as it was) and names the dossier."""
    path, _ = schema_21
    conn = sqlite3.connect(path, isolation_level=None)
    searchable(conn)
    try:
        conn.execute("UPDATE dossiers SET returned_at = ? WHERE id = 7", [odd])
        code = conn.execute("SELECT code FROM dossiers WHERE id = 7").fetchone()[0]
        before = _state(conn)
    finally:
        conn.close()
    with pytest.raises(DatabaseDamagedError, match=code):
        open_database(path)
    conn = sqlite3.connect(path)
    searchable(conn)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == BEFORE
        assert _state(conn) == before
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0  # a plain connection's
    finally:
        conn.close()
