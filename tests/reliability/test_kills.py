"""SIGKILL in the middle of writing loses nothing that was saved and leaves nothing half-done.

A child process (tests/reliability/kill_driver.py) does the real work — dossiers and their
actions through the core API, or `main.py import/backup/restore` — and prints how far it got.
The test kills it with SIGKILL after a seeded random number of lines plus a random sub-delay
(never at a guessed wall-clock time, so a slow machine moves the kill, not the outcome), then
reopens the files and checks what the user was promised:
- creation: every dossier, payment, action and vote reported as saved is there with all its
  rows, events agree with the dossier, stored facts equal freshly computed ones, codes unique;
- import: all of the file or none of it (spec 7), and importing again succeeds;
- backup: the database untouched, and no file under a backup's final name that is not a
  complete, intact copy (leftover temporaries are only listed: their clean-up is elsewhere);
- restore: the live database is the old one or the new one, intact, never a mix.
"""
from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

import pytest
import sqlite_utils

from core import facts, paths
from core.calendar import load_calendar
from core.maintenance import check_database
from db import facts_codec
from tests.reliability.harness import (
    SUB_DELAY_S,
    WAIT_S,
    Child,
    backups_in,
    connect,
    content,
    integrity,
    main_py,
    plain,
    replace_file,
    run_to_end,
)
from tests.reliability.kill_driver import STEPS

SEED = 20261130
# the event each step writes, in order; a vote writes none
EVENT_CHAIN = ("receive",) + tuple(s for s in STEPS if s != "vote")


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """Closed single-file databases: the demo of 2000 dossiers, and a file to import."""
    folder = tmp_path_factory.mktemp("made")
    demo = folder / "demo.db"
    main_py("--db", demo, "demo", "--dossiers", 2000, "--seed", 3, "--today", "2026-11-27",
            env_dir=folder)
    other = folder / "other.db"
    main_py("--db", other, "demo", "--dossiers", 2000, "--seed", 4, "--today", "2026-11-20",
            env_dir=folder)
    main_py("--db", other, "export", "dossiers", folder / "dossiers.csv", "--full-data",
            "--purpose", "Nhập sang cơ sở dữ liệu khác", env_dir=folder)  # whole phones: see
    # docs/privacy.md, a masked export imports only into its own database
    return {"demo": demo, "other": other, "csv": folder / "dossiers.csv"}


@pytest.fixture
def live(made, tmp_path) -> Path:
    path = tmp_path / "live" / "motcua.db"
    path.parent.mkdir()
    shutil.copyfile(made["demo"], path)
    same_installation(path)
    return path


def same_installation(path: Path) -> None:
    """The copy is the test's one PC, not a second beside the demo it came from: without this
    the writers, which receive dossiers, are refused codes (core.installation.home, spec 4)."""
    from core import installation
    from core.database import open_database
    db = open_database(path, create=False)
    try:
        installation.stay_the_same(db)
    finally:
        db.close()


# ----- creation -------------------------------------------------------------------------------
def printed(lines: list[str]) -> dict:
    said = {"codes": {}, "steps": {}, "payments": {}, "votes": {}}
    for line in lines:
        kind, *parts = line.split()
        if kind == "D":
            said["codes"][int(parts[0])] = parts[1]
        elif kind == "S":
            dossier_id, step = int(parts[0]), int(parts[1])
            said["steps"][dossier_id] = step
            if parts[2] in ("payment", "vote"):
                said[parts[2] + "s"][int(parts[3])] = dossier_id
    return said


def lost_or_broken(path: Path, lines: list[str], first_id: int) -> list[str]:
    """What is missing or inconsistent among the writers' dossiers (ids >= first_id)."""
    said, problems = printed(lines), integrity(path)
    db = sqlite_utils.Database(connect(path))
    try:
        rows = {r[0]: r[1:] for r in db.execute(
            "SELECT id, code, status, finished_at, returned_at, extended_due_at FROM dossiers "
            "WHERE id >= ?", [first_id])}
        problems += [f"dossier {i} {code} was saved but is gone"
                     for i, code in said["codes"].items() if rows.get(i, (None,))[0] != code]
        for table, wanted in (("payments", said["payments"]), ("votes", said["votes"])):
            found = dict(db.execute(f"SELECT id, dossier_id FROM {table} WHERE dossier_id >= ?",
                                    [first_id]).fetchall())
            problems += [f"{table} row {i} of dossier {d} was saved but is gone"
                         for i, d in wanted.items() if found.get(i) != d]
        for dossier_id, row in rows.items():
            problems += dossier_problems(db, dossier_id, row, said["steps"].get(dossier_id, 0))
        problems += [f"code {c} used {n} times" for c, n in db.execute(
            "SELECT code, COUNT(*) FROM dossiers GROUP BY code HAVING COUNT(*) > 1")]
        problems += stale_facts(db, sorted(rows))
    finally:
        db.conn.close()
    return problems


def dossier_problems(db, dossier_id: int, row: tuple, steps_said: int) -> list[str]:
    """The dossier's rows must be exactly those of its first k steps, k = said or said + 1."""
    code, status, finished, returned, extended = row
    events = db.execute("SELECT action, to_status FROM events WHERE dossier_id = ? ORDER BY id",
                        [dossier_id]).fetchall()
    actions = [a for a, _ in events]
    count = {t: db.execute(f"SELECT COUNT(*) FROM {t} WHERE dossier_id = ?",
                           [dossier_id]).fetchone()[0]
             for t in ("payments", "votes", "supplements", "extensions")}
    done = len(actions) - 1 + count["votes"]
    wanted_events = list(EVENT_CHAIN[:len(actions)])
    facts_of_steps = {
        "events": (actions, wanted_events),
        "status": (status, events[-1][1] if events else None),
        "payments": (count["payments"], int("payment" in actions)),
        "votes": (count["votes"], int(done == len(STEPS))),
        "waits": (count["supplements"], int("request_supplement" in actions)),
        "extension": ((count["extensions"], bool(extended)), (int("extend" in actions),) * 2),
        "finished": (bool(finished), "finish" in actions),
        "returned": (bool(returned), "return_result" in actions),
        "steps": (done in (steps_said, steps_said + 1), True),
    }
    return [f"dossier {code}: {name} is {got!r}, its steps say {wanted!r}"
            for name, (got, wanted) in facts_of_steps.items()
            if (got if name != "extension" else (got[0], int(got[1]))) != wanted]


def stale_facts(db, ids: list[int]) -> list[str]:
    """Stored due time and facts must equal what the rules compute from the stored rows."""
    cal, wrong = load_calendar(db), []
    for item in facts.load_inputs(db, ids):
        due, computed = facts.compute(cal, item)
        stored = db.execute("SELECT calc_due_at FROM dossiers WHERE id = ?", [item.id]).fetchone()[0]
        old = item.old_facts and facts_codec.decode(item.old_facts, item.unit_code, item.received_at,
                                                    item.old_due, item.finished_text)
        if (stored, old or None) != (due, computed):
            wrong.append(f"dossier {item.code}: stored facts differ from recomputed ones")
    return wrong


def test_killed_writers_lose_nothing_they_reported_saved(live, tmp_path):
    rng = random.Random(SEED)
    conn = connect(live)
    first_id = 1 + conn.execute("SELECT MAX(id) FROM dossiers").fetchone()[0]
    conn.close()
    lines: list[str] = []
    aims = ["create"] * 3 + list(STEPS)  # a kill inside every kind of write, creation thrice
    rng.shuffle(aims)
    for round_, aim in enumerate(aims):
        writers = [Child("write", live, rng.randrange(10**6), cwd=tmp_path)
                   for _ in range(2 if round_ % 4 == 3 else 1)]  # two clerks at once, now and then
        for writer in writers:
            lines += kill_inside(writer, aim, rng)
        problems = lost_or_broken(live, lines, first_id)
        assert not problems, f"round {round_}: {problems[:10]}"
    said = printed(lines)
    assert len(said["codes"]) >= 10 and said["payments"], "the writers did too little"
    findings = check_database(live)
    assert all(f.ok for f in findings), [f.text for f in findings]
    _next_creation_works(live, set(said["codes"].values()))


def kill_inside(writer: Child, action: str, rng: random.Random) -> list[str]:
    """Kill the writer a few milliseconds into its n-th write of this kind (n random)."""
    mark, nth = f"> {action}", rng.randint(1, 4)
    writer.wait_until(lambda: writer.lines.count(mark) >= nth)
    return writer.kill(rng)


def _next_creation_works(path: Path, codes: set[str]) -> None:
    from core.database import open_database
    from core.dossiers import create_dossier

    db = open_database(path)
    try:
        unit, procedure = db.execute("SELECT unit_code, procedure_code FROM dossiers "
                                     "ORDER BY id DESC LIMIT 1").fetchone()
        _, code = create_dossier(db, unit_code=unit, procedure_code=procedure,
                                 applicant_name="Người nộp sau cùng")
        assert code not in codes
        assert db.execute("SELECT COUNT(*) FROM dossiers WHERE code = ?", [code]).fetchone()[0] == 1
    finally:
        db.close()


def test_the_creation_check_sees_a_lost_or_inconsistent_write(live, tmp_path):
    """The checker above must not be blind: feed it lies and damage, it has to object."""
    lines = run_to_end_writer(live, tmp_path)
    first_id = int(lines[0].split()[1])
    assert lost_or_broken(live, lines, first_id) == []
    said = printed(lines)
    dossier_id = max(said["steps"], key=said["steps"].get)
    assert lost_or_broken(live, lines + [f"D {dossier_id + 10**6} X-1"], first_id)
    assert lost_or_broken(live, lines + [f"S {dossier_id} {said['steps'][dossier_id] + 2} x"],
                          first_id)
    conn = connect(live)
    with conn:
        conn.execute("UPDATE dossiers SET facts = json_set(facts, '$.on', 7) WHERE id = ?",
                     [dossier_id])
    conn.close()
    assert any("recomputed" in p for p in lost_or_broken(live, lines, first_id))


def run_to_end_writer(path: Path, cwd: Path) -> list[str]:
    writer = Child("write", path, SEED, cwd=cwd)
    writer.wait_until(lambda: sum(line.startswith("S") for line in writer.lines) >= 30)
    writer.proc.terminate()  # SIGTERM: here we only want the lines, not a crash
    return [line for line in writer.finish() if line[0] in "DS"]


# ----- import ---------------------------------------------------------------------------------
def import_counts(path: Path, csv: Path) -> tuple[int, int, int]:
    """What importing `csv` would do now: (added, updated, unchanged), written nowhere."""
    from core.database import open_database
    from core.transfer import import_file

    db = open_database(path, create=False)
    try:
        result = import_file(db, "dossiers", csv, dry_run=True)
    finally:
        db.close()
    assert result.ok, result.errors[:3]
    return result.added, result.updated, result.unchanged


def all_or_nothing(path: Path, csv: Path, before: str) -> str:
    """'nothing' or 'everything' of the file is in the database (anything else fails)."""
    assert integrity(path) == []
    if content(path) == before:
        return "nothing"
    added, updated, unchanged = import_counts(path, csv)
    assert (added, updated) == (0, 0), (f"a part of the file was imported: {added} rows "
                                        f"missing, {updated} rows differ, {unchanged} present")
    findings = check_database(path)
    assert all(f.ok for f in findings), [f.text for f in findings]
    return "everything"


def test_a_killed_import_leaves_all_of_the_file_or_none_of_it(made, live, tmp_path):
    rng, csv, pristine = random.Random(SEED + 1), made["csv"], tmp_path / "pristine.db"
    shutil.copyfile(live, pristine)
    before = content(live)
    added, updated, _ = import_counts(live, csv)
    assert added > 500 and updated > 100  # new dossiers and changed ones: both must be atomic
    command = ("cli", "--db", live, "import", "dossiers", csv)
    shutil.copyfile(live, tmp_path / "scratch.db")  # a rehearsal, to learn the steps
    steps = run_to_end(*command[:2], tmp_path / "scratch.db", *command[3:], cwd=tmp_path)
    # The commit follows "leave after" at once, so a kill a few ms after it may or may not
    # find the file imported; before it (the facts of thousands of dossiers are still being
    # recomputed) nothing may be there; after the summary line, everything must be.
    committed = steps.index("leave after") + 1
    middle = next(i for i, line in enumerate(steps) if line.startswith("write "))
    points = sorted({middle, steps.index("enter after"), committed,
                     *rng.sample(range(committed - 1), 2)})
    outcomes = []
    for point in points:
        child = Child(*command, cwd=tmp_path)
        child.wait_lines(point + 1)
        child.kill(rng)
        outcomes.append((steps[point], all_or_nothing(live, csv, before)))
        replace_file(pristine, live)
    outcomes.append(("wal grows", _kill_plain_import(live, csv, before, rng, tmp_path)))
    assert [o for _, o in outcomes[:-2]] == ["nothing"] * (len(outcomes) - 2), outcomes
    assert outcomes[-2][1] == "everything", outcomes  # killed after saying it is done
    main_py("--db", live, "import", "dossiers", csv, env_dir=tmp_path)
    assert import_counts(live, csv)[:2] == (0, 0)
    assert all(f.ok for f in check_database(live))
    print("import kills:", outcomes)


def _kill_plain_import(live: Path, csv: Path, before: str, rng, cwd: Path) -> str:
    """The unmodified command, killed once its transaction spills pages into the -wal file."""
    process = plain("--db", live, "import", "dossiers", csv)
    wal, deadline = Path(f"{live}-wal"), time.monotonic() + WAIT_S
    while process.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 256 * 1024:
            time.sleep(rng.uniform(0, SUB_DELAY_S))
            break
        time.sleep(0.001)
    process.kill()
    process.wait()
    return all_or_nothing(live, csv, before)


# ----- backup ---------------------------------------------------------------------------------
def test_a_killed_backup_leaves_the_database_alone_and_no_broken_backup(live, tmp_path):
    rng, folder = random.Random(SEED + 2), tmp_path / "backups"
    before = content(live)
    shutil.copyfile(live, tmp_path / "scratch.db")
    steps = run_to_end("cli", "--db", tmp_path / "scratch.db", "backup", "--to",
                       tmp_path / "scratch", cwd=tmp_path)
    copying = [i for i, line in enumerate(steps) if line.startswith("copy ")]
    points = sorted({rng.choice(copying), steps.index("enter verify_copy"),
                     steps.index("enter rename backup"), steps.index("leave rename backup"),
                     *rng.sample(range(len(steps) - 1), 2)})
    for point in points:
        child = Child("cli", "--db", live, "backup", "--to", folder, cwd=tmp_path)
        child.wait_lines(point + 1)
        child.kill(rng)
        assert integrity(live) == [] and content(live) == before, steps[point]
        backups_in(folder, before)
    for _ in range(2):
        _kill_plain_backup(live, folder, rng)
        assert integrity(live) == [] and content(live) == before
        backups_in(folder, before)
    complete, _ = backups_in(folder, before)
    main_py("--db", live, "backup", "--to", folder, env_dir=tmp_path)
    complete_after, leftovers = backups_in(folder, before)
    assert len(complete_after) == len(complete) + 1
    print("backup kills at", [steps[p] for p in points], "left:", leftovers)


def _kill_plain_backup(live: Path, folder: Path, rng) -> None:
    """The unmodified command, killed a moment after its temporary copy appears."""
    folder.mkdir(exist_ok=True)
    seen = set(folder.iterdir())
    process = plain("--db", live, "backup", "--to", folder)
    deadline = time.monotonic() + WAIT_S
    while process.poll() is None and time.monotonic() < deadline:
        if any(f.name.endswith(".part") for f in set(folder.iterdir()) - seen):
            time.sleep(rng.uniform(0, SUB_DELAY_S))
            break
        time.sleep(0.0005)
    process.kill()
    process.wait()


# ----- restore --------------------------------------------------------------------------------
def old_or_new(live: Path, old: str, new: str) -> str:
    """The live database is one of the two, whole, and the app opens it."""
    from core.database import open_database

    assert integrity(live) == [], integrity(live)[:3]
    state = {old: "old", new: "new"}.get(content(live))
    assert state, "the live database is neither the old one nor the restored one"
    open_database(live, create=False).close()
    return state


def test_a_killed_restore_leaves_the_old_database_or_the_new_one(made, live, tmp_path, data_dir):
    rng, pristine = random.Random(SEED + 3), tmp_path / "pristine.db"
    shutil.copyfile(live, pristine)
    main_py("--db", made["other"], "backup", "--to", tmp_path / "source", env_dir=tmp_path)
    source = next((tmp_path / "source").iterdir())
    old, new = content(live), content(source)
    scratch = tmp_path / "scratch" / "motcua.db"
    scratch.parent.mkdir()
    shutil.copyfile(live, scratch)
    steps = run_to_end("cli", "--db", scratch, "restore", source, cwd=tmp_path)
    first = {kind: [i for i, line in enumerate(steps) if line.startswith(kind)]
             for kind in ("stage ", "copy ", "enter ensure_not_in_use")}
    points = sorted({steps.index(line) for line in (
        "leave validate", "leave remove_quietly", "enter rename restored",
        "leave rename restored", "enter open_database")} |
        {rng.choice(first["stage "]), rng.choice(first["copy "]),
         first["enter ensure_not_in_use"][-1], rng.randrange(len(steps) - 1)})
    outcomes = []
    for point in points:
        child = Child("cli", "--db", live, "restore", source, cwd=tmp_path)
        child.wait_lines(point + 1)
        child.kill(rng)
        outcomes.append((steps[point], old_or_new(live, old, new)))
        if outcomes[-1][1] == "new":
            replace_file(pristine, live)
    for nth in (1, 2, 3, 5):
        outcomes.append((f"change {nth}", _kill_plain_restore(live, source, nth, old, new, rng)))
        if outcomes[-1][1] == "new":
            replace_file(pristine, live)
    assert {"old", "new"} <= {state for _, state in outcomes}, outcomes
    main_py("--db", live, "restore", source, env_dir=data_dir)
    assert old_or_new(live, old, new) == "new"
    assert all(f.ok for f in check_database(live))
    assert backups_in(paths.backup_dir(live), old)[0]  # every copy of what was replaced is whole
    print("restore kills:", outcomes, "left:", sorted(p.name for p in live.parent.iterdir()))


def _kill_plain_restore(live: Path, source: Path, nth: int, old: str, new: str, rng) -> str:
    """The unmodified command, killed as soon as the live file has visibly changed nth times
    (its inode, size or time): whatever way a restore rewrites the file, this lands in it."""
    def seen() -> tuple:
        try:
            stat = live.stat()
        except FileNotFoundError:
            return ()
        return stat.st_ino, stat.st_size, stat.st_mtime_ns

    process = plain("--db", live, "restore", source)
    last, changes, deadline = seen(), 0, time.monotonic() + WAIT_S
    while process.poll() is None and changes < nth and time.monotonic() < deadline:
        now = seen()
        changes += now != last
        last = now
        time.sleep(0.0001)
    time.sleep(rng.uniform(0, 0.002))
    process.kill()
    process.wait()
    return old_or_new(live, old, new)
