"""Measure import and export of many dossiers: time and peak memory.

    python bench/bench_transfer.py [N]      (default 100000)

Builds a catalogue, writes N dossiers to a CSV, imports it into a fresh database, imports it
again (all unchanged), exports it to CSV and XLSX. Prints seconds and peak RSS for each step.
"""
from __future__ import annotations

import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.database import open_database  # noqa: E402
from core.transfer import export_file, import_file  # noqa: E402
from core.transfer.dossiers import Dossiers  # noqa: E402

UNITS = [("P", "Tỉnh", "province", "")] + [(f"X{i:02d}", f"Xã {i}", "commune", "P") for i in range(30)]
PROCS = [("1.1", "Khai sinh", "Hộ tịch", "3", "working_days", "0", "full", "0", ""),
         ("1.2", "Chứng thực", "Chứng thực", "0", "same_day", "2000", "partial", "1", "15:00"),
         ("1.3", "Xây dựng", "Xây dựng", "15", "working_days", "150000", "full", "1", ""),
         ("1.4", "Lý lịch", "Tư pháp", "10", "calendar_days", "0", "none", "0", "")]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_dossiers(path: Path, n: int) -> None:
    rng = random.Random(1)
    header = [c.name for c in Dossiers.columns]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for i in range(n):
            day = 1 + i % 28
            month = 1 + (i // 28) % 12
            received = f"2024-{month:02d}-{day:02d} {7 + rng.randrange(10):02d}:{rng.randrange(60):02d}:00"
            closed = rng.random() < 0.8
            finished = f"2024-{month:02d}-{day:02d} 23:00:00" if closed else ""
            waits = ("", "")
            if rng.random() < 0.1:
                waits = (f"2024-{month:02d}-{day:02d} 18:00:00", f"2024-{month:02d}-{day:02d} 20:00:00")
            out.writerow([f"D{i:07d}", UNITS[1 + i % 30][0], PROCS[i % 4][0], f"Công dân {i}",
                          f"09{i:08d}", "", rng.choice(["direct", "online", "postal"]), received,
                          "done" if closed else "processing", "", finished, "", *waits, "", "", "0"])


def step(name: str, action) -> None:
    start = time.perf_counter()
    action()
    print(f"{name:<32} {time.perf_counter() - start:8.1f} s   peak RSS {peak_mb():7.0f} MB", flush=True)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        db = open_database(folder / "bench.db")
        for kind, rows, header in (("units", UNITS, ["code", "name", "level", "parent_code"]),
                                   ("procedures", PROCS, ["code", "name", "field", "limit_value",
                                                          "limit_unit", "fee", "online_level",
                                                          "paper_result", "same_day_cutoff"])):
            with open(folder / f"{kind}.csv", "w", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerows([header, *rows])
            import_file(db, kind, folder / f"{kind}.csv")
        step(f"write CSV of {n} dossiers", lambda: write_dossiers(folder / "d.csv", n))
        step("import (check + write)", lambda: print(vars(import_file(db, "dossiers", folder / "d.csv"))["added"], end=" "))
        step("import again (unchanged)", lambda: print(import_file(db, "dossiers", folder / "d.csv").unchanged, end=" "))
        step("dry run", lambda: import_file(db, "dossiers", folder / "d.csv", dry_run=True))
        step("export CSV", lambda: export_file(db, "dossiers", folder / "out.csv"))
        if "--xlsx" in sys.argv:
            step("export XLSX", lambda: export_file(db, "dossiers", folder / "out.xlsx"))
        db.close()


if __name__ == "__main__":
    main()
