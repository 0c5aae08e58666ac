"""The history check of this code against another checkout's, side by side on copies of one file.

    python bench/bench_audit_against.py --db /tmp/d200.db --against /path/to/main [--rounds 2]

For each round, the file is copied twice and bench/bench_audit.py of each tree runs on its own
copy in its own process, the trees in turn (so both see the same load). A file of an older
schema is upgraded first, by the tree that opens it, in a process of its own (the first line:
backup, long steps, VACUUM), and written out (sync) before the timed passes. The table shows
each line's median over the rounds. Written for the stored prefixes of the chain (schema 20,
issue 18); any two trees whose bench_audit.py prints the same lines compare.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPEN = ("import sys; sys.path.insert(0, '.'); from core.database import open_database; "
        "open_database(sys.argv[1]).close()")
LINE = re.compile(r"^(.*?)\s+([0-9.]+) (s|ms)$")


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def one_run(tree: Path, source: Path, copy: Path) -> dict[str, float]:
    for stale in copy.parent.glob(copy.name + "*"):
        stale.unlink()
    shutil.copy(source, copy)
    start, cpu = time.perf_counter(), _children_cpu()  # the upgrade by the tree that opens it,
    subprocess.run([sys.executable, "-c", OPEN, str(copy)], cwd=tree, check=True)  # apart
    upgrade, upgrade_cpu = time.perf_counter() - start, _children_cpu() - cpu
    os.sync()  # the upgrade's VACUUM written out before the timed passes read the file
    out = subprocess.run([sys.executable, str(tree / "bench" / "bench_audit.py"), "--db", str(copy)],
                         cwd=tree, capture_output=True, text=True, check=True).stdout
    found = {"upgrade on opening, backup and VACUUM included (s)": upgrade,
             "upgrade on opening, backup and VACUUM included, CPU (s)": upgrade_cpu}
    label = ""
    for line in out.splitlines():
        match = LINE.match(line)
        if match:  # "  CPU" lines follow the line they are the CPU time of
            label = f"{label}, CPU" if match[1].strip() == "CPU" else match[1].strip()
            found[f"{label} ({match[3]})"] = float(match[2])
            label = label.removesuffix(", CPU")
    for stale in copy.parent.glob(copy.name + "*"):
        stale.unlink()
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="the file to copy (never opened in place)")
    parser.add_argument("--against", required=True, help="another checkout")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--dir", default="/tmp")
    args = parser.parse_args()
    trees = {"this": ROOT, "against": Path(args.against).resolve()}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            runs[name].append(one_run(tree, Path(args.db), Path(args.dir) / f"bench_audit_{name}.db"))
    labels = list(runs["this"][0])
    print(f"{'':<62} {'this':>9} {'against':>9}")
    for label in labels:
        cells = [statistics.median(r[label] for r in runs[name] if label in r) for name in trees]
        print(f"{label:<62} {cells[0]:9.2f} {cells[1]:9.2f}")


if __name__ == "__main__":
    main()
