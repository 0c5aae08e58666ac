"""A dissatisfied vote a package brings on a dossier the centre already holds changes that
dossier's 766 facts (5.4, key "cp") as the counter's own vote did (core.votes.store_vote): the
centre's figures equal the counter's and `check` finds nothing to recompute. Found by a centre
that imported a counter's second package (the dossier identical, its vote new): the vote was
stored but the dossier still counted as resolved without complaint."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core import votes
from core.database import open_database
from core.exchange import export_package, import_package
from core.indicators import compute
from core.maintenance.audit import audit_findings
from tests.core.exchange.conftest import DAY, office, receive
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
        export_package(counter, first, SINCE, replace=True)
        assert import_package(centre, first).votes == {"changed": 1}
        assert stored_facts(centre, "code = ?", [code])[0]["cp"] == 0
        assert _766(centre) == _766(counter)
        _clean(centre)
    finally:
        centre.close()


def test_a_vote_on_the_other_dossier_of_a_kept_clash_stays_off_this_pcs_dossier(tmp_path):
    """Two PCs both answered "the only PC" at their first start and gave one code to two
    citizens; the counter's citizen voted "dissatisfied". The centre keeps its own dossier of
    that code: the other citizen's vote must not land on it (a dossier has one live vote;
    its 766 facts then count a complaint its citizen never made)."""
    counter = office(tmp_path / "counter.db")
    dossier_id, code = receive(counter, "Lò Văn Sử")
    D.finish(counter, dossier_id, at=DAY + dt.timedelta(hours=1))
    votes.add_vote(counter, unit_code="U1", rating="dissatisfied",
                   voted_at=DAY + dt.timedelta(hours=2), dossier_id=dossier_id)
    package = tmp_path / "q.zip"
    export_package(counter, package, SINCE)
    centre = office(tmp_path / "centre.db")
    try:
        mine, same = receive(centre, "Trần Thị Hoa")
        assert same == code
        result = import_package(centre, package, conflicts="keep")
        assert [c.clash for c in result.conflicts] == [True]
        assert centre.execute("SELECT COUNT(*) FROM votes WHERE dossier_id = ?",
                              [mine]).fetchone()[0] == 0
        assert any("1 phiếu đánh giá gắn với hồ sơ của gói không được nhận" in w
                   for w in result.warnings), result.warnings
        # the same package again: the choice remembered, the vote still another citizen's
        again = import_package(centre, package)
        assert again.written and again.conflict_count == 0
        assert centre.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0
        assert stored_facts(centre, "code = ?", [code])[0]["cp"] == 0
        _clean(centre)
    finally:
        counter.close()
        centre.close()


@pytest.mark.slot_unconfirmed
@pytest.mark.parametrize("how", ["keep", "here", "both"])
def test_the_votes_of_a_clash_chosen_among_packages_go_with_their_dossier(tmp_path, how):
    """The counter's two packages given together (the second goes on from the first) bring
    the code this centre gave its own citizen: the code is chosen among versions once all are
    merged, and the votes the packages name it with wait for that choice — kept here
    (--conflicts keep, --choose MÃ=here): not written on this centre's dossier, and said;
    kept both: on the re-coded dossier (both went on the centre's own citizen's before)."""
    from core.exchange import recode
    from core.exchange.merge import import_packages
    from tests.core.exchange.test_installed_offices import CENTRE, installed
    counter = installed(tmp_path / "counter.db", CENTRE, (1, 1))
    centre = installed(tmp_path / "centre.db", CENTRE, (1, 1))
    try:
        theirs, code = receive(counter, "Lò Văn Sử", minutes=2, unit=CENTRE)
        votes.add_vote(counter, unit_code=CENTRE, rating="dissatisfied",
                       voted_at=DAY + dt.timedelta(hours=2), dossier_id=theirs)
        packages = [tmp_path / "q1.zip", tmp_path / "q2.zip"]
        export_package(counter, packages[0], SINCE)
        D.finish(counter, theirs, at=DAY + dt.timedelta(hours=3))
        export_package(counter, packages[1], SINCE)
        mine, same = receive(centre, "Trần Thị Hoa", minutes=5, unit=CENTRE)
        assert same == code
        chosen = {"keep": {"conflicts": "keep"}, "here": {"versions": {code: "here"}},
                  "both": {"clashes": recode.BOTH}}[how]
        batch = import_packages(centre, packages, **chosen)
        assert batch.written
        on = dict(centre.execute("SELECT d.applicant_name, COUNT(*) FROM votes v JOIN dossiers "
                                 "d ON d.id = v.dossier_id GROUP BY 1").fetchall())
        said = " ".join(w for r in batch.results for w in r.warnings)
        if how == "both":
            assert on == {"Lò Văn Sử": 1}
        else:
            assert on == {} and "phiếu đánh giá gắn với hồ sơ của gói không được nhận" in said
        assert stored_facts(centre, "id = ?", [mine])[0]["cp"] == 0
        _clean(centre)
    finally:
        counter.close()
        centre.close()
