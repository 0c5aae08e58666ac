"""How fast the dossier register opens and scrolls on a large database.

    python bench/bench_register.py [--dossiers 1000000] [--db PATH]

Builds (or reuses) a database of N dossiers bulk-inserted with executemany, then measures
in a headless Qt: opening the register until the first rows are drawn, switching tabs, a
diacritic-free search, sorting by another column and jumping to the end.
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

FIRST = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đỗ", "Vũ", "Đặng", "Bùi", "Đồng")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Hữu")
LAST = ("An", "Bình", "Giáp", "Hà", "Lan", "Nam", "Dũng", "Đạt", "Hương", "Trang")


def fill_bulk(db, count: int, *, end: dt.datetime | None = None, seed: int = 1) -> None:
    """Insert `count` dossiers fast (generated inside SQLite, one transaction).

    calc_due_at and search_key are filled directly, as core.facts would (a due time 5 days
    later, the key core.searchkey builds: folded code, name, phone and unit); the KPI facts are not needed to measure the register.
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
                     received_at, status, finished_at, calc_due_at, search_key)
SELECT h.code, h.unit, printf('1.%06d', h.i % 60 + 1), b.name, h.phone,
       CASE h.i % 3 WHEN 0 THEN 'direct' WHEN 1 THEN 'online' ELSE 'postal' END,
       h.received, h.status,
       CASE WHEN h.status IN ('received', 'processing', 'supplement') THEN NULL
            ELSE datetime(h.received, '+3 days') END,
       datetime(h.received, '+5 days'),
       lower(h.code) || '| ' || b.folded || '| ' || h.phone || '| ubnd xa so ' || (h.i % 20 + 1)
FROM h JOIN temp.bulk_names b ON b.k = h.k
"""


def _t(moment):
    return moment.isoformat(sep=" ") if moment else None


def measure(db, app) -> dict[str, float]:
    from gui.dossiers.register_view import RegisterScreen

    out = {}
    start = time.perf_counter()
    screen = RegisterScreen(db)
    screen.resize(1300, 700)
    screen.show()
    screen.refresh()
    app.processEvents()
    screen.table.viewport().repaint()
    out["open_and_show_first_rows_s"] = time.perf_counter() - start
    for tab in range(1, 5):
        start = time.perf_counter()
        screen.tabs.setCurrentIndex(tab)
        app.processEvents()
        out[f"tab_{tab}_s"] = time.perf_counter() - start
    screen.tabs.setCurrentIndex(0)
    start = time.perf_counter()
    screen.search.setText("dong van giap")
    screen.apply_filters()
    app.processEvents()
    out["search_s"] = time.perf_counter() - start
    screen.search.setText("")
    screen.apply_filters()
    start = time.perf_counter()
    screen.table.sortByColumn(2, screen.table.horizontalHeader().sortIndicatorOrder())
    app.processEvents()
    out["sort_by_applicant_s"] = time.perf_counter() - start
    start = time.perf_counter()
    screen.table.scrollToBottom()
    app.processEvents()
    screen.table.viewport().repaint()
    out["scroll_to_end_s"] = time.perf_counter() - start
    out["rows"] = screen.model.rowCount()
    screen.close()
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--db", default=None)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    from core.database import open_database

    path = Path(args.db or f"/tmp/motcua-bench-{args.dossiers}.db")
    fresh = not path.exists()
    db = open_database(path)
    if fresh:
        start = time.perf_counter()
        fill_bulk(db, args.dossiers)
        print(f"built {args.dossiers} dossiers in {time.perf_counter() - start:.1f}s")
    app = QApplication.instance() or QApplication([])
    for key, value in measure(db, app).items():
        print(f"{key:32s} {value:.3f}" if isinstance(value, float) else f"{key:32s} {value}")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
