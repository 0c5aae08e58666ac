"""A complaint cancelled by an imported file leaves the history line a cancellation in the
window leaves: the chained `cancel_complaint` event with the account importing."""
from __future__ import annotations

import json

from core import complaints
from core.maintenance.audit import audit_findings
from core.transfer import import_file
from db import actor
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv
from tests.core.transfer.test_import_766 import COMPLAINTS_HEADER

CLERK = actor.Actor("canbo.hoa", "Lê Thị Hoa", frozenset({"clerk", "admin"}))
HEADER = COMPLAINTS_HEADER + ["cancelled_at", "cancel_reason"]


def cancel_events(db) -> list[tuple]:
    return db.execute("SELECT actor, action, details FROM events "
                      "WHERE action = 'cancel_complaint' ORDER BY id").fetchall()


def test_a_complaint_cancelled_by_a_file_has_its_history_event(catalog, tmp_path):
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER,
                                                      [dossier_row("A")])).ok
    rows = [["A", "2025-01-04 08:00", "phone", "Chậm trả", "", ""],
            ["A", "2025-01-04 09:00", "phone", "Thái độ", "", ""]]
    with actor.acting_as(CLERK):
        assert import_file(catalog, "complaints",
                           write_csv(tmp_path / "c.csv", COMPLAINTS_HEADER, rows)).ok
        assert cancel_events(catalog) == []
        # the first stored complaint is cancelled by the file; a third comes in cancelled
        later = write_csv(tmp_path / "huy.csv", HEADER, [
            rows[0] + ["2025-01-05 11:00", "Ghi nhầm"], rows[1] + ["", ""],
            ["A", "2025-01-04 10:00", "phone", "Trùng", "", "", "2025-01-04 10:30", "Trùng"]])
        result = import_file(catalog, "complaints", later)
        assert result.ok and (result.added, result.updated) == (1, 1), result.errors
    events = cancel_events(catalog)
    assert [(a, act) for a, act, _ in events] == [("canbo.hoa", "cancel_complaint")] * 2
    assert json.loads(events[0][2]) == {"reason": "Ghi nhầm", "source": "huy.csv"}
    assert json.loads(events[1][2])["reason"] == "Trùng"
    assert all(f.ok for f in audit_findings(catalog)), [f.text for f in audit_findings(catalog)]
    # importing the same file again cancels nothing more and adds no event
    with actor.acting_as(CLERK):
        assert import_file(catalog, "complaints", later).ok
    assert len(cancel_events(catalog)) == 2


def test_the_window_and_the_file_write_the_same_event(catalog, tmp_path):
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER,
                                                      [dossier_row("A")])).ok
    with actor.acting_as(CLERK):
        assert import_file(catalog, "complaints", write_csv(
            tmp_path / "c.csv", COMPLAINTS_HEADER,
            [["A", "2025-01-04 08:00", "phone", "Chậm trả", "", ""]])).ok
        complaint_id = catalog.execute("SELECT id FROM complaints").fetchone()[0]
        complaints.cancel_complaint(catalog, complaint_id, reason="Ghi nhầm")
    (who, action, details), = cancel_events(catalog)
    assert (who, action, json.loads(details)) == ("canbo.hoa", "cancel_complaint",
                                                  {"reason": "Ghi nhầm"})
