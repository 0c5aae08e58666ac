"""Which dossiers a package carries: "changed since a day" read on the stored event rows gives
exactly what the readable view `events` gives (moments as seconds, odd ones kept as text)."""
from __future__ import annotations

import datetime as dt

from core import demo
from core.exchange.export import changed_dossiers


def _by_view(db, since: dt.date) -> list[int]:
    day = since.isoformat()
    return [r[0] for r in db.execute(
        "SELECT d.id FROM dossiers d WHERE d.received_at >= :s OR d.updated_at >= :s "
        "OR EXISTS (SELECT 1 FROM events e WHERE e.dossier_id = d.id AND e.at >= :s) "
        "OR EXISTS (SELECT 1 FROM payments p WHERE p.dossier_id = d.id "
        "AND (p.paid_at >= :s OR p.cancelled_at >= :s)) "
        "OR EXISTS (SELECT 1 FROM supplements w WHERE w.dossier_id = d.id "
        "AND (w.requested_at >= :s OR w.completed_at >= :s)) "
        "OR EXISTS (SELECT 1 FROM votes v WHERE v.dossier_id = d.id "
        "AND (v.voted_at >= :s OR v.cancelled_at >= :s)) ORDER BY d.id", {"s": day})]


def test_changed_since_agrees_with_the_events_as_read(db):
    demo.generate(db, dossiers=400, seed=5, today=dt.date(2025, 6, 30))
    # an old dossier whose only late trace is an event with a moment kept as text
    old = db.execute("SELECT id FROM dossiers ORDER BY received_at LIMIT 1").fetchone()[0]
    db.execute("UPDATE dossiers SET updated_at = received_at WHERE id = ?", [old])
    db.execute("INSERT INTO events(dossier_id, at, action) VALUES (?, '2025-06-20T09:00', 'x')",
               [old])
    late = []
    for day in range(1, 31, 3):
        since = dt.date(2025, 6, day)
        found = changed_dossiers(db, since, None)
        assert found == _by_view(db, since), since
        late.append(old in found)
    assert late[:7] == [True] * 7 and late[-1] is False  # the text moment counts, up to its day
