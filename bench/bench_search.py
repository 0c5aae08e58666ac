"""The register's diacritic-free search: plain LIKE scan against the full-text index, one run.

    python bench/bench_search.py --db PATH [--repeat 5] [--json]

On a database made by `main.py --db PATH demo --dossiers N`, times the register's id query
(`SELECT d.id FROM dossiers d NOT INDEXED WHERE … ORDER BY d.received_at DESC`, as
gui.dossiers.register_model builds it) for a few searches, once with the conditions of
`core.searchkey.match(indexed=False)` (the LIKE scan every search used before issue 18) and
once with the index, checks both return the same ids, and prints the best time of each plus
the size of the index. Timed figures stay out of the test suite.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import searchkey  # noqa: E402
from core.textnorm import search_words  # noqa: E402

# the example, a commune, a name, the same words out of order, a surname alone, a phone
# and a code fragment, a short word (no index: LIKE alone) and a word nobody has
QUERIES = ("dong giap", "khanh khe", "le thi loan", "loan thi le", "nguyen", "0368701", "250912",
           "an", "zzqx")


def _sample_queries(conn) -> list[str]:
    """Add a phone and a code piece that exist in this database."""
    row = conn.execute("SELECT code, applicant_phone FROM dossiers WHERE applicant_phone IS NOT "
                       "NULL ORDER BY id LIMIT 1 OFFSET 1000").fetchone()
    extra = [] if row is None else [row[0][-6:].lower(), row[1][3:8]]
    return list(QUERIES) + extra


def _time(conn, text: str, indexed: bool, repeat: int) -> tuple[float, list[int]]:
    clauses, params = searchkey.match(search_words(text), indexed=indexed)
    sql = (f"SELECT d.id FROM dossiers d NOT INDEXED WHERE {' AND '.join(clauses)} "
           "ORDER BY d.received_at DESC, d.id DESC")
    best, ids = float("inf"), []
    for _ in range(repeat):
        started = time.perf_counter()
        ids = [r[0] for r in conn.execute(sql, params)]
        best = min(best, time.perf_counter() - started)
    return best, ids


def index_size(conn) -> int | None:
    try:
        return conn.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'dossiers_fts%'"
                            ).fetchone()[0]
    except sqlite3.Error:  # an SQLite built without dbstat
        return None


def run(path: str, repeat: int) -> dict:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = []
        for text in _sample_queries(conn):
            like, like_ids = _time(conn, text, False, repeat)
            fts, fts_ids = _time(conn, text, True, repeat)
            rows.append({"query": text, "hits": len(fts_ids), "like_s": round(like, 4),
                         "fts_s": round(fts, 4), "same": like_ids == fts_ids})
        return {"dossiers": conn.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0],
                "file_bytes": Path(path).stat().st_size, "index_bytes": index_size(conn),
                "queries": rows}
    finally:
        conn.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.db, args.repeat)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0 if all(q["same"] for q in result["queries"]) else 1
    print(f"{result['dossiers']:,} dossiers, file {result['file_bytes'] / 2**20:.0f} MB, "
          f"index {(result['index_bytes'] or 0) / 2**20:.1f} MB")
    print(f"{'search':<16}{'hits':>8}{'LIKE s':>10}{'index s':>10}  same")
    for q in result["queries"]:
        print(f"{q['query']:<16}{q['hits']:>8}{q['like_s']:>10.4f}{q['fts_s']:>10.4f}  {q['same']}")
    return 0 if all(q["same"] for q in result["queries"]) else 1


if __name__ == "__main__":
    sys.exit(main())
