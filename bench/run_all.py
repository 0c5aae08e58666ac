"""Every speed and memory figure of issue 18 in one run, each against its goal and, where one
applies, a plain-SQL baseline measured in the same run.

    python bench/run_all.py [--size 1000000] [--db PATH] [--cache DIR] [--only NAME,...]
                            [--cycles 60] [--json] [--strict]

The database is a demo of `--size` dossiers (`main.py demo`, seed 1, ending 27/11/2026), made
once and cached under DIR (default ~/.cache/motcua-bench) by size and schema version; the time
it took is kept beside it and is the "demo" row. `--db PATH` measures an existing database
instead (give it a copy: the window opens it as a clerk would, and may write to it). Each
measure runs in a process of its own (bench/run_measures.py, bench/book.py): peak memory and a
cold start are per process. The goals are for 1,000,000 dossiers; the demo's is scaled to the
size. `--strict`: exit 1 when a goal is missed. Timed runs stay out of the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = "2026-11-27"
MEASURES = ROOT / "bench" / "run_measures.py"
BOOK = ROOT / "bench" / "book.py"

# name: (figure, unit, goal for 1M dossiers; a value at most this meets it)
ROWS = {
    "register_open": ("register: open and first rows drawn", "s", 0.2),
    "register_search": ("register: diacritic-free search", "s", 0.05),
    "register_search_nguyen": ("register: search \"nguyen\" (a frequent word)", "s", 0.05),
    "register_search_van_quan": ("register: search \"van quan\" (a third of the register)",
                                 "s", 0.05),
    "register_search_a": ("register: search \"a\" (one letter, no index)", "s", 0.05),
    "register_sort": ("register: sort by another column", "s", 0.2),
    "cold_start": ("cold start to a painted window", "s", 1.5),
    "monthly_pdf": ("monthly report PDF, all units", "s", 0.8),
    "book_time": ("register book, a month (scaled to 20,000 entries)", "s", 10.0),
    "book_memory": ("register book, a month: peak memory", "MB", 300.0),
    "demo": ("demo of the database (goal scaled: 120 s per 1M)", "s", 120.0),
    "db_size": ("database size per dossier", "KB", 1.0),
    "memory_hour": ("memory with the window open after an hour of use", "MB", 250.0),
    "kpi_year": ("indicator engine: a year, all units, in process", "s", 0.1),
}
# the measures, each one process (or a few), and the rows it fills
GROUPS = {
    "register": ("register_open", "register_search", "register_search_nguyen",
                 "register_search_van_quan", "register_search_a", "register_sort"),
    "start": ("cold_start",),
    "monthly": ("monthly_pdf",),
    "book": ("book_time", "book_memory"),
    "demo": ("demo",),
    "size": ("db_size",),
    "session": ("memory_hour",),
    "kpi": ("kpi_year",),
}


def _child(name: str, db: str, *extra: str, timeout: float = 3600) -> dict:
    """Run one measure of bench/run_measures.py in a process of its own; its JSON line."""
    command = [sys.executable, str(MEASURES), name, "--db", db, *extra]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-300:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def row(name: str, measured, baseline=None, note: str = "", goal: float | None = None) -> dict:
    figure, unit, default_goal = ROWS[name]
    goal = default_goal if goal is None else goal
    met = None if measured is None else measured <= goal
    return {"name": name, "figure": figure, "unit": unit, "measured": measured,
            "baseline": baseline, "goal": goal, "met": met, "note": note}


# ----- each group of rows -----------------------------------------------------------------------
def run_register(args, db: str) -> list[dict]:
    found = _child("register", db)
    window, plain = found["window"], found["plain"]
    # bench_register.measure: {scenario: [seconds to the rows drawn, rows listed]}
    keys = (("register_open", "open", "open"),
            ("register_search", "search dong van giap", "search"),
            ("register_search_nguyen", "search nguyen", "search nguyen"),
            ("register_search_van_quan", "search van quan", "search van quan"),
            ("register_search_a", "search a", "search a"),
            ("register_sort", "sort người nộp", "sort"))
    return [row(name, window[key][0] if key in window else None, plain[sql],
                _register_note(window, key, sql)) for name, key, sql in keys]


def _register_note(window: dict, key: str, sql: str) -> str:
    if key not in window:
        return f"bench_register gave no {key}"
    note = f"{window[key][1]:,} rows"
    counted = window.get(f"{key} (counted)")
    if counted and counted[0] > window[key][0] + 0.0005:  # a walked search: its count later
        note += f", counted after {counted[0]:.3f} s"
    if sql.startswith("search "):
        note += "; baseline: the first 100 by LIKE and their COUNT(*)"
    return note


def run_start(args, db: str) -> list[dict]:
    """Median of three starts of `main.py --db` to the first paint (signed in, offscreen),
    against a plain program painting a window with one row of the file."""
    starts, plains = [], []
    for _ in range(3):
        began = time.perf_counter()  # the monotonic clock the child reads too (Linux)
        starts.append(_child("start", db, timeout=300)["painted_at"] - began)
        plains.append(_child("plain_start", db, timeout=300)["seconds"])
    return [row("cold_start", sorted(starts)[1], sorted(plains)[1],
                "runs: " + ", ".join(f"{s:.2f}" for s in starts))]


def run_monthly(args, db: str) -> list[dict]:
    found = _child("monthly", db)
    return [row("monthly_pdf", found["seconds"], found["plain"],
                f"{found['month']}, {found['units']} units, laid out once, CPU "
                f"{found.get('cpu', 0):.2f} s; baseline: the month's counts by unit in one "
                "GROUP BY")]


def run_book(args, db: str) -> list[dict]:
    """bench/book.py --json: the register book and its plain baseline (the rows read and
    formatted, no PDF), each in its own process."""
    out = subprocess.run([sys.executable, str(BOOK), db, "--json"], capture_output=True,
                         text=True, timeout=3600)
    if out.returncode not in (0, 1):  # 1: the goal missed, the figures are there
        raise RuntimeError(out.stderr.strip()[-500:])
    found = json.loads(out.stdout[out.stdout.index("{"):])
    made = next(r for r in found["results"] if r["mode"] == "book")
    plain = next(r for r in found["results"] if r["mode"] == "plain")
    scale = 20_000 / max(made["rows"], 1)
    note = f"{found['month']}: {made['rows']:,} entries, {made['pages']} pages"
    return [row("book_time", made["seconds"] * scale, plain["seconds"] * scale,
                f"{note}, {made['seconds']:.1f} s unscaled, CPU {made['cpu'] * scale:.1f} s "
                "scaled"),
            row("book_memory", made["peak_mb"], plain["peak_mb"], note)]


def run_demo(args, db: str) -> list[dict]:
    made = _made(db)
    bulk = args.bulk = _child("bulk", db, "--dossiers", str(made.get("dossiers") or args.size))
    goal = 120.0 * bulk["dossiers"] / 1_000_000
    if "seconds" not in made:
        return [row("demo", None, bulk["seconds"], "not made in this run (--db)", goal)]
    return [row("demo", made["seconds"], bulk["seconds"],
                f"made {made['at']}; baseline: one INSERT … SELECT, no history", goal)]


def run_size(args, db: str) -> list[dict]:
    """The file's size per dossier; baseline: the bulk load's of the demo row (same run)."""
    found = _child("size", db)
    bulk = getattr(args, "bulk", None)
    per = found["bytes"] / max(found["dossiers"], 1) / 1000
    return [row("db_size", per, bulk["bytes"] / bulk["dossiers"] / 1000 if bulk else None,
                f"{found['bytes'] / 1e6:,.0f} MB, {found['dossiers']:,} dossiers"
                + ("" if bulk else "; baseline with the demo row"))]


def run_session(args, db: str) -> list[dict]:
    found = _child("session", db, "--cycles", str(args.cycles), timeout=7200)
    return [row("memory_hour", found["rss_mb"], None,
                f"{found['cycles']} rounds of every screen, search, sort, refresh in "
                f"{found['seconds']:.0f} s; {found['opened_rss_mb']:.0f} MB at first paint, "
                f"peak {found['peak_mb']:.0f} MB")]


def run_kpi(args, db: str) -> list[dict]:
    found = _child("kpi", db)
    return [row("kpi_year", found["seconds"], found["plain"],
                f"{found['plain'] / max(found['seconds'], 1e-9):.1f}× faster than the GROUP BY "
                "over the year's dossiers")]


RUNNERS = {"register": run_register, "start": run_start, "monthly": run_monthly,
           "book": run_book, "demo": run_demo, "size": run_size, "session": run_session,
           "kpi": run_kpi}


# ----- the database ------------------------------------------------------------------------------
def _made(db: str) -> dict:
    """What is known of how `db` was made (its sidecar JSON), or {}."""
    side = Path(db + ".json")
    return json.loads(side.read_text()) if side.exists() else {}


def cached_database(size: int, cache: Path) -> str:
    """The demo of `size` dossiers for this schema, made once (in a .part file renamed when
    complete, so an interrupted run leaves no half database behind)."""
    from db.schema import SCHEMA_VERSION
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"demo-{size}-v{SCHEMA_VERSION}.db"
    if path.exists():
        return str(path)
    part = Path(str(path) + ".part")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(part) + suffix).unlink(missing_ok=True)
    print(f"Tạo cơ sở dữ liệu mẫu {size:,} hồ sơ: {path} …", file=sys.stderr, flush=True)
    began = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(part), "demo",
                    "--dossiers", str(size), "--seed", "1", "--today", TODAY], check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, MOTCUA_DATA_DIR=str(cache)))
    seconds = time.perf_counter() - began
    os.replace(part, path)
    Path(str(path) + ".json").write_text(json.dumps(
        {"seconds": seconds, "dossiers": size, "at": time.strftime("%Y-%m-%d %H:%M")}))
    return str(path)


# ----- output ------------------------------------------------------------------------------------
def _value(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return (f"{value * 1000:.2f} ms" if value < 0.01 else f"{value:.3f} s" if value < 10
                else f"{value:.1f} s")
    if unit == "KB":
        return f"{value:.2f} KB"
    return f"{value:.0f} {unit}"


def print_table(rows: list[dict], header: str) -> None:
    print(header)
    print("| figure | measured | plain SQL | goal (1M) | met | note | load |")
    print("| --- | ---: | ---: | ---: | :---: | --- | ---: |")
    for r in rows:
        met = "—" if r["met"] is None else ("yes" if r["met"] else "NO")
        print(f"| {r['figure']} | {_value(r['measured'], r['unit'])} | "
              f"{_value(r['baseline'], r['unit'])} | ≤ {_value(r['goal'], r['unit'])} | {met} | "
              f"{r['note']} | {r.get('load', '')} |")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--db", help="an existing database (a copy: the window may write)")
    parser.add_argument("--cache", type=Path,
                        default=Path.home() / ".cache" / "motcua-bench")
    parser.add_argument("--only", help="measures to run: " + ",".join(GROUPS))
    parser.add_argument("--cycles", type=int, default=60,
                        help="rounds of use before the memory is read (default 60)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    args.groups = args.only.split(",") if args.only else list(GROUPS)
    unknown = [g for g in args.groups if g not in GROUPS]
    if unknown:
        parser.error(f"không có phép đo {', '.join(unknown)}; chọn trong {', '.join(GROUPS)}")
    return args


def measure_all(args, db: str) -> list[dict]:
    rows = []
    for group in sorted(args.groups, key=list(GROUPS).index):
        print(f"… {group}", file=sys.stderr, flush=True)
        load = os.getloadavg()[0]  # wall times on a shared machine include waiting for a core
        try:
            found = RUNNERS[group](args, db)
        except (subprocess.SubprocessError, RuntimeError, ValueError, KeyError) as exc:
            found = [row(name, None, None, f"failed: {str(exc)[-300:]}")
                     for name in GROUPS[group]]
        rows += [dict(r, load=round(load, 1)) for r in found]
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    db = args.db or cached_database(args.size, args.cache)
    rows = measure_all(args, db)
    load = os.getloadavg()[0]
    if args.json:
        print(json.dumps({"db": db, "load": load, "rows": rows}, ensure_ascii=False, indent=2))
    else:
        print_table(rows, f"{db} — {os.cpu_count()} cores, load {load:.1f}, "
                          f"{time.strftime('%Y-%m-%d %H:%M')}")
    return 1 if args.strict and any(r["met"] is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
