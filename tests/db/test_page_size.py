"""Pages of db.connection.PAGE_SIZE (schema 18, issue 18, size): a new file is made with them, an
older file of 4 KB pages gets them with the VACUUM after its upgrade, every row and the chain's
head the same; backups and restores keep them; a full disk or a failed VACUUM leaves the upgraded
data complete in their old pages."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from core import dossiers as D
from core.database import open_database
from core.maintenance import check_database, make_backup, restore
from db import chain, fulltext, schema, searchtext, vacuum
from db.connection import PAGE_SIZE
from tests.core import tamper
from tests.db import older

BEFORE = schema.MIGRATIONS.index(schema.PAGES)
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thu Dung", "Đỗ Minh Khoa")


def _worked(path: Path, dossiers: int = 120) -> None:
    """tamper's worked database and `dossiers` more received through MotCua (with their events),
    so every table and index spans several pages of either size."""
    db = open_database(path)
    try:
        tamper.build(db)
        for n in range(dossiers):
            D.create_dossier(db, unit_code="U1", procedure_code="P.WD2",
                             applicant_name=f"{NAMES[n % len(NAMES)]} {n}",
                             received_at=tamper.T0 + dt.timedelta(hours=n))
    finally:
        db.close()


def _pragma(path: Path, name: str):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def _contents(path: Path) -> tuple[list[str], tuple | None]:
    """Every table's rows (as SQL text, in stored order) and the head of the event chain. The
    search index's own pages are left out: schema 21 fills it again (from the same keys, in
    other segments); that it holds exactly the keys is FTS5's integrity-check, asserted."""
    conn = sqlite3.connect(path)
    searchtext.register(conn)  # the dump reads the index's content: the computed keys
    try:
        assert fulltext.is_intact(conn)
        shadow = tuple(f'INSERT INTO "{fulltext.TABLE}_{part}"' for part in ("data", "idx"))
        lines = [line for line in conn.iterdump() if not line.startswith(shadow)]
        # the schema's statements as a set: their order in sqlite_master is the order they were
        # made in (an upgrade left without its VACUUM keeps schema 22's indexes last)
        made = sorted(line for line in lines if line.startswith("CREATE "))
        return ([line for line in lines if not line.startswith("CREATE ")] + made,
                chain.head(conn))
    finally:
        conn.close()


def _problems(path: Path) -> list[str]:
    return [f.text for f in check_database(path) if not f.ok]


# a four_kb file's contents as this version wrote them, which its upgrade gives back (the facts
# stored as schema 19 does, recoded by the migrations after PAGES)
UPGRADED: dict[str, tuple] = {}


@pytest.fixture
def four_kb(db_path) -> Path:
    """A worked schema-16 file, pages of 4 KB, as the program before PAGES left it."""
    _worked(db_path)
    older.facts_in_upgrade_order(db_path)
    UPGRADED[str(db_path)] = _contents(db_path)
    older.four_kb_pages(db_path)
    assert _pragma(db_path, "page_size") == 4096
    return db_path


def test_a_new_database_is_made_with_the_page_size(db_path, tmp_path):
    open_database(db_path).close()
    assert _pragma(db_path, "page_size") == PAGE_SIZE != 4096
    assert _pragma(db_path, "journal_mode") == "wal"


def test_an_older_file_gets_the_page_size_at_its_upgrade_and_keeps_every_row(four_kb, monkeypatch):
    before = UPGRADED[str(four_kb)]
    monkeypatch.setattr(vacuum, "VACUUM_TICK_S", 0)  # every tick of the VACUUM reaches progress
    monkeypatch.setattr(vacuum, "VACUUM_TICK_OPS", 100)  # and a small file's VACUUM has many
    told = []
    db = open_database(four_kb, progress=lambda done, total: told.append((done, total)) or True)
    try:
        assert db.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert db.conn.wal_guard is not None  # the guard on the -wal/-shm taken again
    finally:
        db.close()
    assert told[0] == (0, 1) and told[-1] == (1, 1)
    assert told.count((0, 0)) > 2  # the window kept alive during the VACUUM, not only before it
    assert _contents(four_kb) == before  # every table's rows, the chain's head
    assert list(four_kb.parent.glob(f"{four_kb.name}.v{BEFORE}-*.bak"))  # copied aside first
    assert _problems(four_kb) == []


def test_a_backup_and_its_restore_keep_the_page_size(db_path, tmp_path):
    _worked(db_path)
    before = _contents(db_path)
    saved = make_backup(db_path, tmp_path / "backups")
    assert _pragma(saved, "page_size") == PAGE_SIZE
    restore(saved, db_path, backup_folder=tmp_path / "replaced")
    assert _pragma(db_path, "page_size") == PAGE_SIZE
    assert _contents(db_path) == before and _problems(db_path) == []


def test_an_older_backup_of_4_kb_pages_restores_and_gets_the_page_size(four_kb, tmp_path):
    before = UPGRADED[str(four_kb)]
    old_backup = tmp_path / "motcua-20261101-080000.db"
    with sqlite3.connect(four_kb) as source, sqlite3.connect(old_backup) as copy:
        source.backup(copy)  # as `backup` made it: the source's pages, one file
        copy.execute("PRAGMA journal_mode = DELETE")
    source.close()
    copy.close()
    assert _pragma(old_backup, "page_size") == 4096
    target = tmp_path / "office" / "motcua.db"
    target.parent.mkdir()
    restored = restore(old_backup, target, backup_folder=tmp_path / "replaced")
    assert restored.schema_before == BEFORE
    assert _pragma(target, "page_size") == PAGE_SIZE
    assert _contents(target) == before and _problems(target) == []


def test_a_failed_vacuum_leaves_the_upgraded_data_complete(four_kb, monkeypatch):
    """A VACUUM stopped half-way (here by its progress failing) rolls back: the upgrade stays,
    in the old pages, WAL again, and the file opens next time without another upgrade."""
    before = UPGRADED[str(four_kb)]
    monkeypatch.setattr(vacuum, "VACUUM_TICK_S", 0)
    monkeypatch.setattr(vacuum, "VACUUM_TICK_OPS", 100)
    busy = []

    def failing(done, total):
        busy.append(total == 0)
        if sum(busy) == 5:  # inside the VACUUM (after schema 21's column, 22's indexes, 23's copy)
            raise RuntimeError("the window went away")
        return True

    with pytest.raises(sqlite3.OperationalError):
        open_database(four_kb, progress=failing)
    assert _pragma(four_kb, "page_size") == 4096
    assert _pragma(four_kb, "user_version") == schema.SCHEMA_VERSION
    assert _contents(four_kb) == before
    open_database(four_kb).close()
    assert _pragma(four_kb, "journal_mode") == "wal" and _problems(four_kb) == []


# ----- a full disk: a real small disk (tmpfs), which needs root ---------------------------------

def _mount(folder: Path, size_kib: int) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    folder.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs",
                           str(folder)], capture_output=True).returncode == 0


@pytest.fixture
def on_a_nearly_full_disk(four_kb, tmp_path):
    """The 4 KB file on a disk with room for the upgrade's backup copy and its writes (schema 21
    rewrites the dossiers' table and fills the search index again, schema 22 copies the rows and
    makes their indexes: about one and a half times the file more), not for the VACUUM's journal
    (the size of the file again)."""
    size = four_kb.stat().st_size
    folder = tmp_path / "small"
    if not _mount(folder, (4 * size) // 1024 + 512):
        pytest.skip("a full disk is simulated with a small tmpfs, which needs root")
    try:
        path = folder / "motcua.db"
        shutil.copyfile(four_kb, path)
        free = shutil.disk_usage(folder).free
        with open(folder / "filler", "wb") as filler:
            filler.write(b"\0" * (free - 13 * size // 5))
        yield path
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_on_a_full_disk_the_upgrade_keeps_the_old_pages_and_every_row(on_a_nearly_full_disk,
                                                                     four_kb):
    path = on_a_nearly_full_disk
    before = UPGRADED[str(four_kb)]
    open_database(path).close()  # not refused
    assert list(path.parent.glob(f"{path.name}.v{BEFORE}-*.bak"))  # the upgrade ran
    assert _pragma(path, "user_version") == schema.SCHEMA_VERSION
    assert _pragma(path, "page_size") == 4096  # the VACUUM rolled back
    assert _contents(path) == before
    assert not Path(f"{path}-journal").exists()
    (path.parent / "filler").unlink()  # room again: the file opens and works
    open_database(path).close()
    assert _pragma(path, "journal_mode") == "wal" and _problems(path) == []
