"""`--unit "CODE "`: the spaces a copied cell or a quoted script brings are dropped by every
command (main.py's parser, core.cli.unit_code), not read as another unit."""
from __future__ import annotations

import csv

import pytest

import main
from core.transfer import import_file
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv


@pytest.fixture
def office(catalog, tmp_path, db_path):
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, [
        dossier_row(), dossier_row("XVQ-250102-0001", unit_code="XVQ")])).ok
    catalog.close()
    return str(db_path)


@pytest.mark.parametrize("typed", ["XTD ", " XTD", "\tXTD  "])
def test_spaces_around_the_code_are_dropped(office, tmp_path, capsys, typed):
    assert main.main(["--db", office, "kpi", "--from", "2025-01-01", "--to", "2025-01-31",
                      "--unit", typed, "--json"]) == 0
    assert '"code": "XTD"' in capsys.readouterr().out
    out = tmp_path / "x.csv"
    assert main.main(["--db", office, "export", "dossiers", str(out), "--unit", typed]) == 0
    with open(out, encoding="utf-8-sig") as handle:
        assert [r["code"] for r in csv.DictReader(handle)] == ["XTD-250102-0001"]
    assert main.main(["--db", office, "report", "book", "--from", "2025-01-01", "--to",
                      "2025-01-31", "--unit", typed, "--out", str(tmp_path / "s.pdf")]) == 0


def test_a_code_of_spaces_is_refused(office, capsys):
    assert main.main(["--db", office, "kpi", "--from", "2025-01-01", "--to", "2025-01-31",
                      "--unit", "  "]) == 2
    assert "tham số --unit: mã đơn vị đang trống" in capsys.readouterr().err
