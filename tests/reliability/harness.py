"""The machinery of the kill tests: child processes read line by line, and what files hold.

`Child` runs tests/reliability/kill_driver.py and collects its stdout as it comes, so a test
can SIGKILL it right after a chosen line; `plain` runs main.py itself, unmodified. `integrity`,
`content` (a digest of every row) and `backups_in` say what a file holds after the kill.
"""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from core.maintenance.backup import NAME_PATTERN
from db import searchtext
from db.connection import APPLICATION_ID

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 90  # a child that has not reached its kill point by then is stuck: fail
SUB_DELAY_S = 0.015  # about one write of the core API


# ----- child processes ------------------------------------------------------------------------
class Child:
    """A driver process whose stdout lines a thread collects as they come."""

    def __init__(self, *args: str, cwd: Path):
        self.stderr_path = cwd / f"stderr-{time.monotonic_ns()}.txt"
        self.stderr = open(self.stderr_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.kill_driver", *map(str, args)], cwd=ROOT,
            stdout=subprocess.PIPE, stderr=self.stderr, text=True, encoding="utf-8")
        self.lines: list[str] = []  # appended by the reader thread as lines arrive
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_lines(self, count: int) -> None:
        self.wait_until(lambda: len(self.lines) >= count)
        assert len(self.lines) >= count, (f"the child ended after {len(self.lines)} lines, "
                                          f"before line {count}:\n{self.errors()}")

    def wait_until(self, condition) -> None:
        """Wait until condition() holds or the child's output has ended."""
        deadline = time.monotonic() + WAIT_S
        while not condition() and self._reader.is_alive():
            assert time.monotonic() < deadline, f"the awaited moment never came:\n{self.errors()}"
            time.sleep(0.001)

    def kill(self, rng: random.Random) -> list[str]:
        time.sleep(rng.uniform(0, SUB_DELAY_S))
        self.proc.kill()  # SIGKILL (TerminateProcess on Windows): no handler, no clean-up
        return self.finish()

    def finish(self) -> list[str]:
        """Every line the child wrote (flushed lines are in the pipe even after a SIGKILL)."""
        self.proc.wait(timeout=WAIT_S)
        self._reader.join(timeout=WAIT_S)
        self.proc.stdout.close()
        self.stderr.close()
        return self.lines

    def errors(self) -> str:
        if not self.stderr.closed:
            self.stderr.flush()
        return self.stderr_path.read_text(encoding="utf-8")[-3000:]


def run_to_end(*args: str, cwd: Path) -> list[str]:
    child = Child(*args, cwd=cwd)
    lines = child.finish()
    assert lines and lines[-1] == "exit 0", f"{args}: {lines[-3:]}\n{child.errors()}"
    return lines


def plain(*args) -> subprocess.Popen:
    """main.py ARGS..., unmodified and silent (the caller kills it)."""
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), *map(str, args)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main_py(*args: str, env_dir: Path) -> None:
    env = dict(os.environ, MOTCUA_DATA_DIR=str(env_dir))
    subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], cwd=ROOT, env=env,
                   check=True, capture_output=True)


# ----- what the files hold --------------------------------------------------------------------
def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True)  # never creates a missing file
    searchtext.register(conn)  # the search index's rows are the keys computed (schema 21)
    return conn


def integrity(path: Path) -> list[str]:
    conn = connect(path)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        problems += [f"foreign key: {r}" for r in conn.execute("PRAGMA foreign_key_check")]
    except sqlite3.DatabaseError as exc:  # not even readable: that is the finding
        problems = [f"{path.name}: {exc}"]
    finally:
        conn.close()
    return [] if problems == ["ok"] else problems


def content(path: Path) -> str:
    """A digest of every row of every table: equal digests, equal databases.

    Remembered by the file's bytes when no journal lies beside it (then the bytes are the whole
    database): the tests ask again and again about copies of the same few states (the live
    file back as it was after each kill, backups of one database), ~0.4 s each to digest."""
    if any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal")):
        return _digest(path)
    key = hashlib.sha256(path.read_bytes()).hexdigest()
    if key not in _DIGESTS:
        _DIGESTS[key] = _digest(path)
    return _DIGESTS[key]


_DIGESTS: dict[str, str] = {}  # sha256 of a database file's bytes -> content() of it


def _digest(path: Path) -> str:
    conn = connect(path)
    digest = hashlib.sha256()
    try:
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                     "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall():
            digest.update(table.encode())
            for row in sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{table}"')):
                digest.update(row.encode())
    finally:
        conn.close()
    return digest.hexdigest()


def replace_file(source: Path, target: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)


def backups_in(folder: Path, expected: str) -> tuple[list[str], list[str]]:
    """(complete backups, other files): anything under a backup's final name must be a whole,
    intact copy of the database, needing no journal of its own."""
    complete, others = [], []
    for file in sorted(folder.iterdir()) if folder.is_dir() else []:
        if not NAME_PATTERN.match(file.name):
            others.append(file.name)
            continue
        assert not any(Path(f"{file}{s}").exists() for s in ("-journal", "-wal")), file.name
        assert integrity(file) == [], file.name
        conn = connect(file)
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        conn.close()
        assert content(file) == expected, f"{file.name} is not a copy of the database"
        complete.append(file.name)
    return complete, others
