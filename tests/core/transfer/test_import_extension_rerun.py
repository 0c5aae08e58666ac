"""Review of round 29: an extension's previous due (core.live_due.extension_previous) follows
the file when an import re-run changes what it is computed from — the supplement waits, the
reception — and keeps the extension itself: it was left as computed from the waits before."""
from __future__ import annotations

from core import timefmt
from core.live_due import due_of_dossier
from core.transfer import import_file
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv
from tests.core.transfer.test_import_extension_waits import NEW_DUE, WAITED, _id, _stored


def _moved(db, code: str) -> str:
    extended_at = db.execute("SELECT e.extended_at FROM extensions e JOIN dossiers d "
                             "ON d.id = e.dossier_id WHERE d.code = ?", [code]).fetchone()[0]
    moved = due_of_dossier(db, _id(db, code), timefmt.parse_db_time(extended_at),
                           before_extension=True)[1]
    assert moved is not None
    return timefmt.to_db_time(moved)


def test_a_rerun_changing_the_waits_moves_the_previous_due_again(catalog, tmp_path):
    code = "XTD-250210-0001"
    first = [dossier_row(code, **WAITED, extended_due_at=NEW_DUE)]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", DOSSIERS_HEADER, first)).ok
    before = _stored(catalog, code)
    longer = {**WAITED, "supplement_completed_at": "2025-02-24 08:00"}  # 5 more working days
    again = [dossier_row(code, **longer, extended_due_at=NEW_DUE)]  # the same extension
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "b.csv", DOSSIERS_HEADER, again))
    assert result.ok
    assert _stored(catalog, code) == _moved(catalog, code) != before
    from core.maintenance.audit_rows import verify_rows  # the ledger follows the write
    assert all(finding.ok for finding in verify_rows(catalog))


def test_a_rerun_changing_the_reception_moves_the_previous_due_again(catalog, tmp_path):
    code = "XTD-250210-0001"
    first = [dossier_row(code, **WAITED, extended_due_at=NEW_DUE)]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", DOSSIERS_HEADER, first)).ok
    before = _stored(catalog, code)
    later = {**WAITED, "received_at": "2025-02-11 08:00"}
    again = [dossier_row(code, **later, extended_due_at=NEW_DUE)]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "b.csv", DOSSIERS_HEADER, again)).ok
    assert _stored(catalog, code) == _moved(catalog, code) != before
