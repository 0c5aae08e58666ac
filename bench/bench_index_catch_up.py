"""A deferred search index measured on a merged centre (issue 16 §3, twenty-second round).

    python bench/bench_index_catch_up.py CENTRE.db [TREE]

CENTRE.db: a centre merged by `bench_merge_steps.py` (kept with BENCH_KEEP_CENTRE=path; it is
changed here: use a copy you can lose). TREE: the checkout whose code runs (default: this one).

What a search index brought up to date after the merge's COMMIT would cost, on the centre's
dossiers as if every one of them awaited the index (an empty centre that merged 50 packages):

1. a search while they await it, kept exact: the index asked for the rows it holds (none here)
   and every awaiting row's key computed and tested (`motcua_holds`, the exact rule) — the scan
   the index exists to avoid, timed for a few searches a clerk types;
2. the catch-up itself: the index emptied ('delete-all') and filled from the view's computed keys,
   in transactions of FILL_CHUNK ids (cancellable and resumable between two) and in one, each
   checked complete by FTS5's integrity-check (not timed);
3. the same searches once the index holds every row, for comparison.

CPU is the thread's (`time.thread_time`): the machine is shared, read it rather than the wall.
"""
from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

WORDS = (["nguyen"], ["nguyen", "van"], ["0912"], ["ngu"])


def timed(step):
    s, c = time.perf_counter(), time.thread_time()
    value = step()
    return time.perf_counter() - s, time.thread_time() - c, value


def main(path: str, tree: str) -> None:
    sys.path.insert(0, tree)
    from core import searchkey
    from db import fulltext, searchtext
    conn = sqlite3.connect(path, isolation_level=None)
    searchtext.register(conn)
    conn.execute("PRAGMA cache_size = -262144")
    top = conn.execute("SELECT COALESCE(MAX(id), 0) FROM dossier_rows").fetchone()[0]
    held = conn.execute("SELECT COUNT(*) FROM dossier_rows").fetchone()[0]
    print(f"{path}: {held} dossiers (ids up to {top})")

    def awaiting_search(words):
        """Exact while every row awaits: each awaiting key computed and tested."""
        clauses, params = searchkey.match(words, "d", indexed=False)
        sql = f"SELECT COUNT(*) FROM dossiers d WHERE d.id >= ? AND {' AND '.join(clauses)}"
        return conn.execute(sql, [1] + params).fetchone()[0]

    def indexed_search(words):
        clauses, params = searchkey.match(words, "d")
        sql = f"SELECT COUNT(*) FROM dossiers d WHERE {' AND '.join(clauses)}"
        return conn.execute(sql, params).fetchone()[0]

    def fill(chunk: int) -> int:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(f"INSERT INTO {fulltext.TABLE}({fulltext.TABLE}) VALUES ('delete-all')")
        conn.execute("COMMIT")
        transactions = 0
        for low in range(1, top + 1, chunk):
            conn.execute("BEGIN IMMEDIATE")
            with fulltext.big_buffer(conn):
                conn.executemany(
                    f"INSERT INTO {fulltext.TABLE}(rowid, search_key) VALUES (?, ?)",
                    conn.execute(f"SELECT id, search_key FROM {fulltext.VIEW} WHERE id >= ? "
                                 "AND id < ? ORDER BY id", [low, low + chunk]))
            conn.execute("COMMIT")
            transactions += 1
        return transactions

    print("  searches while every dossier awaits the index (exact: each key computed, tested):")
    found = {}
    for words in WORDS:
        w, c, n = timed(lambda words=words: awaiting_search(words))
        found[tuple(words)] = n
        print(f"    {' '.join(words)!r:<18} {w:7.2f} s wall {c:7.2f} s CPU  {n} dossiers")
    for chunk in (fulltext.FILL_CHUNK, top):
        w, c, n = timed(lambda chunk=chunk: fill(chunk))
        conn.execute("BEGIN")
        intact = fulltext.is_intact(conn)
        conn.execute("COMMIT")
        print(f"  catch-up, {chunk} ids a transaction: {w:7.2f} s wall {c:7.2f} s CPU, {n} "
              f"transactions, integrity-check {'passed' if intact else 'FAILED'}")
    print("  the same searches once the index holds every dossier:")
    for words in WORDS:
        w, c, n = timed(lambda words=words: indexed_search(words))
        same = "same" if n == found[tuple(words)] else f"DIFFERENT from {found[tuple(words)]}"
        print(f"    {' '.join(words)!r:<18} {w:7.2f} s wall {c:7.2f} s CPU  {n} dossiers ({same})")
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else str(Path(__file__).resolve().parent.parent))
