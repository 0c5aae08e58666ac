"""Review of round 21: a package whose dossier goes on a code here (the sender's dossier
re-coded at an earlier keep-both) AND holds another dossier under that very code (the sender
issued it since, in the shared slot) — the other dossier a clash kept out here. The votes on
the sender's re-coded dossier are that dossier's, never "another citizen's" left out."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core import votes
from core.exchange import export_package, recode
from core.exchange.merge import import_packages
from tests.core.exchange.conftest import DAY, receive
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.exchange.test_installed_offices import CENTRE
from tests.core.exchange.test_keep_both import people, two_pcs_in_one_slot

pytestmark = pytest.mark.slot_unconfirmed

B0_HERE, B1, B1_HERE = "TT-251020-0003", "TT-251020-0002", "TT-251020-0004"


def _on(db, code: str) -> int:
    return db.execute("SELECT COUNT(*) FROM votes v JOIN dossiers d ON d.id = v.dossier_id "
                      "WHERE d.code = ?", [code]).fetchone()[0]


@pytest.mark.parametrize("clashes", ["keep", "both"])
def test_a_vote_on_the_recoded_dossier_is_not_taken_for_the_clash_under_its_code_here(
        tmp_path, clashes):
    a, b, centre, package_b = two_pcs_in_one_slot(tmp_path)
    # B0 → 0003, B1 → 0004 here
    assert import_packages(centre, [package_b], clashes=recode.BOTH).written
    assert _on(centre, B0_HERE) == 1 and _on(centre, B1_HERE) == 0
    # B then receives two more dossiers: its next codes are 0003 and 0004, the centre's codes
    # of B0 and B1; B1 gets a vote
    codes = [receive(b, f"Người B{i}", minutes=50 + i, unit=CENTRE)[1] for i in (2, 3)]
    assert codes == [B0_HERE, B1_HERE]
    votes.add_vote(b, unit_code=CENTRE, voted_at=DAY + dt.timedelta(hours=2),
                   rating="dissatisfied", dossier_id=D.find_by_code(b, B1))
    later = tmp_path / "b2.zip"
    export_package(b, later, SINCE)
    preview = import_packages(centre, [later], dry_run=True, clashes=clashes).results[0]
    result = import_packages(centre, [later], clashes=clashes).results[0]
    assert result.written
    assert preview.votes == result.votes
    # B1's vote on B1 (0004 here); B3's dossier, a clash with it, kept out or kept both
    assert _on(centre, B1_HERE) == 1, (result.warnings, result.votes, result.dossiers)
    assert _on(centre, B0_HERE) == 1
    # B0's vote there already, B1's new: none taken for another citizen's left out
    assert result.votes == {"identical": 1, "new": 1}, result.votes
    assert not any(recode.FOREIGN_VOTES_VI in w for w in result.warnings), result.warnings
    assert {"Người B0", "Người B1"} <= set(people(centre).values())
    ok(centre)
    # again: nothing changes
    again = import_packages(centre, [later], clashes=clashes).results[0]
    assert again.votes == {"identical": 2}, again.votes
    for db in (a, b, centre):
        db.close()
