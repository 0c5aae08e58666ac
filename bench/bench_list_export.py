"""Xuất Excel of a big list (issue 19): the register of N demo dossiers (default 200,000) as a
readable workbook, streamed (core.workbook.stream): time and peak memory of the export alone.

The demo is made first in another process, so its memory does not count:
    python bench/bench_list_export.py [N] [--db PATH]   (an existing demo file is reused)
"""
from __future__ import annotations

import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.database import open_database  # noqa: E402
from core.register import RegisterQuery  # noqa: E402
from core.workbook import lists  # noqa: E402
from core.workbook.register import register_ids  # noqa: E402

TODAY = "2026-11-27"


def make_demo(path: Path, n: int) -> None:
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(path), "demo",
                    "--dossiers", str(n), "--today", TODAY], check=True, stdout=subprocess.DEVNULL)
    print(f"demo of {n:,} dossiers made in {time.perf_counter() - started:.0f} s", flush=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export(path: Path, out: Path) -> None:
    db = open_database(path, create=False, mode="read")
    base = peak_mb()
    cpu = time.process_time()
    started = time.perf_counter()
    query = RegisterQuery(db)
    ids = register_ids(db, query, dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    chosen = time.perf_counter()
    count = lists.export_list(db, lists.REGISTER, ids, out, "Tất cả đơn vị", moment=query.moment)
    done = time.perf_counter()
    print(f"{count:,} rows: ids {chosen - started:.1f} s, workbook {done - chosen:.1f} s, "
          f"total {done - started:.1f} s ({count / (done - started):,.0f} rows/s; CPU "
          f"{time.process_time() - cpu:.1f} s — the machine is shared); "
          f"{out.stat().st_size / 1e6:.0f} MB; peak RSS {peak_mb():.0f} MB "
          f"(after opening {base:.0f} MB)", flush=True)
    db.close()


def main() -> None:
    args = sys.argv[1:]
    n = int(args[0]) if args and args[0].isdigit() else 200_000
    given = Path(args[args.index("--db") + 1]) if "--db" in args else None
    with tempfile.TemporaryDirectory() as folder:
        path = given or Path(folder) / "demo.db"
        if not path.exists():
            make_demo(path, n)
        export(path, Path(folder) / "register.xlsx")


if __name__ == "__main__":
    main()
