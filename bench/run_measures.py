"""The measures of bench/run_all.py, each run in a process of its own (peak memory and a cold
start are per process):

    python bench/run_measures.py NAME --db PATH [--cycles N]

prints one JSON line: the figures of NAME, each with its plain-SQL baseline measured in the
same process where one applies. Nothing here writes to the database at PATH (the window
opens it as a clerk would; its data folder is a temporary one).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _best(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _rss_mb() -> dict:
    """The process's resident memory now and its peak, in MB (Linux /proc)."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return {"rss_mb": found.get("VmRSS"), "peak_mb": found.get("VmHWM")}


def _open(path: str):
    from core.database import open_database
    return open_database(path, create=False, mode="read")


def last_month(db) -> tuple[dt.date, dt.date]:
    """The last whole month of the data (the one a monthly report is printed for)."""
    last = db.execute("SELECT datetime(MAX(received_at), 'unixepoch') FROM dossier_rows").fetchone()[0]
    end = dt.date.fromisoformat(last[:10]).replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


# ----- the register (bench/bench_register.py measures it in a headless window) --------------
REGISTER_SQL = {
    # what a plain program would run for the same answer: the first page of the newest, the
    # dossiers whose key holds the words (a LIKE scan), the first page by the applicant's name
    # (since schema 22 the rows, r, are ordered and bounded by their moments in seconds, along
    # the indexes; the view `dossiers`, d, gives the values: db.dossier_rows)
    "open": "SELECT d.* FROM dossier_rows r JOIN dossiers d ON d.id = r.id "
            "ORDER BY r.received_at DESC LIMIT 100",
    # (the keys computed since schema 21: the view dossier_keys, db.fulltext)
    "search": "SELECT d.id FROM dossier_rows d JOIN dossier_keys k ON k.id = d.id WHERE "
              "k.search_key LIKE '%dong%' AND k.search_key LIKE '%van%' AND k.search_key LIKE "
              "'%giap%' ORDER BY d.received_at DESC",
    "sort": "SELECT * FROM dossiers ORDER BY applicant_name LIMIT 100",
}
# a frequent word, a third of the register, one letter: the plain program's first page along
# the time index with LIKE, and its count (a LIKE scan)
for _word in ("nguyen", "van quan", "a"):
    _like = " AND ".join(f"(k.search_key LIKE '{w}%' OR k.search_key LIKE '% {w}%')"
                         for w in _word.split())
    REGISTER_SQL[f"search {_word}"] = (
        f"SELECT d.*, (SELECT COUNT(*) FROM dossier_keys k WHERE {_like}) FROM dossier_rows r "
        f"JOIN dossiers d ON d.id = r.id JOIN dossier_keys k ON k.id = r.id WHERE {_like} "
        "ORDER BY r.received_at DESC LIMIT 100")


def _warm_up(app) -> None:
    """Paint a small table first: in the program the register opens from a window already
    painted, so the process's first paint (fonts, style) is not the register's."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView
    model = QStandardItemModel(3, 3)
    view = QTableView()
    view.setModel(model)
    view.show()
    app.processEvents()
    view.viewport().repaint()
    view.close()


def measure_register(args) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from bench import bench_register
    db = _open(args.db)
    plain = {key: _best(lambda sql=sql: db.execute(sql).fetchall()) for key, sql in
             REGISTER_SQL.items()}
    plain["open"] += _best(lambda: db.execute("SELECT COUNT(*) FROM dossiers").fetchone())
    app = QApplication.instance() or QApplication([])
    _warm_up(app)
    from core.calendar import load_calendar
    load_calendar(db)  # as the window does at start (its status bar's live due times)
    window = bench_register.measure(db, app)
    db.close()
    return {"window": window, "plain": plain}


# ----- cold start and an hour of use: the real program, `main.py --db PATH` --------------------
def _signed_in_as_everyone() -> None:
    """A clerk with every role at the keyboard (no gate): the window shows its first screen."""
    from db import actor
    from db.actor import Actor
    from db.schema import ROLES
    actor.sign_in(Actor("bench", "Đo tốc độ", frozenset(ROLES)))


def _on_first_paint(then) -> None:
    """Run `then(window)` once the main window has painted for the first time."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QMainWindow

    from gui import app as gui_app

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
            if (not self.seen and event.type() == QEvent.Type.Paint
                    and hasattr(watched, "window")
                    and isinstance(watched.window(), QMainWindow)):
                self.seen = True
                painted = time.perf_counter()
                QTimer.singleShot(0, lambda: then(watched.window(), painted))
            return False
    make_app = gui_app.make_app

    def patched():
        made = make_app()
        made._bench_filter = FirstPaint()  # kept alive with the application
        made.installEventFilter(made._bench_filter)
        return made
    gui_app.make_app = patched


def _run_window(db_path: str, then) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["MOTCUA_DATA_DIR"] = tempfile.mkdtemp(prefix="motcua-bench-data-")
    _signed_in_as_everyone()
    _on_first_paint(then)
    import main
    main.main(["--db", db_path])


def _print_and_leave(result: dict) -> None:
    print(json.dumps(result), flush=True)
    os._exit(0)  # no closing questions, no clean-up: the figure is taken


def measure_start(args) -> None:
    """The moment of the first paint on the monotonic clock the parent also reads."""
    _run_window(args.db, lambda window, painted: _print_and_leave(
        {"painted_at": painted, **_rss_mb()}))


PLAIN_START = """
import sqlite3, sys, time
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
db = sqlite3.connect(sys.argv[1])
label = QLabel(str(db.execute("SELECT * FROM dossiers ORDER BY id DESC LIMIT 1").fetchone()))
label.resize(800, 600)
label.show()
app.processEvents()
label.repaint()
print(time.perf_counter())
"""


def measure_plain_start(args) -> dict:
    """A plain program's cold start: Python, Qt, a window painted with one row of the file."""
    import subprocess
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PLAIN_START, args.db], check=True, env=env,
                         capture_output=True, text=True).stdout
    return {"seconds": float(out.strip().splitlines()[-1]) - start}


def _use_for_a_while(window, cycles: int) -> dict:
    """`cycles` rounds of a clerk's work: every screen, a search and a clear in the register,
    a sort by another column, a refresh of everything (F5). Compressed in time: what an hour
    leaves behind in memory (caches, models, screens) is the same."""
    from PySide6.QtWidgets import QApplication

    from gui import worker
    from gui.main_window import SCREENS
    app = QApplication.instance()

    def settle() -> None:
        for _ in range(3):
            app.processEvents()
            worker.wait_all()
        app.processEvents()
    start = time.perf_counter()
    for cycle in range(cycles):
        for key, _title, _target in SCREENS:
            screen = window.show_screen(key)
            settle()
            if key == "dossiers" and hasattr(screen, "search"):
                screen.search.setText(("dong van giap", "nguyen thi", "lan")[cycle % 3])
                screen.apply_filters()
                settle()
                screen.search.setText("")
                screen.apply_filters()
                screen.table.sortByColumn(cycle % 6, screen.table.horizontalHeader()
                                          .sortIndicatorOrder())
                settle()
        window.data_changed()
        settle()
    return {"cycles": cycles, "seconds": time.perf_counter() - start}


def measure_session(args) -> None:
    def then(window, _painted):
        opened = _rss_mb()
        used = _use_for_a_while(window, args.cycles)
        _print_and_leave({**used, **_rss_mb(), "opened_rss_mb": opened["rss_mb"]})
    _run_window(args.db, then)


# ----- the monthly report and the indicator engine --------------------------------------------
MONTH_SQL = ("SELECT unit_code, COUNT(*), SUM(channel = 'online'), SUM(finished_at IS NOT NULL),"
             " SUM(finished_at <= calc_due_at) FROM dossier_rows WHERE received_at >= unixepoch(?) "
             "AND received_at < unixepoch(?) GROUP BY unit_code")


def measure_monthly(args) -> dict:
    """The report as the window makes it now (figures, then one layout) against the month's
    counts by unit in one plain GROUP BY."""
    from core.pdf.monthly import render_monthly
    from core.pdf.monthly_data import gather
    from core.periods import Period
    db = _open(args.db)
    first, last = last_month(db)
    period = Period(first, last)
    made = {}

    def build():
        made["pdf"] = render_monthly(gather(db, period, None))
    render_monthly(gather(db, period, None))  # fonts registered, modules imported: as a 2nd print
    began = time.process_time()
    seconds = _median(build, 3)
    cpu = (time.process_time() - began) / 3
    bounds = (first.isoformat(), (last + dt.timedelta(days=1)).isoformat())
    plain = _best(lambda: db.execute(MONTH_SQL, bounds).fetchall())
    units = db.execute("SELECT COUNT(*) FROM units").fetchone()[0]
    db.close()
    return {"seconds": seconds, "cpu": cpu, "plain": plain, "month": f"{first:%Y-%m}",
            "units": units,
            "bytes": len(made["pdf"])}


YEAR_SQL = ("SELECT unit_code, COUNT(*), SUM(channel = 'online'), SUM(status IN ('returned', "
            "'done')), SUM(finished_at <= calc_due_at), SUM(finished_at > calc_due_at), "
            "SUM(finished_at IS NULL AND calc_due_at < unixepoch(?)) FROM dossier_rows WHERE "
            "received_at >= unixepoch(?) AND received_at < unixepoch(?) GROUP BY unit_code")


def measure_kpi(args) -> dict:
    """A year of indicators for all units in process (median of 7) against a plain GROUP BY
    over the same year's dossiers (bench/bench_kpi.py's first case)."""
    from core.indicators import compute
    db = _open(args.db)
    last = dt.date.fromisoformat(db.execute(
        "SELECT date(MAX(received_at), 'unixepoch') FROM dossier_rows").fetchone()[0])
    first = last - dt.timedelta(days=364)
    compute(db, first, last)  # warm: the first call reads the unit tree and the calendar
    seconds = _median(lambda: compute(db, first, last), 7)
    bounds = (last.isoformat(), first.isoformat(), (last + dt.timedelta(days=1)).isoformat())
    plain = _best(lambda: db.execute(YEAR_SQL, bounds).fetchall())
    db.close()
    return {"seconds": seconds, "plain": plain}


# ----- the database: its size, and the plain bulk load the demo is compared with --------------
def measure_size(args) -> dict:
    db = _open(args.db)
    dossiers = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    db.close()
    size = sum(os.path.getsize(args.db + suffix) for suffix in ("", "-wal")
               if os.path.exists(args.db + suffix))
    return {"dossiers": dossiers, "bytes": size}


def measure_bulk(args) -> dict:
    """`args.dossiers` dossiers generated inside SQLite by one INSERT … SELECT into an empty
    MotCua database (bench_register.fill_bulk: no history, no facts): the plain-SQL floor of
    the demo's time and of the size per dossier."""
    from bench import bench_register
    from core.database import open_database
    folder = tempfile.mkdtemp(prefix="motcua-bench-bulk-")
    path = os.path.join(folder, "bulk.db")
    try:
        db = open_database(path)
        start = time.perf_counter()
        bench_register.fill_bulk(db, args.dossiers)
        seconds = time.perf_counter() - start
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        return {"seconds": seconds, "bytes": os.path.getsize(path), "dossiers": args.dossiers}
    finally:
        for name in os.listdir(folder):
            os.unlink(os.path.join(folder, name))
        os.rmdir(folder)


MEASURES = {"register": measure_register, "start": measure_start,
            "plain_start": measure_plain_start, "session": measure_session,
            "monthly": measure_monthly, "kpi": measure_kpi, "size": measure_size,
            "bulk": measure_bulk}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=sorted(MEASURES))
    parser.add_argument("--db", required=True)
    parser.add_argument("--cycles", type=int, default=60)
    parser.add_argument("--dossiers", type=int, default=0)
    args = parser.parse_args(argv)
    result = MEASURES[args.name](args)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
