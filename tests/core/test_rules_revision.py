"""A file whose due times older time rules computed is recomputed when opened (core.due
RULES_REVISION, core.facts.rules_current).

Revision 2 capped a same-day cut-off at the end of office hours: before it, a dossier received at
17:15 under a cut-off of 18:00 was stored due 17:00 of its own day (before its reception) and
counted late. Such a file keeps its schema (23), so no migration would recompute it: the revision
recorded in its settings does.
"""
from __future__ import annotations

import datetime as dt

import pytest

from core import due, timefmt
from core.database import _open_read_only, open_database
from core.indicators import compute
from db.errors import DatabaseEnvironmentError
from tests.core.factories import add_dossier, add_procedures, add_units

D = dt.datetime
MONDAY, TUESDAY = dt.date(2025, 3, 3), dt.date(2025, 3, 4)


def _old_rule(cal, cutoff):
    """Revision 1: the procedure's cut-off as it is, whatever the office hours."""
    return due.parse_hhmm(cutoff or due.DEFAULT_CUTOFF)


def _file_of_revision_1(db_path, monkeypatch) -> None:
    """A database as revision 1 left it: the evening dossier stored due before its reception."""
    db = open_database(db_path)
    add_units(db)
    add_procedures(db, [("P.SD18", "Chứng thực bản sao", 0, "same_day", 0, "none", 0, "18:00")])
    with monkeypatch.context() as patch:
        patch.setattr(due, "same_day_cutoff", _old_rule)
        add_dossier(db, code="U1-250303-0001", procedure="P.SD18",
                    received=D(2025, 3, 3, 17, 15), status="done", finished=D(2025, 3, 3, 17, 20))
    with db.conn:
        db.execute("DELETE FROM settings WHERE key = 'rules_revision'")
    stored = db.execute("SELECT calc_due_at FROM dossiers").fetchone()[0]
    assert stored == "2025-03-03 17:00:00"   # the old rule's due time, before the reception
    assert compute(db, MONDAY, TUESDAY)["total"]["resolved"]["late"] == 1
    db.close()


def test_a_new_database_records_the_revision_of_its_rules(db):
    assert db.execute("SELECT value FROM settings WHERE key = 'rules_revision'").fetchone()[0] \
        == str(due.RULES_REVISION)


def test_a_file_of_older_rules_is_recomputed_when_opened(db_path, monkeypatch):
    _file_of_revision_1(db_path, monkeypatch)
    db = open_database(db_path)
    try:
        stored = db.execute("SELECT calc_due_at FROM dossiers").fetchone()[0]
        assert stored == timefmt.to_db_time(D(2025, 3, 4, 17, 0))
        resolved = compute(db, MONDAY, TUESDAY)["total"]["resolved"]
        assert (resolved["early"], resolved["late"]) == (1, 0)
        revision = db.execute("SELECT value FROM settings WHERE key = 'rules_revision'").fetchone()
        assert revision[0] == str(due.RULES_REVISION)
        logged = db.execute("SELECT COUNT(*) FROM setting_changes WHERE key = 'rules_revision'")
        assert logged.fetchone()[0] == 0   # the program's own bookkeeping, not an office choice
    finally:
        db.close()


def test_a_file_of_older_rules_is_not_read_as_it_is(db_path, monkeypatch):
    """A file MotCua may not write cannot be recomputed: refused with a stale file's sentence
    (open_database takes this way for a file it cannot write; root here can write any)."""
    _file_of_revision_1(db_path, monkeypatch)
    with pytest.raises(DatabaseEnvironmentError, match="tính lại số liệu"):
        _open_read_only(db_path)
