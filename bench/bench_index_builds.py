"""The dossiers' secondary indexes (those the bulk path drops: not partial) dropped and made
again on a merged centre, in one transaction each time, with the merge's settings
(`bulk_path.big_cache`: cache BULK_CACHE_KIB, temp_store MEMORY), SQLite's defaults, and each
setting alone, alternating (docs/speed.md, twenty-second round). Changes the file: use a copy.

    python bench/bench_index_builds.py CENTRE.db [TREE]
"""
from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path


def main(path: str, tree: str) -> None:
    sys.path.insert(0, tree)
    from core.bulk import BULK_CACHE_KIB
    conn = sqlite3.connect(path, isolation_level=None)
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dossier_rows' "
        "AND sql IS NOT NULL AND sql NOT LIKE '%WHERE%' ORDER BY name").fetchall()
    settings = {"default": (2000, 0), "the merge's": (BULK_CACHE_KIB, 2),
                "cache only": (BULK_CACHE_KIB, 0), "temp_store MEMORY only": (2000, 2)}
    print(f"{path}: {len(indexes)} indexes of dossier_rows")
    for label in ("the merge's", "default", "cache only", "temp_store MEMORY only",
                  "the merge's", "default"):
        cache, temp = settings[label]
        conn.execute(f"PRAGMA cache_size = -{cache}")
        conn.execute(f"PRAGMA temp_store = {temp}")
        conn.execute("BEGIN IMMEDIATE")
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute("COMMIT")
        s, c = time.perf_counter(), time.thread_time()
        conn.execute("BEGIN IMMEDIATE")
        for _, sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        print(f"  {label:<24} {time.perf_counter() - s:7.2f} s wall "
              f"{time.thread_time() - c:7.2f} s CPU", flush=True)
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else str(Path(__file__).resolve().parent.parent))
