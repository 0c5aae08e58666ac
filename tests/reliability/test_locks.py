"""Issue 10 §1: nothing saved is lost because something in this process touched the database
files while another MotCua process came and went (docs/reliability.md)."""
from __future__ import annotations

import datetime as dt
import sys

import pytest

from core.database import open_database
from core.errors import InputError
from core.pdf.document import write_atomic
from core.transfer import files
from db import filelocks
from tests.reliability.helpers import (
    a_days_work,
    counts,
    counts_elsewhere,
    holder,
    run_main,
    small_office,
    touch_files,
)

MORNING = dt.datetime(2025, 6, 11, 8, 0)
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX record locks only")


def test_handles_closed_in_process_and_a_second_process_lose_nothing(db, db_path):
    small_office(db)
    a_days_work(db, MORNING)
    touch_files(db_path)  # the kernel drops this process's SQLite locks here
    result = run_main(db_path, "kpi", "--from", "2025-06-01", "--to", "2025-06-30")
    assert result.returncode == 0, result.stderr
    assert db_path.with_name(db_path.name + "-wal").exists()  # nobody deleted what we use
    a_days_work(db, MORNING + dt.timedelta(hours=2))
    stored = counts(db)
    assert stored == (2, 10, 4, 2, 2)
    assert counts_elsewhere(db_path) == stored  # the kiosk or a kpi sees every write
    kiosk = holder(db_path)  # still open while the window closes
    db.close()
    kiosk.communicate("")
    reopened = open_database(db_path)
    try:
        assert counts(reopened) == stored
    finally:
        reopened.close()


def test_without_the_guard_a_replaced_wal_is_noticed_before_the_next_write(db_path, monkeypatch):
    """Where OFD locks do not exist: the write after the deletion reconnects first."""
    monkeypatch.setattr(filelocks, "OFD_SETLK", None)
    db = open_database(db_path)
    try:
        small_office(db)
        a_days_work(db, MORNING)
        touch_files(db_path)
        assert run_main(db_path, "kpi", "--from", "2025-06-01", "--to", "2025-06-30").returncode == 0
        a_days_work(db, MORNING + dt.timedelta(hours=2))
        assert counts_elsewhere(db_path) == counts(db) == (2, 10, 4, 2, 2)
    finally:
        db.close()


def test_the_last_connection_still_cleans_up_after_itself(db, db_path):
    small_office(db)
    db.close()
    for suffix in ("-wal", "-shm"):
        assert not db_path.with_name(db_path.name + suffix).exists()
    assert not filelocks.is_live(db_path)


def test_the_open_database_is_never_read_or_overwritten_as_a_plain_file(db, db_path, tmp_path):
    small_office(db)
    for name in (db_path, f"{db_path}-wal", f"{db_path}-shm"):
        with pytest.raises(InputError, match="đang mở"):
            write_atomic(name, b"%PDF-")
    live_csv = tmp_path / "motcua.csv"  # a database may have any name
    other = open_database(live_csv)
    try:
        with pytest.raises(InputError, match="đang mở"):
            files.open_table(live_csv)
        with pytest.raises(InputError, match="đang mở"):
            files.write_table(live_csv, ["code"], [], 0)
    finally:
        other.close()
    assert counts(db)[0] == 0 and db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
