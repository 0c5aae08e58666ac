"""Issue 16 §3 (round 27): takes an older program recorded, and a database it damaged.

- A take without the digest (every take before round 27: core.exchange.taken) says nothing of
  which of the sender's events were taken: the sender's next record of that dossier is asked
  as before (a conflict; nothing written without a choice) — never guessed. Taken again with
  this program, the take carries the digest and the record after it comes in as a change.
- An older program (before round 23's fix23a) that took "theirs" at the end of several of one
  sender's versions in one operation (b1, then b2 going on from it) remembered only b2 as
  taken. The taken dossier's history holds the replaced dossier's events beside b2's (an event
  both held kept once, out of b2's order), so b1 read as a conflict: the same operation run
  again stopped (exit 2) or its --choose MÃ=b2.zip was refused as if b1 had gone on from b2,
  and b1 alone was asked again. b1's events are all here and it is not the version taken: it
  is older than this installation's (core.exchange.taken.all_here): the re-run changes nothing,
  exit 0, `check` clean."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import dossiers as D
from core import history
from core.database import open_database
from core.exchange import export_package, import_package, merge, taken
from core.exchange.merge import import_packages
from core.exchange.merge.writing import _Writing
from tests.core.exchange import test_exchange
from tests.core.exchange.conftest import DAY, clock_at, copied
from tests.core.exchange.test_after_theirs import _written
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_theirs_at_a_line_end import _again_changes_nothing, _state
from tests.core.exchange.test_theirs_replaces_votes import _figures, _two_citizens

pytestmark = pytest.mark.usefixtures("package_format")
clash = test_exchange.clash  # the fixture: two PCs issued the same codes


def _as_an_older_program(patch) -> None:
    """Takes as every program before round 27 recorded them: the fields, no digest."""
    patch.setattr(taken, "take_details",
                  lambda fields, events: {"state": history.state_details(fields)})


def test_after_an_older_programs_take_the_next_record_is_asked_then_goes_on(db, clash,
                                                                            tmp_path,
                                                                            monkeypatch):
    package, other, ours = clash
    with monkeypatch.context() as patch:
        _as_an_older_program(patch)
        assert import_package(db, package, conflicts="theirs").resolved == {"theirs": 2}
    D.start_processing(other, D.find_by_code(other, ours[1]), at=DAY + dt.timedelta(hours=2))
    second = tmp_path / "second.zip"
    export_package(other, second, SINCE)
    before = _written(db)
    asked = import_package(db, second)  # as before: a conflict, nothing written
    assert asked.pending and not asked.written and [c.code for c in asked.conflicts] == [ours[1]]
    assert _written(db) == before
    assert import_package(db, second, conflicts="theirs").resolved == {"theirs": 1}
    D.finish(other, D.find_by_code(other, ours[1]), at=DAY + dt.timedelta(hours=3))
    third = tmp_path / "third.zip"
    export_package(other, third, SINCE)
    done = import_package(db, third)  # taken by this program: its next record goes on
    assert done.written and not done.pending and done.dossiers == {"changed": 1, "decided": 1}
    assert db.execute("SELECT status FROM dossiers WHERE code = ?", [ours[1]]).fetchone()[0] == \
        "done"
    ok(db)


def _closed_citizens(folder) -> tuple:
    """`_two_citizens`, the centre's database closed too (files only, for `copied`)."""
    g, code, package_a, package_b = _two_citizens(folder)
    g.close()
    return code, [folder / "g.db", folder / "b.db", package_a, package_b]


@pytest.fixture
def citizens(built_once, tmp_path, package_format):
    """`_two_citizens`, made once per package format for this module: each test has its own
    copies (the same names in its tmp_path), so none sees another's imports."""
    code, files = built_once(package_format, _closed_citizens)
    g_file, _b_file, package_a, package_b = (copied(f, tmp_path) for f in files)
    return open_database(g_file), code, package_a, package_b


def _damaged(patch) -> None:
    """What an older program did at a line end: b2 taken and remembered, b1 not."""
    _as_an_older_program(patch)
    patch.setattr(_Writing, "_taken_before", lambda *args: None)


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("how", ["clashes", "choose"])
def test_a_database_an_older_program_took_theirs_in_changes_nothing_on_a_re_run(
        citizens, tmp_path, monkeypatch, fast, how):
    monkeypatch.setattr(merge.run, "FAST_COPY", fast)
    g, code, package_a, package_b = citizens
    assert import_packages(g, [package_a]).written
    b = open_database(tmp_path / "b.db")
    D.return_result(b, D.find_by_code(b, code), at=DAY + dt.timedelta(hours=2))
    later = tmp_path / "b2.zip"
    with clock_at(5):
        export_package(b, later, SINCE)
    b.close()
    given = {"clashes": "theirs"} if how == "clashes" else {"versions": {code: later.name}}
    with monkeypatch.context() as patch:
        _damaged(patch)
        assert import_packages(g, [later, package_b], **given).written
    assert _figures(g) == ((1, 0), [(code, "Cường", "dissatisfied")])
    ok(g)
    # the same operation again, then each package alone: nothing asked, nothing written
    _again_changes_nothing(g, [[later, package_b], [package_b], [later]], given)
    g.close()
    argv = ["--db", str(tmp_path / "g.db"), "exchange", "import", str(later), str(package_b)]
    argv += ["--clashes", "theirs"] if how == "clashes" else ["--choose", f"{code}={later.name}"]
    before = _state(tmp_path / "g.db")
    assert main.main(argv) == 0
    assert _state(tmp_path / "g.db") == before


def test_a_version_an_older_program_chose_among_two_ends_changes_nothing_on_a_re_run(
        citizens, tmp_path, monkeypatch):
    """B's and a counter's versions (C took B's b1 and went on), C's chosen over An's by an
    older program with b1 in the operation: b1 (the start of both lines) was not remembered."""
    g, code, package_a, package_b = citizens
    assert import_packages(g, [package_a]).written
    b = open_database(tmp_path / "b.db")
    c = installed(tmp_path / "c.db", CENTRE, (1, 1))
    assert import_packages(c, [package_b]).written
    D.return_result(b, D.find_by_code(b, code), at=DAY + dt.timedelta(hours=2))
    D.return_result(c, D.find_by_code(c, code), at=DAY + dt.timedelta(hours=3))
    pb, pc = tmp_path / "b2.zip", tmp_path / "c1.zip"
    with clock_at(5):
        export_package(b, pb, SINCE)
    with clock_at(6):
        export_package(c, pc, SINCE)
    given = [package_b, pb, pc]
    with monkeypatch.context() as patch:
        _damaged(patch)
        assert import_packages(g, given, versions={code: pc.name}).written
    ok(g)
    _again_changes_nothing(g, [given] + [[p] for p in given], {"versions": {code: pc.name}})
    for db in (b, c, g):
        db.close()
