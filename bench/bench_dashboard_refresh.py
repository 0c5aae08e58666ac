"""Tổng quan's refresh on the GUI thread: CPU of showing the figures (cards, chart, units, the
two late lists) and of the late lists alone, with how often temp.live_due was filled.

    python bench/bench_dashboard_refresh.py --db PATH [--before DIR] [--rounds 3]
                                            [--refreshes 5] [--today 2026-11-27]

Each round is one new Python process per tree (the trees alternated, so a loaded machine
weighs on both alike); in it the figures are computed once (a worker does that on a big file),
then shown `--refreshes` times, each at a moment a minute later (as the clock moves, so every
refresh computes the live due times again). CPU time (`time.process_time`), never wall time.
`--before DIR`: another checkout (`git archive <commit> | tar -x -C DIR`), measured the same way.
Copy the database first: opening it may migrate it.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def probe(db_path: str, today: str, refreshes: int) -> dict:
    """Runs inside the tree measured (its root first on sys.path)."""
    import datetime as dt
    import time

    from PySide6.QtWidgets import QApplication

    from core import timefmt
    from core.database import open_database
    from gui.dashboard import screen as dashboard

    app = QApplication.instance() or QApplication([])
    day = dt.date.fromisoformat(today)
    clock = [dt.datetime.combine(day, dt.time(10, 0))]
    timefmt.now = lambda: clock[0]  # type: ignore[assignment]
    db = open_database(db_path)
    fills: list[str] = []
    db.conn.set_trace_callback(
        lambda sql: fills.append(sql) if sql.startswith("INSERT INTO temp.live_due") else None)
    screen = dashboard.DashboardScreen(db, today=day)
    found = dashboard.figures(db, screen.period(), None, day)
    screen._show(found)  # the first: the models built, the caches warm
    shown, lists = [], []
    fills.clear()
    for _ in range(refreshes):
        clock[0] += dt.timedelta(minutes=1)
        started = time.process_time()
        screen._show(found)
        shown.append(time.process_time() - started)
        clock[0] += dt.timedelta(minutes=1)
        started = time.process_time()
        screen._fill_late_lists()
        lists.append(time.process_time() - started)
    app.processEvents()
    db.close()
    return {"show_ms": [s * 1000 for s in shown], "lists_ms": [s * 1000 for s in lists],
            "fills_per_refresh": len(fills) / (2 * refreshes),
            "overdue": screen.late_models["overdue"].rowCount(),
            "soon": screen.late_models["soon"].rowCount()}


def one_run(tree: Path, db: str, today: str, refreshes: int) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(tree))
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); "
            "from bench_dashboard_probe import probe; "
            "print(json.dumps(probe(sys.argv[2], sys.argv[3], int(sys.argv[4]))))")
    probe_dir = Path(os.environ.get("TMPDIR", "/tmp")) / "bench_dashboard_probe"
    probe_dir.mkdir(exist_ok=True)
    (probe_dir / "bench_dashboard_probe.py").write_text(
        Path(__file__).read_text(encoding="utf-8"), encoding="utf-8")
    args = [sys.executable, "-c", code, str(probe_dir), db, today, str(refreshes)]
    out = subprocess.run(args, env=env, cwd=tree, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--before", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--refreshes", type=int, default=5)
    parser.add_argument("--today", default="2026-11-27")
    args = parser.parse_args()
    trees = ([("before", args.before)] if args.before else []) + [("this tree", ROOT)]
    results: dict[str, list[dict]] = {name: [] for name, _ in trees}
    for _ in range(args.rounds):
        for name, tree in trees:
            results[name].append(one_run(tree, args.db, args.today, args.refreshes))
    print("| tree | figures shown (median ms) | the late lists alone (median ms) | "
          "fills a refresh |")
    print("| --- | ---: | ---: | ---: |")
    for name, runs in results.items():
        show = statistics.median(v for r in runs for v in r["show_ms"])
        lists = statistics.median(v for r in runs for v in r["lists_ms"])
        print(f"| {name} | {show:.0f} | {lists:.0f} | {runs[0]['fills_per_refresh']:g} |")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
