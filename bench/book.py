"""How long the register book (sổ theo dõi hồ sơ) of one month takes, and how much memory.

    python bench/book.py [PATH.db] [--dossiers 200000] [--month 2026-10] [--unit CODE]
                         [--story] [--json]

PATH.db (default /tmp/b200.db) is reused when it exists, else made by `main.py demo`. Each
measure runs in its own process (peak memory is per process), on the same month:
- plain: the plain-SQL baseline — the register's rows read and formatted as text, no PDF;
- book: the register as the program makes it (core.pdf.book.save_book, page by page);
- story (with --story): the way it was made before, one reportlab Table of every row laid
  out by platypus (200 s and 5.9 GB reported at 200k in issue 14; slow, so optional).
Goal (issue 18): a month of 20,000 entries in ≤ 10 s and ≤ 300 MB. Exit 1 when the book
misses it (scaled to 20,000 rows).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_ROWS, GOAL_SECONDS, GOAL_MB = 20_000, 10.0, 300.0


def _month(text: str) -> tuple[dt.date, dt.date]:
    first = dt.date.fromisoformat(text + "-01")
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _open(path: str):
    from core.database import open_database
    return open_database(path, create=False, mode="read")


def run_plain(db, data) -> dict:
    from core.pdf import book
    count = sum(len("|".join(line)) > 0 for line in book.rows(db, data))
    return {"rows": count, "pages": None}


def run_book(db, data) -> dict:
    from core.pdf import book
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "so.pdf"
        rows = [0]
        book.save_book(db, data, target, progress=lambda done, total: rows.__setitem__(0, done))
        size = target.stat().st_size
        pages = _pages(target)
    return {"rows": rows[0], "pages": pages, "bytes": size}


def run_story(db, data) -> dict:
    """The register as it was made before this bench existed: one platypus Table."""
    from reportlab.lib.units import mm
    from core.pdf import blocks, book
    from core.pdf.document import A4_LANDSCAPE, render
    lines = list(book.rows(db, data))
    head = [title for title, *_ in book.COLUMNS]
    table = blocks.grid([head] + lines, [w * mm for _, w, _, _ in book.COLUMNS], size=8,
                        left_cols=(2, 3, 4, 5, 11))
    pdf = render([table], A4_LANDSCAPE, title="story", draft=False)
    return {"rows": len(lines), "pages": _pages(pdf), "bytes": len(pdf)}


def _pages(source) -> int:
    import pypdfium2
    document = pypdfium2.PdfDocument(source if isinstance(source, bytes) else str(source))
    try:
        return len(document)
    finally:
        document.close()


def child(args: argparse.Namespace) -> None:
    """One measure in this process; prints its JSON line."""
    from core.pdf import book
    db = _open(args.db)
    start, end = _month(args.month)
    data = book.gather(db, start, end, args.unit)
    wall, cpu = time.perf_counter(), time.process_time()
    result = {"run_plain": run_plain, "run_book": run_book, "run_story": run_story}[
        f"run_{args.child}"](db, data)
    result.update(mode=args.child, seconds=time.perf_counter() - wall,
                  cpu=time.process_time() - cpu,
                  peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result))


def measure(args: argparse.Namespace, mode: str) -> dict:
    command = [sys.executable, __file__, args.db, "--month", args.month, "--child", mode]
    if args.unit:
        command += ["--unit", args.unit]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def ensure_db(args: argparse.Namespace) -> None:
    if not os.path.exists(args.db):
        print(f"Tạo cơ sở dữ liệu mẫu {args.dossiers} hồ sơ: {args.db} …", file=sys.stderr)
        subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", args.db, "demo",
                        "--dossiers", str(args.dossiers)], check=True)
    if not args.month:
        db = _open(args.db)
        last = db.execute("SELECT MAX(received_at) FROM dossiers").fetchone()[0]
        db.close()
        first_of_last = dt.date.fromisoformat(last[:10]).replace(day=1)
        args.month = f"{first_of_last - dt.timedelta(days=1):%Y-%m}"  # the last whole month


def report(results: list[dict], month: str) -> bool:
    print(f"Sổ theo dõi hồ sơ, tháng {month} "
          f"(máy: {os.cpu_count()} lõi, tải {os.getloadavg()[0]:.1f})")
    print(f"{'cách làm':<8} {'dòng':>7} {'trang':>6} {'giây':>7} {'CPU s':>7} {'RSS MB':>8}")
    for r in results:
        pages = "—" if r["pages"] is None else r["pages"]
        print(f"{r['mode']:<8} {r['rows']:>7} {pages:>6} {r['seconds']:>7.2f} {r['cpu']:>7.2f} "
              f"{r['peak_mb']:>8.0f}")
    made = next(r for r in results if r["mode"] == "book")
    scale = GOAL_ROWS / max(made["rows"], 1)
    seconds = made["seconds"] * scale
    ok = seconds <= GOAL_SECONDS and made["peak_mb"] <= GOAL_MB
    print(f"book scaled to {GOAL_ROWS} rows: {seconds:.1f} s wall, {made['cpu'] * scale:.1f} s "
          f"CPU (goal ≤ {GOAL_SECONDS:g} s; on a loaded machine wall time is CPU time waiting "
          f"for a core), peak {made['peak_mb']:.0f} MB (goal ≤ {GOAL_MB:g}; only the page "
          f"contents grow with the rows, about 35 KB a page) — {'đạt' if ok else 'CHƯA ĐẠT'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", default="/tmp/b200.db")
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--month")
    parser.add_argument("--unit")
    parser.add_argument("--story", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0
    ensure_db(args)
    modes = ["plain", "book"] + (["story"] if args.story else [])
    results = [measure(args, mode) for mode in modes]
    if args.json:
        print(json.dumps({"month": args.month, "results": results}, indent=2))
        made = next(r for r in results if r["mode"] == "book")
        return 0 if made["seconds"] * GOAL_ROWS / max(made["rows"], 1) <= GOAL_SECONDS else 1
    return 0 if report(results, args.month) else 1


if __name__ == "__main__":
    sys.exit(main())
