"""How fast the dossier register opens, searches, sorts and scrolls on a large database.

    python bench/bench_register.py [--dossiers 1000000] [--db PATH] [--rounds 3] [--json]

Builds (or reuses) a database of N dossiers bulk-inserted with executemany (or takes a demo
made by `main.py demo`: pass a copy, the window may write), then measures in a headless Qt,
from the clerk's action to the rows drawn: opening the register, switching tabs, searches
from selective to a third of the register, sorting by other columns and jumping to the end —
the way before issue 18's second round (bench/register_before.py) and the way now in turns,
best of --rounds, beside a plain SQL query of the same first page (no live due times, no tab
counts) measured in the same run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đỗ", "Vũ", "Đặng", "Bùi", "Đồng")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Hữu")
LAST = ("An", "Bình", "Giáp", "Hà", "Lan", "Nam", "Dũng", "Đạt", "Hương", "Trang")


def fill_bulk(db, count: int, *, end: dt.datetime | None = None, seed: int = 1) -> None:
    """Insert `count` dossiers fast (generated inside SQLite, one transaction).

    calc_due_at is filled directly, as core.facts would (a due time 5 days later; the search
    key is computed, db.searchtext: folded code, name, phone and unit, indexed by the
    triggers); the KPI facts are not needed to measure the register.
    Statuses as in an office: older dossiers closed (mostly returned), the last 20 days' partly
    open (received, processing, waiting for a supplement).
    """
    from core.textnorm import fold
    from db.connection import transaction

    rng = random.Random(seed)
    end = end or dt.datetime.now().replace(microsecond=0)
    units = [(f"U{i:02d}", f"UBND xã số {i}", "commune", None) for i in range(1, 21)]
    procedures = [(f"1.{i:06d}", f"Thủ tục số {i} — chứng thực bản sao", "Chứng thực",
                   5, "working_days", 20000 if i % 2 else 0, "full" if i % 3 else "partial")
                  for i in range(1, 61)]
    names = [f"{rng.choice(FIRST)} {rng.choice(MIDDLE)} {rng.choice(LAST)}" for _ in range(1000)]
    with transaction(db) as conn:
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)", units)
        conn.executemany("INSERT INTO procedures(code, name, field, limit_value, limit_unit, fee,"
                         " online_level) VALUES (?,?,?,?,?,?,?)", procedures)
        conn.execute("CREATE TEMP TABLE bulk_names(k INTEGER PRIMARY KEY, name TEXT, folded TEXT)")
        conn.executemany("INSERT INTO temp.bulk_names VALUES (?,?,?)",
                         [(k, n, fold(n)) for k, n in enumerate(names)])
        conn.execute(BULK_SQL, {"count": count, "end": _t(end), "span": 450 * 86400})
        conn.execute("DROP TABLE temp.bulk_names")


BULK_SQL = """
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :count - 1),
g AS (SELECT i, printf('U%02d', i % 20 + 1) AS unit,
             datetime(:end, printf('-%d seconds', (:count - i) * :span / :count)) AS received,
             (i * 7919) % 1000 AS k, printf('09%08d', (i * 2654435761) % 100000000) AS phone,
             (i * 31) % 20 AS pick FROM n),
h AS (SELECT g.*, g.unit || '-' || substr(g.received, 3, 2) || substr(g.received, 6, 2) || substr(g.received, 9, 2) || '-' ||
             printf('%04d', g.i % 10000) || '-' || g.i AS code,
             CASE WHEN g.received >= datetime(:end, '-20 days')
                  THEN CASE g.pick % 4 WHEN 0 THEN 'received' WHEN 1 THEN 'processing'
                       WHEN 2 THEN 'supplement' ELSE 'returned' END
                  WHEN g.pick < 16 THEN 'returned' WHEN g.pick = 16 THEN 'done'
                  WHEN g.pick = 17 THEN 'rejected' WHEN g.pick = 18 THEN 'withdrawn'
                  ELSE 'stopped' END AS status FROM g)
INSERT INTO dossiers(code, unit_code, procedure_code, applicant_name, applicant_phone, channel,
                     received_at, status, finished_at, calc_due_at)
SELECT h.code, h.unit, printf('1.%06d', h.i % 60 + 1), b.name, h.phone,
       CASE h.i % 3 WHEN 0 THEN 'direct' WHEN 1 THEN 'online' ELSE 'postal' END,
       h.received, h.status,
       CASE WHEN h.status IN ('received', 'processing', 'supplement') THEN NULL
            ELSE datetime(h.received, '+3 days') END,
       datetime(h.received, '+5 days')
FROM h JOIN temp.bulk_names b ON b.k = h.k
"""


def _t(moment):
    return moment.isoformat(sep=" ") if moment else None


SEARCHES = ("le thi loan", "dong van giap", "nguyen", "thi", "khanh khe", "van quan", "an", "a",
            "0905", "zzqx")
SORTS = ((2, "người nộp"), (3, "đơn vị"), (6, "hạn trả"))
PLAIN = {  # what a bare SQL list would ask for its first page (no live due times, no tabs)
    "open": "SELECT id FROM dossiers ORDER BY received_at DESC, id DESC LIMIT 200",
    "sort người nộp": "SELECT id FROM dossiers ORDER BY applicant_name, id LIMIT 200",
    "sort đơn vị": "SELECT id FROM dossiers ORDER BY unit_code, received_at, id LIMIT 200",
    "sort hạn trả": "SELECT id FROM dossiers ORDER BY calc_due_at, id LIMIT 200",
    "scroll to end": "SELECT id FROM dossiers ORDER BY received_at DESC, id DESC "
                     "LIMIT 200 OFFSET (SELECT COUNT(*) - 200 FROM dossiers)",
}


def _plain_search(text: str) -> tuple[str, list]:
    from core import searchkey
    from core.textnorm import search_words
    clauses, params = searchkey.match(search_words(text), indexed=False)
    return (f"SELECT d.id FROM dossiers d WHERE {' AND '.join(clauses) or '1'} "
            "ORDER BY d.received_at DESC, d.id DESC LIMIT 200", params)


def _drawn(app, screen) -> None:
    app.processEvents()
    screen.table.viewport().repaint()


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _settle(app, screen) -> None:
    """Let the work left after the first rows (the live due times, a walked search's count)
    finish."""
    while screen._live_timer.isActive() or screen._count_timer.isActive():
        app.processEvents()


def measure(db, app) -> dict[str, tuple[float, int]]:
    """{scenario: (seconds from the clerk's action to the rows drawn, rows listed)}."""
    from PySide6.QtCore import Qt
    from gui.dossiers.register_view import RegisterScreen

    out: dict[str, tuple[float, int]] = {}
    holder: list = []

    def open_screen() -> None:
        screen = RegisterScreen(db)
        screen.resize(1300, 700)
        screen.show()
        screen.refresh()
        _drawn(app, screen)
        holder.append(screen)

    out["open"] = (_timed(open_screen), holder[0].model.rowCount())
    screen = holder[0]
    out["open, every tab counted"] = (out["open"][0] + _timed(lambda: _settle(app, screen)),
                                      out["open"][1])
    for tab, name in ((1, "tab đang giải quyết"), (3, "tab quá hạn"), (0, "tab tất cả")):
        out[name] = (_timed(lambda t=tab: (screen.tabs.setCurrentIndex(t), _drawn(app, screen))),
                     screen.model.rowCount())
    for text in SEARCHES:  # the search alone: the query and the tab counts, not the drawing
        out[f"search {text} (query)"] = (_timed(lambda t=text: (
            screen.search.setText(t), screen.apply_filters())), screen.model.rowCount())
        screen.search.setText("")
        screen.apply_filters()
        _drawn(app, screen)

        def search(t=text) -> None:
            screen.search.setText(t)
            screen.apply_filters()
            _drawn(app, screen)
        out[f"search {text}"] = (_timed(search), screen.model.rowCount())
        counted = out[f"search {text}"][0] + _timed(lambda: _settle(app, screen))
        out[f"search {text} (counted)"] = (counted, screen.model.rowCount())
        screen.search.setText("")
        screen.apply_filters()
    header = screen.table.horizontalHeader()
    for column, name in SORTS:
        out[f"sort {name}"] = (_timed(lambda c=column: (
            screen.table.sortByColumn(c, Qt.SortOrder.AscendingOrder), _drawn(app, screen))),
            screen.model.rowCount())
    screen.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    assert header.sortIndicatorSection() == 5
    out["scroll to end"] = (_timed(lambda: (screen.table.scrollToBottom(), _drawn(app, screen))),
                            screen.model.rowCount())
    screen.close()
    screen.deleteLater()
    app.processEvents()
    return out


def plain(db) -> dict[str, float]:
    out = {name: _timed(lambda q=sql: db.execute(q).fetchall()) for name, sql in PLAIN.items()}
    for text in SEARCHES:
        sql, params = _plain_search(text)
        out[f"search {text}"] = _timed(lambda q=sql, p=params: db.execute(q, p).fetchall())
    return out


@contextmanager
def indexed_only():
    """The register as before the planner (issue 18, round 3): every search's hits read from
    the index at once, none walked."""
    from core import register_search
    saved = register_search.SearchHits.prepare
    register_search.SearchHits.prepare = (  # type: ignore[method-assign]
        lambda self, words, generation, **_: saved(self, words, generation))
    try:
        yield
    finally:
        register_search.SearchHits.prepare = saved  # type: ignore[method-assign]


def compare(db, app, rounds: int, ways=("before", "after")) -> dict[str, dict]:
    """The ways in turns (so all meet the same caches), best of `rounds`: "before" round 2,
    "indexed" (round 2: every hit read from the index first), "after" (now)."""
    from bench.register_before import before

    best: dict[str, dict] = {}
    for _ in range(rounds):
        for way in ways:
            if way == "before":
                with before():
                    figures = measure(db, app)
            elif way == "indexed":
                with indexed_only():
                    figures = measure(db, app)
            else:
                figures = measure(db, app)
            for name, (seconds, rows) in figures.items():
                entry = best.setdefault(name, {"rows": rows})
                entry[way] = min(entry.get(way, seconds), seconds)
        for name, seconds in plain(db).items():
            entry = best.setdefault(name, {})
            entry["plain_sql"] = min(entry.get("plain_sql", seconds), seconds)
    return best


def print_table(figures: dict[str, dict], ways=("before", "after")) -> None:
    print(f"| {'register (seconds)':32s} | {'rows':>9s} | "
          + " | ".join(f"{w:>7s}" for w in ways) + f" | {'plain SQL':>9s} |")
    print(f"| {'-' * 32} | {'-' * 8}: | " + " | ".join("-" * 6 + ":" for _ in ways)
          + f" | {'-' * 8}: |")
    for name, entry in figures.items():
        plain_sql = f"{entry['plain_sql']:.3f}" if "plain_sql" in entry else ""
        print(f"| {name:32s} | {entry.get('rows', 0):9,d} | "
              + " | ".join(f"{entry.get(w, float('nan')):7.3f}" for w in ways)
              + f" | {plain_sql:>9s} |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--db", default=None, help="a copy: opening it may write (its log)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--ways", default="before,after",
                        help="before (round 1), indexed (round 2), after (now), comma-separated")
    args = parser.parse_args(argv)
    ways = tuple(args.ways.split(","))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from core.calendar import load_calendar
    from core.database import open_database

    path = Path(args.db or f"/tmp/motcua-bench-{args.dossiers}.db")
    fresh = not path.exists()
    db = open_database(path)
    if fresh:
        start = time.perf_counter()
        fill_bulk(db, args.dossiers)
        print(f"built {args.dossiers} dossiers in {time.perf_counter() - start:.1f}s")
    app = QApplication.instance() or QApplication([])
    load_calendar(db)  # the window builds the holiday tables once, at start
    figures = compare(db, app, args.rounds, ways)
    db.close()
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        print_table(figures, ways)
    return 0


if __name__ == "__main__":
    sys.exit(main())
