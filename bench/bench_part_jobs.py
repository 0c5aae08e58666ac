"""One part's jobs beside the merge's main thread, timed alone (issue 16 §3, thirty-first
round): the second process's tails (`_part_tails`: its rows fetched, then db.chain.quick_tails'
loop), chain (db.chain.chained), keys and facts, and the part's own screen (`_screen_job`) with
each of its statements, CPU of this thread (min and median of RUNS), on the rows part of one
package (a format-3 zip as bench_merge_steps.py makes them, or a part's file itself).

    .venv/bin/python bench/bench_part_jobs.py PACKAGE.zip [RUNS]

What a per-part lever is worth before the whole merge is run (×50 for 50 parts); the
merge's own figures are bench_merge_steps.py's (docs/speed.md, "Exchange merge").
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.exchange.fastcopy import chain_jobs, facts_job, keys, screening  # noqa: E402
from core.exchange.fastcopy.conditions import params  # noqa: E402
from core.exchange.fastcopy.partdb import _open_part, read_only  # noqa: E402
from core.exchange.package import ROWS_PART  # noqa: E402
from db import chain, events_codec  # noqa: E402

TAILS_ROWS = ("dossier_rows d JOIN event_rows r ON r.dossier_id = d.id WHERE d.id NOT IN "
              "(SELECT id FROM temp.left) ORDER BY d.id, r.id")


def timed(label: str, job, runs: int):
    """`job()` run `runs` times; its CPU's least and median printed; its last result."""
    spent, result = [], None
    for _ in range(runs):
        start = time.process_time()
        result = job()
        spent.append(time.process_time() - start)
    print(f"  {label:58s} {min(spent) * 1000:7.1f} ms  (median {statistics.median(spent) * 1000:.1f})")
    return result


def tails(path: str, runs: int) -> None:
    conn = _open_part(path, [])
    try:
        words, details = events_codec.words(conn), events_codec.View(conn).details
        sql = (f"SELECT r.id, d.code, {chain.QUICK_MOMENT}, r.actor, r.action, r.from_status, "
               f"r.to_status, r.reason, r.details FROM {TAILS_ROWS}")
        rows = timed("tails: rows fetched (9 columns)", lambda: conn.execute(sql).fetchall(), runs)
        timed("tails: SQLite alone (the same rows counted)",
              lambda: conn.execute(f"SELECT count(*) FROM ({sql})").fetchone(), runs)
        timed("tails: quick_tails' loop", lambda: chain.quick_tails(iter(rows), words, details),
              runs)
    finally:
        conn.close()
    _ids, made = timed("tails: the job (_part_tails)", lambda: chain_jobs._part_tails(path, []),
                       runs)
    timed("chain: SHA-256 in series (chained)", lambda: chain.chained(made, b"\x00" * 32), runs)


class _Timed:
    """A connection whose statements are timed one by one (summed over the runs)."""

    def __init__(self, conn, spent: dict[str, float]) -> None:
        self.conn, self.spent = conn, spent

    def execute(self, sql: str, *args):
        start = time.process_time()
        rows = self.conn.execute(sql, *args).fetchall()
        label = " ".join(sql.split())[:56]
        self.spent[label] = self.spent.get(label, 0.0) + time.process_time() - start
        return _Rows(rows)


class _Rows(list):
    def fetchone(self):
        return self[0] if self else None

    def fetchall(self):
        return list(self)


def screen(path: str, runs: int) -> None:
    timed("screen: the job (_screen_job)", lambda: screening._screen_job(path), runs)
    spent: dict[str, float] = {}
    conn = read_only(path)
    try:
        params()
        for _ in range(runs):
            screening._screen_part(_Timed(conn, spent), "main")
    finally:
        conn.close()
    for label, seconds in sorted(spent.items(), key=lambda item: -item[1])[:8]:
        print(f"    {label:56s} {seconds / runs * 1000:7.1f} ms  (mean)")


def others(path: str, runs: int, folder: Path) -> None:
    out = str(folder / "keys")
    timed("keys (_keys_job)", lambda: keys._keys_job(path, [], {}, out), runs)

    def facts() -> None:
        facts_job._facts_job(path, [], "bench")
        facts_job._marks_total("bench")  # each run reads its texts anew
    timed("facts (_facts_job)", facts, runs)


def main(package: Path, runs: int) -> None:
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "part.db"
        if zipfile.is_zipfile(package):
            with zipfile.ZipFile(package) as zipped:
                path.write_bytes(zipped.read(ROWS_PART))
        else:
            path.write_bytes(package.read_bytes())
        print(f"{package}: CPU of one part's jobs, {runs} runs")
        tails(str(path), runs)
        screen(str(path), runs)
        others(str(path), runs, Path(work))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 7)
