"""Issue 16 §3 (round 27): after "theirs", only a record that goes on from EXACTLY the version
taken is a plain change (core.exchange.taken). A sender whose history no longer begins with
the events taken (its file restored from a backup and worked on differently), or a dossier
this installation went on with since the take while the sender did something else, is still
a conflict: listed, nothing written without a choice (spec 9) — and, once taken again, the
sender's next record goes on from that take."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core.database import open_database
from core.exchange import export_package, import_package
from core.exchange.merge import import_packages
from tests.core.exchange import test_exchange
from tests.core.exchange.conftest import DAY
from tests.core.exchange.test_after_theirs import _written
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.exchange.test_theirs_replaces_votes import _two_citizens
from tests.core.exchange.test_versions import clone

pytestmark = pytest.mark.usefixtures("package_format")
clash = test_exchange.clash  # the fixture: two PCs issued the same codes


def _status(db, code: str) -> str:
    return db.execute("SELECT status FROM dossiers WHERE code = ?", [code]).fetchone()[0]


def _asked(db, path, code: str) -> None:
    """The record is a conflict of this code: listed, nothing written without a choice."""
    before = _written(db)
    for dry_run in (True, False):
        result = import_package(db, path, dry_run=dry_run)
        assert result.pending and not result.written, result.dossiers
        assert [c.code for c in result.conflicts] == [code]
        assert _written(db) == before


def test_a_sender_whose_history_diverged_from_the_version_taken_is_a_conflict(db, clash,
                                                                            tmp_path):
    package, other, ours = clash
    restored = clone(other, tmp_path / "restored.db")  # the sender's backup of this moment
    D.start_processing(other, D.find_by_code(other, ours[1]), at=DAY + dt.timedelta(hours=1))
    taken_path = tmp_path / "taken.zip"
    export_package(other, taken_path, SINCE)
    assert import_package(db, taken_path, conflicts="theirs").resolved == {"theirs": 2}
    # the sender's file restored from the backup, the dossier worked on differently
    D.request_supplement(restored, D.find_by_code(restored, ours[1]), reason="Thiếu bản sao",
                         at=DAY + dt.timedelta(hours=2))
    diverged = tmp_path / "diverged.zip"
    export_package(restored, diverged, SINCE)
    _asked(db, diverged, ours[1])
    assert _status(db, ours[1]) == "processing"
    # taken again: the restored sender's next record goes on from this take
    assert import_package(db, diverged, conflicts="theirs").resolved == {"theirs": 1}
    D.receive_supplement(restored, D.find_by_code(restored, ours[1]),
                         at=DAY + dt.timedelta(hours=3))
    next_path = tmp_path / "next.zip"
    export_package(restored, next_path, SINCE)
    done = import_package(db, next_path)
    assert done.written and not done.pending and done.dossiers["changed"] == 1, done.dossiers
    ok(db)
    restored.close()


def test_a_dossier_this_installation_went_on_with_since_the_take_is_a_conflict(db, clash,
                                                                              tmp_path):
    package, other, ours = clash
    assert import_package(db, package, conflicts="theirs").resolved == {"theirs": 2}
    D.start_processing(db, D.find_by_code(db, ours[1]), at=DAY + dt.timedelta(hours=1))
    D.request_supplement(other, D.find_by_code(other, ours[1]), reason="Thiếu bản sao",
                         at=DAY + dt.timedelta(hours=2))
    later = tmp_path / "later.zip"
    export_package(other, later, SINCE)
    _asked(db, later, ours[1])
    assert _status(db, ours[1]) == "processing"
    ok(db)




@pytest.mark.slot_unconfirmed
def test_a_sender_that_took_this_installations_version_back_is_asked_not_appended_twice(
        tmp_path):
    """Here took B's version (Cường over An), then B took this installation's record of it
    (its take appended An's events and this installation's take): B's next record begins with
    the events taken here, but what follows holds events this installation has already — a
    conflict as before, never those events appended a second time."""
    g, code, package_a, package_b = _two_citizens(tmp_path)
    assert import_packages(g, [package_a]).written
    assert import_packages(g, [package_b], clashes="theirs").written
    here = tmp_path / "g1.zip"
    export_package(g, here, SINCE)
    b = open_database(tmp_path / "b.db")
    assert import_packages(b, [here], conflicts="theirs").results[0].resolved == {"theirs": 1}
    D.return_result(b, D.find_by_code(b, code), at=DAY + dt.timedelta(hours=2))
    back = tmp_path / "b2.zip"
    export_package(b, back, SINCE)
    b.close()
    before = _written(g)
    for dry_run in (True, False):
        result = import_packages(g, [back], dry_run=dry_run)
        assert result.pending and [c.code for c in result.results[0].conflicts] == [code]
        assert _written(g) == before
    ok(g)
    g.close()
