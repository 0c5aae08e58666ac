"""Files from another system, imported through the command line, give hand-worked indicators.

tests/data/e2e holds a small office: the swapped Saturday 26/04/2025 as a workday, one dossier
per limit unit, a supplement wait, an extension, a withdrawal, payments and votes. The
expected numbers below were worked out by hand from spec 2 and 5.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.copies import copied

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "e2e"
KINDS = ("units", "procedures", "calendar", "dossiers", "payments", "votes")


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db), *args],
                          capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def built_office(tmp_path_factory) -> Path:
    """The office imported once for the module (six runs of the command, ~6 s of CPU)."""
    db = tmp_path_factory.mktemp("e2e") / "office.db"
    for kind in KINDS:
        result = cli(db, "import", kind, str(DATA / f"{kind}.csv"), "--new-db")
        assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def office(built_office, tmp_path) -> Path:
    """This test's own copy of the office (`kpi` may store what it derives): independent tests."""
    return copied(built_office, tmp_path)


def kpi(db: Path, *extra: str) -> dict:
    result = cli(db, "kpi", "--from", "2025-04-01", "--to", "2025-04-30", "--json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_april_figures_worked_by_hand(office):
    doc = kpi(office)
    x1, x2 = doc["units"][1], doc["units"][2]
    # X1: 24/04 16:30 + 3 days -> due Mon 28/04 16:30 (Saturday worked), finished 29/04: late;
    # same-day after 15:00 on Fri 25/04 -> due Sat 26/04 17:00, finished that morning: on time.
    assert x1["resolved"] == {"total": 2, "early": 0, "on_time": 1, "late": 1}
    assert x1["on_time_rate"] == 0.5
    assert x1["online_full"] == {"count": 1, "eligible": 2, "received": 2, "rate": 0.5}
    assert x1["online_payment"] == {"paid_online": 0, "fee_dossiers": 1, "rate": 0.0}
    # X2: the 0.5-day dossier (due 28/04 16:00) waited 1 working hour -> 17:00: overdue at
    # 01/05 00:00; the land dossier waits for its supplement; the withdrawal is in May.
    assert x2["in_progress"] == {"total": 3, "within_time": 2, "overdue": 1}
    assert x2["online_payment"] == {"paid_online": 1, "fee_dossiers": 1, "rate": 1.0}
    assert x2["satisfaction"] == {"votes": 1, "satisfied": 0, "rate": 0.0}
    assert doc["total"]["meets"] == {"on_time": False, "online_full": False,
                                      "online_payment": True, "satisfaction": False}


def test_extended_basis_uses_the_new_date(office):
    doc = kpi(office, "--due-basis", "extended")
    assert doc["units"][2]["in_progress"]["overdue"] == 0  # extended to 06/05


def test_export_then_import_elsewhere_gives_the_same_figures(office, tmp_path):
    copy = tmp_path / "copy.db"
    for kind in KINDS:
        out = tmp_path / f"{kind}.xlsx"
        full = ("--full-data", "--purpose", "Chuyển sang máy khác") if kind == "dossiers" else ()
        assert cli(office, "export", kind, str(out), *full).returncode == 0
        result = cli(copy, "import", kind, str(out), "--new-db")
        assert result.returncode == 0, result.stderr
    for extra in ((), ("--supplement", "restart")):
        assert kpi(copy, *extra) == kpi(office, *extra)
