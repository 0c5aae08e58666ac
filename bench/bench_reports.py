"""Benchmark: the monthly report for 20 units over a 1,000,000-dossier database in under 2 s.

    python bench/bench_reports.py PATH.db [--dossiers 1000000] [--month YYYY-MM] [--repeat 3]

PATH.db is reused when it exists. Otherwise it is filled by `main.py demo` when that command is
available, else by the synthetic generator below (20 communes under a district, 30 procedures,
dossiers spread over 15 months, payments and votes), then the derived data is rebuilt.
Exit code 0 when every run is under the limit, 1 otherwise.
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

LIMIT_SECONDS = 2.0
END = dt.date(2026, 10, 31)
DAYS = 455  # about 15 months


def _t(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _catalogue(conn) -> list[tuple]:
    conn.execute("INSERT INTO units(code, name, level) VALUES ('H00', 'UBND huyện Văn Quan', "
                 "'district')")
    for i in range(1, 21):
        conn.execute("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                     [f"X{i:02d}", f"UBND xã số {i}", "commune", "H00"])
    procedures = []
    for i in range(30):
        limit = random.choice([(1, "working_days"), (3, "working_days"), (5, "working_days"),
                               (8, "working_hours"), (0, "same_day"), (15, "calendar_days")])
        fee = random.choice([0, 0, 8000, 20000, 100000])
        level = random.choice(["full", "full", "partial", "none"])
        procedures.append((f"1.{i:06d}", f"Thủ tục số {i}", *limit, fee, level, i % 2))
    conn.executemany("INSERT INTO procedures(code, name, limit_value, limit_unit, fee, "
                     "online_level, paper_result) VALUES (?,?,?,?,?,?,?)", procedures)
    return procedures


def _rows(count: int, procedures: list[tuple]):
    start = END - dt.timedelta(days=DAYS)
    for n in range(count):
        day = start + dt.timedelta(days=n * DAYS // count)
        if day.weekday() >= 5:
            day -= dt.timedelta(days=day.weekday() - 4)
        received = dt.datetime.combine(day, dt.time(random.choice((7, 8, 9, 10, 14, 15, 16)),
                                                    random.randrange(60)))
        unit = f"X{random.randint(1, 20):02d}"
        age = (END - day).days
        # Old dossiers are nearly all closed; a few forgotten ones stay open (and overdue).
        status = random.choices(("returned", "done", "rejected", "withdrawn", "processing"),
                                (80, 8, 2, 2, 0.3 if age > 60 else 40))[0]
        finished = None
        if status != "processing":
            finished = received + dt.timedelta(hours=random.choice((2, 20, 45, 90, 160, 400)))
        yield (f"{unit}-{received:%y%m%d}-{n % 10000:04d}{n // 10000:03d}", unit,
               random.choice(procedures)[0], "Nguyễn Văn A", f"09{random.randrange(10**8):08d}",
               random.choice(("direct", "online", "postal")), _t(received), status,
               _t(finished) if finished else None)


def generate(path: Path, count: int) -> None:
    from core import facts
    from core.database import open_database
    from db.connection import transaction

    random.seed(1)
    db = open_database(path)
    with transaction(db) as conn:
        procedures = _catalogue(conn)
        conn.executemany("INSERT INTO dossiers(code, unit_code, procedure_code, applicant_name, "
                         "applicant_phone, channel, received_at, status, finished_at) "
                         "VALUES (?,?,?,?,?,?,?,?,?)", _rows(count, procedures))
        conn.execute("INSERT INTO payments(dossier_id, amount, method, paid_at) "
                     "SELECT id, 8000, 'online', received_at FROM dossiers WHERE id % 3 = 0")
        conn.execute("INSERT INTO votes(unit_code, voted_at, rating) SELECT unit_code, "
                     "received_at, CASE id % 10 WHEN 0 THEN 'neutral' WHEN 1 THEN 'satisfied' "
                     "ELSE 'very_satisfied' END FROM dossiers WHERE id % 4 = 0")
    facts.rebuild_all(db, lambda done, total: print(f"\r  dữ liệu dẫn xuất {done}/{total}",
                                                      end="", flush=True) or True)
    print()
    db.close()


def prepare(path: Path, count: int) -> None:
    from core.cli import COMMANDS

    if path.exists():
        return
    print(f"Tạo cơ sở dữ liệu {count} hồ sơ tại {path} …")
    if "demo" in COMMANDS:
        import main
        if main.main(["--db", str(path), "demo", "--dossiers", str(count),
                      "--today", END.isoformat()]) != 0:
            raise SystemExit("Lệnh demo thất bại.")
    else:
        generate(path, count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--month", default=f"{END:%Y-%m}")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.setdefault("MOTCUA_DATA_DIR", str(Path(args.db).resolve().parent))
    prepare(Path(args.db), args.dossiers)

    from core.database import open_database
    from core.pdf.monthly import build_monthly

    db = open_database(args.db, create=False)
    dossiers = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    units = db.execute("SELECT COUNT(*) FROM units").fetchone()[0]
    print(f"{dossiers} hồ sơ, {units} đơn vị; báo cáo tháng {args.month}")
    times, cpu = [], []
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        data = build_monthly(db, args.month)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    db.close()
    # CPU time too: on a loaded machine the wall time says more about the neighbours.
    print(f"báo cáo tháng: {len(data)} byte; thời gian: "
          + ", ".join(f"{t:.2f} s" for t in times) + " (CPU: "
          + ", ".join(f"{t:.2f} s" for t in cpu) + f"); giới hạn {LIMIT_SECONDS:.0f} s")
    return 0 if max(times) < LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
