"""The child process of the kill tests: real work that says on stdout how far it has got.

    python -m tests.reliability.kill_driver write DB SEED
        Receives dossiers and moves them along through the core API (payment, processing,
        supplement, extension, finish, return, vote). Before each write it prints "> ACTION"
        (so the test can aim a kill into that write), and one flushed line *after* each
        commit: what the database must hold from then on, whatever happens to this process.
    python -m tests.reliability.kill_driver cli ARG...
        Runs `main.py ARG...` unchanged, except that the steps of backup, restore and import
        announce themselves on stdout ("enter verify_copy", "copy 64/880", "write 3000/6000"…),
        so the test can SIGKILL the process at a chosen step instead of at a guessed time.

The test reads the lines, kills the process with SIGKILL at a (seeded) random point and then
checks the database (tests/reliability/test_kills.py).
"""
from __future__ import annotations

import datetime as dt
import functools
import importlib
import os
import random
import sqlite3
import sys
import time
import types

STEPS = ("payment", "start_processing", "request_supplement", "receive_supplement", "extend",
         "finish", "return_result", "vote")
COPY_PAGES = 48  # pages per backup-API step when copies announce their progress
STOP_AFTER_S = 90  # a writer the test forgot to kill stops by itself


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# ----- write: dossiers, payments, actions and votes through the core API ----------------------
def write(path: str, seed: int) -> None:
    from core import timefmt
    from core.database import open_database

    rng = random.Random(seed)
    db = open_database(path)
    # only the units in existence today receive dossiers (the demo's old district and
    # communes ended on 30/06/2025: create_dossier refuses them)
    today = timefmt.now().date().isoformat()
    units = [r[0] for r in db.execute(
        "SELECT code FROM units WHERE COALESCE(valid_from, '0000') <= ? "
        "AND COALESCE(valid_to, '9999') >= ? ORDER BY code", [today, today])]
    procedures = [r[0] for r in db.execute("SELECT code FROM procedures ORDER BY code")]
    steps_done: dict[int, int] = {}  # dossier id -> how many of STEPS are committed
    started = time.monotonic()
    while time.monotonic() - started < STOP_AFTER_S:
        going = [i for i, done in steps_done.items() if done < len(STEPS)]
        if not going or rng.random() < 0.3:
            _retry(lambda: _create(db, rng, units, procedures, steps_done))
        else:
            dossier_id = rng.choice(going)
            _retry(lambda chosen=dossier_id: _step(db, rng, chosen, steps_done))
        time.sleep(rng.uniform(0, 0.002))  # lets a second writer in at varied moments


def _retry(operation) -> None:
    """A second writer may hold the database longer than the busy timeout: try again."""
    from db.connection import DatabaseEnvironmentError

    while True:
        try:
            return operation()
        except DatabaseEnvironmentError:
            say("busy")


def _create(db, rng, units, procedures, steps_done) -> None:
    from core import dossiers

    say("> create")  # not a promise: tells the test a write is starting
    dossier_id, code = dossiers.create_dossier(
        db, unit_code=rng.choice(units), procedure_code=rng.choice(procedures),
        applicant_name=f"Người nộp {rng.randrange(10**6)}", channel=rng.choice(("direct", "online")),
        applicant_phone="0912345678", actor="kill-test")
    say(f"D {dossier_id} {code}")
    steps_done[dossier_id] = 0


def _step(db, rng, dossier_id: int, steps_done) -> None:
    from core import dossiers, timefmt

    action = STEPS[steps_done[dossier_id]]
    say(f"> {action}")
    row_id = ""
    if action == "payment":
        row_id = dossiers.add_payment(db, dossier_id, amount=rng.randrange(1, 500) * 1000,
                                      method=rng.choice(("cash", "online")), actor="kill-test",
                                      confirm_overpayment=True)
    elif action == "vote":
        unit = db.execute("SELECT unit_code FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0]
        row_id = dossiers.add_vote(db, unit_code=unit, rating=rng.choice(("satisfied", "neutral")),
                                   dossier_id=dossier_id)
    elif action == "extend":
        due = db.execute("SELECT COALESCE(due_at, calc_due_at) FROM dossiers WHERE id = ?",
                         [dossier_id]).fetchone()[0]
        base = timefmt.parse_db_time(due) if due else timefmt.now()
        dossiers.extend(db, dossier_id, new_due_at=base + dt.timedelta(days=7),
                        reason="Cần xác minh thêm", actor="kill-test")
    else:
        reason = {"request_supplement": "Thiếu giấy tờ"}.get(action)
        function = getattr(dossiers, action)
        function(db, dossier_id, actor="kill-test", **({"reason": reason} if reason else {}))
    steps_done[dossier_id] += 1
    say(f"S {dossier_id} {steps_done[dossier_id]} {action} {row_id}".rstrip())


# ----- cli: main.py with announced steps ------------------------------------------------------
def announce(owner, name: str, label: str | None = None) -> None:
    """Replace owner.name by a wrapper that prints 'enter X' before and 'leave X' after it."""
    original = getattr(owner, name)
    label = label or name

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        say(f"enter {label}")
        result = original(*args, **kwargs)
        say(f"leave {label}")
        return result

    setattr(owner, name, wrapper)


def announcing_sqlite(tag: str) -> types.ModuleType:
    """sqlite3 whose connections copy with the backup API in steps, printing 'TAG done/total'."""
    class Connection(sqlite3.Connection):
        def backup(self, target, *, pages=-1, progress=None, name="main", sleep=0.25):
            def tell(status, remaining, total):
                say(f"{tag} {total - remaining}/{total}")
            return super().backup(target, pages=COPY_PAGES, progress=tell, name=name, sleep=0)

    def connect(*args, **kwargs):
        kwargs.setdefault("factory", Connection)
        return sqlite3.connect(*args, **kwargs)

    shim = types.ModuleType("sqlite3")
    shim.__dict__.update(sqlite3.__dict__)
    shim.connect = connect
    shim.AnnouncingConnection = Connection
    return shim


def announcing_os(label: str) -> types.ModuleType:
    """os whose replace() (the rename that publishes a file) says 'enter/leave LABEL'."""
    shim = types.ModuleType("os")
    shim.__dict__.update(os.__dict__)
    announce(shim, "replace", label)
    return shim


def hook_backup() -> None:
    backup = importlib.import_module("core.maintenance.backup")

    backup.sqlite3 = announcing_sqlite("copy")
    # The source side of the copy is a db.readonly connection (it may be a read-only file):
    # it must announce its steps too.
    plain = backup.read_connection
    backup.read_connection = lambda path, **options: plain(
        path, factory=backup.sqlite3.AnnouncingConnection, **options)
    backup.os = announcing_os("rename backup")
    for name in ("copy_database", "verify_copy"):
        announce(backup, name)


def hook_restore() -> None:
    restore = importlib.import_module("core.maintenance.restore")  # the package exports a function

    hook_backup()  # the copy of the current database goes through make_backup
    restore.sqlite3 = announcing_sqlite("stage")
    restore.os = announcing_os("rename restored")
    for name in ("_stage_copy", "validate", "ensure_not_in_use", "preserve_current",
                 "remove_quietly", "open_database"):
        announce(restore, name)


def hook_import() -> None:
    from core.transfer import importing
    from core.transfer.dossiers import Dossiers

    report = importing._report

    def told(progress, done, total):
        say(f"check {done}" if total == 0 else f"write {done}/{total}")
        return report(progress, done, total)

    importing._report = told
    announce(importing, "write_file")
    announce(Dossiers, "after")


def cli(argv: list[str]) -> int:
    import main

    for command, hook in (("backup", hook_backup), ("restore", hook_restore),
                          ("import", hook_import)):
        if command in argv:
            hook()
    code = main.main(argv)
    say(f"exit {code}")
    return code


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(cli(sys.argv[2:]))
