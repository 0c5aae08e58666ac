"""The dossiers the reference rules evaluate are read a chunk at a time: a year of a million
(Biểu 06 by field, --as-of) held 1.3 GB as one list; now memory stays that of one chunk."""
from __future__ import annotations

import datetime as dt

from core import demo
from core.indicators.asof import dossiers_in_play
from core.moment import load_inputs


def test_inputs_come_a_chunk_at_a_time_and_all_of_them(db):
    demo.generate(db, dossiers=1300, seed=2, today=dt.date(2025, 6, 30))
    ids = dossiers_in_play(db, dt.datetime(2024, 1, 1), dt.datetime(2025, 7, 1))
    assert len(ids) > 1000
    reads: list[str] = []
    db.conn.set_trace_callback(lambda sql: reads.append(sql) if "WHERE d.id IN" in sql else None)
    try:
        items = load_inputs(db, ids)
        first = next(items)
        assert len(reads) == 1  # one chunk read for the first dossier, not every one
        rest = list(items)
    finally:
        db.conn.set_trace_callback(None)
    assert sorted([first.id] + [item.id for item in rest]) == sorted(ids)
    assert len(reads) == -(-len(ids) // 500)  # one read a chunk of 500


def test_a_caller_may_write_between_two_dossiers(db):
    # core.facts writes each dossier's facts while it walks them: the rows of a chunk are read
    # whole before the first is handed out, so no write meets an open read
    demo.generate(db, dossiers=600, seed=4, today=dt.date(2025, 6, 30))
    ids = [r[0] for r in db.execute("SELECT id FROM dossiers ORDER BY id")]
    seen = []
    for item in load_inputs(db, ids):
        db.execute("UPDATE dossiers SET note = 'x' WHERE id = ?", [item.id])
        seen.append(item.id)
    assert seen == ids
