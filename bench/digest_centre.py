"""A merged centre's digest, to show that a change to the merge left its data as it was
(docs/speed.md, twenty-seventh round; bench/bench_recode.py digests the same way): every row
the merge writes — dossier_rows but `created_at` and `updated_at` (the moment of the import),
the events, votes, payments, supplements, complaints, chain marks, kpi_daily, the settings but
each import's origin and the installation's own — FTS5's own rows (`dossiers_fts_data`,
`dossiers_fts_idx`), every search key the view gives and a few searches' answers. Two centres
merged from the same packages by two trees give the same lines.

    python bench/digest_centre.py CENTRE.db   (e.g. kept by BENCH_KEEP_CENTRE=… bench_merge_steps.py)
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from db import searchtext  # noqa: E402  (the view's key function)

SEARCHES = ("ngu", "084", "091", "van", "h37")


def digest(conn: sqlite3.Connection, sql: str, params=()) -> str:
    made, count = hashlib.sha256(), 0
    for row in conn.execute(sql, params):
        made.update(repr(row).encode())
        count += 1
    return f"{made.hexdigest()[:16]} ({count})"


def centre_digest(path: str) -> dict[str, str]:
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    searchtext.register(conn)
    try:
        kept = ", ".join(c for (c,) in conn.execute(
            "SELECT name FROM pragma_table_info('dossier_rows')")
            if c not in ("created_at", "updated_at"))
        out = {name: digest(conn, sql) for name, sql in (
            ("dossiers (but created_at, updated_at)", f"SELECT {kept} FROM dossier_rows ORDER BY id"),
            ("events", "SELECT * FROM event_rows ORDER BY id"),
            ("votes", "SELECT * FROM vote_rows ORDER BY id"),
            ("payments", "SELECT * FROM payment_rows ORDER BY id"),
            ("supplements", "SELECT * FROM supplements ORDER BY id"),
            ("complaints", "SELECT * FROM complaints ORDER BY id"),
            ("marks", "SELECT * FROM chain_marks ORDER BY 1"),
            ("kpi_daily", "SELECT * FROM kpi_daily ORDER BY 1, 2, 3"),
            ("search index: FTS5 data", "SELECT * FROM dossiers_fts_data ORDER BY id"),
            ("search index: FTS5 idx", "SELECT * FROM dossiers_fts_idx ORDER BY 1, 2"),
            ("search keys (the view)", "SELECT rowid, * FROM dossiers_fts ORDER BY rowid"),
            ("settings", "SELECT key, value FROM settings WHERE key NOT LIKE 'exchange_origin:%' "
                         "AND key NOT LIKE 'installation_%' ORDER BY key"))}
        for term in SEARCHES:
            out[f"search {term!r}"] = digest(conn, "SELECT rowid FROM dossiers_fts WHERE "
                                             "dossiers_fts MATCH ? ORDER BY rowid", [term])
        return out
    finally:
        conn.close()


if __name__ == "__main__":
    print(json.dumps(centre_digest(sys.argv[1]), indent=1))
