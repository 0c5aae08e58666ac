"""Demo generation speed and database size for 20,000 / 100,000 / 1,000,000 dossiers.

    python bench/bench_demo.py [--sizes 20000,100000,1000000] [--runs 3] [--dir DIR]
                               [--against /path/to/other/tree]

Each size is generated into a fresh file (seed 1, today 2026-11-27) in its own process, the
way `python main.py demo` runs it; sizes under 1,000,000 are repeated `--runs` times and the
median is shown. Columns: wall time, the part after the last chunk (index builds, kpi_daily),
CPU time of the main (writing) process and of its worker processes, peak memory of the main
process, and the database size. `--against TREE` runs the same sizes with the code of another
checkout too (e.g. the main branch), alternating run by run, so both see the same load: on a
shared machine the CPU seconds are the figure to compare, the wall time follows the load.
Target (issue 18): 1,000,000 dossiers in ≤ 120 s on the 2-core build machine.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-27"

ONE_RUN = """
import datetime as dt, json, resource, sys, time
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
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({{"wall": wall, "finish": wall - (marks[-2] if len(marks) > 1 else 0),
                      "main": own.ru_utime + own.ru_stime, "rss": own.ru_maxrss / 1024,
                      "workers": workers.ru_utime + workers.ru_stime}}))
"""


def remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def one_run(root: Path, n: int, folder: Path) -> dict:
    path = folder / f"demo-{n}.db"
    remove(path)
    python = root / ".venv" / "bin" / "python"
    out = subprocess.run([str(python if python.exists() else sys.executable), "-c",
                          ONE_RUN.format(root=str(root), path=str(path), n=n, today=TODAY)],
                         check=True, capture_output=True, text=True, cwd=root).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["mb"] = path.stat().st_size / 1e6
    result["load"] = os.getloadavg()[0]
    remove(path)
    return result


def row(label: str, n: int, runs: list[dict]) -> str:
    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)
    return (f"{n:>10,} {label:>7} {len(runs):>4} {med('wall'):>8.1f} {med('finish'):>9.1f} "
            f"{med('main'):>7.1f} {med('workers'):>9.1f} {med('main') + med('workers'):>7.1f} "
            f"{med('rss'):>7.0f} {runs[0]['mb']:>7.0f} {med('load'):>5.1f}   "
            + " / ".join(f"{r['wall']:.1f}" for r in runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", default=None, help="where the databases are written")
    parser.add_argument("--against", default=None, help="another checkout to compare with")
    args = parser.parse_args()
    folder = Path(args.dir or tempfile.mkdtemp(prefix="motcua-bench-demo-"))
    trees = [("this", ROOT)] + ([("against", Path(args.against).resolve())]
                                if args.against else [])
    print(f"{'dossiers':>10} {'code':>7} {'runs':>4} {'wall s':>8} {'finish s':>9} "
          f"{'main s':>7} {'workers s':>9} {'cpu s':>7} {'RSS MB':>7} {'db MB':>7} {'load':>5}"
          f"   walls (load at start {os.getloadavg()[0]:.1f})", flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        results: dict[str, list[dict]] = {label: [] for label, _ in trees}
        for _ in range(1 if n >= 1_000_000 else args.runs):
            for label, root in (trees if len(results[trees[0][0]]) % 2 == 0 else trees[::-1]):
                results[label].append(one_run(root, n, folder))
        for label, _ in trees:
            print(row(label, n, results[label]), flush=True)
    print(f"machine: {os.cpu_count()} CPUs, load now {os.getloadavg()[0]:.1f}; "
          "target: 1,000,000 dossiers ≤ 120 s (issue 18)")


if __name__ == "__main__":
    main()
