"""Bulk-load helpers: fast settings that always come back, indexes rebuilt even after a failure."""
from __future__ import annotations

import pytest

from core.bulk import bulk_session, without_indexes
from db.connection import transaction

PRAGMAS = ("journal_mode", "foreign_keys", "cache_size", "temp_store", "ignore_check_constraints")


def settings(db) -> dict:
    return {p: db.execute(f"PRAGMA {p}").fetchone()[0] for p in PRAGMAS}


def indexes(db, table: str) -> set:
    return {tuple(r) for r in db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", [table])}


def test_bulk_session_loads_without_wal_and_restores_everything(db):
    before = settings(db)
    with bulk_session(db):
        during = settings(db)
        assert during["journal_mode"] == "delete" and during["foreign_keys"] == 0
        assert during["ignore_check_constraints"] == 1
    assert settings(db) == before


def test_bulk_session_restores_settings_after_an_error(db):
    before = settings(db)
    with pytest.raises(RuntimeError):
        with bulk_session(db):
            raise RuntimeError("boom")
    assert settings(db) == before


def test_journal_stays_wal_when_another_connection_holds_the_database(db, db_path):
    from db.connection import connect

    other = connect(db_path)
    other.execute("SELECT COUNT(*) FROM units").fetchone()
    other.conn.execute("BEGIN")
    other.execute("SELECT COUNT(*) FROM units").fetchone()  # a reader keeps the WAL in use
    try:
        with bulk_session(db):
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.conn.execute("ROLLBACK")
        other.close()


def test_indexes_are_rebuilt_after_the_load(db):
    before = indexes(db, "dossiers")
    with transaction(db) as conn:
        with without_indexes(conn, ["dossiers"]):
            assert {n for n, sql in indexes(db, "dossiers") if sql} == set()
    assert indexes(db, "dossiers") == before


def test_a_failed_load_rolls_back_the_dropped_indexes_too(db):
    before = indexes(db, "events")
    with pytest.raises(ValueError):
        with transaction(db) as conn:
            with without_indexes(conn, ["events"]):
                raise ValueError("bad row")
    assert indexes(db, "events") == before
