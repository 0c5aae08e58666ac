"""«NGUỒN SỐ LIỆU» says Đủ for a clerk who sent everything (round 33, issue 16 §3, spec 9).

Round 32's `held_before {records, from}` erred toward «Thiếu» twice: an all-units package from
01/11 was judged by its own start though the commune's unit packages from 01/10 had brought
the unit's dossiers, and the dossiers a commune got from the centre counted as left behind by
the commune. A package now says per unit what it left behind, and only its own records
(core.exchange.held_units); the centre judges each unit with all that sender's packages
(core.exchange.held_lines)."""
from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest

from core import dossiers as D
from core import installation, votes
from core.exchange import held_before, held_lines, held_units, sources
from core.exchange.package import PackageWriter
from core.pdf.monthly_sources import cells
from db.connection import transaction
from tests.core.exchange.conftest import office, receive
from tests.core.exchange.test_sources import clock, send, take

OCTOBER = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))
NOVEMBER = (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
PRINTED = dt.datetime(2025, 12, 7, 10)
EARLY, EARLY_MADE = dt.date(2025, 10, 1), dt.datetime(2025, 11, 1, 9)  # the U1 package
LATER, LATER_MADE = dt.date(2025, 11, 1), dt.datetime(2025, 12, 5, 16)  # the all-units one


@pytest.fixture
def offices(tmp_path):
    """The centre, commune A (slot 2/3) holding a dossier of U1 received 20/10/2025 08:00."""
    centre = office(tmp_path / "centre.db", (1, 3))
    xa_a = office(tmp_path / "a.db", (2, 3))
    receive(xa_a, "Trần Thị Hoa", unit="U1")
    yield centre, xa_a
    for db in (centre, xa_a):
        db.close()


def settled(*dbs) -> None:
    """The rows as if written when received (the database's own clock wrote today)."""
    for db in dbs:
        with transaction(db) as conn:
            conn.execute("UPDATE dossier_rows SET created_at = received_at, "
                         "updated_at = received_at")


def held_of(path) -> dict:
    with zipfile.ZipFile(path) as package:
        return json.loads(package.read("manifest.json"))["held_before"]


def report(centre, period=OCTOBER, scope=None) -> sources.Sources:
    return sources.sources(centre, *period, PRINTED, scope)


def unit_then_all(centre, xa_a, tmp_path, early_made=EARLY_MADE):
    """Commune A sends U1 from 01/10, then all units from 01/11."""
    settled(xa_a)
    tmp_path.mkdir(exist_ok=True)
    take(centre, send(xa_a, tmp_path / "a-u1.zip", EARLY, early_made, "U1"),
         early_made + dt.timedelta(hours=1))
    later = send(xa_a, tmp_path / "a-all.zip", LATER, LATER_MADE, None)
    take(centre, later, LATER_MADE + dt.timedelta(hours=17))
    return later


def test_the_package_says_per_unit_what_it_left_behind(offices, tmp_path):
    _centre, xa_a = offices
    receive(xa_a, "Lò Văn Sử", unit="U2", minutes=30)
    settled(xa_a)
    said = held_of(send(xa_a, tmp_path / "a.zip", LATER, LATER_MADE, None))
    assert said == {"records": 2, "from": "2025-10-20 08:00:00", "open": 2, "units": [
        {"unit": "U1", "competent": None, "records": 1, "from": "2025-10-20 08:00:00", "open": 1},
        {"unit": "U2", "competent": None, "records": 1, "from": "2025-10-20 08:30:00", "open": 1}],
        "brought": [], "cleared": "2025-10-20"}


def test_an_all_units_package_after_unit_packages_is_whole(offices, tmp_path):
    """The U1 package (01/10 → 01/11 09:00) brought the dossier the all-units one (from 01/11)
    left behind: October is «Đủ» (round 32: «Thiếu», «máy đó còn 1 hồ sơ …»)."""
    centre, xa_a = offices
    unit_then_all(centre, xa_a, tmp_path)
    found = report(centre)
    assert [row.unit for row in found.rows] == [None]
    assert [row[-1] for row in cells(found.rows)] == ["Đủ"]
    assert found.warnings == []


def test_a_unit_the_unit_packages_never_brought_is_still_missing(offices, tmp_path):
    """U2's dossier of 20/10 travelled in no package: October «Thiếu», the unit named."""
    centre, xa_a = offices
    receive(xa_a, "Lò Văn Sử", unit="U2", minutes=30)
    unit_then_all(centre, xa_a, tmp_path)
    found = report(centre)
    assert [row[-1] for row in cells(found.rows)] == ["Thiếu (xem cảnh báo)"]
    [said] = found.warnings
    assert "máy đó còn 1 hồ sơ hoặc phiếu đánh giá từ trước ngày đó chưa gửi về máy này " \
           "(Xã Hòa Bình: 1)" in said
    assert "thiếu số liệu từ 08:30 20/10/2025 đến hết ngày 31/10/2025" in said
    assert "xuất lại gói từ ngày 20/10/2025" in said
    # a report of U1 alone does not lack U2's dossier
    only_u1 = report(centre, scope="U1")
    assert [row[-1] for row in cells(only_u1.rows)] == ["Đủ"] and only_u1.warnings == []


def test_a_gap_between_the_unit_package_and_the_all_units_one_is_missing(offices, tmp_path):
    """The U1 package reached 25/10 only: what changed from 25/10 to 01/11 may be missing."""
    centre, xa_a = offices
    unit_then_all(centre, xa_a, tmp_path, dt.datetime(2025, 10, 25, 16))
    found = report(centre)
    assert [row[-1] for row in cells(found.rows)] == ["Thiếu (xem cảnh báo)"]
    said = " ".join(found.warnings)
    assert "không liền nhau: thiếu số liệu từ 16:00 25/10/2025 đến hết ngày 31/10/2025" in said


def test_a_package_without_the_lines_keeps_todays_verdict(offices, tmp_path, monkeypatch):
    """A package of round 32's program (totals only): judged by its totals, as before."""
    finish = PackageWriter.finish

    def older(self, manifest, sign=None):
        held = {k: v for k, v in manifest["held_before"].items() if k != "units"}
        return finish(self, {**manifest, "held_before": held}, sign)

    monkeypatch.setattr(PackageWriter, "finish", older)
    centre, xa_a = offices
    unit_then_all(centre, xa_a, tmp_path)
    found = report(centre)
    assert [row[-1] for row in cells(found.rows)] == ["Thiếu (xem cảnh báo)"]
    assert "máy đó còn 1 hồ sơ" in found.warnings[0] and "(Xã" not in found.warnings[0]


# ----- records the sender got from the centre ------------------------------------------------

@pytest.fixture
def from_centre(tmp_path):
    """The centre's own dossier and vote of 20/10 went to commune C in a package on 22/10;
    commune C's own first dossier is of 04/12."""
    centre, xa_c = office(tmp_path / "centre.db", (1, 3)), office(tmp_path / "c.db", (3, 3))
    dossier_id, _code = receive(centre, "Hà Thị Mai", unit="U1")
    votes.add_vote(centre, unit_code="U1", rating="satisfied",
                   voted_at=dt.datetime(2025, 10, 20, 9))
    settled(centre)
    take(xa_c, send(centre, tmp_path / "centre.zip", EARLY, dt.datetime(2025, 10, 21, 16), None),
         dt.datetime(2025, 10, 22, 9))
    with clock(dt.datetime(2025, 12, 4, 9)):
        receive(xa_c, "Lò Văn Sử", unit="U2", minutes=45 * 24 * 60)
    settled(xa_c)
    yield centre, xa_c
    for db in (centre, xa_c):
        db.close()


def test_what_the_centre_sent_is_not_left_behind_by_the_commune(from_centre, tmp_path):
    centre, xa_c = from_centre
    path = send(xa_c, tmp_path / "c.zip", dt.date(2025, 12, 3), LATER_MADE, None)
    # the totals as round 32 (an older centre judges by them); none of the commune's own, the
    # two records the centre's package brought said as the centre's (review33c)
    centre_id = installation.installation_id(centre)
    assert held_of(path) == {"records": 2, "from": "2025-10-20 08:00:00", "open": 1, "units": [],
                             "brought": [{"unit": "U1", "competent": None, "records": 2,
                                          "from": "2025-10-20 08:00:00", "open": 1,
                                          "by": centre_id}], "cleared": "2025-10-20"}
    take(centre, path, LATER_MADE + dt.timedelta(hours=17))
    found = report(centre, NOVEMBER)
    assert [row[-1] for row in cells(found.rows)] == ["Đủ"] and found.warnings == []


def test_a_received_dossier_the_commune_worked_on_is_its_own(from_centre, tmp_path):
    """Commune C started processing the centre's dossier on 25/10: that event is the commune's
    and never reached the centre — November is «Thiếu»."""
    centre, xa_c = from_centre
    [(dossier_id,)] = xa_c.execute("SELECT id FROM dossier_rows WHERE unit_code = 'U1'")
    with clock(dt.datetime(2025, 10, 25, 9)):
        D.start_processing(xa_c, dossier_id, at=dt.datetime(2025, 10, 25, 9))
    path = send(xa_c, tmp_path / "c.zip", dt.date(2025, 12, 3), LATER_MADE, None)
    said = held_of(path)  # the dossier; the centre's vote is still not its own
    assert [(line["records"], line.get("by")) for line in said["units"] + said["brought"]] == \
        [(1, None), (1, installation.installation_id(centre))]
    take(centre, path, LATER_MADE + dt.timedelta(hours=17))
    found = report(centre, NOVEMBER)
    assert [row[-1] for row in cells(found.rows)] == ["Thiếu (xem cảnh báo)"]


# ----- what a package says is not trusted ----------------------------------------------------

def line(unit="U1", records=1, **more) -> dict:
    return {"unit": unit, "competent": None, "records": records,
            "from": "2025-10-20 08:00:00", **more}


@pytest.mark.parametrize("lines", [
    [line(f"X{i}") for i in range(held_units.UNITS_MOST + 1)],  # too many
    [line(), line()],                                              # a pair twice
    [line(records=2)],                                             # not the totals
    [line(records="1")], [line(records=True)], [line(records=0)], [line(unit=5)],
    [line(unit="")], [line(unit="U" * 101)], [line(competent=["U1"])], "U1", [["U1", 1]]])
def test_lines_not_as_written_are_not_taken(lines):
    """The totals are kept (today's verdict, erring toward «Thiếu»), the lines not."""
    total = len(lines) if isinstance(lines, list) and len(lines) > 2 else 1
    held = held_before.read({"held_before": {"records": total, "from": "2025-10-20 08:00:00",
                                             "units": lines}})
    assert held is not None and held.records == total and held.lines is None


@pytest.mark.parametrize("first", ["2025-10-20 08:00:00+07:00", "0001-01-01 00:00:00",
                                   "2099-01-01 00:00:00", "2025-11-01 00:00:00", "hôm qua", 5])
def test_a_lines_moment_is_taken_as_the_totals_is(first):
    """An offset or a year no calendar has is not read; a moment on or after the first day is
    not kept (it would clear every period before it)."""
    held = held_before.read({"held_before": {"records": 1, "from": None,
                                             "units": [line(**{"from": first})]}})
    assert held is not None and held.lines is not None
    stored = held_before.stored(held, "2025-11-01 00:00:00")
    assert stored["units"] == [["U1", None, 1, None]]
    assert held_before.start_of(stored).lines == (held_lines.Line("U1", None, 1, None),)


def test_a_hostile_map_is_not_stored_at_the_centre(offices, tmp_path, monkeypatch):
    """A manifest with 5,000 lines (signed by its sender): the centre keeps the totals only,
    its row stays small, and the report says «Thiếu» by the totals."""
    hostile = {"records": 5000, "from": "2025-10-20 08:00:00",
               "units": [line(f"X{i}") for i in range(5000)]}
    monkeypatch.setattr(held_units, "carried", lambda *args: hostile)
    centre, xa_a = offices
    unit_then_all(centre, xa_a, tmp_path)
    value = centre.execute("SELECT value FROM settings WHERE key LIKE "
                           "'exchange_source:%:*'").fetchone()[0]
    assert len(value) < 2000 and "units" not in json.loads(value)["start"]
    assert [row[-1] for row in cells(report(centre).rows)] == ["Thiếu (xem cảnh báo)"]


def test_a_units_row_judged_by_an_all_units_start_weighs_its_own_unit_only(offices, tmp_path):
    """All units from 01/11 (U1 and U2 left behind), then U1 from 03/12 reaching further: the
    U1 row, judged from the all-units package's start, lacks U1's dossier, not U2's."""
    centre, xa_a = offices
    receive(xa_a, "Lò Văn Sử", unit="U2", minutes=30)
    settled(xa_a)
    take(centre, send(xa_a, tmp_path / "a-all.zip", LATER, LATER_MADE, None),
         LATER_MADE + dt.timedelta(hours=1))
    take(centre, send(xa_a, tmp_path / "a-u1.zip", dt.date(2025, 12, 3),
                      LATER_MADE + dt.timedelta(hours=2), "U1"), LATER_MADE + dt.timedelta(hours=3))
    found = report(centre)
    assert [row.unit for row in found.rows] == [None, "U1"]
    whole, u1 = found.warnings
    assert "còn 2 hồ sơ" in whole and "(Xã An Sơn: 1, Xã Hòa Bình: 1)" in whole
    assert "còn 1 hồ sơ" in u1 and "Xã Hòa Bình" not in u1


def three_senders(folder) -> object:
    """The centre's October at round 33 (the GUI's test, the rendered report): commune A sent
    U1 from 01/10 then all units from 01/11 (Đủ); commune B the same, but its U2 dossier of
    20/10 never travelled (Thiếu, naming Xã Hòa Bình); PC C got the centre's dossier and vote
    of 20/10 on 22/10 and sent all units from 03/12 holding nothing else before (Đủ)."""
    centre = office(folder / "centre.db", (1, 4))
    a, b, c = (office(folder / f"{name}.db", (slot, 4)) for slot, name in ((2, "a"), (3, "b"),
                                                                           (4, "c")))
    receive(a, "Trần Thị Hoa", unit="U1")
    receive(b, "Lò Văn Sử", unit="U1")
    receive(b, "Hà Thị Mai", unit="U2", minutes=30)
    receive(centre, "Nguyễn Văn Bình", unit="U1", minutes=60)
    votes.add_vote(centre, unit_code="U1", rating="satisfied",
                   voted_at=dt.datetime(2025, 10, 20, 9))
    settled(a, b, centre)
    take(c, send(centre, folder / "tt.zip", EARLY, dt.datetime(2025, 10, 21, 16), None),
         dt.datetime(2025, 10, 22, 9))
    with clock(dt.datetime(2025, 12, 4, 9)):
        receive(c, "Đinh Thị Lan", unit="U2", minutes=45 * 24 * 60)
    settled(c)
    for name, sender in (("a", a), ("b", b)):
        unit_then_all(centre, sender, folder / name)
    take(centre, send(c, folder / "c-all.zip", dt.date(2025, 12, 3), LATER_MADE, None),
         LATER_MADE + dt.timedelta(hours=17))
    for sender in (a, b, c):
        sender.close()
    return centre


def test_three_senders_each_as_they_sent(tmp_path):
    centre = three_senders(tmp_path)
    found = report(centre)
    assert sorted(row[-1] for row in cells(found.rows)) == ["Thiếu (xem cảnh báo)", "Đủ", "Đủ"]
    [said] = found.warnings
    assert "số hiệu 3/4" in said and "(Xã Hòa Bình: 1)" in said
    centre.close()


# ----- review33c: «Đủ» where data was missing ----------------------------------------------

MISSING = "Thiếu (xem cảnh báo)"


def move(db, code: str, parent: str | None) -> None:
    with transaction(db) as conn:
        conn.execute("UPDATE units SET parent_code = ? WHERE code = ?", [parent, code])


def test_a_unit_moved_under_another_after_its_package_is_not_brought_by_it(offices, tmp_path):
    """Commune A sent U2 from 01/10 (made 01/11), when U1 was no unit of U2's; U1's dossier of
    20/10 travelled in no package. U1 then moved under U2 (communes merged), and A sent all
    units from 01/11: the U2 package did not bring U1's October — «Thiếu», naming it."""
    centre, xa_a = offices
    settled(xa_a)
    take(centre, send(xa_a, tmp_path / "a-u2.zip", EARLY, EARLY_MADE, "U2"),
         EARLY_MADE + dt.timedelta(hours=1))
    for db in (centre, xa_a):
        move(db, "U1", "U2")
    take(centre, send(xa_a, tmp_path / "a-all.zip", LATER, LATER_MADE, None),
         LATER_MADE + dt.timedelta(hours=17))
    found = report(centre)
    assert [row[-1] for row in cells(found.rows)][0] == MISSING, found.warnings


@pytest.mark.parametrize("counter_sends_u2", [False, True])
def test_what_a_commune_got_from_its_counter_and_never_relayed_is_missing(tmp_path,
                                                                          counter_sends_u2):
    """Counter K of commune S received a U1 dossier on 20/10 and sent it to S (a package from
    01/10, made 22/10); K never sends to the centre. S's package of all units from 01/11 does
    not carry it (nothing changed since) — the centre never got it: October «Thiếu»."""
    centre, server = office(tmp_path / "centre.db", (1, 3)), office(tmp_path / "s.db", (2, 3))
    counter = office(tmp_path / "k.db", (3, 3))
    receive(counter, "Trần Thị Hoa", unit="U1")
    settled(counter)
    take(server, send(counter, tmp_path / "k.zip", EARLY, dt.datetime(2025, 10, 22, 16), None),
         dt.datetime(2025, 10, 22, 17))
    take(centre, send(server, tmp_path / "s.zip", LATER, LATER_MADE, None),
         LATER_MADE + dt.timedelta(hours=17))
    if counter_sends_u2:  # the centre has K's packages, but none that carries U1
        take(centre, send(counter, tmp_path / "k-u2.zip", EARLY, EARLY_MADE, "U2"),
             EARLY_MADE + dt.timedelta(hours=1))
    found = report(centre)
    assert MISSING in [row[-1] for row in cells(found.rows)], found.warnings
    for db in (centre, server, counter):
        db.close()


@pytest.mark.parametrize("brought", [
    [line()],                                                   # no `by`
    [line(by="")], [line(by=5)], [line(by="c" * 101)],          # a `by` not as written
    [line(by="K"), line(by="K")],                               # listed twice
    [line(f"X{i}", by="K") for i in range(held_units.UNITS_MOST)],  # too many with `units`
    "K"])
def test_brought_lines_not_as_written_are_not_taken(brought):
    total = 1 + (len(brought) if isinstance(brought, list) else 0)
    held = held_before.read({"held_before": {"records": total, "from": "2025-10-20 08:00:00",
                                             "units": [line()], "brought": brought}})
    assert held is not None and held.records == total and held.lines is None


def test_a_brought_line_is_kept_and_read_back():
    held = held_before.read({"held_before": {"records": 2, "from": "2025-10-20 08:00:00",
                                             "units": [line()], "brought": [line(by="K")]}})
    assert held is not None and [one.by for one in held.lines] == [None, "K"]
    stored = held_before.stored(held, "2025-11-01 00:00:00")
    assert held_before.start_of(stored).lines == held.lines


def test_a_units_tree_is_what_all_its_packages_carried():
    """The codes kept are those every package of the row carried; a row or a package that
    did not say them carries its own unit only (erring toward «Thiếu»)."""
    assert held_lines.kept_tree(None, ["U1", "U2"], "U2") == ["U1", "U2"]
    assert held_lines.kept_tree({"tree": ["U2"]}, ["U1", "U2"], "U2") == ["U2"]
    assert held_lines.kept_tree({"covered": []}, ["U1", "U2"], "U2") == ["U2"]
    assert held_lines.kept_tree(None, None, "U2") == ["U2"]
    for said in ({"tree": "U1"}, {"tree": [5]}, {"tree": ["X" * 101]},
                 {"tree": [f"X{i}" for i in range(held_units.UNITS_MOST + 1)]}):
        assert held_lines.read_tree(said, "U2") is None
    assert held_lines.read_tree({"tree": ["U1"]}, "U2") == ["U1", "U2"]
    assert held_lines.read_tree({"tree": ["U1"]}, None) is None
