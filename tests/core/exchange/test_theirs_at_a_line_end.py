"""Issue 16 §3 (round 23): "theirs" taken at the END of several versions of one code brought
together in ONE operation (B's two month-ends, or B's and a counter's that took B's and went
on) replaces this installation's dossier by another citizen's exactly as one package does:
the replaced dossier's votes are cancelled with the reason, said, counted nowhere. Before, the
code was set aside (its versions not one package's) and written at the end of the operation
(merge._Run.resolve) by a path that never cancelled them: An's vote stayed live on Cường's
dossier (kpi 2 votes / 1 satisfied for one citizen's vote), though one package at a time
cancelled it.

Round 23 (fix23a): the same operation run again changes nothing and asks nothing (spec 9), as
one package at a time: before, the earlier month-end (b1) was not remembered as taken and, the
taken dossier's history holding An's events beside Cường's, read as a conflict again — the
re-run with --clashes theirs stopped on it, the one with --choose MÃ=b2.zip was refused as if
b2 had been superseded by b1."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import dossiers as D
from core.database import open_database
from core.exchange import export_package, merge, replaced
from core.exchange.merge import import_packages
from tests.core.exchange.conftest import DAY, clock_at
from tests.core.exchange.test_after_theirs import _two_citizens_copied
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_keep_both import _everything
from tests.core.exchange.test_theirs_replaces_votes import _figures
from tests.core.exchange.test_versions import clone

pytestmark = [pytest.mark.slot_unconfirmed, pytest.mark.usefixtures("package_format")]


def _cancelled(db) -> list[tuple[str, str]]:
    return db.execute("SELECT rating, cancel_reason FROM votes WHERE cancelled_at IS NOT NULL "
                      "ORDER BY id").fetchall()


def _b_goes_on(tmp_path):
    """B again, for its next month-end (B's first package is its start): this test's copy of
    the B of `_two_citizens`, made once a module and package format (`_two_citizens_copied`)."""
    return open_database(tmp_path / "b.db")


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("how", ["clashes", "choose"])
def test_theirs_at_the_end_of_two_packages_cancels_the_replaced_dossiers_votes(
        tmp_path, monkeypatch, built_once, package_format, fast, how):
    monkeypatch.setattr(merge.run, "FAST_COPY", fast)
    g, code, package_a, package_b = _two_citizens_copied(built_once, tmp_path, package_format)
    assert import_packages(g, [package_a]).written
    b = _b_goes_on(tmp_path)
    D.return_result(b, D.find_by_code(b, code), at=DAY + dt.timedelta(hours=2))
    later = tmp_path / "b2.zip"
    with clock_at(5):
        export_package(b, later, SINCE)
    b.close()
    given = {"clashes": "theirs"} if how == "clashes" else {"versions": {code: later.name}}
    one_by_one = clone(g, tmp_path / "one-by-one.db")
    for path in (package_b, later):  # one package at a time, in the order made
        assert import_packages(one_by_one, [path], clashes="theirs", conflicts="theirs").written
    ok(one_by_one)

    preview = import_packages(g, [later, package_b], dry_run=True, **given)
    done = import_packages(g, [later, package_b], **given)
    assert done.written
    note = replaced.replaced_text(code, 1)
    assert [note in r.warnings for r in done.results] == \
        [note in r.warnings for r in preview.results]
    assert any(note in r.warnings for r in done.results)
    assert _figures(g) == _figures(one_by_one) == ((1, 0), [(code, "Cường", "dissatisfied")])
    assert [r[0] for r in _cancelled(g)] == ["satisfied"]
    assert g.execute("SELECT status FROM dossiers WHERE code = ?", [code]).fetchone()[0] == \
        "returned"
    ok(g)
    _again_changes_nothing(g, [[later, package_b], [package_b], [later]], given)
    for db in (g, one_by_one):
        db.close()
    argv = ["--db", str(tmp_path / "g.db"), "exchange", "import", str(later), str(package_b)]
    argv += ["--clashes", "theirs"] if how == "clashes" else ["--choose", f"{code}={later.name}"]
    before = _state(tmp_path / "g.db")
    assert main.main(argv) == 0  # as for packages imported before: nothing to choose
    assert _state(tmp_path / "g.db") == before


def _state(path) -> tuple:
    db = open_database(path)
    try:
        return _everything(db), _figures(db), _cancelled(db), db.execute(
            "SELECT * FROM kpi_daily ORDER BY 1, 2").fetchall()
    finally:
        db.close()


def _again_changes_nothing(db, operations: list[list], given: dict) -> None:
    """Each operation (the same again, then each package alone) previewed and imported: every
    dossier identical, older or chosen before, every vote identical, nothing to choose, no note
    of a replaced dossier, nothing written (rows, votes, events, kpi), `check` clean."""
    before = _everything(db), _figures(db), _cancelled(db), db.execute(
        "SELECT * FROM kpi_daily ORDER BY 1, 2").fetchall()
    for paths in operations:
        # --choose MÃ=b2.zip names a package: given with the operation that has it only
        for how in (given, {}) if "clashes" in given or len(paths) > 1 else ({},):
            for dry_run in (True, False):
                again = import_packages(db, paths, dry_run=dry_run, **how)
                assert not again.pending and not again.crossed, [paths, how, dry_run]
                for result in again.results:
                    assert result.conflict_count == 0, result.conflicts
                    assert set(result.dossiers) <= {"identical", "older", "decided"}, \
                        result.dossiers
                    assert set(result.votes) == {"identical"}, result.votes
                    assert not result.warnings, result.warnings
                assert (_everything(db), _figures(db), _cancelled(db), db.execute(
                    "SELECT * FROM kpi_daily ORDER BY 1, 2").fetchall()) == before
    ok(db)


@pytest.mark.parametrize("with_start", [False, True])
def test_a_version_chosen_among_two_ends_cancels_the_replaced_dossiers_votes(
        tmp_path, built_once, package_format, with_start):
    """B's and a counter's (C took B's package and went on differently): two ends, the clerk
    picks C's (--choose MÃ=c1.zip) over this installation's An: An's vote cancelled. With B's
    first package (b1, the start of both lines) in the operation too, the same operation again
    changes nothing: before, it was refused with "c1.zip đã được gói b1.zip nhận rồi xử lý
    tiếp" (c1 goes on from b1) and b1 alone was a conflict again."""
    g, code, package_a, package_b = _two_citizens_copied(built_once, tmp_path, package_format)
    assert import_packages(g, [package_a]).written
    b = _b_goes_on(tmp_path)
    c = installed(tmp_path / "c.db", CENTRE, (1, 1))
    assert import_packages(c, [package_b]).written
    D.return_result(b, D.find_by_code(b, code), at=DAY + dt.timedelta(hours=2))
    D.return_result(c, D.find_by_code(c, code), at=DAY + dt.timedelta(hours=3))
    pb, pc = tmp_path / "b2.zip", tmp_path / "c1.zip"
    with clock_at(5):
        export_package(b, pb, SINCE)
    with clock_at(6):
        export_package(c, pc, SINCE)
    given = [package_b, pb, pc] if with_start else [pb, pc]
    pending = import_packages(g, given, dry_run=True)
    assert [x.code for x in pending.crossed] == [code]
    done = import_packages(g, given, versions={code: pc.name})
    assert done.written
    assert any(replaced.replaced_text(code, 1) in r.warnings for r in done.results)
    assert _figures(g) == ((1, 0), [(code, "Cường", "dissatisfied")])
    assert [r[0] for r in _cancelled(g)] == ["satisfied"]
    ok(g)
    _again_changes_nothing(g, [given] + [[p] for p in given], {"versions": {code: pc.name}})
    for db in (b, c, g):
        db.close()
