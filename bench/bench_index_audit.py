"""The dossiers' indexes audited (docs/speed.md, twenty-fourth round): for each index of
`dossier_rows`, which of the clerk's and the leader's queries use it, what it costs a merge
to make again, and what those queries cost without it.

    python bench/bench_index_audit.py DB [INDEX ...]

DB: a big database (a merged centre kept by bench_merge_steps.py's BENCH_KEEP_CENTRE, or a
demo); nothing is changed in it: every index dropped here is dropped inside a transaction
rolled back. The work replayed is the program's own code, not copies of its SQL: the register
(gui.dossiers.register_model, headless: every sort both ways, every filter, the tabs, a
search, the first page's rows and the count), the indicators (core.indicators.compute: a year,
a month, one commune; the drill behind a figure), the reconciliation's items of a month
(core.reconcile.matching.load_items) and the retention's due dossiers. Each statement run is
caught (sqlite3's trace) and its plan read (EXPLAIN QUERY PLAN): "uses" lists the steps whose
plan names the index. Then for each index (all, or those given): its pages (dbstat), the CPU
of making it again with the merge's settings (core.exchange.bulk.big_cache: cache 256 MB,
temporary store in a file), and each step's CPU with it and without it, alternating (best of
ROUNDS), so a step that gets slower is seen.
"""
from __future__ import annotations

import collections
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROUNDS = int(os.environ.get("AUDIT_ROUNDS", "3"))
TRACE: list[str] = []


def _register_steps(db, last: dt.date) -> list[tuple[str, object]]:
    from PySide6.QtCore import Qt

    from gui.dossiers.register_model import RegisterModel
    unit = db.execute("SELECT unit_code FROM dossier_rows LIMIT 1").fetchone()[0]
    procedure = db.execute("SELECT procedure_code FROM dossier_rows LIMIT 1").fetchone()[0]

    from core.register import RegisterFilter
    # one model, "now" and the open dossiers' live due times taken once (the screen's
    # `prepare`, seconds at a million): each step then is what a click on a sort, a filter
    # or a tab asks of the database
    model = RegisterModel(db)
    model.prepare()

    def run(column: int, order, **filters) -> None:
        model.filter = RegisterFilter(**filters)
        model.sort_column, model.sort_order = column, order
        model.reload()
        model.complete_count()
        if model.rowCount():
            model.data(model.index(0, 0))  # the first page's rows

    steps = []
    asc, desc = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
    for column, title in enumerate(RegisterModel.COLUMNS):
        for order, way in ((asc, "↑"), (desc, "↓")):
            steps.append((f"register sort {title.title} {way}",
                          lambda c=column, o=order: run(c, o)))
    month = last.replace(day=1)
    filters = {"unit": {"units": [unit]}, "procedure": {"procedure": procedure},
               "channel postal": {"channel": "postal"}, "channel online": {"channel": "online"},
               "status processing": {"status": "processing"},
               "month": {"date_from": month, "date_to": last},
               "tab processing": {"tab": "processing"}, "tab overdue": {"tab": "overdue"},
               "search nguyen van": {"search": "nguyen van"}}
    for name, given in filters.items():
        steps.append((f"register {name}", lambda g=given: run(5, desc, **g)))
    steps.append(("register channel postal sorted by channel",
                  lambda: run(4, asc, channel="postal")))
    steps.append(("register month sorted by name", lambda: run(2, asc, date_from=month,
                                                               date_to=last)))
    return steps


def _other_steps(db, last: dt.date) -> list[tuple[str, object]]:
    from core.indicators import compute
    from core.indicators.drill import dossiers_behind
    from core.privacy import retention
    from core.reconcile.matching import load_items
    year, month = last - dt.timedelta(days=364), last.replace(day=1)
    commune = db.execute("SELECT code FROM units WHERE level = 'commune' ORDER BY code "
                         "LIMIT 1").fetchone()
    steps = [("indicators year", lambda: compute(db, year, last)),
             ("indicators month", lambda: compute(db, month, last)),
             ("drill overdue month", lambda: dossiers_behind(db, "in_progress.overdue", month,
                                                             last)),
             ("drill on time month", lambda: dossiers_behind(db, "resolved.on_time", month,
                                                             last)),
             ("reconcile items month", lambda: load_items(db, month, last, None))]
    if commune:
        steps.append(("indicators year one commune",
                      lambda: compute(db, year, last, unit=commune[0])))
    steps.append(("retention plan", lambda: retention.plan(db, last)))
    return steps


def _plans(conn, statements: set[str]) -> dict[str, set[str]]:
    """{index name: the statements whose plan names it} (statements with parameters are
    planned with NULLs: the plan of a `?` does not depend on its value)."""
    used: dict[str, set[str]] = collections.defaultdict(set)
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        try:
            plan = conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
        except Exception:  # noqa: BLE001 (a statement with named parameters: not planned here)
            continue
        for row in plan:
            detail = row[-1]
            for word in detail.replace("(", " ").split():
                if word.startswith(("dossiers_", "sqlite_autoindex_dossier_rows")):
                    used[word].add(sql)
    return used


def _timed(step) -> float:
    start = time.process_time()
    step()
    return time.process_time() - start


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from core.database import open_database
    from core.exchange.bulk import big_cache
    app = QApplication.instance() or QApplication([])  # noqa: F841 (the models' Qt)
    db = open_database(sys.argv[1], create=False)
    conn = db.conn
    last = dt.date.fromisoformat(conn.execute(
        "SELECT date(MAX(received_at), 'unixepoch') FROM dossier_rows").fetchone()[0])
    count = conn.execute("SELECT COUNT(*) FROM dossier_rows").fetchone()[0]
    indexes = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dossier_rows' "
        "AND sql IS NOT NULL ORDER BY name")]
    wanted = sys.argv[2:] or indexes
    steps = _register_steps(db, last) + _other_steps(db, last)
    print(f"{count:,} dossiers, last reception {last}; {len(steps)} steps, best of {ROUNDS}")

    # which step's statements use which index
    by_step: dict[str, set[str]] = {}
    for name, step in steps:
        TRACE.clear()
        conn.set_trace_callback(TRACE.append)
        try:
            step()
        finally:
            conn.set_trace_callback(None)
        by_step[name] = set(TRACE)
    uses: dict[str, list[str]] = collections.defaultdict(list)
    for name, statements in by_step.items():
        for index in _plans(conn, statements):
            uses[index].append(name)
    sizes = dict(conn.execute("SELECT name, SUM(pgsize) FROM dbstat WHERE name IN "
                              f"({','.join('?' * len(indexes))}) GROUP BY name", indexes))
    for index in indexes:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [index]).fetchone()[0]
        print(f"{index}: {sizes.get(index, 0) / 1e6:.1f} MB — {sql}\n"
              f"   used by: {', '.join(uses.get(index, [])) or 'no step'}", flush=True)
    for index in wanted:  # each step with the index and without it, alternating
        print(f"\n== {index}: each step with it → without it (best of {ROUNDS})", flush=True)
        with_it: dict[str, list[float]] = collections.defaultdict(list)
        without: dict[str, list[float]] = collections.defaultdict(list)
        for _ in range(ROUNDS):
            for name, step in steps:
                with_it[name].append(_timed(step))
            conn.execute("BEGIN")
            conn.execute(f"DROP INDEX {index}")
            try:
                for name, step in steps:
                    try:
                        without[name].append(_timed(step))
                    except Exception as exc:  # noqa: BLE001 (INDEXED BY a dropped index)
                        without[name].append(float("nan"))
                        print(f"   {name}: fails without it ({exc})")
            finally:
                conn.execute("ROLLBACK")
        for name, _ in steps:
            a, b = min(with_it[name]), min(without[name])
            mark = " *" if b > a * 1.5 + 0.01 else ""
            print(f"   {name:<48} {a * 1000:9.1f} → {b * 1000:9.1f} ms CPU{mark}", flush=True)
    # last: switching the temporary store (big_cache) drops the connection's temporary
    # tables, the register's live due times among them
    print("\nmade again with the merge's settings (big_cache), best of "
          f"{ROUNDS}, s CPU:", flush=True)
    with big_cache(db):
        for index in indexes:
            sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?",
                               [index]).fetchone()[0]
            builds = []
            for _ in range(ROUNDS):
                conn.execute("BEGIN")
                conn.execute(f"DROP INDEX {index}")
                begun = time.process_time()
                conn.execute(sql)
                builds.append(time.process_time() - begun)
                conn.execute("ROLLBACK")
            print(f"   {index:<36} {min(builds):6.2f}", flush=True)
    db.close()


if __name__ == "__main__":
    main()
