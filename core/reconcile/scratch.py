"""The provincial set in a database of its own: an in-memory SQLite database with MotCua's
schema (db.schema through core.database), the office's units, catalogue, calendar and settings
copied in, and the provincial file imported into it by the ordinary import. The indicator
engine then runs on it unchanged: one rule for both sets, and nothing of the provincial file
ever reaches the live database.
"""
from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from core import facts
from core.database import open_database
from db.batches import in_chunks, marks
from db.connection import transaction

REFERENCE = ("units", "procedures", "procedure_rules", "procedure_components", "calendar",
             "settings")
NO_JOURNAL = "PRAGMA journal_mode = OFF"
# What "entering the missing dossiers" copies with each dossier (figures read them).
DOSSIER_SKIP = ("id", "facts", "calc_due_at", "kpi_irregular")


def _columns(db: sqlite_utils.Database, table: str, skip: Iterable[str] = ()) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info({table})") if r[1] not in skip]


def _copy(source: sqlite_utils.Database, conn, table: str, where: str = "", params=()) -> None:
    columns = _columns(source, table)
    names = ", ".join(columns)
    rows = source.execute(f"SELECT {names} FROM {table} {where}", list(params))
    conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})",
                     rows)


def scratch_database(db: sqlite_utils.Database) -> sqlite_utils.Database:
    """A new in-memory database holding the live one's reference data and no dossier.

    It keeps no rollback journal (`NO_JOURNAL`): an in-memory database journals in memory,
    and SQLite walks that in-memory journal from its start whenever a statement inside a
    savepoint ends, so each UPDATE under a savepoint cost as much as the pages changed before
    it (80,000 provincial rows took 50 s, 160,000 four minutes, while core.facts.refresh still
    opened a savepoint inside the import's transaction; it joins it now, db.connection.joined,
    and the import's other nested transactions are savepoints too). A failed load or a cancel
    throws the whole database away (`reconcile` closes it), so nothing needs rolling back."""
    temp = open_database(":memory:")
    temp.execute(NO_JOURNAL)
    with transaction(temp) as conn:
        conn.execute("PRAGMA defer_foreign_keys = ON")  # units name parents in any order
        for table in REFERENCE:
            conn.execute(f"DELETE FROM {table}")
            _copy(db, conn, table)
    return temp


def copy_dossiers(db: sqlite_utils.Database, temp: sqlite_utils.Database, ids: list[int]) -> int:
    """Copy dossiers of the live database (with their waits, extension, live payments and
    document list, whose digitisation 766's 4.2 reads) into
    `temp`, as if they had been entered in the provincial system; returns how many."""
    columns = _columns(db, "dossier_rows", DOSSIER_SKIP)  # moments as stored (db.moments)
    names = ", ".join(columns)
    taken = {r[0] for r in temp.execute("SELECT code FROM dossiers")}
    new_ids: list[int] = []
    with transaction(temp) as conn:
        for chunk in in_chunks(ids):
            for row in db.execute(f"SELECT id, {names} FROM dossier_rows WHERE id IN "
                                  f"({marks(chunk)})", chunk):
                if row[1 + columns.index("code")] in taken:
                    continue
                cursor = conn.execute(f"INSERT INTO dossier_rows ({names}) VALUES "
                                      f"({', '.join('?' * len(columns))})", list(row[1:]))
                new_id = int(cursor.lastrowid or 0)
                new_ids.append(new_id)
                _copy_children(db, conn, row[0], new_id)
        facts.refresh(temp, new_ids)
    return len(new_ids)


def _copy_children(db: sqlite_utils.Database, conn, old_id: int, new_id: int) -> None:
    for table, live in (("supplements", ""), ("extensions", ""), ("dossier_components", ""),
                        ("payments", " AND cancelled_at IS NULL")):
        columns = _columns(db, table, ("id", "dossier_id"))
        names = ", ".join(columns)
        for row in db.execute(f"SELECT {names} FROM {table} WHERE dossier_id = ?{live}", [old_id]):
            conn.execute(f"INSERT INTO {table} (dossier_id, {names}) VALUES "
                         f"(?, {', '.join('?' * len(columns))})", [new_id, *row])
