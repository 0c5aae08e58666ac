"""A dissatisfied vote a package brings on a dossier the centre already holds changes that
dossier's 766 facts (5.4, key "cp") as the counter's own vote did (core.votes.store_vote): the
centre's figures equal the counter's and `check` finds nothing to recompute. Found by a centre
that imported a counter's second package (the dossier identical, its vote new): the vote was
stored but the dossier still counted as resolved without complaint."""
from __future__ import annotations

import datetime as dt

from core import dossiers as D
from core import votes
from core.database import open_database
from core.exchange import export_package, import_package
from core.indicators import compute
from core.maintenance.audit import audit_findings
from tests.core.exchange.conftest import DAY, receive
from tests.stored_facts import stored_facts

SINCE = dt.date(2025, 10, 1)


def _766(db) -> dict:
    return compute(db, DAY.date(), DAY.date() + dt.timedelta(days=30))["total"]["i766"]


def _clean(db) -> None:
    findings = audit_findings(db)
    assert all(f.ok for f in findings), [f.text for f in findings if not f.ok]


def test_a_later_vote_on_a_dossier_held_counts_at_the_centre(counter, tmp_path, package_format):
    dossier_id, code = receive(counter)
    D.finish(counter, dossier_id, at=DAY + dt.timedelta(hours=1))
    D.return_result(counter, dossier_id, at=DAY + dt.timedelta(hours=2))
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    export_package(counter, first, SINCE)
    centre = open_database(tmp_path / "centre.db")
    try:
        assert import_package(centre, first).written
        vote = votes.add_vote(counter, unit_code="U1", rating="dissatisfied",
                              voted_at=DAY + dt.timedelta(hours=3), dossier_id=dossier_id)
        export_package(counter, second, SINCE)
        result = import_package(centre, second)
        assert result.dossiers == {"identical": 1} and result.votes == {"new": 1}
        assert stored_facts(centre, "code = ?", [code])[0]["cp"] == 1
        assert _766(centre) == _766(counter)
        _clean(centre)
        # the vote cancelled at the counter, the next package takes the dossier back
        votes.cancel_vote(counter, vote, reason="Ghi nhầm hồ sơ")
        export_package(counter, first, SINCE)
        assert import_package(centre, first).votes == {"changed": 1}
        assert stored_facts(centre, "code = ?", [code])[0]["cp"] == 0
        assert _766(centre) == _766(counter)
        _clean(centre)
    finally:
        centre.close()
