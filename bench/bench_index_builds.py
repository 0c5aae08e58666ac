"""The dossiers' secondary indexes (those the bulk path drops: not partial) dropped and made
again on a merged centre, in one transaction each time, with the merge's settings of the
twenty-second round (cache BULK_CACHE_KIB, temp_store MEMORY), SQLite's defaults, and each
setting alone, alternating (docs/speed.md, twenty-second round). `file`: the twenty-third
round's (`bulk_path.big_cache`: cache BULK_CACHE_KIB, temp_store FILE) against the old one and
against the store in a file with a small cache for the builds alone (the sorter's runs are at
most the page cache). Changes the file: use a copy.

    python bench/bench_index_builds.py CENTRE.db [TREE] [file]
"""
from __future__ import annotations

import os
import sqlite3
import sys
import threading
import time
from pathlib import Path


class Spilled(threading.Thread):
    """The peak bytes on the disk of this process's open files already unlinked (SQLite's
    temporary files: the sorter's runs), sampled every 20 ms from /proc (Linux only)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.wait(0.02):
            total = 0
            for fd in os.listdir("/proc/self/fd"):
                try:
                    if os.readlink(f"/proc/self/fd/{fd}").endswith(" (deleted)"):
                        total += os.stat(f"/proc/self/fd/{fd}").st_blocks * 512
                except OSError:
                    continue
            self.peak = max(self.peak, total)


def main(path: str, tree: str, rounds: tuple[str, ...]) -> None:
    sys.path.insert(0, tree)
    from core.bulk import BULK_CACHE_KIB
    conn = sqlite3.connect(path, isolation_level=None)
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dossier_rows' "
        "AND sql IS NOT NULL AND sql NOT LIKE '%WHERE%' ORDER BY name").fetchall()
    settings = {"default": (2000, 0), "the merge's": (BULK_CACHE_KIB, 2),
                "cache only": (BULK_CACHE_KIB, 0), "temp_store MEMORY only": (2000, 2),
                "round 22 (memory)": (BULK_CACHE_KIB, 2), "round 23 (file)": (BULK_CACHE_KIB, 1),
                "file, 2 MB cache": (2000, 1)}
    print(f"{path}: {len(indexes)} indexes of dossier_rows")
    for label in rounds:
        cache, temp = settings[label]
        conn.execute(f"PRAGMA cache_size = -{cache}")
        conn.execute(f"PRAGMA temp_store = {temp}")
        conn.execute("BEGIN IMMEDIATE")
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute("COMMIT")
        s, c = time.perf_counter(), time.thread_time()
        spilled = Spilled()
        spilled.start()
        conn.execute("BEGIN IMMEDIATE")
        for _, sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        wall, cpu = time.perf_counter() - s, time.thread_time() - c
        spilled.halt.set()
        spilled.join()
        print(f"  {label:<24} {wall:7.2f} s wall {cpu:7.2f} s CPU; SQLite's temporary files "
              f"at most {spilled.peak / 1e6:.1f} MB", flush=True)
    conn.close()


if __name__ == "__main__":
    ROUND_22 = ("the merge's", "default", "cache only", "temp_store MEMORY only", "the merge's",
                "default")
    ROUND_23 = ("round 22 (memory)", "round 23 (file)", "file, 2 MB cache") * 3
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] != "file"
         else str(Path(__file__).resolve().parent.parent),
         ROUND_23 if sys.argv[-1] == "file" else ROUND_22)
