"""Measure import and export of many dossiers: time and peak memory.

    python bench/bench_transfer.py [N]      (default 100000)

Builds a catalogue, writes N dossiers to a CSV, imports it into a fresh database, imports it
again (all unchanged), exports it to CSV and XLSX. Prints seconds and peak RSS for each step.

    python bench/bench_transfer.py --files DB CSV XLSX [--against TREE]

The dry-run import of the same dossiers as CSV and as XLSX (`main.py import dossiers --dry-run`,
the command's own path), each in a fresh process: seconds (wall and CPU: the CPU's are steadier
on a shared machine), peak RSS, and how often the .xlsx
was read — check_xlsx's scans of the zip, workbooks opened, sheet parses by openpyxl — and,
beside them, one bare pass of each reader. With --against, the same first with the code of
another checkout (e.g. a `git worktree` of the commit before), in the same run. Make the files
with the program's own export of a demo:

    main.py --db d200.db demo --seed 1 --today 2026-11-27 --dossiers 200000
    main.py --db d200.db export dossiers d200.csv; ... export dossiers d200.xlsx
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

UNITS = [("P", "Tỉnh", "province", "")] + [(f"X{i:02d}", f"Xã {i}", "commune", "P") for i in range(30)]
PROCS = [("1.1", "Khai sinh", "Hộ tịch", "3", "working_days", "0", "full", "0", ""),
         ("1.2", "Chứng thực", "Chứng thực", "0", "same_day", "2000", "partial", "1", "15:00"),
         ("1.3", "Xây dựng", "Xây dựng", "15", "working_days", "150000", "full", "1", ""),
         ("1.4", "Lý lịch", "Tư pháp", "10", "calendar_days", "0", "none", "0", "")]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_dossiers(path: Path, n: int) -> None:
    from core.transfer.dossiers import Dossiers
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


def files_one(tree: str, db_path: str, paths: list[str]) -> None:
    """In this process, with the code of `tree`: each file's dry-run import, counted."""
    import argparse
    import contextlib
    import io
    sys.path.insert(0, tree)  # nothing of MotCua imported yet: xlsx_reader patches openpyxl once
    from core.transfer import cli, files, xlsx_guard
    try:  # files.py split in round 28: its readers in xlsx_reader and csv_files
        from core.transfer import csv_files, xlsx_reader
        xlsx_rows, csv_rows = xlsx_reader._xlsx_records, csv_files.csv_records
    except ImportError:  # an older tree
        xlsx_reader, xlsx_rows, csv_rows = files, files._xlsx_records, files._csv_records
    counts = {"zip scans": 0, "workbooks": 0, "sheet parses": 0}

    def counted(key, function):
        def wrapper(*args, **kwargs):
            counts[key] += 1
            return function(*args, **kwargs)
        return wrapper

    files.check_xlsx = counted("zip scans", files.check_xlsx)
    xlsx_reader._load_book = counted("workbooks", xlsx_reader._load_book)
    xlsx_reader._ITERPARSE = counted("sheet parses", xlsx_reader._ITERPARSE)
    print(f"code of {tree}", flush=True)
    for path in paths:
        for key in counts:
            counts[key] = 0
        args = argparse.Namespace(db=db_path, kind="dossiers", file=path, dry_run=True,
                                  profile=None)
        start, cpu = time.perf_counter(), time.process_time()
        with contextlib.redirect_stdout(io.StringIO()) as said:
            code = cli.run_import(args)
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        read = ", ".join(f"{k} {v}" for k, v in counts.items()) if path.endswith(".xlsx") else ""
        print(f"  dry-run import {Path(path).name:<12} {took:6.1f} s (CPU {cpu:5.1f} s)  exit {code}  "
              f"peak RSS {peak_mb():5.0f} MB  {read}  ({said.getvalue().strip()[:60]})",
              flush=True)
    xlsx = next(p for p in paths if p.endswith(".xlsx"))
    start = time.perf_counter()
    xlsx_guard.check_xlsx(Path(xlsx))
    print(f"  one check_xlsx scan of the zip  {time.perf_counter() - start:6.1f} s", flush=True)
    start = time.perf_counter()
    rows = sum(1 for _ in xlsx_rows(Path(xlsx)))
    print(f"  one openpyxl pass ({rows} rows)  {time.perf_counter() - start:6.1f} s", flush=True)
    csv_path = next(p for p in paths if p.endswith(".csv"))
    start = time.perf_counter()
    rows = sum(1 for _ in csv_rows(Path(csv_path), ","))
    print(f"  one CSV pass ({rows} rows)      {time.perf_counter() - start:6.1f} s", flush=True)


def files_compare(argv: list[str]) -> None:
    import subprocess
    db_path, paths = argv[0], argv[1:3]
    trees = [str(ROOT)]
    if "--against" in argv:
        trees.insert(0, argv[argv.index("--against") + 1])
    for tree in trees:
        subprocess.run([sys.executable, __file__, "--files-one", tree, db_path, *paths],
                       check=True)


def main() -> None:
    if sys.argv[1:2] == ["--files-one"]:
        return files_one(sys.argv[2], sys.argv[3], sys.argv[4:])
    if sys.argv[1:2] == ["--files"]:
        return files_compare(sys.argv[2:])
    sys.path.insert(0, str(ROOT))
    from core.database import open_database
    from core.transfer import export_file, import_file
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
