"""A unit's scope of 40,000 units (a province's catalogue under one node, or years of
successions) as a filter: its codes go into SQL as one JSON parameter (core.unit_scope.scope_in,
core.unit_scope's one form), not a `?` a code, which failed above SQLite's 32,766
variables ("too many SQL variables") in the register, the screens, the book, the drill-downs,
`export dossiers --unit` and the overdue list. (This machine's SQLite allows 250,000: the
test holds the connection to the library's default, as the program's users may have it.)"""
from __future__ import annotations

import datetime as dt
import sqlite3

from core.indicators import drill
from core.pdf import book, queries
from core.register import RegisterFilter, RegisterQuery
from core.transfer import dossier_export
from core.unit_scope import subtree_codes
from db.connection import transaction
from tests.core.factories import add_dossier, add_procedures, add_units

MANY = 40_000
SQLITE_DEFAULT = 32_766  # SQLITE_MAX_VARIABLE_NUMBER unless a build raises it
DAY = dt.datetime(2026, 10, 6, 9, 0)


def _big_province(db) -> list[str]:
    """A node BIG with 40,000 communes under it; one dossier at the last, one outside."""
    add_units(db)
    add_procedures(db)
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level) VALUES ('BIG', 'Tỉnh lớn', 'province')")
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                         [(f"C{i:05d}", f"Xã {i}", "commune", "BIG") for i in range(MANY)])
    add_dossier(db, code="IN-1", unit=f"C{MANY - 1:05d}", received=DAY,
                due=DAY + dt.timedelta(days=1))
    add_dossier(db, code="OUT-1", unit="U1", received=DAY)
    scope = subtree_codes(db, "BIG")
    assert len(scope) == MANY + 1
    db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, SQLITE_DEFAULT)
    return scope


def test_a_scope_of_40000_units_filters(db):
    scope = _big_province(db)
    clauses, params = RegisterQuery(db, lambda: DAY).where(RegisterFilter(units=scope))
    found = db.execute("SELECT d.code FROM dossier_rows d WHERE " + " AND ".join(clauses),
                       params).fetchall()
    assert [r[0] for r in found] == ["IN-1"]
    day = DAY.date()
    assert book.count_rows(db, book.gather(db, day, day, "BIG")) == 1
    assert dossier_export.dossier_count(
        db, dossier_export.period_selection(db, None, None, "BIG")) == 1
    assert len(drill.dossiers_behind(db, "received.total", day, day, "BIG")) == 1
    assert drill.votes_behind(db, "satisfaction.votes", day, day, "BIG") == []
    late = queries.overdue_dossiers(db, scope, DAY + dt.timedelta(days=3),
                                    {"supplement": "pause", "due_basis": "original"})
    assert late.per_unit == {f"C{MANY - 1:05d}": 1}
