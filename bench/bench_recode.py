"""Measure "Giữ cả hai" re-coding at an import (issue 16 §3, round 25), before and after, in
one run, on the very same files.

    python bench/bench_recode.py [DOSSIERS] [--before REV] [--runs N]
                                 (default 3000, REV c6dc225: main before the bulk writing)

Builds what try23 and progress24 measured, smaller: two senders' demo offices of DOSSIERS
dossiers each (seeds 11 and 12) and a centre of 200 (seed 13), all three in slot 1 of 1 (set up
alike, the clash the slots prevent), the senders' packages exported. Then, alternating, each
tree (REV's, unpacked by `git archive`, and this one) imports both packages into a fresh copy of
the centre with every clash kept both, in a child process, the clock frozen: the whole import's
and keep_both's wall and CPU seconds. Each child prints a digest of what the import left
(dossiers, events with their hashes — the chain —, aliases, code counters, votes, payments,
waits, chain marks, the search index, the settings but the origin records): the two trees must
leave the same, this one writing the recode event's note in REV's words for the comparison
(its new words name the installations). The origin records are counted apart: one a dossier
before, one a run of one package's dossiers now.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import demo, installation  # noqa: E402
from core.database import open_database  # noqa: E402
from core.exchange import export_package  # noqa: E402
from db.connection import transaction  # noqa: E402

TODAY = dt.date(2025, 10, 31)
BEFORE = "c6dc225"

CHILD = r'''
import datetime as dt, hashlib, json, os, sys, time
tree, path, old_note, *packages = sys.argv[1:]
sys.path.insert(0, tree)
from core import timefmt
timefmt.now = lambda: dt.datetime(2026, 12, 3, 22, 0, 0)
if old_note == "1":
    from core.exchange import kept_both
    kept_both.recode_reason = lambda original, package, sender, here: (
        f"Cấp mã mới khi nhập gói {package}: mã {original} của máy gửi đã là mã của một hồ "
        "sơ khác trên máy này (giữ cả hai hồ sơ)")
from core.database import open_database
from core.exchange import recode
from core.exchange import merge
from core.exchange.merge import import_packages
spent = lambda: sum(os.times()[:4])
kept = []
real = merge._Run.keep_both
def timed(self, conn):
    start, cpu = time.perf_counter(), spent()
    try:
        return real(self, conn)
    finally:
        kept.append((time.perf_counter() - start, spent() - cpu))
merge._Run.keep_both = timed
db = open_database(path)
start, cpu = time.perf_counter(), spent()
result = import_packages(db, packages, clashes=recode.BOTH)
wall, cpu = time.perf_counter() - start, spent() - cpu
def digest(sql):
    made = hashlib.sha256()
    for row in db.execute(sql):
        made.update(repr(row).encode())
    return made.hexdigest()[:16]
print(json.dumps({
    "wall": wall, "cpu": cpu, "keep_wall": sum(k[0] for k in kept),
    "keep_cpu": sum(k[1] for k in kept),
    "both": sum(r.resolved.get("both", 0) for r in result.results),
    "origins": db.execute("SELECT COUNT(*) FROM settings WHERE key LIKE 'exchange_origin:%'"
                          ).fetchone()[0],
    "digest": {table: digest(sql) for table, sql in (
        ("dossiers", "SELECT * FROM dossier_rows ORDER BY id"),
        ("events", "SELECT id, dossier_id, at, actor, action, from_status, to_status, reason, "
                   "details, hash FROM events ORDER BY id"),
        ("aliases", "SELECT * FROM code_aliases ORDER BY local_code"),
        ("counters", "SELECT * FROM code_counters ORDER BY 1, 2"),
        ("votes", "SELECT * FROM vote_rows ORDER BY id"),
        ("payments", "SELECT * FROM payment_rows ORDER BY id"),
        ("supplements", "SELECT * FROM supplements ORDER BY id"),
        ("marks", "SELECT * FROM chain_marks ORDER BY 1"),
        ("search", "SELECT rowid, * FROM dossiers_fts ORDER BY rowid"),
        ("settings", "SELECT key, value FROM settings WHERE key NOT LIKE 'exchange_origin:%' "
                     "ORDER BY key"))}}))
'''


def office(path: Path, dossiers: int, seed: int) -> None:
    """A demo office in slot 1 of 1 (as every office set up alike)."""
    db = open_database(path)
    with transaction(db) as conn:
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",
                     [installation.SLOT_KEY, json.dumps({"slot": 1, "of": 1})])
    demo.generate(db, dossiers=dossiers, seed=seed, today=TODAY, workers=1)
    db.close()


def before_tree(folder: Path, rev: str) -> Path:
    """REV's tree, unpacked (no worktree made)."""
    tree = folder / f"tree-{rev}"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def run(tree: Path, centre: Path, pristine: Path, packages: list[Path], old_note: bool) -> dict:
    """One import by `tree`'s code into a fresh copy of the centre (at the same path: the
    file's home is where it was made)."""
    for leftover in centre.parent.glob(centre.name + "*"):
        leftover.unlink()
    shutil.copy(pristine, centre)
    out = subprocess.run([sys.executable, "-c", CHILD, str(tree), str(centre),
                          "1" if old_note else "0", *map(str, packages)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    args = sys.argv[1:]
    rev, runs = BEFORE, 2
    if "--before" in args:
        at = args.index("--before")
        rev = args[at + 1]
        del args[at:at + 2]
    if "--runs" in args:
        at = args.index("--runs")
        runs = int(args[at + 1])
        del args[at:at + 2]
    dossiers = int(args[0]) if args else 3000
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        senders = [folder / "s1.db", folder / "s2.db"]
        for path, seed in zip(senders, (11, 12), strict=True):
            office(path, dossiers, seed)
        centre, pristine = folder / "centre.db", folder / "centre-pristine.db"
        office(centre, 200, 13)
        shutil.copy(centre, pristine)
        packages = [path.with_suffix(".zip") for path in senders]
        for path, package in zip(senders, packages, strict=True):
            db = open_database(path)
            export_package(db, package, dt.date(2024, 1, 1))
            db.close()
        trees = {f"before ({rev})": before_tree(folder, rev), "after (this tree)": ROOT}
        seen: dict[str, list[dict]] = {label: [] for label in trees}
        for _ in range(runs):
            for label, tree in trees.items():
                made = run(tree, centre, pristine, packages, old_note=tree == ROOT)
                seen[label].append(made)
                print(f"{label:<22} {made['both']:>6} kept both: keep_both "
                      f"{made['keep_wall']:6.2f} s wall {made['keep_cpu']:6.2f} s CPU "
                      f"({1000 * made['keep_wall'] / max(made['both'], 1):.2f} ms a dossier); "
                      f"import {made['wall']:6.2f} s wall {made['cpu']:6.2f} s CPU; "
                      f"origin records {made['origins']}", flush=True)
        digests = {json.dumps(made["digest"], sort_keys=True)
                   for made_all in seen.values() for made in made_all}
        print("the same state left by both trees (codes, rows, events and chain, aliases, "
              "search index, settings):", "YES" if len(digests) == 1 else "NO")
        if len(digests) != 1:
            for label, made_all in seen.items():
                print(label, made_all[0]["digest"])
            sys.exit(1)


if __name__ == "__main__":
    main()
