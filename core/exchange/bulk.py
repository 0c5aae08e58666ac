"""The merge's bulk path (issue 16 §3): secondary indexes dropped while many rows go in.

A centre's month-end merge brings in far more dossiers than it holds (an empty centre takes
fifty packages). Each new dossier row then lands in every corner of the secondary indexes of
`dossiers` (reception time, unit, status, applicant …), and those B-trees outgrow the page
cache: keeping them row by row costs more than building them once, sorted, afterwards. The
partial ones (a few % of the rows) are kept up as the rows come.

    with indexes_dropped(conn, wanted(held, incoming)):
        … insert …
    # the very same indexes again, built from the rows in one sort each

The SQL of each index is read from sqlite_master before it is dropped and run again as it was
(core.bulk.without_indexes, which the demo's loader uses too): nothing is written twice, so the
schema (db/schema.py) stays the one place that says which indexes exist. DDL is transactional
in SQLite: a failure or a cancel inside the caller's transaction rolls back to the original
indexes with everything else (tests/core/exchange/test_many.py proves it).

What the merge itself looks up while the indexes are gone does not need them: a dossier by its
code uses the UNIQUE constraint's own index (sqlite_autoindex, never dropped), a dossier's rows
by id the table itself. `events_dossier` stays: the histories of the dossiers the centre already
holds are read by it to classify them, and a new dossier's events (ids and dossier ids both
rising) are appended at the right edge of that index, which costs little.
"""
from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from core.bulk import BULK_CACHE_KIB, without_indexes

TABLES = ("dossier_rows",)  # the rows since schema 22 (db.dossier_rows)
# Below this many incoming dossiers the row path is kept: building ten indexes again over what
# the centre holds would cost more than maintaining them for a few rows.
MIN_INCOMING = 5000


def wanted(held: int, incoming: int) -> bool:
    """The bulk path when the packages bring at least as many dossiers as the centre holds:
    rebuilding then sorts at most twice the rows that maintaining would insert one by one, and
    saves the random B-tree writes of every incoming row (measured in docs/speed.md)."""
    return incoming >= MIN_INCOMING and incoming >= held


@contextmanager
def indexes_dropped(conn, active: bool = True, tables: tuple[str, ...] = TABLES) -> Iterator[None]:
    """Inside a transaction: the secondary indexes of `tables` dropped, and made again from
    their own SQL when the block ends normally (core.bulk.without_indexes, the demo's too).
    On an exception nothing is recreated here: the caller's rollback restores them. The
    partial ones stay (dossiers_irregular, dossiers_competent_received: a few % of the rows
    each): kept up as the rows come they cost nothing measurable, made again each read the
    whole table (~0.2 s at 1,000,000 dossiers, docs/speed.md, fourteenth round)."""
    with without_indexes(conn, tables, partial=False) if active else nullcontext():
        yield


# The merge's temporary store: a file (SQLite's TEMP_STORE 1), whatever the connection had.
# In memory (2), SQLite's sorter keeps each key of an index it makes again in an allocation of
# its own and sorts the whole list at once; with a file it packs them in one block and sorts
# runs of at most the page cache (BULK_CACHE_KIB), written to a file only beyond it: the
# dossiers' seven indexes ~40 % less CPU at a million dossiers (docs/speed.md, 22nd and 23rd
# rounds). SQLite refuses the switch inside a transaction and drops the connection's
# temporary tables with it, so it is made here, before the merge's transaction begins.
TEMP_STORE_FILE = 1


@contextmanager
def big_cache(db) -> Iterator[None]:
    """Outside a transaction, for the operation's: a larger page cache while packages go in
    (the dossiers' indexes take rows in every corner of a centre's big table) and the
    temporary store in a file (TEMP_STORE_FILE: the indexes made again sort in runs of at most
    BULK_CACHE_KIB, spilled to the temporary folder only beyond it); the settings come back
    afterwards.

    Which folder those files go to is SQLite's choice, not tempfile.gettempdir() (the
    package parts' folder): on Windows both are the user's temporary folder (SQLite:
    GetTempPathW, which reads TMP then TEMP; Python: TEMP then TMP — one folder unless the
    two are set apart); on Linux and macOS SQLite takes SQLITE_TMPDIR, then TMPDIR, then the
    first writable of /var/tmp, /usr/tmp, /tmp, where Python takes TMPDIR, then /tmp — so
    without TMPDIR SQLite's is /var/tmp. core.exchange.space.check_room checks the room of
    SQLite's folder by those rules (`sqlite_temp_folder`) beside the parts' folder, and names
    it when it is short. SQLite reads those variables once, when Python loads its sqlite3
    module (measured: set after `import sqlite3`, /var/tmp still), so an office that wants
    them one folder sets SQLITE_TMPDIR or TMPDIR before MotCua starts."""
    conn = db.conn
    was = {name: int(conn.execute(f"PRAGMA {name}").fetchone()[0])
           for name in ("cache_size", "temp_store")}
    conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    conn.execute(f"PRAGMA temp_store = {TEMP_STORE_FILE}")
    try:
        yield
    except BaseException:
        _given_back(conn, was, failing=True)
        raise
    _given_back(conn, was, failing=False)


def _given_back(conn, was: dict[str, int], *, failing: bool) -> None:
    """Each setting given back on its own: the cache first, which SQLite changes anywhere.
    The temporary store is refused while a transaction is still open with its temporary
    file (a ROLLBACK that failed on an I/O error): it then stays a file, and the operation's
    own error (already worded for the clerk) is what propagates, not SQLite's about the
    setting; with nothing failing, SQLite's error is raised once both were tried."""
    refused: sqlite3.OperationalError | None = None
    for name, value in was.items():
        try:
            conn.execute(f"PRAGMA {name} = {value}")
        except sqlite3.OperationalError as exc:
            refused = refused or exc
    if refused is not None and not failing:
        raise refused


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while packages go in. A package allocates a few
    hundred thousand lists, dicts and tuples a batch (records, rows), all freed by their
    reference counts; the collector would walk them again and again for cycles there are not
    (measured: 12–18 % of the merge's CPU, docs/speed.md). Back on afterwards, as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
