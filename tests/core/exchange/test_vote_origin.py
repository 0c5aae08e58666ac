"""A vote's origin travels with it (schema 25, db.vote_origin, issue 16 §3): a walk-in vote (no
dossier) reaching the centre by two routes — from the counter that recorded it and through the
commune PC that merged it and sent it on — is one vote, in either order, and a cancel sent by
one route cancels the copy the other brought; a centre that merged a counter's walk-in votes
before packages' ids were recorded matches them when the counter's later package carries them
again. On the records' way (format 2, format 3 with the SQL copy off) and the SQL copy alike."""
from __future__ import annotations

import datetime as dt

import pytest

from core import installation, votes
from core.exchange import import_package
from core.exchange.merge import import_packages
from core.indicators import compute
from db import vote_origin
from tests.core.exchange import test_walk_in_origin as walk
from tests.core.exchange.conftest import office
from tests.core.exchange.test_walk_in_origin import AT, live, sent, walk_in

# the three ways in, the SQL copy's own votes, and three offices of one unit (here a counter,
# the commune PC that merges its packages and sends on, and the centre), as round 32's tests
path, copied, places = walk.path, walk.copied, walk.places


def counted(db) -> int:
    """The votes the indicator counts (satisfaction), the counter's day."""
    doc = compute(db, dt.date(2025, 10, 1), dt.date(2025, 10, 31),
                  as_of=dt.datetime(2025, 10, 20, 16))
    return doc["total"]["satisfaction"]["votes"]


def test_a_recorded_vote_says_where_it_was_first_recorded(places):
    counter, _commune, _centre = places
    vote_id = walk_in(counter)
    here = installation.installation_id(counter)
    assert counter.execute("SELECT origin FROM votes WHERE id = ?", [vote_id]).fetchone()[0] \
        == vote_origin.of(here, vote_id)


@pytest.mark.parametrize("order", ["direct-first", "forwarded-first"])
def test_one_vote_by_two_routes_counts_once(places, tmp_path, path, order, copied):
    counter, commune, centre = places
    walk_in(counter)
    direct = sent(counter, tmp_path / "counter.zip")
    assert import_package(commune, direct).votes == {"new": 1}
    forwarded = sent(commune, tmp_path / "commune.zip", 1)
    first, second = (direct, forwarded) if order == "direct-first" else (forwarded, direct)
    assert import_package(centre, first).votes == {"new": 1}
    assert import_package(centre, second).votes == {"identical": 1}
    assert live(centre) == 1 and counted(centre) == 1
    # the origin is the counter's, whichever route brought it first
    assert {r[0] for r in centre.execute("SELECT origin FROM votes")} == {
        vote_origin.of(installation.installation_id(counter), 1)}
    # in one operation too (a new centre): one vote
    fresh = office(tmp_path / "fresh.db", (3, 3))
    try:
        batch = import_packages(fresh, [first, second])
        assert sorted(sum(r.votes.values()) for r in batch.results) == [1, 1]
        assert live(fresh) == 1 and counted(fresh) == 1
    finally:
        fresh.close()
    # each again: nothing changes
    assert import_package(centre, first).votes == {"identical": 1}
    assert import_package(centre, second).votes == {"identical": 1}
    assert live(centre) == 1
    if path == "format3-sql":  # the SQL copy wrote the first itself, left the second
        assert copied[1:3] == [1, 0]  # (the commune's import first)


def test_a_cancel_sent_by_the_other_route_cancels_the_vote(places, tmp_path, path):
    counter, commune, centre = places
    mine = walk_in(counter)
    direct = sent(counter, tmp_path / "counter.zip")
    import_package(commune, direct)
    import_package(centre, direct)
    votes.cancel_vote(counter, mine, reason="Nhập nhầm", at=AT + dt.timedelta(hours=1))
    import_package(commune, sent(counter, tmp_path / "counter2.zip", 5))
    forwarded = sent(commune, tmp_path / "commune.zip", 10)
    assert import_package(centre, forwarded).votes == {"changed": 1}
    assert live(centre) == 0 and counted(centre) == 0
    assert centre.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 1


def test_two_counters_same_moment_votes_stay_two_through_the_commune(tmp_path, path):
    """Origins differ: two counters' identical votes forwarded by one commune are two."""
    a = office(tmp_path / "a.db", (1, 4))
    b = office(tmp_path / "b.db", (2, 4))
    commune = office(tmp_path / "commune.db", (3, 4))
    centre = office(tmp_path / "centre.db", (4, 4))
    try:
        walk_in(a)
        walk_in(b)
        pa, pb = sent(a, tmp_path / "a.zip"), sent(b, tmp_path / "b.zip", 1)
        import_packages(commune, [pa, pb])
        assert import_package(centre, pa).votes == {"new": 1}
        assert import_package(centre, sent(commune, tmp_path / "m.zip", 2)).votes == {
            "identical": 1, "new": 1}
        assert import_package(centre, pb).votes == {"identical": 1}
        assert live(centre) == 2 and counted(centre) == 2
    finally:
        for db in (a, b, commune, centre):
            db.close()


def _as_before_round_32(centre) -> None:
    """The centre as a program before 02/12/2026 left it, then upgraded to schema 25: no
    package's ids recorded, no vote's origin (db.vote_origin.fill finds nothing to tell)."""
    with centre.conn:
        centre.execute("DELETE FROM settings WHERE key LIKE 'exchange_origin:%'")
        centre.execute("UPDATE vote_rows SET origin = NULL")
        vote_origin.fill(centre.conn)


def test_an_overlapping_package_after_an_old_centres_upgrade_adds_nothing(places, tmp_path,
                                                                          path):
    counter, _commune, centre = places
    walk_in(counter)
    walk_in(counter, "neutral")
    with counter.conn:  # the counter upgraded too: its votes from before say no origin
        counter.execute("UPDATE vote_rows SET origin = NULL")
    assert import_package(centre, sent(counter, tmp_path / "old.zip")).votes == {"new": 2}
    _as_before_round_32(centre)
    walk_in(centre)  # the centre's own vote after the upgrade: its own, never a counter's
    walk_in(counter)  # and the counter's new one, with its origin
    again = sent(counter, tmp_path / "overlap.zip", 5)
    assert import_package(centre, again).votes == {"identical": 2, "new": 1}
    assert live(centre) == 4 and counted(centre) == 4
    assert import_package(centre, again).votes == {"identical": 3}
    assert live(centre) == 4


def test_a_vote_sent_back_to_the_pc_that_recorded_it_is_its_own(places, tmp_path, path):
    """The centre's package carrying the counter's walk-in vote back to the counter: the same
    vote (round 32 counted it a second time there)."""
    counter, _commune, centre = places
    walk_in(counter)
    import_package(centre, sent(counter, tmp_path / "counter.zip"))
    assert import_package(counter, sent(centre, tmp_path / "centre.zip", 5)).votes == {
        "identical": 1}
    assert live(counter) == 1


@pytest.mark.parametrize("origin", [7, "", "x" * (vote_origin.LIMIT + 1), ["a"], "abc", ":5",
                                    "abc:0", "abc:1x", "abc:\u0663", "abc:1:2",
                                    "a" * (vote_origin.LIMIT - 1) + ":12"])
def test_a_package_vote_with_a_malformed_origin_is_refused(origin):
    from core.exchange import checks
    vote = {"unit_code": "U1", "voted_at": "2025-10-20 10:00:00", "rating": "satisfied",
            "dossier_code": None, "comment": None, "reasons": None, "source": "paper",
            "cancelled_at": None, "cancel_reason": None, "cancelled_by": None, "actor": None,
            "origin": origin}
    with pytest.raises(checks.BadRecord, match="origin"):
        checks.check_vote(vote, {"U1"})
    older = {k: v for k, v in vote.items() if k != "origin"}
    checks.check_vote(older, {"U1"})  # a package of an older program: no origin, unknown
    assert older["origin"] is None


@pytest.mark.parametrize("origin", ["abc:1", "9f0c2d:120345", "a" * (vote_origin.LIMIT - 2) + ":1"])
def test_a_well_formed_origin_passes_both_screens_alike(origin):
    """The checks and the SQL copy's screen say the same (db.vote_origin.well_formed_sql)."""
    import sqlite3
    assert vote_origin.well_formed(origin)
    sql = vote_origin.well_formed_sql("?1")
    conn = sqlite3.connect(":memory:")
    for text in (origin, "abc", "abc:0", ":5", "abc:1x", "abc:1:2", "abc:\u0663"):
        assert bool(conn.execute(f"SELECT {sql}", [text]).fetchone()[0]) == \
            vote_origin.well_formed(text)


def test_an_old_centres_own_vote_is_never_another_pcs_forwarded_one(tmp_path, path, copied):
    """A vote the centre stored before its first recorded package (no origin: its own, or a
    package's of a program before 02/12/2026) may be one its sender brings again — the sender's
    own or one saying no origin — never a third PC's vote of a known origin forwarded by the
    sender: counter B's vote through the commune is B's, not the centre's identical old one."""
    b = office(tmp_path / "b.db", (1, 3))
    commune = office(tmp_path / "commune.db", (2, 3))
    centre = office(tmp_path / "centre.db", (3, 3))
    try:
        walk_in(centre)  # the centre's own, before any recorded package
        with centre.conn:
            centre.execute("UPDATE vote_rows SET origin = NULL")  # the upgrade could not tell
        walk_in(b)
        import_package(commune, sent(b, tmp_path / "b.zip"))
        assert import_package(centre, sent(commune, tmp_path / "m.zip", 1)).votes == {"new": 1}
        assert live(centre) == 2 and counted(centre) == 2
        if path == "format3-sql":  # the SQL copy knew it new: written, not left
            assert copied[-1] == 1
        assert import_package(centre, sent(b, tmp_path / "b.zip", 2)).votes == {"identical": 1}
        assert live(centre) == 2
    finally:
        for db in (b, commune, centre):
            db.close()


@pytest.mark.parametrize("origin, shown", [("a\x00b:1", "U+0000 ở vị trí 2"),
                                           ("abc:1\x00x", "U+0000 ở vị trí 6"),
                                           ("a\nb:1", "U+000A ở vị trí 2")])
def test_an_origin_with_a_control_character_is_refused_on_every_path(places, tmp_path, path,
                                                                     origin, shown):
    """A NUL cut SQLite's GLOB and length() short: the SQL copy took «abc:1\\0x» that the
    records' way refuses, and «a\\0b:1» went in on every path for `check` to call the centre
    edited outside MotCua (break34)."""
    from core.errors import InputError
    from core.maintenance import check
    counter, _b, centre = places
    mine = walk_in(counter)
    with counter.conn:
        counter.execute("UPDATE vote_rows SET origin = ? WHERE id = ?", [origin, mine])
    package = sent(counter, tmp_path / "c.zip")
    with pytest.raises(InputError, match="Chưa ghi gì") as error:
        import_package(centre, package)
    assert "trường origin" in str(error.value) and shown in str(error.value)
    assert centre.execute("SELECT COUNT(*) FROM vote_rows").fetchone()[0] == 0
    assert check.vote_origins(centre).ok


@pytest.mark.parametrize("text", ["a\x00b:1", "abc:1\x00x", "a:1\x00", "a\nb:1", "a\x1f:1",
                                  "a\x7f:1", "a\x9f:1", "a\xa0:1", "a\ufffd:1", "é" * 198 + ":1"])
def test_control_characters_judged_alike_by_both_screens(text):
    import sqlite3
    conn = sqlite3.connect(":memory:")
    said = conn.execute(f"SELECT {vote_origin.well_formed_sql('?1')}", [text]).fetchone()[0]
    assert bool(said) == vote_origin.well_formed(text) == (text[1:2] in ("\xa0", "\ufffd", "é"))


def test_a_package_vote_naming_the_centre_is_no_edit_for_check(places, tmp_path, path):
    """A vote a package brings saying it was first recorded here, under an id of no vote here
    (the centre's own vote carried back after the centre restored an older backup, or a
    sender's word): check judged it an edit outside MotCua (break34); the centre's own vote
    edited so by SQL still is one."""
    from core.maintenance import check
    counter, _b, centre = places
    mine = walk_in(counter)
    here = installation.installation_id(centre)
    with counter.conn:
        counter.execute("UPDATE vote_rows SET origin = ? WHERE id = ?", [f"{here}:777", mine])
    assert import_package(centre, sent(counter, tmp_path / "c.zip")).votes == {"new": 1}
    assert check.vote_origins(centre).ok
    own = walk_in(centre)
    with centre.conn:
        centre.execute("UPDATE vote_rows SET origin = ? WHERE id = ?", [f"{here}:778", own])
    found = check.vote_origins(centre)
    assert not found.ok and f"phiếu số {own}." in found.text
