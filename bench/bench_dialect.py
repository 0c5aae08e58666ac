"""How much of the SQL MotCua runs is SQLite's own dialect (docs/multi-counter.md).

    python bench/bench_dialect.py [DOSSIERS]        (default 20000)

Builds a demo office in a temporary file, then runs an office's day on it with SQLite's trace
callback recording every statement: opening (checks, migrations), reception and the lifecycle,
a payment and a vote, the indicators of a year, the monthly report's data, the register's first
page, an exchange export and import. Each distinct statement (literals folded) is classified by
the SQLite-only features it uses; the table printed is what a PostgreSQL port would rewrite.
Also times the dashboard's indicator query (kpi_daily sums by unit for a year) for comparison
with PostgreSQL (the same query, timed with psql; see the note).
"""
from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import demo, dossiers, payments, timefmt, votes  # noqa: E402
from core.database import open_database  # noqa: E402
from core.exchange import export_package, import_package  # noqa: E402
from core.indicators import compute  # noqa: E402
from core.pdf.monthly_data import gather  # noqa: E402
from core.periods import month_period  # noqa: E402

TODAY = dt.date(2025, 10, 31)
# feature -> pattern; a statement may use several
FEATURES = {
    "PRAGMA": r"^\s*PRAGMA\b",
    "BEGIN IMMEDIATE / DEFERRED": r"^\s*BEGIN\s+(IMMEDIATE|DEFERRED|EXCLUSIVE)",
    "JSON functions (json_extract, json_object, json_set, json)": r"\bjson(_\w+)?\s*\(",
    "date functions (datetime, date, strftime, julianday)":
        r"\b(datetime|strftime|julianday|date)\s*\(",
    "INSERT OR REPLACE / IGNORE": r"\bINSERT\s+OR\s+(REPLACE|IGNORE)\b",
    "sqlite_master / sqlite_schema": r"\bsqlite_(master|schema)\b",
    "scalar MAX(a, b) / MIN(a, b)": r"\b(MAX|MIN)\s*\([^()]*,[^()]*\)",
    "boolean summed or compared as integer": r"\bSUM\s*\([^()]*\b(IN|=|<|>|IS)\b",
    "rowid": r"\browid\b",
    "WITHOUT ROWID / writable_schema / RAISE": r"WITHOUT ROWID|writable_schema|RAISE\s*\(",
    "substr / instr / printf": r"\b(substr|instr|printf)\s*\(",
}
PORTABLE_NOTE = ("ON CONFLICT … DO UPDATE, RETURNING, WITH RECURSIVE, SAVEPOINT and LIMIT/OFFSET "
                 "are PostgreSQL syntax as well; `?` placeholders become %s in psycopg.")


def fold(sql: str) -> str:
    sql = re.sub(r"'[^']*'", "'…'", sql)
    sql = re.sub(r"\b\d+\b", "N", sql)
    sql = re.sub(r"\(\?(,\s*\?)*\)", "(?…)", sql)
    return " ".join(sql.split())


def workload(db) -> None:
    now = dt.datetime.combine(TODAY, dt.time(10, 0))
    timefmt.now = lambda: now  # the demo's last day: its units exist then
    unit, procedure = db.execute("SELECT unit_code, procedure_code FROM dossiers "
                                 "ORDER BY received_at DESC LIMIT 1").fetchone()
    dossier_id, _ = dossiers.create_dossier(db, unit_code=unit, procedure_code=procedure,
                                            applicant_name="Nguyễn Văn Thử",
                                            received_at=now - dt.timedelta(hours=2))
    dossiers.start_processing(db, dossier_id, at=now - dt.timedelta(hours=1))
    fee = db.execute("SELECT fee FROM procedures WHERE code = ?", [procedure]).fetchone()[0]
    if fee:
        payments.add_payment(db, dossier_id, amount=fee, method="cash", paid_at=now)
    dossiers.finish(db, dossier_id, at=now)
    votes.add_vote(db, unit_code=unit, rating="satisfied", voted_at=now, dossier_id=dossier_id)
    compute(db, dt.date(TODAY.year, 1, 1), TODAY)
    gather(db, month_period(f"{TODAY:%Y-%m}"), None)
    db.execute("SELECT id, code FROM dossiers ORDER BY received_at DESC LIMIT 50").fetchall()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    statements: Counter = Counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "office.db"
        db = open_database(path)
        demo.generate(db, dossiers=n, seed=1, today=TODAY)
        db.close()
        db = open_database(path)
        db.conn.set_trace_callback(lambda sql: statements.update([fold(sql)]))
        workload(db)
        export_package(db, Path(folder) / "p.zip", dt.date(TODAY.year, 10, 1))
        import_package(db, Path(folder) / "p.zip")
        db.conn.set_trace_callback(None)
        print("-- statements run by an office's day (traced) --")
        report(statements)
        print("-- SQL written in the code (static) --")
        report_static()
        time_indicator(db)
        db.close()


SQL_START = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|ALTER|WITH|BEGIN|DROP)\b",
                       re.I)


def static_sql() -> list[str]:
    """Every SQL text written in core/, db/ and gui/ (string constants and f-strings)."""
    import ast
    found = []
    for folder in ("core", "db", "gui"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                text = None
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    text = node.value
                elif isinstance(node, ast.JoinedStr):
                    text = "".join(v.value if isinstance(v, ast.Constant) else "{}"
                                   for v in node.values)
                if text and SQL_START.match(text) and len(text) > 12:
                    found.append(text)
    return found


def report_static() -> None:
    texts = static_sql()
    flagged = [t for t in texts if any(re.search(p, t, re.I | re.S) for p in FEATURES.values())]
    print(f"SQL texts in core/, db/, gui/: {len(texts)}; using a SQLite-only feature: "
          f"{len(flagged)} ({100 * len(flagged) / max(len(texts), 1):.0f} %)")
    for name, pattern in FEATURES.items():
        print(f"  {name:<60} {sum(bool(re.search(pattern, t, re.I | re.S)) for t in texts):4d}")


def report(statements: Counter) -> None:
    distinct = list(statements)
    flagged = {s for s in distinct if any(re.search(p, s, re.I | re.S) for p in FEATURES.values())}
    print(f"distinct statements: {len(distinct)}, executions: {sum(statements.values())}")
    print(f"SQLite-specific: {len(flagged)} distinct "
          f"({100 * len(flagged) / max(len(distinct), 1):.0f} %), "
          f"{sum(statements[s] for s in flagged)} executions")
    for name, pattern in FEATURES.items():
        hits = [s for s in distinct if re.search(pattern, s, re.I | re.S)]
        print(f"  {name:<60} {len(hits):4d} distinct {sum(statements[s] for s in hits):7d} runs")
    print(PORTABLE_NOTE)


INDICATOR_SQL = ("SELECT unit_code, SUM(recv_online), SUM(recv_direct_postal), SUM(closed), "
                 "SUM(on_time_po), SUM(late_po), SUM(votes), SUM(satisfied) FROM kpi_daily "
                 "WHERE day BETWEEN '2025-01-01' AND '2025-10-31' GROUP BY unit_code")


def time_indicator(db) -> None:
    best = min(_timed(db) for _ in range(5))
    print(f"indicator query (kpi_daily sums by unit, a year) on SQLite: {best * 1000:.2f} ms")


def _timed(db) -> float:
    start = time.perf_counter()
    db.execute(INDICATOR_SQL).fetchall()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
