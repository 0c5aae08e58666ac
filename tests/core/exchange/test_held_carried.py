"""«Đủ» only when every record the period counts reached the centre (round 34, spec 9).

Round 33 judged what a sender left behind only for a period beginning before its first
package: a commune whose first package began on 01/11 was «Đủ» for November and every month
after, although its dossier of 20/10, still open, is counted there as carried over («hồ sơ kỳ
trước chuyển sang») and never reached the centre. A package now says how many of the records it
left behind are still open (`held_before.open`, per line too), and the centre counts them in
every period from its first day on (core.exchange.held_before.counts_in: the one rule)."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import dossiers as D
from core.exchange.package import PackageWriter
from core.pdf.monthly import build_monthly
from core.pdf.monthly_sources import cells
from tests.core.exchange.conftest import office, receive
from tests.core.exchange.test_held_units import MISSING, held_of, report, settled
from tests.core.exchange.test_sources import clock, send, take
from tests.pdfread import pdf_text

NOVEMBER = (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
FIRST, MADE = dt.date(2025, 11, 1), dt.datetime(2025, 12, 5, 16)  # commune A's first package
TAKEN = MADE + dt.timedelta(hours=17)
UNKNOWN = "Không rõ (xem cảnh báo)"


@pytest.fixture
def offices(tmp_path):
    """The centre; commune A holding a U1 dossier received 20/10/2025 08:00, unchanged since."""
    centre = office(tmp_path / "centre.db", (1, 3))
    xa_a = office(tmp_path / "a.db", (2, 3))
    receive(xa_a, "Trần Thị Hoa", unit="U1")
    settled(xa_a)
    yield centre, xa_a
    for db in (centre, xa_a):
        db.close()


def finished(db, at=dt.datetime(2025, 10, 25, 9)) -> None:
    [(dossier_id,)] = db.execute("SELECT id FROM dossier_rows").fetchall()
    with clock(at):
        D.finish(db, dossier_id, at=at)


@pytest.mark.parametrize("unit", ["U1", None])
def test_an_open_dossier_left_behind_is_carried_over_into_the_period(offices, tmp_path, unit):
    """November begins on the first day of A's data, but A's open dossier of 20/10 counts there
    as carried over: «Thiếu» (round 33: «Đủ»), saying why and what to send."""
    centre, xa_a = offices
    take(centre, send(xa_a, tmp_path / "a.zip", FIRST, MADE, unit), TAKEN)
    found = report(centre, NOVEMBER)
    assert [row[-1] for row in cells(found.rows)] == [MISSING]
    [said] = found.warnings
    assert "có từ 01/11/2025, nhưng máy đó còn 1 hồ sơ chưa giải quyết xong tiếp nhận trước " \
           "ngày đó chưa gửi về máy này" in said and "kỳ trước chuyển sang" in said
    assert "xuất lại gói từ ngày 20/10/2025" in said


def test_a_dossier_left_behind_finished_before_counts_nowhere_after(offices, tmp_path):
    """Finished on 25/10: counted in October only — November is «Đủ»."""
    centre, xa_a = offices
    finished(xa_a)
    path = send(xa_a, tmp_path / "a.zip", FIRST, MADE, "U1")
    assert held_of(path)["open"] == 0 and held_of(path)["records"] == 1
    take(centre, path, TAKEN)
    found = report(centre, NOVEMBER)
    assert [row[-1] for row in cells(found.rows)] == ["Đủ"] and found.warnings == []


def test_a_package_sent_again_from_the_dossiers_day_makes_it_whole(offices, tmp_path):
    centre, xa_a = offices
    take(centre, send(xa_a, tmp_path / "a.zip", FIRST, MADE, "U1"), TAKEN)
    take(centre, send(xa_a, tmp_path / "a-lai.zip", dt.date(2025, 10, 20), MADE, "U1"), TAKEN)
    found = report(centre, NOVEMBER)
    assert [row[-1] for row in cells(found.rows)] == ["Đủ"] and found.warnings == []


def test_a_package_that_does_not_say_which_are_open_leaves_the_period_unknown(
        offices, tmp_path, monkeypatch):
    """Round 33's program said 1 record left behind, not whether it is open: «Không rõ»."""
    finish = PackageWriter.finish

    def older(self, manifest, sign=None):
        held = {k: v for k, v in manifest["held_before"].items() if k != "open"}
        held["units"] = [{k: v for k, v in line.items() if k != "open"} for line in held["units"]]
        return finish(self, {**manifest, "held_before": held}, sign)

    monkeypatch.setattr(PackageWriter, "finish", older)
    centre, xa_a = offices
    take(centre, send(xa_a, tmp_path / "a.zip", FIRST, MADE, "U1"), TAKEN)
    found = report(centre, NOVEMBER)
    assert [row[-1] for row in cells(found.rows)] == [UNKNOWN]
    [said] = found.warnings
    assert "gói từ ngày đó do phiên bản cũ lập" in said and \
           "dùng phiên bản mới xuất gói như thường lệ" in said and \
           "nếu vẫn chưa rõ, xin máy đó xuất lại gói từ ngày 01/11/2025" in said


def test_a_unit_package_reaching_before_the_period_does_not_bring_what_it_left(offices,
                                                                               tmp_path):
    """A's U1 package from 21/10 (made 01/11), then all units from 01/11: the U1 package's
    spans reach before November, but the dossier of 20/10, still open, travelled in neither
    (round 33 took a reach before the period as enough: «Đủ»)."""
    centre, xa_a = offices
    take(centre, send(xa_a, tmp_path / "a-u1.zip", dt.date(2025, 10, 21),
                      dt.datetime(2025, 11, 1, 9), "U1"), dt.datetime(2025, 11, 1, 10))
    take(centre, send(xa_a, tmp_path / "a-all.zip", FIRST, MADE, None), TAKEN)
    for period in (NOVEMBER, (dt.date(2025, 10, 22), dt.date(2025, 10, 31))):
        found = report(centre, period)
        assert [row[-1] for row in cells(found.rows)] == [MISSING], period
        assert "xuất lại gói từ ngày 20/10/2025" in " ".join(found.warnings), found.warnings


def test_the_printed_report_and_the_command_say_it_too(offices, tmp_path, capsys):
    """The monthly PDF (the Báo cáo screen's cells are the same `cells`) and `report monthly`."""
    centre, xa_a = offices
    take(centre, send(xa_a, tmp_path / "a.zip", FIRST, MADE, "U1"), TAKEN)
    with clock(dt.datetime(2025, 12, 7, 10)):
        text = " ".join(pdf_text(build_monthly(centre, "2025-11")).split())
        out = tmp_path / "thang11.pdf"
        code = main.main(["--db", str(tmp_path / "centre.db"), "report", "monthly",
                          "--month", "2025-11", "--out", str(out)])
    assert code == 0, capsys.readouterr()
    printed = " ".join(pdf_text(out).split())
    for said in (text, printed):
        assert "NGUỒN SỐ LIỆU" in said and "Thiếu (xem cảnh báo)" in said
        assert "còn 1 hồ sơ chưa giải quyết xong" in said


# ----- errs to «Thiếu» (round 33's open list) ------------------------------------------------

OCTOBER = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))


def test_unit_packages_covering_october_before_an_all_units_one_from_december(offices,
                                                                              tmp_path):
    """A's U1 package from 01/10 (made 01/11 10:00), then all units only from 01/12: the U1
    package brought October (the dossier of 20/10 with it) — October «Đủ» (round 33: «Thiếu»,
    the spans were joined back from 01/12 only); November lacks 01/11 10:00–01/12."""
    centre, xa_a = offices
    take(centre, send(xa_a, tmp_path / "a-u1.zip", dt.date(2025, 10, 1),
                      dt.datetime(2025, 11, 1, 10), "U1"), dt.datetime(2025, 11, 1, 11))
    take(centre, send(xa_a, tmp_path / "a-all.zip", dt.date(2025, 12, 1), MADE, None), TAKEN)
    october = report(centre, OCTOBER)
    assert [row[-1] for row in cells(october.rows)] == ["Đủ"] and october.warnings == []
    assert [row[-1] for row in cells(report(centre, NOVEMBER).rows)] == [MISSING]


def test_a_line_reaching_into_an_older_programs_unit_package_is_unknown(offices, tmp_path,
                                                                        monkeypatch):
    """A's U1 package from 21/10 was made by a program before round 32 (no `held_before`);
    the all-units one from 01/11 left the dossier of 20/10 behind. Whether the U1 package
    brought it is not said: «Không rõ», naming the U1 package's day (round 33: «Thiếu»)."""
    centre, xa_a = offices
    finish = PackageWriter.finish

    def older(self, manifest, sign=None):
        return finish(self, {k: v for k, v in manifest.items() if k != "held_before"}, sign)

    with monkeypatch.context() as patch:
        patch.setattr(PackageWriter, "finish", older)
        take(centre, send(xa_a, tmp_path / "a-u1.zip", dt.date(2025, 10, 21),
                          dt.datetime(2025, 11, 1, 9), "U1"), dt.datetime(2025, 11, 1, 10))
    take(centre, send(xa_a, tmp_path / "a-all.zip", FIRST, MADE, None), TAKEN)
    found = report(centre, OCTOBER)
    assert [row[-1] for row in cells(found.rows)] == [UNKNOWN], found.warnings
    [said] = found.warnings
    assert "gói từ ngày đó do phiên bản cũ lập" in said and "xuất lại gói từ ngày 21/10/2025" in said


# ----- a brought dossier another machine's package changed ---------------------------------

def test_a_dossier_a_second_machines_package_finished_is_that_machines_to_send(tmp_path):
    """Counter X received a U1 dossier on 20/10 and sent it to commune S, to PC Y and to the
    centre; Y finished it on 22/10 and sent that to S only. S's package of all units from 01/11
    leaves it behind (nothing changed at S since): the centre has X's packages but not Y's
    finish — S's October is «Thiếu» (round 33: the dossier stayed X's, «Đủ»)."""
    from core import installation
    centre, x, y, s = (office(tmp_path / f"{name}.db", (slot, 4))
                       for slot, name in enumerate(("centre", "x", "y", "s"), start=1))
    receive(x, "Trần Thị Hoa", unit="U1")
    settled(x)
    early = send(x, tmp_path / "x.zip", dt.date(2025, 10, 1), dt.datetime(2025, 10, 21, 16), None)
    for db in (s, y):
        take(db, early, dt.datetime(2025, 10, 21, 17))
    take(centre, send(x, tmp_path / "x2.zip", dt.date(2025, 10, 1), dt.datetime(2025, 11, 1, 10),
                      None), dt.datetime(2025, 11, 1, 11))
    [(dossier_id,)] = y.execute("SELECT id FROM dossier_rows").fetchall()
    with clock(dt.datetime(2025, 10, 22, 9)):
        D.finish(y, dossier_id, at=dt.datetime(2025, 10, 22, 9))
    take(s, send(y, tmp_path / "y.zip", dt.date(2025, 10, 1), dt.datetime(2025, 10, 23, 16), None),
         dt.datetime(2025, 10, 23, 17))
    take(centre, send(s, tmp_path / "s.zip", FIRST, MADE, None), TAKEN)
    found = report(centre, OCTOBER)
    verdict = {row.installation: said[-1] for row, said in zip(found.rows, cells(found.rows),
                                                               strict=True)}
    assert verdict[installation.installation_id(s)] == MISSING, found.warnings
    assert verdict[installation.installation_id(x)] == "Đủ"
    for db in (centre, x, y, s):
        db.close()


def test_a_unit_moved_in_between_two_unit_packages_is_brought_by_the_later(offices,
                                                                            tmp_path):
    """A sent U2 from 01/09 (made 01/10) when U1 was no unit of U2's; U1 then moved under U2,
    and A sent U2 from 01/10 (made 01/11 09:00), carrying U1's dossier of 20/10; then all units
    from 01/11. October and November are «Đủ» (round 33: «Thiếu», the row kept only the codes
    every package carried); the first U2 package alone does not bring U1's September."""
    from tests.core.exchange.test_held_units import move
    centre, xa_a = offices
    take(centre, send(xa_a, tmp_path / "a-u2.zip", dt.date(2025, 9, 1),
                      dt.datetime(2025, 10, 1, 9), "U2"), dt.datetime(2025, 10, 1, 10))
    for db in (centre, xa_a):
        move(db, "U1", "U2")
    take(centre, send(xa_a, tmp_path / "a-u2b.zip", dt.date(2025, 10, 1),
                      dt.datetime(2025, 11, 1, 9), "U2"), dt.datetime(2025, 11, 1, 10))
    take(centre, send(xa_a, tmp_path / "a-all.zip", FIRST, MADE, None), TAKEN)
    for period in (OCTOBER, NOVEMBER):
        found = report(centre, period)
        assert [row[-1] for row in cells(found.rows)] == ["Đủ"], (period, found.warnings)
