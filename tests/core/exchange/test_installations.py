"""Several installations (spec 4, 9): no two issue the same code; a centre merges them all."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import installation
from core.errors import InputError
from core.exchange import export_package, import_package
from core.indicators import compute
from tests.core.exchange.conftest import busy_day, office, receive
from tests.core.exchange.test_exchange import SINCE, ok, snapshot
from tests.core.factories import add_procedures, add_units
from tests.pdfread import pdf_text


@pytest.mark.parametrize("last, slot, of, expected", [
    (0, 1, 1, 1), (7, 1, 1, 8),              # one PC: as before slots existed
    (0, 2, 3, 2), (2, 2, 3, 5), (3, 2, 3, 5), (4, 2, 3, 5), (5, 2, 3, 8),
    (0, 3, 3, 3), (9998, 1, 2, 9999), (9999, 2, 2, 10000),
])
def test_each_slot_draws_only_its_own_residue(last, slot, of, expected):
    assert installation.next_number(last, slot, of) == expected


def test_a_slot_outside_its_group_is_refused(db):
    with pytest.raises(InputError, match="từ 1 đến 3"):
        installation.set_slot(db, 4, 3)
    with pytest.raises(InputError, match="từ 1 đến 99"):
        installation.set_slot(db, 1, 100)


def test_the_installation_id_is_made_once(db):
    first = installation.installation_id(db)
    assert len(first) == 32 and installation.installation_id(db) == first


@pytest.fixture
def counters(tmp_path):
    a, b = office(tmp_path / "a.db", (1, 2)), office(tmp_path / "b.db", (2, 2))
    yield a, b
    a.close()
    b.close()


def test_two_installations_issue_codes_for_the_same_unit_and_day_and_merge(counters, tmp_path):
    a, b = counters
    codes_a = busy_day(a) + [receive(a, f"Khách A{i}", minutes=40 + i)[1] for i in range(3)]
    codes_b = busy_day(b, ("Vũ Văn Tư", "Lý Thị Năm", "Mạc Văn Sáu"), vote_minute=1) + \
        [receive(b, f"Khách B{i}", minutes=40 + i)[1] for i in range(3)]
    assert [c[-4:] for c in codes_a] == ["0001", "0003", "0005", "0007", "0009", "0011"]
    assert [c[-4:] for c in codes_b] == ["0002", "0004", "0006", "0008", "0010", "0012"]
    to_b, to_a = tmp_path / "a_to_b.zip", tmp_path / "b_to_a.zip"
    export_package(a, to_b, SINCE)
    export_package(b, to_a, SINCE)
    assert import_package(b, to_b).dossiers == {"new": 6}
    assert import_package(a, to_a).dossiers == {"new": 6}
    assert snapshot(a)["dossiers"] == snapshot(b)["dossiers"]
    # each sends back what it received: nothing new, nothing clashes
    export_package(a, to_b, SINCE, replace=True)
    assert import_package(b, to_b).dossiers == {"identical": 12}
    assert receive(a, "Khách sau khi nhập", minutes=90)[1].endswith("-0013")
    ok(a)
    ok(b)


def test_the_same_slot_on_two_pcs_is_pointed_out(tmp_path):
    a, centre = office(tmp_path / "a.db", (1, 2)), office(tmp_path / "centre.db", (1, 2))
    busy_day(a)
    receive(centre, "Người ở trung tâm", minutes=200)  # it issued codes for U1 that day too
    package = tmp_path / "a.zip"
    export_package(a, package, SINCE)
    a.close()
    result = import_package(centre, package, dry_run=True)
    assert any("số hiệu cấp mã 1/2" in w for w in result.warnings)
    centre.close()


def test_two_pcs_both_left_at_slot_1_of_1_are_pointed_out(tmp_path, db):
    """Spec 4, 9: a package from another PC at the default slot 1/1 into a PC at 1/1 — both
    draw 0001, 0002… for the same unit and day, so their codes can clash: said before the
    merge, as for 1/2 and 1/2 (the preview skipped groups of one)."""
    a = office(tmp_path / "a.db", (1, 1))
    assert installation.slot(db) == (1, 1)
    busy_day(a)
    add_units(db)
    add_procedures(db)
    receive(db, "Người ở trung tâm", minutes=200)  # U1 on the same day: 0001 here as there
    package = tmp_path / "a.zip"
    export_package(a, package, SINCE)
    a.close()
    result = import_package(db, package, dry_run=True)
    said = [w for w in result.warnings if "cũng giữ số hiệu cấp mã 1/1" in w]
    assert len(said) == 1, result.warnings
    # the units, day and codes concerned are named: both drew 0001 for U1 on 20/10/2025
    assert "đơn vị U1 ngày 20/10/2025 (mã U1-251020-0001)" in said[0], said


def figures(db) -> dict:
    doc = compute(db, dt.date(2025, 10, 1), dt.date(2025, 10, 31),
                  as_of=dt.datetime(2025, 10, 20, 16))
    total = doc["total"]
    return {"received": total["received"]["total"], "resolved": total["resolved"]["total"],
            "in_progress": total["in_progress"]["total"], "votes": total["satisfaction"]["votes"],
            "paid_online": total["online_payment"]["fee_dossiers"]}


def test_a_centre_merges_counters_and_communes_and_prints_the_sum(counters, db, tmp_path):
    """Two counter PCs and a commune without network (its own unit) send packages; the
    centre's consolidated monthly report shows the sum of their figures."""
    a, b = counters
    commune = office(tmp_path / "commune.db", (1, 1))
    busy_day(a)
    busy_day(b, ("Vũ Văn Tư", "Lý Thị Năm"), vote_minute=1)
    for i in range(4):
        receive(commune, f"Người xã {i}", minutes=i, unit="U2")
    parts = [figures(x) for x in (a, b, commune)]
    for number, sender in enumerate((a, b, commune)):
        package = tmp_path / f"p{number}.zip"
        export_package(sender, package, SINCE)
        assert import_package(db, package).written
    commune.close()
    merged = figures(db)
    assert merged == {key: sum(p[key] for p in parts) for key in merged}
    assert merged["received"] == 3 + 2 + 4
    out = tmp_path / "thang10.pdf"
    assert main.main(["--db", str(tmp_path / "test.db"), "report", "monthly", "--month",
                      "2025-10", "--as-of", "2025-10-20 16:00", "--out", str(out)]) == 0
    text = pdf_text(out)
    assert "Xã An Sơn" in text and "Xã Hòa Bình" in text
    ok(db)
