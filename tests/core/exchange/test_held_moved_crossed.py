"""Two packages of one operation bring a held dossier in versions not on one line (a crossing,
core.exchange.merge: the clerk picks one), one of them out of its unit's dates at the centre
(round 31's refusal, core.exchange.held_absent). The pass that finds the crossing is run again
with the code set aside: what it wrote in turn is not what the operation writes, so it refuses
nothing; the version chosen is judged, whatever the order of the packages."""
from __future__ import annotations

import datetime as dt

import pytest

from core import catalogue
from core import dossiers as D
from core.errors import InputError
from core.exchange import export_package
from core.exchange.merge import import_packages
from core.maintenance import check
from db.connection import transaction
from tests.core.exchange.conftest import DAY, clock_at, office
from tests.core.factories import add_procedures, add_units

SINCE = dt.date(2025, 10, 1)


@pytest.fixture
def crossed(tmp_path, db):
    """The centre received X at Xã Hòa Bình (U2) on 15/10 and sent it to two counters; A moved
    its reception to 20/10, B asked for a supplement; here U2 ended on 19/10."""
    add_units(db)
    add_procedures(db)
    _, code = D.create_dossier(db, unit_code="U2", procedure_code="P.WD2",
                               applicant_name="Người nộp", received_at=dt.datetime(2025, 10, 15, 9))
    start = tmp_path / "start.zip"
    export_package(db, start, SINCE)
    a, b = (office(tmp_path / f"{name}.db", slot, catalogue=False)
            for name, slot in (("a", (1, 3)), ("b", (2, 3))))
    for pc in (a, b):
        import_packages(pc, [start])
    D.correct_field(a, D.find_by_code(a, code), "received_at", DAY, reason="Ghi nhầm ngày")
    D.request_supplement(b, D.find_by_code(b, code), reason="Thiếu bản sao",
                         at=dt.datetime(2025, 10, 16, 9))
    pa, pb = tmp_path / "quay-a.zip", tmp_path / "quay-b.zip"
    export_package(a, pa, SINCE)  # made first: merged first
    with clock_at(1):
        export_package(b, pb, SINCE)
    a.close()
    b.close()
    with transaction(db) as conn:
        conn.execute("UPDATE units SET valid_to = '2025-10-19' WHERE code = 'U2'")
    return code, pa, pb


def test_the_crossing_is_listed_not_refused_for_the_version_merged_first(crossed, db):
    code, pa, pb = crossed
    for order in ([pa, pb], [pb, pa]):
        batch = import_packages(db, order, dry_run=True)
        assert batch.pending and [c.code for c in batch.crossed] == [code]
    done = import_packages(db, [pa, pb], versions={code: "quay-b.zip"})
    assert done.written
    assert db.execute("SELECT received_at FROM dossiers").fetchone()[0] == "2025-10-15 09:00:00"
    assert check.dossiers_in_unit_life(db).ok


def test_the_version_chosen_out_of_its_units_dates_is_refused(crossed, db):
    code, pa, pb = crossed
    with pytest.raises(InputError) as refused:
        import_packages(db, [pb, pa], versions={code: "quay-a.zip"})
    said = str(refused.value)
    assert said.startswith("Gói quay-a.zip không dùng được: 1 hồ sơ máy này đang giữ")
    assert f"Hồ sơ {code} theo gói: đơn vị Xã Hòa Bình không hoạt động vào ngày 20/10/2025" in said
    assert db.execute("SELECT received_at FROM dossiers").fetchone()[0] == "2025-10-15 09:00:00"


@pytest.mark.parametrize("last_day, refused", [(dt.datetime(2025, 10, 16, 9), False),
                                               (DAY, True)])
def test_one_line_of_several_packages_is_judged_by_its_last_version(tmp_path, db, last_day,
                                                                    refused):
    """One PC's two packages in one operation, the first moving X to 20/10 (U2 ended on 19/10
    here), the second on to `last_day` (or the reverse): the version that stands is judged, not
    the one a package in between wrote."""
    pc, dossier_id = _held_at_u2(tmp_path, db)
    with transaction(db) as conn:
        conn.execute("UPDATE units SET valid_to = '2025-10-19' WHERE code = 'U2'")
    first_day = dt.datetime(2025, 10, 16, 9) if refused else DAY
    D.correct_field(pc, dossier_id, "received_at", first_day, reason="Ghi nhầm ngày")
    with clock_at(1):
        export_package(pc, tmp_path / "xa_1.zip", SINCE)
    D.correct_field(pc, dossier_id, "received_at", last_day, reason="Ghi nhầm ngày")
    with clock_at(2):
        export_package(pc, tmp_path / "xa_2.zip", SINCE)
    pc.close()
    given = [tmp_path / "xa_2.zip", tmp_path / "xa_1.zip"]
    if refused:
        with pytest.raises(InputError) as said:
            import_packages(db, given)
        assert str(said.value).startswith("Gói xa_2.zip không dùng được: 1 hồ sơ máy này")
        assert "Gói khác" not in str(said.value)
        assert db.execute("SELECT received_at FROM dossiers").fetchone()[0] == \
            "2025-10-15 09:00:00"
    else:
        assert import_packages(db, given).written
        assert db.execute("SELECT received_at FROM dossiers").fetchone()[0] == \
            "2025-10-16 09:00:00"
    assert check.dossiers_in_unit_life(db).ok


def test_the_packages_unit_dates_taken_keep_the_dossier_it_moves(tmp_path, db):
    """The clerk takes the package's catalogue (`--catalogue theirs`): its Xã Hòa Bình, still
    in existence, replaces this centre's ended one, so the day the package moves X to is in
    the unit's dates as the operation leaves them: taken. Its own dates kept, refused."""
    pc, dossier_id = _held_at_u2(tmp_path, db)
    catalogue.save_unit(db, "U2", "Xã Hòa Bình", "commune", None, valid_to=dt.date(2025, 10, 19))
    D.correct_field(pc, dossier_id, "received_at", DAY, reason="Ghi nhầm ngày")
    export_package(pc, tmp_path / "xa.zip", SINCE)
    pc.close()
    with pytest.raises(InputError):
        import_packages(db, [tmp_path / "xa.zip"])
    assert import_packages(db, [tmp_path / "xa.zip"], catalogue="theirs").written
    assert db.execute("SELECT valid_to FROM units WHERE code = 'U2'").fetchone()[0] is None
    assert db.execute("SELECT received_at FROM dossiers").fetchone()[0] == f"{DAY:%Y-%m-%d %H:%M:%S}"
    assert check.dossiers_in_unit_life(db).ok


def _held_at_u2(tmp_path, db):
    """A PC's dossier at Xã Hòa Bình (U2) received on 15/10/2025, taken here: (the PC, its id)."""
    add_units(db)
    add_procedures(db)
    pc = office(tmp_path / "xa.db", (2, 2))
    dossier_id, _code = D.create_dossier(pc, unit_code="U2", procedure_code="P.WD2",
                                         applicant_name="Người nộp",
                                         received_at=dt.datetime(2025, 10, 15, 9))
    export_package(pc, tmp_path / "xa_0.zip", SINCE)
    assert import_packages(db, [tmp_path / "xa_0.zip"]).written
    return pc, dossier_id


def test_the_dry_run_says_which_version_would_be_refused(crossed, db, capsys):
    """Before the clerk chooses: the dry run's version lines mark quay-a's (moving X to 20/10,
    U2 ended on 19/10) with the rule's words; quay-b's and this centre's carry no mark."""
    from core.exchange.cli import crossed_text
    code, pa, pb = crossed
    batch = import_packages(db, [pa, pb], dry_run=True)
    [version_here, *others] = batch.crossed[0].versions
    marked = {v.packages[0]: v.refused for v in others}
    assert not version_here.refused and not marked["quay-b.zip"]
    assert marked["quay-a.zip"] == (
        "bản này đưa hồ sơ ra ngoài thời gian hoạt động của đơn vị (đơn vị Xã Hòa Bình không "
        "hoạt động vào ngày 20/10/2025 (đã giải thể, sáp nhập hoặc chưa thành lập)): chọn bản "
        "này thì gói bị từ chối")
    lines = crossed_text(batch).splitlines()
    [line_a] = [line for line in lines if "[quay-a.zip" in line]
    assert line_a.endswith("— LƯU Ý: " + marked["quay-a.zip"])
    assert not any("LƯU Ý" in line for line in lines if line is not line_a)
