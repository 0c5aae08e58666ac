"""Schema 13 (issue 18, size): a database of schema 12 opens, is copied aside, and gets the
search index without positions and events without the copy of the previous hash; every fact
stays: the check passes, the indicators and the searches are the same, the chain verifies, and
a single SQL edit is still named."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from core import indicators
from core.database import _first_contents, open_database, start_ledger
from core.maintenance import audit
from core.searchkey import match
from db import chain, fulltext, schema, searchtext, steps
from db.connection import connect, transaction
from db.schema import SCHEMA_VERSION
from tests.core import tamper
from tests.db.older import keys_stored

BEFORE_SIZE = schema.MIGRATIONS.index(schema.SIZE)  # schema 12
SEARCHES = (["tran", "thi", "hoa"], ["le van"], ["pham"], ["hoa"], ["u2"], ["zzz"])


def _schema_12(path) -> None:
    """The worked database as schema 12 stored it: the search index with positions, and each
    event with its copy of the previous event's hash (`prev_hash`)."""
    db = connect(path)
    schema.migrate(db, target=BEFORE_SIZE)
    _first_contents(db)
    start_ledger(db)
    tamper.build(db)
    with transaction(db) as conn:  # the copies schema 12's writers made
        for name in ("events_sealed_final", "events_never_deleted"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("UPDATE events SET prev_hash = (SELECT p.hash FROM events p "
                     "WHERE p.id < events.id ORDER BY p.id DESC LIMIT 1)")
        for statement in steps.statements(chain.TRIGGERS_V8):
            conn.execute(statement)
        keys_stored(conn)  # the keys as schema 12 stored them (computed since schema 21)
    db.close()


def _facts(path) -> dict:
    db = open_database(path)
    try:
        clauses = {tuple(words): match(words) for words in SEARCHES}
        return {
            "indicators": indicators.compute(db, dt.date(2025, 3, 1), dt.date(2025, 3, 31),
                                             as_of=dt.datetime(2025, 4, 1, 8, 0), detail=True),
            "found": {words: [r[0] for r in db.execute(
                "SELECT d.id FROM dossiers d WHERE " + " AND ".join(sql) + " ORDER BY d.id",
                params)]
                for words, (sql, params) in clauses.items()},
            "index": db.execute("SELECT sql FROM sqlite_master WHERE name = ?",
                                [fulltext.TABLE]).fetchone()[0],
            "version": db.execute("PRAGMA user_version").fetchone()[0],
        }
    finally:
        db.close()


def _problems(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [f.text for f in audit.audit_findings(conn) if not f.ok]
    finally:
        conn.close()


@pytest.fixture
def older(db_path, tmp_path):
    made_new = tmp_path / "new.db"
    db = open_database(made_new)
    tamper.build(db)
    db.close()
    after = _facts(made_new)  # what the same work says on a database made at schema 13
    _schema_12(db_path)
    return db_path, after


def test_an_older_database_migrates_keeping_every_fact(older):
    path, made_new = older
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == BEFORE_SIZE
    events = conn.execute("SELECT id, hash FROM events ORDER BY id").fetchall()
    copies = conn.execute("SELECT prev_hash FROM events ORDER BY id").fetchall()
    conn.close()
    assert copies[0] == (None,) and copies[1:] == [(h,) for _, h in events[:-1]]
    migrated = _facts(path)
    assert migrated["version"] == SCHEMA_VERSION
    assert migrated["indicators"] == made_new["indicators"]
    assert migrated["found"] == made_new["found"] and migrated["found"][("tran", "thi", "hoa")]
    assert list(Path(path).parent.glob(f"{Path(path).name}.v{BEFORE_SIZE}-*.bak"))
    conn = sqlite3.connect(path)
    searchtext.register(conn)  # the index's content: the keys computed (schema 21)
    try:  # the history untouched but for the copies, its chain whole, the index in step
        # (schema 20: each hash cut to the prefix it keeps, db.chain)
        assert conn.execute("SELECT id, hash FROM events ORDER BY id").fetchall() == \
            [(event_id, digest[:8]) for event_id, digest in events]
        assert "prev_hash" not in [r[1] for r in conn.execute("PRAGMA table_info(events)")]
        assert audit.verify_chain(conn).ok
        assert fulltext.is_intact(conn)
    finally:
        conn.close()
    assert _problems(path) == []


@pytest.mark.parametrize("table, statement, said", [
    case for case in tamper.cases() if case.id in ("events.at", "events.delete", "dossiers.status",
                                                   "payments.amount")])
def test_a_single_sql_edit_after_the_migration_is_still_named(older, table, statement, said):
    path, _ = older
    _facts(path)  # opens, so migrates
    tamper.tamper(path, table, statement)
    assert any(said in text for text in _problems(path))


def test_the_upgrade_says_it_runs_and_gives_the_freed_pages_back(older):
    path, _ = older
    told = []
    db = open_database(path, progress=lambda done, total: told.append((done, total)) or True)
    try:
        assert told[0] == (0, 1) and (1, 1) in told  # the window shows its dialog for the upgrade
        assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0  # VACUUM ran
    finally:
        db.close()
    told.clear()
    open_database(path, progress=lambda done, total: told.append((done, total)) or True).close()
    assert told == []  # once only
