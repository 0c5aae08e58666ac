"""Walk-in votes (no dossier) of two counters of one unit at the same moment, the same rating and
no comment are two votes at the centre: a package matches only the stored walk-in votes its own
installation's earlier packages brought (core.actor_names.vote_ranges), never another
counter's nor the centre's own — on the records' way and the SQL copy alike (round 32)."""
from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest

from core import votes
from core.exchange import export, export_package, import_package, merge
from core.exchange.fastcopy.copier import Copier
from core.exchange.merge import import_packages
from core.exchange.package import MANIFEST
from tests.core.exchange.conftest import DAY, clock_at, office, repack
from tests.core.exchange.test_exchange import SINCE

AT = DAY + dt.timedelta(hours=2)  # a paper form's typed minute


@pytest.fixture(params=["format2", "format3-sql", "format3-records"])
def path(request, monkeypatch):
    """The records' way (format 2, or format 3 with the SQL copy off) and the SQL copy."""
    monkeypatch.setattr(export, "DEFAULT_FORMAT", 2 if request.param == "format2" else 3)
    if request.param == "format3-records":
        monkeypatch.setattr(merge.run, "FAST_COPY", False)
    return request.param


@pytest.fixture
def copied(monkeypatch):
    """The votes each part's SQL copy wrote (not left to the records' way), in turn."""
    seen: list[int] = []
    plain = Copier.copy

    def spy(self, *args, **kwargs):
        out = plain(self, *args, **kwargs)
        seen.append(out.votes)
        return out
    monkeypatch.setattr(Copier, "copy", spy)
    return seen


@pytest.fixture
def places(tmp_path, path):
    """Counters A and B of the centre's unit U1 and the centre, each with its own file."""
    a = office(tmp_path / "a.db", (1, 3))
    b = office(tmp_path / "b.db", (2, 3))
    centre = office(tmp_path / "centre.db", (3, 3))
    yield a, b, centre
    for db in (a, b, centre):
        db.close()


def walk_in(db, rating="satisfied") -> int:
    return votes.add_vote(db, unit_code="U1", voted_at=AT, rating=rating)


def sent(db, target, minutes=0):
    with clock_at(minutes):  # made later: merged after (merge.merge_order)
        export_package(db, target, SINCE, replace=True)
    return target


def live(db) -> int:
    return db.execute("SELECT COUNT(*) FROM votes WHERE cancelled_at IS NULL").fetchone()[0]


def test_two_counters_same_moment_votes_are_two_at_the_centre(places, tmp_path, path, copied):
    a, b, centre = places
    walk_in(a)
    walk_in(b)
    pa, pb = sent(a, tmp_path / "a.zip"), sent(b, tmp_path / "b.zip", 1)
    batch = import_packages(centre, [pa, pb])
    assert [r.votes for r in batch.results] == [{"new": 1}, {"new": 1}]
    # the SQL copy wrote B's vote itself: A's, copied before it, was no match for it
    assert copied == ([1, 1] if path == "format3-sql" else [])
    assert live(centre) == 2
    # each package again: nothing changes (spec 9)
    assert import_package(centre, pa).votes == {"identical": 1}
    assert import_package(centre, pb).votes == {"identical": 1}
    assert import_packages(centre, [pa, pb]).results[1].votes == {"identical": 1}
    assert live(centre) == 2


def test_one_package_at_a_time_is_the_same(places, tmp_path):
    a, b, centre = places
    walk_in(a)
    walk_in(b)
    pa, pb = sent(a, tmp_path / "a.zip"), sent(b, tmp_path / "b.zip", 1)
    assert import_package(centre, pb).votes == {"new": 1}
    assert import_package(centre, pa).votes == {"new": 1}
    assert live(centre) == 2


def test_a_counters_own_earlier_votes_are_still_matched(places, tmp_path):
    """Two same-moment votes of one counter are two there and two here; its package again
    (or a later one carrying them) matches each of them once."""
    a, _b, centre = places
    walk_in(a)
    walk_in(a)
    pa = sent(a, tmp_path / "a.zip")
    assert import_package(centre, pa).votes == {"new": 2}
    later = sent(a, tmp_path / "a2.zip", 5)
    assert import_package(centre, later).votes == {"identical": 2}
    assert live(centre) == 2


def test_a_counters_earlier_package_in_the_same_operation_is_its_own(places, tmp_path):
    """Two packages of A (the later carrying the earlier's votes again) beside B's, in one
    operation: A's second matches what A's first has just written, never B's."""
    a, b, centre = places
    walk_in(a)
    walk_in(b)
    first, pb = sent(a, tmp_path / "a1.zip"), sent(b, tmp_path / "b.zip", 1)
    walk_in(a, "neutral")
    second = sent(a, tmp_path / "a2.zip", 2)
    batch = import_packages(centre, [first, pb, second])
    assert [r.votes for r in batch.results] == [{"new": 1}, {"new": 1},
                                                {"identical": 1, "new": 1}]
    assert live(centre) == 3


def test_a_counters_cancel_cancels_its_own_vote(places, tmp_path):
    """B's vote stored first: A's later package cancelling A's vote cancels A's, not B's."""
    a, b, centre = places
    mine = walk_in(a)
    walk_in(b)
    pb = sent(b, tmp_path / "b.zip")
    pa = sent(a, tmp_path / "a.zip", 1)
    import_packages(centre, [pb, pa])
    votes.cancel_vote(a, mine, reason="Nhập nhầm", at=AT + dt.timedelta(hours=1))
    again = sent(a, tmp_path / "a2.zip", 10)
    assert import_package(centre, again).votes == {"changed": 1}
    kept = centre.execute("SELECT id, cancelled_at IS NULL FROM votes ORDER BY id").fetchall()
    assert kept == [(1, 1), (2, 0)]  # B's (merged first) live, A's cancelled
    assert import_package(centre, again).votes == {"identical": 1}
    assert import_package(centre, pb).votes == {"identical": 1}
    assert live(centre) == 1


def test_the_centres_own_vote_is_not_swallowed(places, tmp_path, path, copied):
    a, _b, centre = places
    walk_in(centre)
    walk_in(a)
    pa = sent(a, tmp_path / "a.zip")
    assert import_package(centre, pa).votes == {"new": 1}
    assert copied == ([1] if path == "format3-sql" else [])
    assert live(centre) == 2
    assert import_package(centre, pa).votes == {"identical": 1}
    assert live(centre) == 2


def test_a_package_without_an_installation_keeps_the_old_rule(places, tmp_path):
    """An older package says no installation: its walk-in vote matches any stored one."""
    a, _b, centre = places
    walk_in(centre)
    walk_in(a)
    pa = sent(a, tmp_path / "a.zip")
    with zipfile.ZipFile(pa) as old:
        members = {info.filename: old.read(info.filename) for info in old.infolist()}
    manifest = json.loads(members[MANIFEST])
    manifest.pop("installation", None)
    members[MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    anonymous = tmp_path / "cu.zip"
    repack(members, anonymous)
    assert import_package(centre, anonymous).votes == {"identical": 1}
    assert live(centre) == 1
