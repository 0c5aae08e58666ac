"""The readers of the events' details, this tree against another, side by side (issue 18).

    python bench/bench_details.py --db CODED.db --against /work/main --against-db PLAIN.db

Each tree reads its own copy of the same database (this tree's upgraded: details coded; the
other's as it stores them), in child processes, alternating, `--runs` times; CPU seconds:
- the dossier's timeline (gui/dossiers/detail.py's query), 2,000 dossiers;
- the exchange package's events (core/exchange/records.py: 500 dossiers a query), 100,000;
- every event's details through the view (any SQL reader of `events.details`);
- the full chain pass of `check` (core.maintenance.audit.first_break);
- every dossier replayed against its events (audit.mismatches), what `check` does next.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, random, sys, time
sys.path.insert(0, sys.argv[1])
from core.database import open_database
from core.maintenance import audit
db = open_database(sys.argv[2])
top = db.execute("SELECT MAX(id) FROM dossiers").fetchone()[0]
ids = random.Random(1).sample(range(1, top + 1), 2000)
out = {}
def timed(name, fn):
    start = time.process_time(); fn(); out[name] = time.process_time() - start
timed("timeline, 2,000 dossiers", lambda: [db.execute(
    "SELECT at, action, from_status, to_status, reason, details, actor FROM events "
    "WHERE dossier_id = ? ORDER BY at, id", [i]).fetchall() for i in ids])
def package():
    for lo in range(1, 100001, 500):
        chunk = list(range(lo, lo + 500))
        db.execute("SELECT dossier_id, at, actor, action, from_status, to_status, reason, details "
                   f"FROM events WHERE dossier_id IN ({','.join('?' * 500)}) "
                   "ORDER BY dossier_id, id", chunk).fetchall()
timed("package events, 100,000 dossiers", package)
timed("every event's details (view)", lambda: db.execute(
    "SELECT SUM(length(details)) FROM events").fetchone())
timed("check: full chain pass", lambda: audit.first_break(db))
timed("check: every dossier replayed", lambda: audit.mismatches(db))
print(json.dumps(out))
"""


def run(tree: str, db: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, tree, db], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--against", required=True)
    parser.add_argument("--against-db", required=True)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    here = str(Path(__file__).resolve().parent.parent)
    runs: dict[str, list[dict]] = {"this": [], "other": []}
    for _ in range(args.runs):
        runs["this"].append(run(here, args.db))
        runs["other"].append(run(args.against, args.against_db))
    print(f"{'CPU seconds':<36} {'against':>16} {'this tree':>16}")
    for name in runs["this"][0]:
        other = "–".join(f"{r[name]:.2f}" for r in runs["other"])
        this = "–".join(f"{r[name]:.2f}" for r in runs["this"])
        print(f"{name:<36} {other:>16} {this:>16}")


if __name__ == "__main__":
    main()
