"""What settled a sender's first package stays settled (round 35, held35; spec 9).

Round 34 (review34c) let a sender's next ordinary package settle what its older-program first
package left open (`held_before.cleared`, core.exchange.held_cleared), with two errors left:

- the centre's row kept one statement: a later package after a gap replaced the one that had
  proved the start, and the report read «Không rõ» again until the gap closed;
- a first package of a program before round 32 (no `held_before` at all) was never settled.
"""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core import installation
from core.exchange import held_cleared
from core.exchange.package import PackageWriter
from core.pdf.monthly_sources import cells
from tests.core.exchange.conftest import office, receive
from tests.core.exchange.test_held_carried import (
    NOVEMBER,
    UNKNOWN,
    finished,
    offices,  # noqa: F401 (the fixture)
)
from tests.core.exchange.test_held_cleared import NEXT, NEXT_MADE, _older_first, verdicts
from tests.core.exchange.test_held_units import MISSING, held_of, report, settled
from tests.core.exchange.test_sources import clock, send, take

GAPPED, GAPPED_MADE = dt.date(2025, 12, 10), dt.datetime(2025, 12, 12, 16)  # after a lost one
DECEMBER_START = (dt.date(2025, 12, 1), dt.date(2025, 12, 5))


def test_a_later_package_after_a_gap_keeps_what_was_proved(offices, tmp_path,  # noqa: F811
                                                          monkeypatch):
    """The older program's package from 01/11 left the dossier finished 25/10 behind; the next
    from 05/12 settled it (November «Đủ»); a package of 06/12–09/12 was lost and the next came
    from 10/12. November stays «Đủ» (round 34: «Không rõ» again, the row kept only the
    statement of 10/12, which cannot be joined back to 01/11); the lost days warn only for
    the period they are in."""
    centre, xa_a = offices
    finished(xa_a)
    _older_first(centre, xa_a, tmp_path, monkeypatch)
    take(centre, send(xa_a, tmp_path / "a2.zip", NEXT, NEXT_MADE, "U1"),
         NEXT_MADE + dt.timedelta(hours=1))
    assert verdicts(centre) == ["Đủ"]
    path = send(xa_a, tmp_path / "a3.zip", GAPPED, GAPPED_MADE, "U1")
    assert held_of(path)[held_cleared.KEY] == "2025-12-10"
    take(centre, path, GAPPED_MADE + dt.timedelta(hours=1))
    assert verdicts(centre) == ["Đủ"], report(centre, NOVEMBER).warnings
    assert verdicts(centre, DECEMBER_START) == ["Đủ"]
    assert verdicts(centre, (dt.date(2025, 12, 1), dt.date(2025, 12, 11))) == [MISSING]


def test_the_row_keeps_every_statement_that_may_prove_a_start():
    """Of two statements, one is dropped only when the other clears as many days from a first
    day as early (it proves whatever the dropped one proved); a row of round 34 (one
    statement) is read as a list of one."""
    first = held_cleared.kept(None, dt.date(2025, 12, 5), "2025-12-05 00:00:00")
    both = held_cleared.kept(first, dt.date(2025, 12, 10), "2025-12-10 00:00:00")
    assert both == [{"day": "2025-12-05", "since": "2025-12-05 00:00:00"},
                    {"day": "2025-12-10", "since": "2025-12-10 00:00:00"}]
    assert held_cleared.kept(both, dt.date(2025, 12, 10), "2025-12-04 00:00:00") == \
        [{"day": "2025-12-10", "since": "2025-12-04 00:00:00"}]
    assert held_cleared.kept(both, dt.date(2025, 11, 1), "2025-12-20 00:00:00") == both
    old = {"day": "2025-12-05", "since": "2025-12-05 00:00:00"}  # as round 34 kept it
    assert held_cleared.kept(old, None, "2025-12-20 00:00:00") == [old]
    many, start = None, {"since": "2026-02-05 00:00:00"}
    for day in range(1, 29):  # nothing left open: each clears up to its own first day
        many = held_cleared.kept(many, dt.date(2026, 2, day), f"2026-02-{day:02} 00:00:00",
                                 start)
    # those clearing nothing of the start dropped, then the earliest (joined soonest) kept
    assert [one["day"] for one in many] == [f"2026-02-{day:02}" for day in range(5, 15)]
    assert len(many) == held_cleared.KEPT_MOST


def _before_round_32(centre, xa_a, tmp_path, monkeypatch, unit: str | None = None) -> None:
    """A's first package from 01/11 (all units, or `unit`'s), written as a program before
    round 32 did: no `held_before` at all."""
    finish = PackageWriter.finish

    def older(self, manifest, sign=None):
        return finish(self, {k: v for k, v in manifest.items() if k != "held_before"}, sign)

    with monkeypatch.context() as patch:
        patch.setattr(PackageWriter, "finish", older)
        take(centre, send(xa_a, tmp_path / "a.zip", dt.date(2025, 11, 1),
                          dt.datetime(2025, 12, 5, 16), unit), dt.datetime(2025, 12, 5, 17))


@pytest.mark.parametrize("unit", [None, "U1"])
def test_a_first_package_before_round_32_is_settled_by_the_next_ordinary_one(
        offices, tmp_path, monkeypatch, unit):  # noqa: F811
    """Its first package (before round 32) says nothing of what it left behind: November
    «Không rõ». The next ordinary package from 05/12 says no open dossier it leaves behind was
    last changed before 05/12: none left by the first one is still open, and those closed since
    travelled in the packages joined from 01/11 — November «Đủ» (round 34: «Không rõ» until A
    re-sent everything from 01/11). What was finished before 01/11 is not known: October, a
    period beginning before the first package, stays «Không rõ». A unit's first package did
    not say its tree either: a unit moved out of it since is not in the next one's, whose
    statement says nothing of it — «Không rõ» (review35d)."""
    centre, xa_a = offices
    finished(xa_a)
    _before_round_32(centre, xa_a, tmp_path, monkeypatch, unit)
    assert verdicts(centre) == [UNKNOWN]
    take(centre, send(xa_a, tmp_path / "a2.zip", NEXT, NEXT_MADE, unit),
         NEXT_MADE + dt.timedelta(hours=1))
    assert verdicts(centre) == ["Đủ" if unit is None else UNKNOWN], \
        report(centre, NOVEMBER).warnings
    assert verdicts(centre, (dt.date(2025, 10, 1), dt.date(2025, 10, 31))) == [UNKNOWN]


def test_a_first_package_before_round_32_with_an_open_dossier_stays_unknown(
        offices, tmp_path, monkeypatch):  # noqa: F811
    """The dossier of 20/10 is still open, unchanged: the next package's day is 20/10, before
    the first package's — never «Đủ»."""
    centre, xa_a = offices
    _before_round_32(centre, xa_a, tmp_path, monkeypatch)
    path = send(xa_a, tmp_path / "a2.zip", NEXT, NEXT_MADE, None)
    assert held_of(path)[held_cleared.KEY] == "2025-10-20"
    take(centre, path, NEXT_MADE + dt.timedelta(hours=1))
    assert verdicts(centre) == [UNKNOWN]


def test_a_first_package_before_round_32_and_a_gap_stays_unknown(offices, tmp_path,  # noqa: F811
                                                                monkeypatch):
    """The next ordinary package comes from 10/12 (06/12–09/12 lost): the spans do not join
    from 01/11 — a dossier open at 01/11 and finished in the gap travelled in no package."""
    centre, xa_a = offices
    finished(xa_a)
    _before_round_32(centre, xa_a, tmp_path, monkeypatch)
    take(centre, send(xa_a, tmp_path / "a3.zip", GAPPED, GAPPED_MADE, None),
         GAPPED_MADE + dt.timedelta(hours=1))
    assert verdicts(centre) == [UNKNOWN]


# ----- open dossiers the sender got from the centre ------------------------------------------

def _round_33(centre, sender, path, since, made) -> None:
    """A package of `sender` written as round 33's program did: no `open`, no `cleared`."""
    finish = PackageWriter.finish

    def written(self, manifest, sign=None):
        held = {k: v for k, v in manifest["held_before"].items()
                if k not in ("open", held_cleared.KEY)}
        for name in ("units", "brought"):
            held[name] = [{k: v for k, v in one.items() if k != "open"} for one in held[name]]
        return finish(self, {**manifest, "held_before": held}, sign)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PackageWriter, "finish", written)
        take(centre, send(sender, path, since, made, None), made + dt.timedelta(hours=1))


@pytest.fixture
def centre_and_commune(tmp_path):
    """The centre's own dossier of 20/10 08:00, still open, went to commune C on 22/10; C's own
    dossier of 20/10 08:30 was finished on 25/10."""
    centre, xa_c = office(tmp_path / "centre.db", (1, 3)), office(tmp_path / "c.db", (3, 3))
    receive(centre, "Hà Thị Mai", unit="U1")
    settled(centre)
    take(xa_c, send(centre, tmp_path / "centre.zip", dt.date(2025, 10, 1),
                    dt.datetime(2025, 10, 21, 16), None), dt.datetime(2025, 10, 22, 9))
    own, _code = receive(xa_c, "Lò Văn Sử", unit="U2", minutes=30)
    settled(xa_c)
    with clock(dt.datetime(2025, 10, 25, 9)):
        D.finish(xa_c, own, at=dt.datetime(2025, 10, 25, 9))
    yield centre, xa_c
    for db in (centre, xa_c):
        db.close()


def test_an_open_dossier_from_the_centre_does_not_keep_the_commune_unknown(
        centre_and_commune, tmp_path):
    """C's first package (round 33's program, all units from 01/11) left its own finished
    dossier behind without saying it is closed: November «Không rõ». C's next ordinary package
    says its own left behind has nothing open (its lines); only the centre's dossier is open,
    and that one the centre has. November «Đủ» (round 34: the day, 20/10, counted the centre's
    dossier — «Không rõ» for ever)."""
    centre, xa_c = centre_and_commune
    _round_33(centre, xa_c, tmp_path / "c.zip", dt.date(2025, 11, 1), dt.datetime(2025, 12, 5, 16))
    assert verdicts(centre) == [UNKNOWN]
    path = send(xa_c, tmp_path / "c2.zip", NEXT, NEXT_MADE, None)
    said = held_of(path)
    assert said[held_cleared.KEY] == "2025-10-20"  # the centre's dossier, still open
    assert [line["open"] for line in said["units"]] == [0] and \
        [line["open"] for line in said["brought"]] == [1]
    take(centre, path, NEXT_MADE + dt.timedelta(hours=1))
    assert verdicts(centre) == ["Đủ"], report(centre, NOVEMBER).warnings


def test_an_open_dossier_of_its_own_keeps_it_unknown(centre_and_commune, tmp_path):
    """C's own dossier of 20/10 08:30 still open: its lines say an own dossier is open, the day
    is 20/10 — never «Đủ»."""
    centre, xa_c = centre_and_commune
    receive(xa_c, "Hà Văn Nam", unit="U2", minutes=40)
    settled(xa_c)
    _round_33(centre, xa_c, tmp_path / "c.zip", dt.date(2025, 11, 1), dt.datetime(2025, 12, 5, 16))
    take(centre, send(xa_c, tmp_path / "c2.zip", NEXT, NEXT_MADE, None),
         NEXT_MADE + dt.timedelta(hours=1))
    assert verdicts(centre) == [UNKNOWN]


def test_an_open_dossier_another_commune_brought_keeps_it_unknown(tmp_path):
    """The open dossier came from counter K, whose packages the centre never took: it is not
    the centre's to have, and the commune's lines say one brought dossier is open — the
    brought lines stay unknown: never «Đủ»."""
    centre, xa_c = office(tmp_path / "centre.db", (1, 4)), office(tmp_path / "c.db", (3, 4))
    counter = office(tmp_path / "k.db", (4, 4))
    receive(counter, "Hà Thị Mai", unit="U1")
    settled(counter)
    take(xa_c, send(counter, tmp_path / "k.zip", dt.date(2025, 10, 1),
                    dt.datetime(2025, 10, 21, 16), None), dt.datetime(2025, 10, 22, 9))
    _round_33(centre, xa_c, tmp_path / "c.zip", dt.date(2025, 11, 1), dt.datetime(2025, 12, 5, 16))
    take(centre, send(xa_c, tmp_path / "c2.zip", NEXT, NEXT_MADE, None),
         NEXT_MADE + dt.timedelta(hours=1))
    assert verdicts(centre) == [UNKNOWN]
    for db in (centre, xa_c, counter):
        db.close()


# ----- a unit moved under another: the package that first carried it ------------------------

@pytest.mark.parametrize("closed", [True, False])
def test_a_line_reaching_the_package_that_first_carried_a_moved_unit(tmp_path, closed):
    """Commune A's U1 dossier of 20/09 was finished on 25/09. A sent U2 from 01/09 (made 01/10)
    when U1 was no unit of U2's; U1 then moved under U2, and A sent U2 from 01/10 (made 01/11
    09:00), leaving the finished dossier behind and saying so (U1: 1, none open); then all
    units from 01/11. October reaches back to that package, which left nothing of U1 that
    October counts: «Đủ» (round 34: «Thiếu», the row kept only what its first package, from
    01/09, left behind). Still open, it is «Thiếu»."""
    from tests.core.exchange.test_held_units import move
    centre, xa_a = office(tmp_path / "centre.db", (1, 3)), office(tmp_path / "a.db", (2, 3))
    dossier, _code = receive(xa_a, "Trần Thị Hoa", unit="U1", minutes=-30 * 24 * 60)
    settled(xa_a)
    if closed:
        with clock(dt.datetime(2025, 9, 25, 9)):
            D.finish(xa_a, dossier, at=dt.datetime(2025, 9, 25, 9))
    take(centre, send(xa_a, tmp_path / "a-u2.zip", dt.date(2025, 9, 1),
                      dt.datetime(2025, 10, 1, 9), "U2"), dt.datetime(2025, 10, 1, 10))
    for db in (centre, xa_a):
        move(db, "U1", "U2")
    later = send(xa_a, tmp_path / "a-u2b.zip", dt.date(2025, 10, 1), dt.datetime(2025, 11, 1, 9),
                 "U2")
    assert [(one["unit"], one["open"]) for one in held_of(later)["units"]] == \
        [("U1", 0 if closed else 1)]
    take(centre, later, dt.datetime(2025, 11, 1, 10))
    take(centre, send(xa_a, tmp_path / "a-all.zip", dt.date(2025, 11, 1),
                      dt.datetime(2025, 12, 5, 16), None), dt.datetime(2025, 12, 5, 17))
    october = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))
    # still open, it is carried over into October and never travelled: «Thiếu»
    assert verdicts(centre, october) == ["Đủ" if closed else MISSING], \
        report(centre, october).warnings
    # September: the U2 package from 01/09 did not carry U1 (its tree then) — the finished
    # dossier of 20/09 travelled in no package
    september = (dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    assert MISSING in verdicts(centre, september)
    for db in (centre, xa_a):
        db.close()


# ----- not closed: a counter relayed by its commune, then sending straight to the centre -----

def test_a_relayed_counter_changed_since_its_communes_last_package_is_never_whole(tmp_path):
    """Counter K's November went through commune S (K → S on 20/11, S → centre on 21/11); K
    finished its dossier on 25/11 and sent straight to the centre from 01/12 only. The centre
    holds the dossier (from S), open: K's finish travelled in no package the centre took. The
    counts K's package says (1 record of U1 left behind) match what the centre holds, so a rule
    matching counts would say «Đủ» — why round 35 leaves the relayed case «Thiếu»
    (docs/reports.md): November must not be «Đủ» for K."""
    centre, server = office(tmp_path / "centre.db", (1, 3)), office(tmp_path / "s.db", (2, 3))
    counter = office(tmp_path / "k.db", (3, 3))
    with clock(dt.datetime(2025, 11, 20, 9)):
        dossier, _code = receive(counter, "Trần Thị Hoa", unit="U1", minutes=31 * 24 * 60)
    settled(counter)
    take(server, send(counter, tmp_path / "k.zip", dt.date(2025, 11, 1),
                      dt.datetime(2025, 11, 20, 16), None), dt.datetime(2025, 11, 20, 17))
    take(centre, send(server, tmp_path / "s.zip", dt.date(2025, 11, 1),
                      dt.datetime(2025, 11, 21, 16), None), dt.datetime(2025, 11, 21, 17))
    with clock(dt.datetime(2025, 11, 25, 9)):
        D.finish(counter, dossier, at=dt.datetime(2025, 11, 25, 9))
    take(centre, send(counter, tmp_path / "k2.zip", dt.date(2025, 12, 1),
                      dt.datetime(2025, 12, 5, 16), None), dt.datetime(2025, 12, 5, 17))
    assert centre.execute("SELECT COUNT(*) FROM dossier_rows WHERE finished_at IS NULL"
                          ).fetchone()[0] == 1  # the centre's copy is still open
    found = report(centre, NOVEMBER)
    verdict = {row.installation: said[-1] for row, said in zip(found.rows, cells(found.rows),
                                                               strict=True)}
    assert verdict[installation.installation_id(counter)] == MISSING, found.warnings
    for db in (centre, server, counter):
        db.close()


# ----- a unit moved out of the row's unit: a statement speaks of its package's tree only -----

@pytest.mark.parametrize("older", [True, False])
def test_a_statement_does_not_settle_a_unit_moved_out_of_its_tree(offices, tmp_path,  # noqa: F811
                                                                  monkeypatch, older):
    """A's U1 dossier of 20/10 is open, never sent. U1 was under U2 when A sent U2 from 01/11
    (round 33's program: its lines, no `open`; or this one: U1 1 open — «Thiếu»); U1 then
    left U2, and A's next U2 package from 05/12 leaves nothing open of its tree (U2 alone):
    its day (05/12) and its lines speak of U2's tree, not of U1. November never «Đủ» (review35d:
    «Đủ», the statement set the U1 line's open to 0)."""
    from tests.core.exchange.test_held_units import move
    centre, xa_a = offices
    for db in (centre, xa_a):
        move(db, "U1", "U2")
    if older:
        _older_first(centre, xa_a, tmp_path, monkeypatch, unit="U2")
    else:
        take(centre, send(xa_a, tmp_path / "a.zip", dt.date(2025, 11, 1),
                          dt.datetime(2025, 12, 5, 16), "U2"), dt.datetime(2025, 12, 5, 17))
    assert verdicts(centre) == [UNKNOWN if older else MISSING]
    for db in (centre, xa_a):
        move(db, "U1", None)
    path = send(xa_a, tmp_path / "a2.zip", NEXT, NEXT_MADE, "U2")
    assert held_of(path)[held_cleared.KEY] == NEXT.isoformat()  # nothing of U2 open
    take(centre, path, NEXT_MADE + dt.timedelta(hours=1))
    assert verdicts(centre) == [UNKNOWN if older else MISSING], report(centre, NOVEMBER).warnings
