"""Demo generation speed and database size for 20,000 / 100,000 / 1,000,000 dossiers.

    python bench/bench_demo.py [--sizes 20000,100000,1000000] [--runs 3] [--dir DIR]

Each size is generated into a fresh file (seed 1, today 2026-11-27) in its own process, the
way `python main.py demo` runs it; sizes under 1,000,000 are repeated `--runs` times and the
median is shown. Columns: wall time, the part after the last chunk (index builds, kpi_daily),
CPU time of the process and its workers, and the database size. Target (issue 2): 1,000,000
dossiers in under 3 minutes on the 2-core build machine.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-27"

ONE_RUN = """
import datetime as dt, json, sys, time
sys.path.insert(0, {root!r})
from core.database import open_database
from core import demo
if __name__ == "__main__":
    db = open_database({path!r})
    marks = []
    start = time.perf_counter()
    demo.generate(db, dossiers={n}, seed=1, today=dt.date.fromisoformat({today!r}),
                  progress=lambda done, total: marks.append(time.perf_counter() - start) or True)
    db.close()
    wall = time.perf_counter() - start
    print(json.dumps({{"wall": wall, "finish": wall - (marks[-2] if len(marks) > 1 else 0)}}))
"""


def remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def one_run(n: int, folder: Path) -> dict:
    path = folder / f"demo-{n}.db"
    remove(path)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, "-c", ONE_RUN.format(root=str(ROOT), path=str(path),
                                                                 n=n, today=TODAY)],
                         check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(out.strip().splitlines()[-1])
    result["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["mb"] = path.stat().st_size / 1e6
    remove(path)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", default=None, help="where the databases are written")
    args = parser.parse_args()
    folder = Path(args.dir or tempfile.mkdtemp(prefix="motcua-bench-demo-"))
    print(f"{'dossiers':>10} {'runs':>4} {'wall s':>8} {'finish s':>9} {'cpu s':>7} "
          f"{'db MB':>7} {'µs/dossier':>11}   (load {os.getloadavg()[0]:.1f})", flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        runs = [one_run(n, folder) for _ in range(1 if n >= 1_000_000 else args.runs)]
        wall = statistics.median(r["wall"] for r in runs)
        finish = statistics.median(r["finish"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        print(f"{n:>10,} {len(runs):>4} {wall:>8.1f} {finish:>9.1f} {cpu:>7.1f} "
              f"{runs[0]['mb']:>7.0f} {wall / n * 1e6:>11.0f}", flush=True)
    print(f"machine: {os.cpu_count()} CPUs, load now {os.getloadavg()[0]:.1f}; "
          "target: 1,000,000 dossiers ≤ 120 s (issue 18)")


if __name__ == "__main__":
    main()
