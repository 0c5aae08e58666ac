"""A calendar change moves the due times and figures of exactly the dossiers it touches."""
from __future__ import annotations

import datetime as dt

from core import recompute
from core.indicators import compute
from db.connection import transaction
from tests.core.factories import add_dossier, add_procedures, add_units


def test_new_office_holiday_moves_due_and_classification(db):
    add_units(db)
    add_procedures(db)
    touched = add_dossier(db, code="A", received=dt.datetime(2025, 3, 3, 8),
                          status="done", finished=dt.datetime(2025, 3, 5, 7, 30))
    later = add_dossier(db, code="B", received=dt.datetime(2025, 3, 20, 8))
    before = compute(db, dt.date(2025, 3, 1), dt.date(2025, 3, 31))["total"]["resolved"]
    assert before["on_time"] == 1  # due Wed 05/03 08:00, finished 07:30 the same day

    holiday = dt.date(2025, 3, 4)
    ids = recompute.dossiers_touching_dates(db, [holiday])
    assert ids == [touched]
    with transaction(db) as conn:
        conn.execute("INSERT INTO calendar(date, kind, name) VALUES (?, 'holiday', 'Nghỉ')",
                     [holiday.isoformat()])
        recompute.recompute(db, ids)
    due = db.execute("SELECT calc_due_at FROM dossiers WHERE id = ?", [touched]).fetchone()[0]
    assert due == "2025-03-06 08:00:00"
    after = compute(db, dt.date(2025, 3, 1), dt.date(2025, 3, 31))["total"]["resolved"]
    assert after["early"] == 1 and after["on_time"] == 0
    assert later not in ids
