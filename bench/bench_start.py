"""Cold start of the window, side by side with a bare Qt window (issue 18).

    python bench/bench_start.py --db PATH [--runs 3] [--platforms offscreen,xcb]
                                [--before DIR] [--json]

Each run is a new Python process (bench/start_probe.py) started with the wall clock noted:
"paint" is the first paint event of the main window, "figures" the moment the dashboard holds
its figures. The baseline is `import PySide6.QtWidgets` and an empty QMainWindow shown, the
least any Qt window costs on this machine. The xcb platform needs a display (DISPLAY, e.g.
Xvfb). Bytecode is cached outside the tree (PYTHONPYCACHEPREFIX), as an installed program has
it; the first run of each kind warms the file cache and is reported apart.
`--before DIR` adds the same runs of another checkout (e.g. `git archive <commit> | tar -x -C
DIR`), so before and after are measured in one run on the same loaded machine; `--before-db`
gives it a copy at its own schema (an older program refuses a newer file).
Copy the database first: opening it may migrate it.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = ROOT / "bench" / "start_probe.py"


def one_run(kind: str, platform: str, db: str | None, tree: Path = ROOT) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM=platform,
               PYTHONPYCACHEPREFIX=os.environ.get("PYTHONPYCACHEPREFIX",
                                                  str(Path(tempfile.gettempdir()) / "motcua_pyc")))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as config:  # QSettings: a first start, on the dashboard
        env["XDG_CONFIG_HOME"] = config
        probe = tree / "bench" / "start_probe.py"
        if probe != PROBE:  # another checkout: this probe runs its code all the same
            probe.parent.mkdir(exist_ok=True)
            probe.write_text(PROBE.read_text(encoding="utf-8"), encoding="utf-8")
        args = [sys.executable, str(probe), repr(time.time()), kind] + ([db] if db else [])
        out = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout
    marks = json.loads(out.strip().splitlines()[-1])
    return {key: marks[key] - marks["start"] for key in ("shown", "paint", "figures") if key in marks}


def measure(db: str, platforms: list[str], runs: int, before: Path | None,
            before_db: str | None = None) -> list[dict]:
    rows = []
    kinds = [("bare", "bare QMainWindow", ROOT, db)] + (
        [("motcua", "MotCua before", before, before_db or db)] if before else []) + [
        ("motcua", "MotCua", ROOT, db)]
    for platform in platforms:
        for kind, name, tree, path in kinds:
            first = one_run(kind, platform, path, tree)
            rest = [one_run(kind, platform, path, tree) for _ in range(runs)]
            row = {"platform": platform, "window": name, "first_paint_s": first["paint"]}
            for key in ("paint", "figures"):
                values = [r[key] for r in rest if key in r]
                if values:
                    row[f"{key}_median_s"] = statistics.median(values)
                    row[f"{key}_best_s"] = min(values)
            rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| platform | window | first run: paint | paint (median / best) | figures (median) |",
             "| --- | --- | ---: | ---: | ---: |"]
    for r in rows:
        figures = f"{r['figures_median_s']:.2f} s" if "figures_median_s" in r else "—"
        lines.append(f"| {r['platform']} | {r['window']} | {r['first_paint_s']:.2f} s | "
                     f"{r['paint_median_s']:.2f} / {r['paint_best_s']:.2f} s | {figures} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--platforms", default="offscreen,xcb")
    parser.add_argument("--before", type=Path, help="another checkout to measure beside")
    parser.add_argument("--before-db", help="the database at the older checkout's schema")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = measure(args.db, args.platforms.split(","), args.runs, args.before, args.before_db)
    print(json.dumps(rows, indent=1) if args.json else table(rows))


if __name__ == "__main__":
    main()
