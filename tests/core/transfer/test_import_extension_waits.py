"""An imported extension records the due time it moved as extend() does: with the supplement
waits (spec 2.3, core.live_due.extension_previous), the one the window, the apology (Mẫu 04)
and the control sheet show, not the 2.2 due time before the waits."""
from __future__ import annotations

import datetime as dt

from core import dossiers, timefmt
from core.live_due import due_of_dossier
from core.pdf import slips
from core.pdf.slip_data import load_dossier, load_extension
from core.pdf.vnformat import clock_date
from core.transfer import import_file
from tests.core.transfer.conftest import DOSSIERS_HEADER, NOW, dossier_row, write_csv
from tests.pdfread import pdf_text

T = dt.datetime
WAITED = {"procedure_code": "1.004227", "received_at": "2025-02-10 08:00",  # 15 working days
          "status": "processing", "finished_at": "", "returned_at": "",
          "supplement_requested_at": "2025-02-12 08:00",  # 3 working days of wait
          "supplement_completed_at": "2025-02-17 08:00"}
NEW_DUE = "2025-03-20 17:00"


def _stored(db, code: str) -> str:
    return db.execute("SELECT e.previous_due_at FROM extensions e JOIN dossiers d "
                      "ON d.id = e.dossier_id WHERE d.code = ?", [code]).fetchone()[0]


def _id(db, code: str) -> int:
    return db.execute("SELECT id FROM dossiers WHERE code = ?", [code]).fetchone()[0]


def test_imported_extension_moves_the_due_with_its_waits(catalog, tmp_path):
    rows = [dossier_row("XTD-250210-0001", **WAITED, extended_due_at=NEW_DUE),
            dossier_row("XTD-250210-0002", **WAITED)]  # its twin, extended by hand below
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows)).ok
    twin = _id(catalog, "XTD-250210-0002")
    dossiers.extend(catalog, twin, new_due_at=timefmt.parse_db_time(NEW_DUE), at=NOW,
                    reason="Cần xác minh.", actor="Hà Thị Mai")
    by_hand = _stored(catalog, "XTD-250210-0002")
    imported = _stored(catalog, "XTD-250210-0001")
    statutory = catalog.execute("SELECT calc_due_at FROM dossiers WHERE code = ?",
                                ["XTD-250210-0001"]).fetchone()[0]
    assert by_hand != statutory  # the waits move it: the case the import got wrong
    assert imported == by_hand
    # the apology's "hạn cũ" (read again from the waits) is the one stored
    moved = load_extension(catalog, load_dossier(catalog, "XTD-250210-0001")).previous_due
    assert timefmt.to_db_time(moved) == imported
    assert due_of_dossier(catalog, _id(catalog, "XTD-250210-0001"), NOW,
                          before_extension=True)[1] == moved
    text = " ".join(pdf_text(_apology(catalog, tmp_path, "XTD-250210-0001")).split())
    assert f"hẹn trả kết quả giải quyết hồ sơ: {clock_date(moved)}" in text


def test_an_extension_the_file_changes_moves_the_due_with_its_waits_again(catalog, tmp_path):
    first = [dossier_row("XTD-250210-0001", **WAITED, extended_due_at=NEW_DUE)]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", DOSSIERS_HEADER, first)).ok
    later = [dossier_row("XTD-250210-0001", **WAITED, extended_due_at="2025-03-25 17:00")]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "b.csv", DOSSIERS_HEADER, later)).ok
    dossier_id = _id(catalog, "XTD-250210-0001")
    moved = due_of_dossier(catalog, dossier_id, NOW, before_extension=True)[1]
    assert moved is not None
    assert _stored(catalog, "XTD-250210-0001") == timefmt.to_db_time(moved)
    from core.maintenance.audit_rows import verify_rows  # the ledger follows both writes
    assert all(finding.ok for finding in verify_rows(catalog))


def _apology(db, tmp_path, code: str):
    path = tmp_path / f"{code}.pdf"
    path.write_bytes(slips.build_apology(db, code))
    return path
