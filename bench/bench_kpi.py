"""Indicator speed on a large database: in-process medians and whole `kpi --json` processes.

    python bench/bench_kpi.py [--db PATH] [--dossiers 1000000] [--runs 7]

Creates the demo database first when PATH does not exist (seed 1). Targets (issue 3): a year
of indicators over 1,000,000 dossiers under 100 ms in the process, `kpi --json` under 2 s.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.database import open_database  # noqa: E402
from core.indicators import compute  # noqa: E402


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def ensure_db(path: Path, dossiers: int) -> None:
    if path.exists():
        return
    print(f"creating demo database with {dossiers} dossiers at {path} ...", flush=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(path), "demo",
                    "--dossiers", str(dossiers), "--seed", "1"], check=True)
    print(f"demo: {time.perf_counter() - start:.1f} s, {path.stat().st_size / 1e6:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/motcua-bench-1m.db")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    path = Path(args.db)
    ensure_db(path, args.dossiers)
    db = open_database(path, create=False)
    count = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    last = dt.date.fromisoformat(db.execute("SELECT MAX(substr(received_at,1,10)) FROM dossiers").fetchone()[0])
    year_from = last - dt.timedelta(days=364)
    month_from = last.replace(day=1)
    commune = db.execute("SELECT code FROM units WHERE level = 'commune' ORDER BY code LIMIT 1").fetchone()[0]
    cases = [
        ("year, all units", lambda: compute(db, year_from, last)),
        ("month, all units", lambda: compute(db, month_from, last)),
        ("year, one commune", lambda: compute(db, year_from, last, unit=commune)),
        ("year, restart + extended", lambda: compute(db, year_from, last, policy={
            "supplement": "restart", "due_basis": "extended"})),
    ]
    print(f"\n{count:,} dossiers; medians of {args.runs} runs")
    print(f"{'case':<34}{'median':>12}")
    for name, fn in cases:
        print(f"{'in process: ' + name:<34}{median_ms(fn, args.runs):>9.1f} ms")
    db.close()
    command = [sys.executable, str(ROOT / "main.py"), "--db", str(path), "kpi",
               "--from", year_from.isoformat(), "--to", last.isoformat(), "--json"]
    process = median_ms(lambda: subprocess.run(command, check=True, capture_output=True),
                        max(3, args.runs // 2))
    print(f"{'whole process: kpi --json (year)':<34}{process:>9.1f} ms")


if __name__ == "__main__":
    main()
