"""Shared steps of the reliability tests: other MotCua processes, counting what is stored,
and touching the database files the way a careless library would."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from core import dossiers
from tests.core.factories import add_procedures, add_units

ROOT = Path(__file__).resolve().parents[2]
TABLES = ("dossiers", "events", "payments", "votes", "extensions")
COUNT = ("import sys; from db.connection import connect; db = connect(sys.argv[1], create=False); "
         f"print(*[db.execute('SELECT COUNT(*) FROM ' + t).fetchone()[0] for t in {TABLES!r}]); "
         "db.close()")
HOLD = ("import sys; from db.connection import connect; db = connect(sys.argv[1], create=False); "
        "db.execute('SELECT COUNT(*) FROM dossiers').fetchone(); print('ready', flush=True); "
        "sys.stdin.read(); db.close()")


def env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def run_main(db_path: Path, *args: str) -> subprocess.CompletedProcess:
    """`python main.py --db PATH ARGS…` in a process of its own (a read-only kpi, say)."""
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db_path), *args],
                          cwd=ROOT, env=env(), capture_output=True, text=True, timeout=120)


def counts(db) -> tuple[int, ...]:
    return tuple(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES)


def counts_elsewhere(db_path: Path) -> tuple[int, ...]:
    """What another process sees in the database now."""
    out = subprocess.run([sys.executable, "-c", COUNT, str(db_path)], cwd=ROOT, env=env(),
                         capture_output=True, text=True, timeout=60, check=True).stdout
    return tuple(int(n) for n in out.split())


def holder(db_path: Path) -> subprocess.Popen:
    """Another process (a kiosk, say) that keeps the database open until its stdin closes."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(db_path)], cwd=ROOT, env=env(),
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    return process


def touch_files(db_path: Path) -> None:
    """Open and close each file as a header check, a copy or a type sniffer would."""
    for suffix in ("", "-wal", "-shm"):
        with open(f"{db_path}{suffix}", "rb") as handle:
            handle.read(100)


def small_office(db) -> None:
    add_units(db)
    add_procedures(db)


def a_days_work(db, moment: dt.datetime) -> None:
    """A reception, a chain of actions, two payments, a vote and an extension."""
    dossier_id, _ = dossiers.create_dossier(db, unit_code="U1", procedure_code="P.CD10",
                                            applicant_name="Trần Thị Bình", received_at=moment)
    dossiers.start_processing(db, dossier_id, at=moment + dt.timedelta(minutes=5))
    dossiers.add_payment(db, dossier_id, amount=50000, method="cash",
                         paid_at=moment + dt.timedelta(minutes=6))
    dossiers.add_payment(db, dossier_id, amount=50000, method="online",
                         paid_at=moment + dt.timedelta(minutes=7))
    dossiers.extend(db, dossier_id, new_due_at=moment + dt.timedelta(days=20), reason="Chờ xác minh",
                    at=moment + dt.timedelta(minutes=8))
    dossiers.add_vote(db, unit_code="U1", rating="satisfied", dossier_id=dossier_id,
                      voted_at=moment + dt.timedelta(minutes=9))


def sqlite_locks_held(db_path: Path) -> bool:
    """Linux: does this process still hold SQLite's own (POSIX) read lock on the database?"""
    inode = os.stat(db_path).st_ino
    with open("/proc/locks") as table:
        for line in table:
            fields = line.split()
            if fields[1] == "POSIX" and fields[4] == str(os.getpid()) \
                    and int(fields[5].split(":")[2]) == inode:
                return True
    return False


HOLD_WRITE = (
    "import sys, time; from db.connection import connect; db = connect(sys.argv[1], create=False); "
    "db.execute('BEGIN IMMEDIATE'); db.execute(\"INSERT OR REPLACE INTO calendar(date, kind, name) "
    "VALUES ('2030-01-02', 'holiday', 'nhập dữ liệu')\"); print('locked', flush=True); "
    "time.sleep(float(sys.argv[2])); db.execute('COMMIT'); db.close()")


def long_writer(db_path, seconds: float) -> subprocess.Popen:
    """Another process (a long import) holding the write lock for `seconds`."""
    process = subprocess.Popen([sys.executable, "-c", HOLD_WRITE, str(db_path), str(seconds)],
                               cwd=ROOT, env=env(), stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "locked"
    return process

