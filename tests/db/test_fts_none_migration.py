"""Schema 15 (issue 18, size): the search index without positions. A schema-14 file opens, its
index is made again with `detail=none, columnsize=0` (db.fulltext.DEFINITION) a range of ids at
a time with progress, finds exactly what the LIKE scan finds, is a third of the size and passes
`check`; a cancel leaves the file as it was. A new database has the same index."""
from __future__ import annotations

import datetime as dt
import re
import sqlite3

import pytest

from core import demo, searchkey
from core.database import _first_contents, open_database, start_ledger
from core.maintenance import check_database
from db import fulltext, schema
from db.connection import connect, transaction
from tests.db.older import facts_before_19, keys_stored, searchable

BEFORE = schema.MIGRATIONS.index(schema.FTS_NONE)  # schema 14
DOSSIERS = 600
SEARCHES = (["nguyen"], ["van", "quan"], ["thi", "hoa"], ["an"], ["ubnd"], ["zzqx"])


def _squash(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()


def _index(conn) -> dict:
    """The index's definition, its shadow tables and the bytes they hold (payload: pages of
    16 KB leave a small test file's pages mostly empty)."""
    return {"sql": _squash(conn.execute("SELECT sql FROM sqlite_master WHERE name = ?",
                                        [fulltext.TABLE]).fetchone()[0]),
            "tables": [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? "
                "ORDER BY name", [fulltext.TABLE + "%"])],
            "bytes": conn.execute("SELECT SUM(payload) FROM dbstat WHERE name LIKE ?",
                                  [fulltext.TABLE + "%"]).fetchone()[0]}


def _found(conn, indexed: bool) -> dict:
    """Each search's ids: the LIKE scan, or the register's two ways through the index."""
    out = {}
    for words in SEARCHES:
        clauses, params = searchkey.match(words, indexed=indexed)
        out[tuple(words)] = [r[0] for r in conn.execute(
            f"SELECT d.id FROM dossiers d WHERE {' AND '.join(clauses)} ORDER BY d.id", params)]
        if indexed and searchkey.hit_arms(conn, words) is not None:
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS hits(id INTEGER PRIMARY KEY)")
            conn.execute("DELETE FROM temp.hits")
            searchkey.fill_hits(conn, "temp.hits", words)
            hits = [r[0] for r in conn.execute("SELECT id FROM temp.hits ORDER BY id")]
            assert hits == out[tuple(words)], words
    return out


@pytest.fixture
def older(db_path, monkeypatch):
    """A demo as schema 14 stored it: the index with positions."""
    db = connect(db_path)
    schema.migrate(db, target=BEFORE)
    _first_contents(db)
    start_ledger(db)
    demo.generate(db, dossiers=DOSSIERS, seed=5, today=dt.date(2026, 11, 27))
    with transaction(db) as conn:  # as a file schema 14 has opened once: nothing left to build
        facts_before_19(conn)  # the facts as that schema stored them
        conn.execute("UPDATE settings SET value = '0' WHERE key = 'kpi_stale'")
        keys_stored(conn)
    db.close()
    monkeypatch.setattr(fulltext, "FILL_CHUNK", 100)  # six ranges of ids: progress to see
    conn = sqlite3.connect(db_path)
    searchable(conn)
    try:
        before = {"index": _index(conn), "found": _found(conn, indexed=False)}
    finally:
        conn.close()
    assert "detail=none" not in before["index"]["sql"]
    assert before["index"]["tables"] == ["dossiers_fts", "dossiers_fts_config",
                                         "dossiers_fts_data", "dossiers_fts_docsize",
                                         "dossiers_fts_idx"]
    return db_path, before


def test_the_upgrade_makes_the_index_without_positions_finding_the_same(older):
    path, before = older
    told: list[tuple[int, int]] = []
    db = open_database(path, progress=lambda done, total: told.append((done, total)) or True)
    try:
        assert schema.version(db) == schema.SCHEMA_VERSION
        after = _index(db.conn)
        assert _found(db.conn, indexed=True) == before["found"]
        assert fulltext.is_intact(db.conn)
    finally:
        db.close()
    assert after["sql"] == _squash(fulltext.COMPUTED)  # schema 21's content: the computed keys
    assert after["tables"] == ["dossiers_fts", "dossiers_fts_config", "dossiers_fts_data",
                               "dossiers_fts_idx"]  # columnsize=0: no table of sizes
    assert after["bytes"] < 0.5 * before["index"]["bytes"]
    # the index filled a range of ids at a time, within the upgrade's dialog
    # (then the later schemas' long steps: the events converted, their details coded, the
    # facts' moments left out, the hashes cut to their prefixes, one report each; schema 21's
    # column dropped, busy (0, 0), and its index filled again from the computed keys; schema
    # 22's rows copied, one report, and their indexes made, busy; 23's payments and votes
    # copied, busy)
    filled = [(n, DOSSIERS) for n in range(100, DOSSIERS + 1, 100)]
    assert told[:len(filled) + 1] == [(0, 1), *filled] and told[-1] == (1, 1)
    assert told[-len(filled) - 5:-5] == filled and told[-5] == (DOSSIERS, DOSSIERS)
    assert len([t for t in told if t != (0, 0)]) == 2 * len(filled) + 7
    assert told[-4:-1] == [(0, 0)] * 3  # 22's indexes, 23's copy, then the VACUUM (db.vacuum)
    assert [f.text for f in check_database(path) if not f.ok] == []


def test_a_cancelled_upgrade_keeps_the_index_with_positions(older):
    path, before = older
    with pytest.raises(InterruptedError):  # "Huỷ" once part of the index is made again
        open_database(path, progress=lambda done, total: done != 300)
    conn = sqlite3.connect(path)
    searchable(conn)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == BEFORE
        assert _index(conn) == before["index"]
        assert fulltext.is_intact(conn)
        assert _found(conn, indexed=True) == before["found"]  # the same queries, old index
    finally:
        conn.close()


def test_a_new_database_and_checks_rebuild_keep_the_one_definition(db_path):
    db = open_database(db_path)
    try:
        demo.generate(db, dossiers=50, seed=2, today=dt.date(2026, 11, 27))
        assert _index(db.conn)["sql"] == _squash(fulltext.COMPUTED)
        with transaction(db) as conn:  # an index that lost every dossier
            conn.execute(f"INSERT INTO {fulltext.TABLE}({fulltext.TABLE}) VALUES ('delete-all')")
        assert not fulltext.is_intact(db.conn)
    finally:
        db.close()
    assert any(not f.ok and "Đã dựng lại" in f.text for f in check_database(db_path))
    conn = sqlite3.connect(db_path)
    searchable(conn)
    try:
        assert fulltext.is_intact(conn)
        assert _index(conn)["sql"] == _squash(fulltext.COMPUTED)
        assert _found(conn, indexed=True) == _found(conn, indexed=False)
    finally:
        conn.close()
