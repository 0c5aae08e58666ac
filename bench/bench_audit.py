"""The history check, full against quick (spec 10, issue 15 §2), on one demo database.

    python bench/bench_audit.py --db /tmp/chain2.db [--dossiers 200000] [--edits 200]

A missing file is generated first (`demo`, seed 1). Then, in one run, on the same file:
- the full check (core.maintenance.audit.audit_findings: chain, head, every dossier replayed,
  the ledger of payments, votes, waits and extensions), what `check` runs;
- the start-up check with no checkpoint (the full check plus the dossier digests it keeps);
- the start-up check from that checkpoint with nothing changed;
- the same after `--edits` ordinary clerk actions (payments on open dossiers, spread over the
  file) and after one SQL edit of an old dossier (it must be named);
- the whole-chain pass the window runs after the quick check.
Times are wall seconds on whatever else the machine is doing, each followed by the CPU seconds
of this process; run it twice for a warm cache.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import demo  # noqa: E402
from core import payments as P  # noqa: E402
from core.database import open_database  # noqa: E402
from core.maintenance import audit, audit_quick  # noqa: E402


def timed(label: str, fn):
    """Wall seconds, then this process's CPU seconds (SQLite runs in it too: on a shared
    machine the figure to compare)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    print(f"{label:<58} {time.perf_counter() - start:7.2f} s", flush=True)
    print(f"{'  CPU':<58} {time.process_time() - cpu:7.2f} s", flush=True)
    return result


def counts(db) -> str:
    return ", ".join(f"{t} {db.execute(f'SELECT COUNT(*) FROM {t}').fetchone()[0]:,}"
                     for t in ("dossiers", "events", "payments", "votes", "supplements", "extensions"))


def clerk_edits(db, edits: int) -> list[float]:
    """Ordinary writes through MotCua: a payment on open dossiers spread over the ids; the
    seconds each took."""
    rows = db.execute("SELECT id, received_at FROM dossiers WHERE status IN ('received', "
                      "'processing') ORDER BY id").fetchall()
    step = max(len(rows) // max(edits, 1), 1)
    took = []
    for dossier_id, received in rows[::step][:edits]:
        paid = dt.datetime.fromisoformat(received) + dt.timedelta(minutes=5)
        start = time.perf_counter()
        P.add_payment(db, dossier_id, amount=1000, method="cash", paid_at=paid,
                      confirm_overpayment=True)
        took.append(time.perf_counter() - start)
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--dossiers", type=int, default=200000)
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()
    path = Path(args.db)
    if not path.exists():
        db = open_database(path)
        timed(f"demo {args.dossiers:,} dossiers", lambda: demo.generate(db, dossiers=args.dossiers))
        db.close()
    db = timed("open (first time: ledger of an older file)", lambda: open_database(path))
    print(counts(db))
    db.execute("DELETE FROM settings WHERE key = ?", [audit_quick.KEY])
    db.conn.commit()
    full = timed("full check (check)", lambda: audit.audit_findings(db))
    assert all(f.ok for f in full), [f.text for f in full if not f.ok]
    timed("start-up check, no checkpoint yet (full + digests)", lambda: audit_quick.start_check(db))
    found = timed("start-up check from the checkpoint, nothing changed",
                  lambda: audit_quick.start_check(db))
    assert all(f.ok for f in found) and "nhanh" in found[-1].text
    took = timed(f"{args.edits} payments through MotCua", lambda: clerk_edits(db, args.edits))
    print(f"{'one payment (a clerk action), median':<58} {statistics.median(took) * 1000:7.2f} ms",
          flush=True)
    found = timed(f"start-up check after {args.edits} payments", lambda: audit_quick.start_check(db))
    assert all(f.ok for f in found), [f.text for f in found if not f.ok]
    code = sql(path, "datetime(received_at, '+1 hour')")
    found = timed("start-up check after one SQL edit of an old dossier",
                  lambda: audit_quick.quick_findings(db)[0])
    assert any(code in f.text for f in found if not f.ok), "the edit was not named"
    sql(path, "datetime(received_at, '-1 hour')")  # put back: the file stays usable
    timed("whole chain re-hashed (the window's second pass)", lambda: audit.verify_chain(db))
    db.close()


def sql(path: Path, value: str) -> str:
    """What a tester does with the sqlite3 tool, on an old dossier; returns its code."""
    conn = sqlite3.connect(path)
    dossier_id, code = conn.execute("SELECT id, code FROM dossiers ORDER BY id LIMIT 1 OFFSET 5000").fetchone()
    conn.execute(f"UPDATE dossiers SET received_at = {value} WHERE id = ?", [dossier_id])
    conn.commit()
    conn.close()
    return code


if __name__ == "__main__":
    main()
