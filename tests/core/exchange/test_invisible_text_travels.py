"""A package from another installation may hold a text with a hidden character an older version
stored (round 23 try-out, F5: an address with a right-to-left override). The package is taken
as sent, neither refused (the office could not exchange at all) nor cleaned (the two
installations would hold two versions of one dossier, and every later exchange would report it
changed); what a report reader sees of it — the masked export — holds no bidi control."""
from __future__ import annotations

import csv
import datetime as dt

from core import textnorm
from core.exchange import export_package, import_package
from core.transfer import export_file
from tests.core.exchange.conftest import receive

RLO = "\u202e"
ADDRESS = f"thôn Bãi\u200b, xã Đồng Giáp{RLO}, Lạng Sơn"


def _address(db, code):
    return db.execute("SELECT applicant_address FROM dossiers WHERE code = ?", [code]).fetchone()[0]


def test_a_hidden_character_from_an_older_installation_travels_as_sent_and_never_shows(
        counter, db, tmp_path):
    _, code = receive(counter, "Lò Văn Sử")
    # as an older version stored it (no rule then): past the core API
    counter.execute("UPDATE dossiers SET applicant_address = ? WHERE code = ?", [ADDRESS, code])
    package = tmp_path / "quay1.zip"
    export_package(counter, package, dt.date(2025, 10, 1))
    result = import_package(db, package)
    assert result.written and result.dossiers == {"new": 1}
    assert _address(db, code) == _address(counter, code) == ADDRESS  # the same dossier on both
    again = import_package(db, package)
    assert again.dossiers == {"identical": 1}, again.dossiers  # never "changed" by a cleaning
    out = tmp_path / "hs.csv"
    export_file(db, "dossiers", out)
    text = out.read_text(encoding="utf-8-sig")
    assert not textnorm.has_hidden(text)
    [row] = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert row["applicant_address"] == "***, xã Đồng Giáp, Lạng Sơn"
