"""Benchmark: the reports of one unit with N units under it (a hostile catalogue), issue 16.

    python bench/bench_many_units.py [--units 500 5000 40000] [--shape flat|deep] [--dir DIR]
                                     [--dossiers 3000] [--only STEP …]

Builds (once per N and shape) a database in DIR with a root province 'R', N units under it —
`flat`: all N children of the root; `deep`: districts → communes → branches, three levels; `chain`: each under the one
before, N levels —,
30 procedures and `--dossiers` dossiers of October 2026 spread over the first few hundred units
(most units have none, as in a crafted catalogue), then times each step in this process:
the monthly report's data and PDF, `kpi --json --unit R`, the Biểu 06 and 766 workbooks and the
dashboard's unit tree. Prints one line per step: seconds (and CPU seconds).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MONTH = "2026-10"


def _units(count: int, shape: str) -> list[tuple]:
    rows = [("R", "UBND tỉnh Thử Nghiệm", "province", None)]
    if shape == "flat":
        return rows + [(f"C{i:05d}", f"UBND xã số {i}", "commune", "R") for i in range(count)]
    if shape == "chain":  # each unit under the one before: a tree N deep
        return rows + [(f"C{i:05d}", f"Phòng số {i}", "department", f"C{i - 1:05d}" if i else "R")
                       for i in range(count)]
    districts = max(1, count // 100)
    rows += [(f"D{d:04d}", f"UBND huyện số {d}", "district", "R") for d in range(districts)]
    left, i = count - districts, 0
    while i < left:  # a commune, then up to 3 branches under it
        commune = f"C{i:05d}"
        rows.append((commune, f"UBND xã số {i}", "commune", f"D{i % districts:04d}"))
        i += 1
        for _ in range(min(3, left - i)):
            rows.append((f"B{i:05d}", f"Điểm tiếp nhận số {i}", "branch", commune))
            i += 1
    return rows


def _dossiers(units: list[str], count: int, procedures: list[str]):
    start = dt.datetime(2026, 10, 1, 8)
    for n in range(count):
        received = start + dt.timedelta(days=n * 28 // count, minutes=n % 400)
        status = random.choices(("returned", "done", "rejected", "processing"), (70, 10, 5, 15))[0]
        finished = (received + dt.timedelta(hours=random.choice((2, 20, 90, 400)))
                    if status != "processing" else None)
        fmt = "%Y-%m-%d %H:%M:%S"
        yield (f"HS-{n:07d}", units[n % len(units)], random.choice(procedures), "Nguyễn Văn A",
               "0912345678", random.choice(("direct", "online")), received.strftime(fmt), status,
               finished.strftime(fmt) if finished else None)


def generate(path: Path, count: int, shape: str, dossiers: int) -> None:
    from core import facts
    from core.database import open_database
    from db.connection import transaction

    random.seed(1)
    db = open_database(path)
    units = _units(count, shape)
    with transaction(db) as conn:
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                         units)
        procedures = [f"1.{i:06d}" for i in range(30)]
        conn.executemany("INSERT INTO procedures(code, name, limit_value, limit_unit, fee, "
                         "online_level) VALUES (?,?,?,'working_days',0,'full')",
                         [(c, f"Thủ tục số {i}", 1 + i % 5) for i, c in enumerate(procedures)])
        busy = [u[0] for u in units[1:][:300]]
        conn.executemany("INSERT INTO dossiers(code, unit_code, procedure_code, applicant_name, "
                         "applicant_phone, channel, received_at, status, finished_at) "
                         "VALUES (?,?,?,?,?,?,?,?,?)", _dossiers(busy, dossiers, procedures))
        conn.execute("INSERT INTO votes(unit_code, voted_at, rating) SELECT unit_code, "
                     "received_at, 'satisfied' FROM dossiers WHERE id % 4 = 0")
    facts.rebuild_all(db, lambda done, total: True)
    db.close()


def _steps(db, path: Path) -> dict:
    from core import indicators
    from core.pdf import monthly, monthly_data
    from core.periods import parse_month

    period = parse_month(MONTH)
    steps = {
        "report-data": lambda: monthly_data.gather(db, MONTH, "R"),
        "report-pdf": lambda: monthly.build_monthly(db, MONTH, "R"),
        "kpi": lambda: indicators.compute(db, period.start, period.end, unit="R"),
    }
    from core.workbook import bieu06, i766
    steps["bieu06"] = lambda: bieu06.save_bieu06(db, path.with_suffix(".b06.xlsx"),
                                                 period.start, period.end, "R")
    steps["766"] = lambda: i766.save_i766(db, path.with_suffix(".766.xlsx"), period.start,
                                          period.end, "R")
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="+", default=[500, 5000, 40000])
    parser.add_argument("--shape", choices=("flat", "deep", "chain"), default="flat")
    parser.add_argument("--dir", default="/tmp/bench_many_units")
    parser.add_argument("--dossiers", type=int, default=3000)
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args(argv)
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("MOTCUA_DATA_DIR", str(folder))
    from core.database import open_database

    for count in args.units:
        path = folder / f"units-{args.shape}-{count}.db"
        if not path.exists():
            generate(path, count, args.shape, args.dossiers)
        db = open_database(path, create=False)
        for name, step in _steps(db, path).items():
            if args.only and name not in args.only:
                continue
            start, cpu = time.perf_counter(), time.process_time()
            step()
            print(f"{args.shape} N={count:>6} {name:<12} {time.perf_counter() - start:7.2f} s"
                  f" (CPU {time.process_time() - cpu:.2f} s)", flush=True)
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
