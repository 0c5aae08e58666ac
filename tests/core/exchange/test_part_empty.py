"""An empty rows part is made by the migrations once per process and schema version, then
written from their bytes (core.exchange.part.making.create, round 39, fast39a): a part so
written must be the very file the migrations make — its pages, its header (page size, journal
mode, application_id, user_version), its sqlite_master — and whole."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.exchange.part import checking, making
from db.connection import APPLICATION_ID, PAGE_SIZE
from db.schema import SCHEMA_VERSION
from tests.core.exchange.conftest import busy_day

PRAGMAS = ("page_size", "journal_mode", "application_id", "user_version", "page_count",
           "freelist_count", "auto_vacuum", "encoding", "integrity_check",
           "foreign_key_check")
OLDER = 22  # the oldest part this program reads (tests/core/exchange/test_older_part.py)


def described(path: Path) -> dict:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {"master": checking._master(conn),
                "pragmas": {name: conn.execute(f"PRAGMA {name}").fetchall() for name in PRAGMAS}}
    finally:
        conn.close()


@pytest.mark.parametrize("version", [SCHEMA_VERSION, OLDER])
def test_a_part_written_from_the_first_ones_bytes_is_the_part_the_migrations_make(
        tmp_path, monkeypatch, version):
    ran: list[int] = []
    run_migration = making.run_migration
    monkeypatch.setattr(making, "run_migration",
                        lambda conn, index: ran.append(index) or run_migration(conn, index))
    monkeypatch.setattr(making, "_EMPTY", {})  # this process's first part of the version
    first, second, migrated = tmp_path / "first", tmp_path / "second", tmp_path / "migrated"
    making.create(first, version)
    assert ran == list(range(version))
    making.create(second, version)
    assert ran == list(range(version))  # written, not migrated again
    making._migrated(migrated, version)
    assert second.read_bytes() == migrated.read_bytes() == first.read_bytes()
    made = described(second)
    assert made == described(migrated)
    assert made["master"] == checking.expected_master(version)
    assert made["pragmas"]["page_size"] == [(PAGE_SIZE,)]
    assert made["pragmas"]["journal_mode"] == [("delete",)]  # one file: no -wal beside it
    assert made["pragmas"]["application_id"] == [(APPLICATION_ID,)]
    assert made["pragmas"]["user_version"] == [(version,)]
    assert made["pragmas"]["integrity_check"] == [("ok",)]
    assert not list(tmp_path.glob("*-journal")) and not list(tmp_path.glob("*-wal"))


@pytest.mark.parametrize("first", [False, True], ids=["next part", "first part of a process"])
def test_a_part_is_never_written_over_a_file_already_there(tmp_path, monkeypatch, first):
    """review39b: the first part of a process (migrated, not written from kept bytes) took an
    empty file already at its path, the next ones refused it."""
    if first:
        monkeypatch.setattr(making, "_EMPTY", {})
    else:
        making.create(tmp_path / "first")
    for there, was in ((tmp_path / "there", b"not ours"), (tmp_path / "empty", b"")):
        there.write_bytes(was)
        with pytest.raises(FileExistsError):
            making.create(there)
        assert there.read_bytes() == was


def built_the_migrations_way(source: sqlite3.Connection, path: Path, ids: list[int],
                             vote_ids: list[int]) -> None:
    """A part as `build` made it before round 39: migrated, its search triggers dropped and
    put back one statement at a time, every write waiting for the disk."""
    making._migrated(path, SCHEMA_VERSION)
    triggers = making._without_fts_triggers(path)
    source.execute("ATTACH DATABASE ? AS " + making.ALIAS, [str(path)])
    try:
        making._copy(source, ids, vote_ids, None)
    finally:
        source.execute("DETACH DATABASE " + making.ALIAS)
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        for sql in triggers:
            conn.execute(sql)
    finally:
        conn.close()


def without_counters(data: bytes) -> bytes:
    """The file but its header's change counter and the version it is valid for (offsets 24
    and 92: how many transactions wrote it, not what it holds)."""
    return data[:24] + data[28:92] + data[96:]


def test_a_part_built_from_the_bare_bytes_is_the_part_the_migrations_make(counter, tmp_path,
                                                                          monkeypatch):
    busy_day(counter)
    ids = [row[0] for row in counter.execute("SELECT id FROM dossier_rows ORDER BY id")]
    vote_ids = [row[0] for row in counter.execute("SELECT id FROM vote_rows ORDER BY id")]
    monkeypatch.setattr(making, "_BARE", {})  # this process's first part
    first, second, migrated = tmp_path / "first", tmp_path / "second", tmp_path / "migrated"
    counts = making.build(counter.conn, first, ids, vote_ids)
    assert making.build(counter.conn, second, ids, vote_ids) == counts
    assert (counts["dossiers"], counts["votes"]) == (3, 2) and counts["events"]
    built_the_migrations_way(counter.conn, migrated, ids, vote_ids)
    assert second.read_bytes() == first.read_bytes()
    assert without_counters(second.read_bytes()) == without_counters(migrated.read_bytes())
    made = described(second)
    assert made == described(migrated)
    assert made["master"] == checking.expected_master()
    assert made["pragmas"]["integrity_check"] == [("ok",)]
    assert not list(tmp_path.glob("*-journal"))
