"""Issue 16 §3, spec 4 and 9: installations made as a clerk makes them (the first start's
questions, which now include which PC of how many this one is), issuing codes offline for the
same unit on the same day, merged at the centre: no code clashes, every dossier arrives, the
centre's figures are the sum of theirs. And a slot shared without a unit shared is no alarm."""
from __future__ import annotations

import datetime as dt

import pytest

from core import office_setup
from core.database import open_database
from core.exchange import export_package, slots
from core.exchange.merge import import_packages
from db.connection import transaction
from tests.core.exchange.conftest import receive
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.exchange.test_installations import figures
from tests.core.factories import add_procedures

pytestmark = pytest.mark.slot_unconfirmed  # each file starts as a real office's: unanswered
CENTRE, COMMUNE = "TT", "XA"


def installed(path, unit: str, slot: tuple[int, int]):
    """A new office file, answered through the first start (core.office_setup)."""
    db = open_database(path)
    level, name = ("centre", "Trung tâm") if unit == CENTRE else ("commune", "UBND xã An Sơn")
    office_setup.save_first_start(db, unit_code=unit, unit_name=name, level=level,
                                  header={"agency": name.upper()}, targets={"on_time": 0.9},
                                  year=2025, today=dt.date(2025, 10, 1), slot=slot)
    add_procedures(db)
    return db


def test_counters_and_a_commune_set_up_normally_merge_at_the_centre_without_a_clash(tmp_path):
    counter_a = installed(tmp_path / "a.db", CENTRE, (1, 3))
    counter_b = installed(tmp_path / "b.db", CENTRE, (2, 3))
    centre = installed(tmp_path / "centre.db", CENTRE, (3, 3))
    commune = installed(tmp_path / "xa.db", COMMUNE, (1, 1))  # alone for its own unit
    senders = (counter_a, counter_b, commune)
    issued = {}
    for number, db in enumerate((counter_a, counter_b, centre, commune)):
        unit = COMMUNE if db is commune else CENTRE
        issued[number] = [receive(db, f"Người {number}-{i}", minutes=5 * i + number, unit=unit)[1]
                          for i in range(4)]
    # the same unit and day everywhere, offline, and never the same code
    assert issued[0][0] == "TT-251020-0001" and issued[1][0] == "TT-251020-0002"
    assert issued[2][0] == "TT-251020-0003" and issued[3][0] == "XA-251020-0001"
    every = [code for codes in issued.values() for code in codes]
    assert len(set(every)) == len(every) == 16
    parts = [figures(db) for db in (*senders, centre)]
    packages = []
    for number, db in enumerate(senders):
        packages.append(tmp_path / f"goi{number}.zip")
        export_package(db, packages[-1], SINCE)
    batch = import_packages(centre, packages)
    assert batch.written and not batch.pending
    for result in batch.results:
        assert result.conflict_count == 0 and result.clashes == 0
        assert result.dossiers == {"new": 4}
        assert not [w for w in result.warnings if "số hiệu cấp mã" in w], result.warnings
    here = {r[0] for r in centre.execute("SELECT code FROM dossiers")}
    assert here == set(every)
    merged = figures(centre)
    assert merged == {key: sum(p[key] for p in parts) for key in merged}
    assert merged["received"] == 16
    ok(centre)
    for db in (*senders, centre):
        db.close()


def test_the_same_slot_for_different_units_is_no_alarm_but_a_shared_unit_is(tmp_path):
    """A commune PC in 1/1 sends its own commune's dossiers to a centre in 1/1 issuing for the
    centre's unit: fine. The same commune PC having also issued codes for the centre's unit
    that day: the preview names the unit, the day and the codes both can have given."""
    centre = installed(tmp_path / "centre.db", CENTRE, (1, 1))
    commune = installed(tmp_path / "xa.db", COMMUNE, (1, 1))
    for i in range(3):
        receive(centre, f"Người trung tâm {i}", minutes=i, unit=CENTRE)
        receive(commune, f"Người xã {i}", minutes=i, unit=COMMUNE)
    package = tmp_path / "xa.zip"
    export_package(commune, package, SINCE)
    result = import_import(centre, package)
    assert not [w for w in result.warnings if "số hiệu cấp mã" in w], result.warnings
    with transaction(commune) as conn:  # the centre's unit, in the commune's catalogue too
        conn.execute("INSERT INTO units(code, name, level) VALUES (?, 'Trung tâm', 'centre')",
                     [CENTRE])
    receive(commune, "Người xã nộp cho trung tâm", minutes=30, unit=CENTRE)
    export_package(commune, package, SINCE, replace=True)
    result = import_import(centre, package)
    said = [w for w in result.warnings if w.startswith("Máy gửi")]
    assert len(said) == 1 and "cũng giữ số hiệu cấp mã 1/1 như máy này" in said[0]
    assert "đơn vị TT ngày 20/10/2025 (mã TT-251020-0001)" in said[0], said
    # and the clash it caused is named by its code
    assert result.clashes == 1
    assert any("1 mã hồ sơ (TT-251020-0001) được cấp cho hai hồ sơ khác nhau" in w
               for w in result.warnings), result.warnings
    centre.close()
    commune.close()


def import_import(db, package):
    return import_packages(db, [package], dry_run=True).results[0]


@pytest.mark.parametrize("one, other, up_to, numbers", [
    ((1, 1), (1, 1), 3, [1, 2, 3]), ((1, 2), (2, 2), 12, []), ((1, 2), (1, 3), 12, [1, 7]),
    ((2, 4), (1, 2), 12, []), ((2, 2), (1, 1), 5, [2, 4]), ((3, 4), (1, 6), 12, [7]),
])
def test_which_slots_can_draw_the_same_number(one, other, up_to, numbers):
    assert slots.classes_meet(one, other) is bool(numbers)
    assert slots.common_numbers(one, other, up_to) == numbers


def test_a_package_of_an_older_version_is_warned_about_by_its_slot_alone(db):
    manifest = {"installation": {"id": "x" * 32, "slot": 1, "of": 1}}
    [said] = slots.sender_warnings(db, manifest)
    assert "cũng giữ số hiệu cấp mã 1/1" in said and "có thể cấp trùng" in said
    bad = {**manifest, slots.ISSUED_KEY: {"TT": {"2510": 3}}}  # not a day: not trusted
    assert slots.issued_of(bad) is None and len(slots.sender_warnings(db, bad)) == 1
    assert slots.sender_warnings(db, {**manifest, slots.ISSUED_KEY: {}}) == []
