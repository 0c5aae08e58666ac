"""The autouse check of tests/core/conftest.py sees a forgotten refresh and a kpi_daily cell
out of step (run on a second file, so this test's own check stays quiet)."""
from __future__ import annotations

import datetime as dt

from core.database import open_database
from db.connection import transaction
from tests.core import conftest, factories


def test_a_write_without_refresh_and_a_wrong_sum_are_seen(tmp_path):
    path = tmp_path / "other.db"
    db = open_database(path)
    factories.add_units(db)
    factories.add_procedures(db)
    factories.add_dossier(db, code="U1-1", received=dt.datetime(2025, 3, 3, 9, 0))
    factories.add_dossier(db, code="U1-2", received=dt.datetime(2025, 3, 4, 9, 0))
    assert conftest.drift(path) == []
    with transaction(db) as conn:  # a correction that forgot facts.refresh
        conn.execute("UPDATE dossiers SET received_at = '2025-03-10 09:00:00' WHERE code = 'U1-1'")
    found = conftest.drift(path)
    assert len(found) == 1 and found[0].startswith("hồ sơ U1-1:")
    with transaction(db) as conn:
        conn.execute("UPDATE dossiers SET received_at = '2025-03-03 09:00:00' WHERE code = 'U1-1'")
        conn.execute("UPDATE kpi_daily SET recv_direct_postal = recv_direct_postal + 1 WHERE unit_code = 'U1'"
                     " AND day = '2025-03-04'")
    found = conftest.drift(path)
    assert len(found) == 1 and found[0].startswith("kpi_daily ('U1', '2025-03-04', 'recv_direct_postal')")
    db.close()
