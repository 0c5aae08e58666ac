"""A month before a sender's first package (round 32 walkthrough): the centre's November report
said «Đủ» for three PCs whose first packages began on 03/12, though it could not know whether
their November dossiers ever arrived. A package now says what its sender left behind before its
first day (core.exchange.held_before); the report says Thiếu, Đủ or Không rõ by it."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import zipfile

import pytest

from core import dossiers as D
from core import votes
from core.exchange import sources
from core.exchange.package import PackageWriter
from core.pdf.monthly_sources import cells
from db.connection import transaction
from tests.core.exchange.conftest import office, receive
from tests.core.exchange.test_sources import clock, send, take

NOVEMBER = (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
DECEMBER = (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
MADE, TAKEN, PRINTED = (dt.datetime(2025, 12, 5, 16), dt.datetime(2025, 12, 6, 9),
                        dt.datetime(2025, 12, 7, 10))
FIRST = dt.date(2025, 12, 3)  # `exchange export --since 03/12/2025`


@contextlib.contextmanager
def opened(tmp_path):
    """Commune A has held a dossier since 20/10 (unchanged since); commune C began on 04/12."""
    centre = office(tmp_path / "centre.db", (1, 3))
    xa_a, xa_c = office(tmp_path / "a.db", (2, 3)), office(tmp_path / "c.db", (3, 3))
    receive(xa_a, "Trần Thị Hoa", unit="U1")
    with transaction(xa_a) as conn:  # written on 20/10, unchanged since
        conn.execute("UPDATE dossier_rows SET created_at = received_at, updated_at = received_at")
    with clock(dt.datetime(2025, 12, 4, 9)):
        receive(xa_c, "Lò Văn Sử", unit="U2", minutes=45 * 24 * 60)  # 04/12/2025 08:00
    yield centre, xa_a, xa_c
    for db in (centre, xa_a, xa_c):
        db.close()


@pytest.fixture
def offices(tmp_path):
    with opened(tmp_path) as found:
        yield found


def first_packages(offices, tmp_path, since=FIRST):
    centre, xa_a, xa_c = offices
    for name, sender, unit in (("a", xa_a, "U1"), ("c", xa_c, "U2")):
        take(centre, send(sender, tmp_path / f"{name}.zip", since, MADE, unit), TAKEN)


def report(centre, period=NOVEMBER, moment=PRINTED) -> sources.Sources:
    return sources.sources(centre, *period, moment)


def test_the_package_says_what_its_sender_left_behind(offices, tmp_path):
    _centre, xa_a, xa_c = offices
    said = {}
    for name, sender, unit in (("a", xa_a, "U1"), ("c", xa_c, "U2")):
        path = send(sender, tmp_path / f"{name}.zip", FIRST, MADE, unit)
        with zipfile.ZipFile(path) as package:
            said[name] = json.loads(package.read("manifest.json"))["held_before"]
    assert said == {"a": {"records": 1, "from": "2025-10-20 08:00:00", "open": 1, "units": [
                        {"unit": "U1", "competent": None, "records": 1,
                         "from": "2025-10-20 08:00:00", "open": 1}], "brought": [],
                          "tree": ["U1"], "cleared": "2025-10-20"},
                    "c": {"records": 0, "from": None, "open": 0, "units": [], "brought": [],
                          "tree": ["U2"], "cleared": FIRST.isoformat()}}


def test_november_before_a_first_package_with_earlier_dossiers_is_missing(offices, tmp_path):
    first_packages(offices, tmp_path)
    found = report(offices[0])
    a, c = found.rows
    assert [row[-1] for row in cells(found.rows)] == ["Thiếu (xem cảnh báo)", "Đủ"]
    assert not a.covers and not a.unsure and c.covers
    [said] = found.warnings
    assert said.startswith(f"Số liệu của Xã An Sơn ({a.machine}) chỉ có từ 03/12/2025: máy đó "
                           "còn 1 hồ sơ hoặc phiếu đánh giá từ trước ngày đó chưa gửi về máy này")
    assert len(said) < 300  # review32f: 330 characters before, one clause said twice
    assert "số hiệu 2/3" in said and "thiếu số liệu từ 01/11/2025 đến hết ngày 30/11/2025" in said
    assert "xuất lại gói từ ngày 20/10/2025" in said


def test_a_sender_that_held_nothing_before_its_first_package_covers_november(offices, tmp_path):
    first_packages(offices, tmp_path)
    c = report(offices[0]).rows[1]
    assert c.covers and c.unsure is False and "Xã Hòa Bình" not in " ".join(report(offices[0]).warnings)


def test_a_package_of_an_older_program_leaves_november_unknown(offices, tmp_path, monkeypatch):
    """A package made before the key (an unknown key is read past by such a program)."""
    finish = PackageWriter.finish

    def older(self, manifest, sign=None):
        return finish(self, {k: v for k, v in manifest.items() if k != "held_before"}, sign)

    monkeypatch.setattr(PackageWriter, "finish", older)
    first_packages(offices, tmp_path)
    found = report(offices[0])
    assert [row[-1] for row in cells(found.rows)] == ["Không rõ (xem cảnh báo)"] * 2
    assert all(row.unsure and not row.covers for row in found.rows)
    assert len(found.warnings) == 2 and all(
        "chỉ có từ 03/12/2025; gói của máy đó do phiên bản cũ lập" in said
        and "không biết số liệu từ 01/11/2025 đến hết ngày 30/11/2025 đã đủ hay chưa" in said
        for said in found.warnings)


def test_a_row_noted_before_the_key_was_kept_is_unknown_too(offices, tmp_path):
    """A centre row written by round 32's program (no `start`) says nothing of before."""
    first_packages(offices, tmp_path)
    centre = offices[0]
    for name, value in centre.execute("SELECT key, value FROM settings WHERE key LIKE "
                                      "'exchange_source:%'").fetchall():
        said = json.loads(value)
        del said["start"]
        centre.execute("UPDATE settings SET value = ? WHERE key = ?", [json.dumps(said), name])
    assert [row[-1] for row in cells(report(centre).rows)] == ["Không rõ (xem cảnh báo)"] * 2


def test_the_december_report_is_unchanged(offices, tmp_path):
    """A first package from 01/12 covers December from its start when nothing it left behind
    is still open (round 34: an open one is carried over into December,
    tests/core/exchange/test_held_carried.py); one from 03/12 of a PC that held nothing
    before covers it too."""
    centre, xa_a, xa_c = offices
    [(dossier_id,)] = xa_a.execute("SELECT id FROM dossier_rows").fetchall()
    with clock(dt.datetime(2025, 10, 25, 9)):
        D.finish(xa_a, dossier_id, at=dt.datetime(2025, 10, 25, 9))
    take(centre, send(xa_a, tmp_path / "a.zip", DECEMBER[0], MADE, "U1"), TAKEN)
    take(centre, send(xa_c, tmp_path / "c.zip", FIRST, MADE, "U2"), TAKEN)
    found = report(centre, DECEMBER, MADE)
    assert [row[-1] for row in cells(found.rows)] == ["Đủ", "Đủ"] and found.warnings == []


def test_an_earlier_package_taken_later_fills_the_start(offices, tmp_path):
    centre, xa_a, _ = offices
    first_packages(offices, tmp_path)
    again = send(xa_a, tmp_path / "a-again.zip", dt.date(2025, 10, 20), dt.datetime(2025, 12, 6, 8),
                 "U1")
    take(centre, again, dt.datetime(2025, 12, 6, 10))
    found = report(centre)
    assert [row[-1] for row in cells(found.rows)] == ["Đủ", "Đủ"] and found.warnings == []


@pytest.mark.parametrize("said", [None, [], {"records": -1}, {"records": "1"}, {"records": True},
                                  {"records": 2, "from": "hôm qua"},
                                  # review32f: an offset (the report's comparisons with the
                                  # centre's moments raised TypeError) or a year no calendar has
                                  {"records": 2, "from": "2025-10-20 08:00:00+07:00"},
                                  {"records": 2, "from": "0001-01-01 00:00:00"}])
def test_what_a_package_says_is_not_trusted(said):
    held = sources.held_before.read({"held_before": said})
    assert held is None or (held.records == 2 and held.first is None)


# ----- review32f ---------------------------------------------------------------------------

def held_of(path) -> dict:
    """The totals (the per-unit lines: tests/core/exchange/test_held_units.py)."""
    with zipfile.ZipFile(path) as package:
        said = json.loads(package.read("manifest.json"))["held_before"]
    return {name: value for name, value in said.items() if name not in ("units", "brought", "tree")}


@pytest.mark.parametrize("unit", ["U1", None])
def test_an_old_vote_on_a_carried_dossier_is_left_behind(offices, tmp_path, unit):
    """A dossier changed on 04/12 travels; its vote of 20/11 does not (a package carries the
    votes changed since its first day): the November report would miss that vote."""
    _centre, xa_a, _ = offices
    [(dossier_id,)] = xa_a.execute("SELECT id FROM dossier_rows").fetchall()
    with clock(dt.datetime(2025, 11, 20, 9)):
        votes.add_vote(xa_a, unit_code="U1", rating="satisfied", dossier_id=dossier_id,
                       voted_at=dt.datetime(2025, 11, 20, 9))
    with clock(dt.datetime(2025, 12, 4, 9)):
        D.start_processing(xa_a, dossier_id, at=dt.datetime(2025, 12, 4, 9))
    said = held_of(send(xa_a, tmp_path / "a.zip", FIRST, MADE, unit))
    # all units (None) alike; the vote is no open dossier
    assert said == {"records": 1, "from": "2025-11-20 09:00:00", "open": 0,
                    "cleared": "2025-12-03"}  # no open dossier left behind: its first day


def test_what_was_left_behind_after_the_period_does_not_make_it_short(tmp_path):
    """Left behind: a dossier of 01/12 10:00 only. November lacks nothing (Đủ, no warning);
    December lacks 01/12 10:00 to 03/12."""
    with opened(tmp_path) as (centre, _xa_a, xa_c):
        with clock(dt.datetime(2025, 12, 1, 10)):
            receive(xa_c, "Hà Thị Mai", unit="U2", minutes=(42 * 24 + 2) * 60)
        with transaction(xa_c) as conn:
            conn.execute("UPDATE dossier_rows SET created_at = received_at, "
                         "updated_at = received_at WHERE received_at < ?",
                         [int(dt.datetime(2025, 12, 3).timestamp())])
        assert held_of(send(xa_c, tmp_path / "c.zip", FIRST, MADE, "U2")) == {
            "records": 1, "from": "2025-12-01 10:00:00", "open": 1, "cleared": "2025-12-01"}
        take(centre, tmp_path / "c.zip", TAKEN)
        november = report(centre)
        assert [row[-1] for row in cells(november.rows)] == ["Đủ"] and november.warnings == []
        [said] = report(centre, DECEMBER, MADE).warnings
        assert "thiếu số liệu từ 10:00 01/12/2025 đến hết ngày 02/12/2025" in said
        assert "xuất lại gói từ ngày 01/12/2025" in said


@pytest.mark.parametrize("first", ["2099-01-01 00:00:00", "2025-12-03 00:00:00"])
def test_a_moment_left_behind_on_or_after_the_first_day_is_not_trusted(first):
    """Every record left behind is dated before the package's first day: a `from` on or after
    it (a far-future one would clear every period before it) is not taken."""
    held = sources.held_before.read({"held_before": {"records": 3, "from": first}})
    assert sources.held_before.stored(held, "2025-12-03 00:00:00") == {
        "since": "2025-12-03 00:00:00", "records": 3}


def test_a_stored_start_with_an_offset_is_not_read():
    """A row written by 400df1ff's program kept such a `from` as said: read as not known."""
    assert sources.held_before.start_of({"since": "2025-12-03 00:00:00", "records": 2,
                                         "from": "2025-10-20 08:00:00+07:00"}) is None


def test_a_report_over_a_start_with_an_offset_says_not_known(offices, tmp_path):
    """The report itself: it raised TypeError (aware `from` against the period's start)."""
    first_packages(offices, tmp_path)
    centre = offices[0]
    for name, value in centre.execute("SELECT key, value FROM settings WHERE key LIKE "
                                      "'exchange_source:%'").fetchall():
        said = json.loads(value)
        said["start"].update(records=2, **{"from": "2025-10-20 08:00:00+07:00"})
        centre.execute("UPDATE settings SET value = ? WHERE key = ?", [json.dumps(said), name])
    assert [row[-1] for row in cells(report(centre).rows)] == ["Không rõ (xem cảnh báo)"] * 2


def test_a_row_noted_before_the_key_is_unknown_from_its_first_day_too(offices, tmp_path):
    """After round 32's upgrade every centre row lacked `start`, and a period from the
    sender's first day on was judged as before («Đủ»). Round 34: commune A's dossier of 20/10,
    still open, is carried over into December — a row that does not say what its sender left
    behind cannot say December is whole: «Không rõ», asking for a package of the new version
    from the sender's first day."""
    centre, xa_a, xa_c = offices
    for name, sender, unit in (("a", xa_a, "U1"), ("c", xa_c, "U2")):
        take(centre, send(sender, tmp_path / f"{name}.zip", DECEMBER[0], MADE, unit), TAKEN)
    for name, value in centre.execute("SELECT key, value FROM settings WHERE key LIKE "
                                      "'exchange_source:%'").fetchall():
        said = json.loads(value)
        del said["start"]
        centre.execute("UPDATE settings SET value = ? WHERE key = ?", [json.dumps(said), name])
    found = report(centre, (DECEMBER[0], dt.date(2025, 12, 5)), MADE)
    assert [row[-1] for row in cells(found.rows)] == ["Không rõ (xem cảnh báo)"] * 2
    assert all("gói từ ngày đó do phiên bản cũ lập, không ghi máy đó còn hồ sơ hoặc phiếu đánh "
               "giá nào từ trước ngày đó chưa gửi về máy này hay không" in said and
               "xuất lại gói từ ngày 01/12/2025" in said for said in found.warnings)


def test_a_large_count_left_behind_is_written_as_a_vietnamese_number(offices, tmp_path):
    """break33: the warning wrote the count as Python prints it («còn 1234567 hồ sơ»), every
    other count of the report in Vietnamese digits groups («1.234.567»)."""
    from tests.core.exchange.test_actor_names import with_manifest
    centre, xa_a, _xa_c = offices
    sent = send(xa_a, tmp_path / "a.zip", FIRST, MADE, "U1")
    many = tmp_path / "a-nhieu.zip"
    with_manifest(sent, many, lambda m: m.update(
        {"held_before": {"records": 1234567, "from": "2025-10-20 08:00:00"}}))
    take(centre, many, TAKEN)
    [said] = report(centre).warnings
    assert "máy đó còn 1.234.567 hồ sơ hoặc phiếu đánh giá" in said, said
