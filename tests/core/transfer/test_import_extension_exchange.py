"""An imported extension's moment (core.live_due.imported_extension_at) travels with its dossier
in an exchange package as it is stored: the receiving office's `--as-of` reads the same moment,
and its `check` holds (round 30 review)."""
from __future__ import annotations

import datetime as dt

from core.database import open_database
from core.exchange import export_package
from core.exchange.merge import import_packages
from core.maintenance.audit_rows import verify_rows
from core.transfer import import_file
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv
from tests.core.transfer.test_import_extension_moment import ROW, _extended_at


def test_the_moment_round_trips_through_a_package(catalog, tmp_path):
    rows = [dossier_row("XTD-250203-0001", **ROW)]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", DOSSIERS_HEADER, rows)).ok
    assert _extended_at(catalog, "XTD-250203-0001") == "2025-02-12 10:00:00"
    package = tmp_path / "goi.zip"
    export_package(catalog, package, dt.date(2025, 1, 1))
    other = open_database(tmp_path / "other.db")
    try:
        assert import_packages(other, [package]).written
        assert _extended_at(other, "XTD-250203-0001") == "2025-02-12 10:00:00"
        assert other.execute("SELECT previous_due_at FROM extensions").fetchone() == \
            catalog.execute("SELECT previous_due_at FROM extensions").fetchone()
        assert all(finding.ok for finding in verify_rows(other))
    finally:
        other.close()
