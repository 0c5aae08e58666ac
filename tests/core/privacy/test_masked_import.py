"""A masked export imports back into its own database unchanged, never elsewhere, and a masked
phone never overwrites the real one."""
from __future__ import annotations

from core.database import open_database
from core.transfer import export_file, import_file
from tests.core.privacy.conftest import PHONE


def test_masked_export_round_trips_in_place_only(office, db, tmp_path):
    path = tmp_path / "d.csv"
    export_file(db, "dossiers", path)
    again = import_file(db, "dossiers", path)
    assert again.ok and again.unchanged == 4 and again.updated == 0
    phone = db.execute("SELECT applicant_phone FROM dossiers WHERE id = ?",
                       [office["old"]]).fetchone()[0]
    assert phone == PHONE
    for kind in ("units", "procedures"):
        export_file(db, kind, tmp_path / f"{kind}.csv")
    fresh = open_database(tmp_path / "fresh.db")
    try:
        for kind in ("units", "procedures"):
            assert import_file(fresh, kind, tmp_path / f"{kind}.csv").ok
        refused = import_file(fresh, "dossiers", path)
    finally:
        fresh.close()
    assert not refused.ok and refused.errors[0].column == "applicant_phone"
    assert "đã bị che" in refused.errors[0].reason


def test_a_masked_phone_of_another_number_is_refused(office, db, tmp_path):
    path = tmp_path / "d.csv"
    export_file(db, "dossiers", path)
    text = path.read_text(encoding="utf-8-sig").replace("0912****78", "0999****11", 1)
    path.write_text(text, encoding="utf-8-sig")
    result = import_file(db, "dossiers", path)
    assert not result.ok and "đã bị che" in result.errors[0].reason
