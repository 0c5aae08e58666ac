"""A schema upgrade's long step: one statement run over a table's ids a range at a time, inside
the upgrade's transaction, telling the upgrade's dialog how far it is (db.schema LONG_STEPS).
db, not core: only migrations use it."""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable


def by_id_ranges(conn, table: str, chunk: int, sql: str | Callable[[int, int], object],
                 progress=None) -> None:
    """Run `sql` (its two parameters: the range's exclusive low and inclusive high id) over
    every id of `table`, `chunk` ids at a time; `sql` may instead be a function of the two (a
    step that codes the rows in Python). `progress(done, total)` returning False stops it: the
    transaction then rolls back and nothing has changed."""
    top = conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
    for start in range(0, top, chunk):
        if callable(sql):
            sql(start, start + chunk)
        else:
            conn.execute(sql, [start, start + chunk])
        if progress is not None and progress(min(start + chunk, top), top) is False:
            raise InterruptedError("upgrade cancelled")


BUSY_TICK_S = 0.1  # how often a long statement tells `progress` it is still busy
BUSY_TICK_OPS = 10_000  # SQLite steps between two looks at the clock


def run_busy(conn, sql: str | list[str], progress=None) -> None:
    """Run one long statement (a table rewritten), or several (indexes made), telling `progress(0, 0)` every BUSY_TICK_S
    that it is busy; an answer False interrupts it (InterruptedError: the caller's
    transaction rolls back and nothing has changed)."""
    statements = [sql] if isinstance(sql, str) else sql
    if progress is None:
        for statement in statements:
            conn.execute(statement)
        return
    last, stop = [time.monotonic()], [False]

    def tick() -> int:
        if time.monotonic() - last[0] >= BUSY_TICK_S:
            last[0] = time.monotonic()
            stop[0] = progress(0, 0) is False
        return int(stop[0])  # non-zero: SQLite interrupts the statement

    if progress(0, 0) is False:
        raise InterruptedError("upgrade cancelled")
    conn.set_progress_handler(tick, BUSY_TICK_OPS)
    try:
        for statement in statements:
            conn.execute(statement)
    except sqlite3.OperationalError:
        if stop[0]:
            raise InterruptedError("upgrade cancelled") from None
        raise
    finally:
        conn.set_progress_handler(None, 0)


def statements(script: str) -> list[str]:
    """The statements of a script (sqlite3.complete_statement knows the grammar)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    return [s for s in out if s]
