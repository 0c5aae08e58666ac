"""The two-routes note (core.exchange.two_routes) once a package brings no walk-in vote without
origin — every package of schema 25 on: asked per package of a merge, it walked every stored
walk-in vote of the centre and read every merged package's origin record to say nothing (~2 %
of the merge's main thread at 50 packages, docs/speed.md, thirty-sixth round). It now asks first
whether there is any such vote; what it says is the same, whatever the votes."""
from __future__ import annotations

import itertools

import pytest

from core.exchange import two_routes
from tests.core.exchange.conftest import office
from tests.core.exchange.test_two_routes_many import COMMUNE, COUNTER, _brought_by, _walk_ins


def _centre(tmp_path, new_without_origin: int, new_on_dossier_without_origin: bool = False):
    """A centre holding walk-in votes without origin another installation brought (ids 1–5), a
    sender's own (6–7), then a package's new ones (8–11): with origin but the first
    `new_without_origin`."""
    centre = office(tmp_path / "centre.db", (3, 3))
    _walk_ins(centre, 5)
    _walk_ins(centre, 2, "neutral")
    _walk_ins(centre, 4)
    with centre.conn:
        centre.execute("UPDATE vote_rows SET origin = NULL WHERE id <= 7 OR id < ?",
                       [8 + new_without_origin])
        if new_on_dossier_without_origin:  # a vote on a dossier: never a walk-in's note
            centre.execute("UPDATE vote_rows SET origin = NULL, dossier_id = (SELECT MIN(id) "
                           "FROM dossier_rows) WHERE id = 11 AND EXISTS (SELECT 1 FROM "
                           "dossier_rows)")
    _brought_by(centre, COMMUNE, 1, 5, 1)
    _brought_by(centre, COUNTER, 6, 7, 2)
    return centre


def test_a_package_whose_votes_all_say_their_origin_is_told_nothing_without_the_search(tmp_path):
    centre = _centre(tmp_path, new_without_origin=0)
    said: list[str] = []
    centre.conn.set_trace_callback(said.append)
    try:
        assert two_routes.twice(centre, 7, COUNTER) == (0, {}, None)
        assert two_routes.warning(centre, 7, COUNTER) is None
    finally:
        centre.conn.set_trace_callback(None)
    # neither the stored walk-in votes walked (SAME_FIELDS) nor the records' spans read
    assert not [sql for sql in said if "WITH n AS" in sql or "settings" in sql], said
    centre.close()


@pytest.mark.parametrize("new_without_origin, before, sender", list(itertools.product(
    (0, 1, 4), (0, 5, 7, 11), (COUNTER, COMMUNE, ""))))
def test_what_is_said_is_what_the_whole_search_says(tmp_path, monkeypatch, new_without_origin,
                                                    before, sender):
    centre = _centre(tmp_path, new_without_origin)
    quick = two_routes.twice(centre, before, sender)
    monkeypatch.setattr(two_routes, "ANY_NEW", "SELECT 1 WHERE ? IS NOT NULL")  # always some
    assert two_routes.twice(centre, before, sender) == quick
    centre.close()


def test_the_note_is_still_said_when_one_new_vote_has_no_origin(tmp_path):
    centre = _centre(tmp_path, new_without_origin=1)
    count, found, _last = two_routes.twice(centre, 7, COUNTER)
    assert (count, dict(found)) == (1, {COMMUNE: 1})
    centre.close()
