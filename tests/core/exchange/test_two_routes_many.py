"""A package of many identical walk-in votes without origin, at a centre holding as many that
another installation's package brought (break35): core.exchange.two_routes paired every new vote
with every stored one (SQL's join fetched whole, then each pair looked up in every recorded
package's span) — 3,000 of each took 47 s of CPU and 1.4 GB for a dry run, 10,000 would not fit
a PC's memory. Such votes are plausible (a paper form's typed minute, the kiosk's busiest second)
and a crafted package can hold 20,000 of them; the note needs only which groups of identical
votes another installation brought, so the work grows with the votes, not their pairs."""
from __future__ import annotations

import json
import time

from core import votes
from core.exchange import two_routes
from db import vote_origin
from tests.core.exchange.conftest import office
from tests.core.exchange.test_walk_in_origin import AT

COMMUNE, COUNTER = "c0ffee00-0000-4000-8000-000000000001", "c0ffee00-0000-4000-8000-000000000002"


def _walk_ins(db, count: int, rating: str = "satisfied") -> None:
    with db.conn:
        for _ in range(count):
            votes.add_vote(db, unit_code="U1", voted_at=AT, rating=rating)


def _brought_by(db, installation: str, low: int, high: int, number: int) -> None:
    """An origin record: a package of `installation` brought the votes low..high."""
    said = {"installation": installation, "rows": {"vote_rows": [low, high]}}
    with db.conn:
        db.execute("INSERT INTO settings(key, value) VALUES (?, ?)",
                   [f"{vote_origin.ORIGIN_PREFIX}{number:08d}", json.dumps(said)])


def test_many_identical_walk_ins_are_told_in_time_growing_with_the_votes(tmp_path):
    centre = office(tmp_path / "centre.db", (3, 3))
    many = 2_000
    _walk_ins(centre, many)  # brought by the commune's relay
    _walk_ins(centre, 3, "neutral")  # another group, brought by the counter itself
    _walk_ins(centre, many)  # the counter's own package, being previewed
    _walk_ins(centre, 2, "neutral")
    with centre.conn:  # recorded before the upgrade: no origin
        centre.execute("UPDATE vote_rows SET origin = NULL")
    _brought_by(centre, COMMUNE, 1, many, 1)
    _brought_by(centre, COUNTER, many + 1, many + 3, 2)
    before = many + 3
    started = time.process_time()
    count, found, last = two_routes.twice(centre, before, COUNTER)
    spent = time.process_time() - started
    # only the «satisfied» group was brought by another installation
    assert (count, dict(found), last) == (many, {COMMUNE: many}, AT.date())
    print(f"two_routes.twice: {spent:.3f} s of CPU")
    assert spent < 3, f"{spent:.1f} s of CPU for {many} votes"  # was 12.6 s (4,000,000 pairs)
    centre.close()


def test_a_vote_inside_overlapping_spans_is_said_of_each_installation_that_brought_it(tmp_path):
    """Spans of vote ids may overlap (ids given again after the last rows were deleted): the
    halving look-up finds every record whose span holds the vote, not only the nearest."""
    centre = office(tmp_path / "centre.db", (3, 3))
    _walk_ins(centre, 6, "neutral")
    _walk_ins(centre, 1)  # vote 7: brought by A's wide span and C's, not B's nor the sender's
    _walk_ins(centre, 3, "neutral")
    _walk_ins(centre, 2)  # the package's two, ids 11 and 12
    with centre.conn:
        centre.execute("UPDATE vote_rows SET origin = NULL")
    for number, (who, low, high) in enumerate(
            [("A", 1, 10), ("B", 3, 4), ("C", 5, 8), (COUNTER, 7, 7), ("D", 9, 10)], 1):
        _brought_by(centre, who, low, high, number)
    count, found, last = two_routes.twice(centre, 10, COUNTER)
    assert (count, dict(found), last) == (2, {"A": 2, "C": 2}, AT.date())
    centre.close()
