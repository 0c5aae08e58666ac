"""Every change to a complaint leaves exactly one line in its dossier's chained history, with
the same action word whichever way it was made: the window (core.complaints), a file imported
in the window or by `python main.py import complaints` (core.transfer.complaints)."""
from __future__ import annotations

import json

import main
from core import complaints
from core.maintenance.audit import audit_findings
from core.transfer import import_file
from db import actor
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv
from tests.core.transfer.test_import_766 import COMPLAINTS_HEADER

CLERK = actor.Actor("canbo.hoa", "Lê Thị Hoa", frozenset({"clerk", "admin"}))
FIRST = ["A", "2025-01-04 08:00", "phone", "Chậm trả", "", ""]
SECOND = ["A", "2025-01-04 09:00", "direct", "Thái độ", "Đã xin lỗi", "2025-01-05 10:00"]


def complaint_events(db) -> list[tuple]:
    return [(who, action, json.loads(details)) for who, action, details in db.execute(
        "SELECT actor, action, details FROM events WHERE action IN (?, ?, ?) ORDER BY id",
        [complaints.RECORDED, complaints.RESOLVED, complaints.CANCELLED]).fetchall()]


def with_dossier(catalog, tmp_path):
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER,
                                                      [dossier_row("A")])).ok


def test_complaints_imported_then_answered_by_file_are_in_the_history(catalog, tmp_path):
    with_dossier(catalog, tmp_path)
    with actor.acting_as(CLERK):
        first = write_csv(tmp_path / "c.csv", COMPLAINTS_HEADER, [FIRST, SECOND])
        assert import_file(catalog, "complaints", first).ok
        assert import_file(catalog, "complaints", first).ok  # the same file again: nothing
        answer = write_csv(tmp_path / "tra_loi.csv", COMPLAINTS_HEADER,
                           [FIRST[:4] + ["Đã trả kết quả", "2025-01-06 09:00"], SECOND])
        result = import_file(catalog, "complaints", answer)
        assert result.ok and (result.added, result.updated) == (0, 1), result.errors
    assert complaint_events(catalog) == [
        ("canbo.hoa", "complaint", {"channel": "phone", "received_at": "2025-01-04 08:00:00",
                                    "source": "c.csv"}),
        ("canbo.hoa", "complaint", {"channel": "direct", "received_at": "2025-01-04 09:00:00",
                                    "source": "c.csv"}),
        ("canbo.hoa", "resolve_complaint", {"resolved_at": "2025-01-06 09:00:00",
                                            "source": "tra_loi.csv"})]
    assert all(f.ok for f in audit_findings(catalog)), [f.text for f in audit_findings(catalog)]


def test_the_window_writes_the_same_words_without_a_file(catalog, tmp_path):
    with_dossier(catalog, tmp_path)
    dossier_id = catalog.execute("SELECT id FROM dossiers").fetchone()[0]
    with actor.acting_as(CLERK):
        complaint_id = complaints.add_complaint(catalog, dossier_id, channel="phone",
                                                content="Chậm trả")
        complaints.resolve_complaint(catalog, complaint_id, resolution="Đã trả")
        complaints.cancel_complaint(catalog, complaint_id, reason="Ghi nhầm")
    events = complaint_events(catalog)
    assert [(who, action) for who, action, _ in events] == [
        ("canbo.hoa", "complaint"), ("canbo.hoa", "resolve_complaint"),
        ("canbo.hoa", "cancel_complaint")]
    assert not any("source" in details for _, _, details in events)


def test_the_command_line_import_records_the_operating_system_user(catalog, tmp_path, capsys):
    with_dossier(catalog, tmp_path)
    path = catalog.execute("PRAGMA database_list").fetchone()[2]
    csv = write_csv(tmp_path / "c.csv", COMPLAINTS_HEADER, [FIRST])
    assert main.main(["--db", path, "import", "complaints", str(csv)]) == 0, capsys.readouterr()
    (who, action, details), = complaint_events(catalog)
    assert (who, action, details["source"]) == (actor.login(), "complaint", "c.csv")
    assert who.startswith("os:")
