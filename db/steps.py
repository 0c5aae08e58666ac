"""A schema upgrade's long step: one statement run over a table's ids a range at a time, inside
the upgrade's transaction, telling the upgrade's dialog how far it is (db.schema LONG_STEPS).
db, not core: only migrations use it."""
from __future__ import annotations

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
