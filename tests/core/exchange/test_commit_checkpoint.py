"""The merge's commit: synced, no checkpoint inside it; the checkpoint afterwards (issue 16 §3).

A month-end merge writes hundreds of MB into the log; SQLite's automatic checkpoint used to copy
it all into the database inside the COMMIT, seconds the clerk waited for. The transaction now
commits with the log synced (synchronous FULL: durable by itself) and checkpoints nothing; the
checkpoint runs afterwards (db.connection.checkpoint): by the GUI's worker once the result is
handed over (tests/gui/test_packages.py), by `exchange import` before it exits, or at the
connection's close. Files are looked at by stat() and copied by another process only: opening
a database's files in this process would drop SQLite's locks on them (db.filelocks).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import main
from core.database import open_database
from core.exchange import export_package
from core.exchange.merge import import_packages
from core.maintenance.check import check_database
from db import connection
from tests.core.exchange.conftest import DAY, busy_day, office

pytestmark = pytest.mark.usefixtures("package_format")


@pytest.fixture
def packages(tmp_path) -> list[Path]:
    """Two counters' packages (slots 1 and 2 of 2): six dossiers, votes, every kind of row."""
    made = []
    for slot in (1, 2):
        counter = office(tmp_path / f"quay{slot}.db", (slot, 2))
        busy_day(counter, names=(f"Trần Thị Hoa {slot}", f"Lò Văn Sử {slot}",
                                 f"Hà Thị Mai {slot}"), vote_minute=slot)
        export_package(counter, tmp_path / f"quay{slot}.zip", DAY.date())
        counter.close()
        made.append(tmp_path / f"quay{slot}.zip")
    return made


@pytest.fixture
def centre(tmp_path):
    """A centre whose connection checkpoints after every commit (wal_autocheckpoint 1: any
    commit that checkpoints shows in the database file), its log emptied to begin with."""
    db = office(tmp_path / "centre.db", (1, 1))
    db.conn.execute("PRAGMA wal_autocheckpoint = 1")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    yield db
    db.close()


def files(db) -> tuple[Path, Path]:
    return Path(db.path), Path(f"{db.path}-wal")


def stamp(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns


def codes(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT code FROM dossiers ORDER BY code")]


def test_the_merge_commits_synced_and_leaves_its_checkpoint_for_afterwards(centre, packages):
    database, log = files(centre)
    before = stamp(database)
    assert os.path.getsize(log) == 0
    inside = []

    # its call announcing the COMMIT: inside the transaction, just before it; the last, with
    # the bar full, once it is committed (core.exchange.phases)
    def progress(done, total):
        conn = centre.conn
        inside.append((conn.in_transaction, conn.execute("PRAGMA synchronous").fetchone()[0],
                       conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]))
        return True
    batch = import_packages(centre, packages, progress=progress)
    assert batch.written and sum(batch.total("dossiers").values()) == 6
    # FULL: the log synced at COMMIT; no automatic checkpoint
    assert inside[-2] == (True, 2, 0) and not inside[-1][0]
    assert {state for state in inside if state[0]} == {(True, 2, 0)}
    # the COMMIT copied nothing into the database: the merge is in the log alone
    assert stamp(database) == before
    assert os.path.getsize(log) > 0
    assert connection.own(centre.conn).checkpoint_owed
    # the connection's own settings back for its next commits
    assert centre.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert centre.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1
    passive, truncate = connection.checkpoint(centre.conn)
    assert passive[0] == 0 and passive[1] > 0 and passive[1] == passive[2]  # every frame copied
    assert truncate == (0, 0, 0)
    assert os.path.getsize(log) == 0  # the log cut to nothing
    assert stamp(database) != before
    assert not connection.own(centre.conn).checkpoint_owed
    assert connection.checkpoint(centre.conn) is None  # nothing owed any more
    assert len(codes(centre)) == 6


def test_a_merge_is_all_there_after_a_crash_right_after_its_commit(centre, packages, tmp_path):
    """The database and its log copied between the COMMIT and the checkpoint, as a power cut
    would leave them (the -shm, memory SQLite rebuilds, left out): opened, the copy holds
    every dossier and `check` finds it intact."""
    import_packages(centre, packages)
    assert connection.own(centre.conn).checkpoint_owed
    crashed = tmp_path / "sau-su-co"
    crashed.mkdir()
    database, log = files(centre)
    # another process copies them (this one must not open the files SQLite locks)
    subprocess.run([sys.executable, "-c", "import shutil, sys; shutil.copy(sys.argv[1], "
                    "sys.argv[3]); shutil.copy(sys.argv[2], sys.argv[3])", str(database),
                    str(log), str(crashed)], check=True)
    copy = crashed / database.name
    assert (crashed / log.name).stat().st_size > 0
    found = check_database(copy)
    assert all(f.ok for f in found), [f.text for f in found if not f.ok]
    again = open_database(copy, create=False)
    try:
        assert codes(again) == codes(centre) and len(codes(again)) == 6
        assert again.execute("SELECT hex(hash) FROM events ORDER BY id DESC LIMIT 1").fetchone() \
            == centre.execute("SELECT hex(hash) FROM events ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        again.close()


def test_closing_the_connection_runs_the_checkpoint_owed(tmp_path, packages):
    path = tmp_path / "centre.db"
    office(path, (1, 1)).close()
    window = open_database(path)  # another connection stays open (as the window's does)
    try:
        db = open_database(path)
        import_packages(db, packages)
        assert os.path.getsize(f"{path}-wal") > 0
        db.close()
        assert os.path.getsize(f"{path}-wal") == 0  # checkpointed and cut, not left to others
        assert len(codes(window)) == 6
    finally:
        window.close()


def test_a_dry_run_or_a_failed_merge_owes_nothing_and_keeps_the_settings(centre, packages,
                                                                         tmp_path):
    database, log = files(centre)
    before = stamp(database)
    batch = import_packages(centre, packages, dry_run=True)
    assert not batch.written
    broken = tmp_path / "hong.zip"
    broken.write_bytes(packages[1].read_bytes()[:-200])
    with pytest.raises(Exception):  # noqa: B017 (whichever refusal: nothing is written)
        import_packages(centre, [packages[0], broken])
    with pytest.raises(InterruptedError):
        import_packages(centre, packages, progress=lambda done, total: False)
    assert not connection.own(centre.conn).checkpoint_owed
    assert centre.conn.execute("PRAGMA synchronous").fetchone()[0] == 1
    assert centre.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1
    assert codes(centre) == []
    assert stamp(database)[0] == before[0]


def test_exchange_import_checkpoints_before_it_exits(tmp_path, packages, capsys):
    """On the command line the counts are printed, then the checkpoint runs before the process
    exits, even with the window's connection open on the file (so closing is not the last)."""
    path = tmp_path / "centre.db"
    office(path, (1, 1)).close()
    window = open_database(path)
    try:
        window.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        code = main.main(["--db", str(path), "exchange", "import", *map(str, packages)])
        out = capsys.readouterr().out
        assert code == 0 and "đã nhập trong một giao dịch" in out
        assert os.path.getsize(f"{path}-wal") == 0
        assert len(codes(window)) == 6
    finally:
        window.close()
    found = check_database(path)
    assert all(f.ok for f in found), [f.text for f in found if not f.ok]


def test_backup_check_and_other_writers_work_while_the_checkpoint_is_owed(tmp_path, packages):
    """Between the merge's COMMIT and its checkpoint (the seconds the worker takes), the rest
    of the program goes on: a backup holds the merge, `check` is clean, a clerk's write on the
    window's connection commits; after the checkpoint everything is there, `check` clean."""
    from core import dossiers as D
    from core.maintenance.backup import make_backup
    path = tmp_path / "centre.db"
    office(path, (1, 1)).close()
    window = open_database(path)
    db = open_database(path)
    try:
        import_packages(db, packages)
        assert connection.own(db.conn).checkpoint_owed and os.path.getsize(f"{path}-wal") > 0
        copy = make_backup(path, tmp_path / "sao-luu")
        found = check_database(path)
        assert all(f.ok for f in found), [f.text for f in found if not f.ok]
        D.create_dossier(window, unit_code="U1", procedure_code="P.WD2",
                         applicant_name="Khách Sau Cùng", received_at=DAY)
        assert connection.checkpoint(db.conn)[0][0] == 0
    finally:
        db.close()
    try:
        assert len(codes(window)) == 7
    finally:
        window.close()
    backup = open_database(copy, create=False)
    try:
        assert len(codes(backup)) == 6  # the merge, taken before the clerk's write
    finally:
        backup.close()
    found = check_database(path)
    assert all(f.ok for f in found), [f.text for f in found if not f.ok]
