"""Issue 16 §3 (round 22): a dossier re-coded twice is still its first sender's. B's citizen B0
got B's code 0001, the centre's 0003 (kept both there: alias (B, 0001) → 0003), then D's 0007
(D, one slot with them, held 0003 for its own citizen: kept both again, alias (centre, 0003) →
0007). D records no (B, 0001) row: `recode.learn` runs only for a record held under its own
code, and `code_aliases.local_code` is UNIQUE (one row a code here). B's later package sent to D
directly read B0 as a clash with D's own 0001 and, kept both, made B0 a second dossier at D
(counted twice). The centre's recode event, carried in 0007's history, says B's 0001 is that
dossier: recode.recoded_before reads it, recode.followed finds the dossier by who it is."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core import votes
from core.exchange import export_package, recode
from core.exchange.merge import import_packages
from tests.core.exchange.conftest import DAY, receive
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_keep_both import _everything, people, two_pcs_in_one_slot

pytestmark = pytest.mark.slot_unconfirmed

B0, B1 = "TT-251020-0001", "TT-251020-0002"    # B's codes
B0_D, B1_D = "TT-251020-0007", "TT-251020-0008"  # their codes at D, the second re-coding


def test_a_dossier_re_coded_twice_is_still_the_first_senders_dossier(tmp_path):
    a, b, centre, package_b = two_pcs_in_one_slot(tmp_path)
    assert import_packages(centre, [package_b], clashes=recode.BOTH).written
    back = tmp_path / "centre.zip"
    export_package(centre, back, SINCE)
    d = installed(tmp_path / "d.db", CENTRE, (1, 1))
    for i in range(4):  # D's own citizens under the same four codes
        receive(d, f"Người D{i}", minutes=40 + i, unit=CENTRE)
    assert import_packages(d, [back], clashes=recode.BOTH).written
    assert {people(d)[B0_D], people(d)[B1_D]} == {"Người B0", "Người B1"}
    # B goes on: finishes B0, and B1's citizen votes
    D.finish(b, D.find_by_code(b, B0), at=DAY + dt.timedelta(hours=3))
    votes.add_vote(b, unit_code=CENTRE, voted_at=DAY + dt.timedelta(hours=4),
                   rating="dissatisfied", dossier_id=D.find_by_code(b, B1))
    later = tmp_path / "b2.zip"
    export_package(b, later, SINCE)
    preview = import_packages(d, [later], dry_run=True).results[0]
    result = import_packages(d, [later]).results[0]  # nothing to choose: no clash
    assert result.written and result.conflict_count == 0, result.conflicts
    assert result.dossiers == preview.dossiers == {"changed": 1, "identical": 1}, result.dossiers
    assert result.votes == preview.votes == {"identical": 1, "new": 1}, result.votes
    assert sorted(people(d).values()).count("Người B0") == 1, people(d)
    assert len(people(d)) == 8
    assert d.execute("SELECT status FROM dossiers WHERE code = ?", [B0_D]).fetchone()[0] == "done"
    assert d.execute("SELECT d.code FROM votes v JOIN dossiers d ON d.id = v.dossier_id WHERE "
                     "v.rating = 'dissatisfied'").fetchall() == [(B1_D,)]
    assert d.execute("SELECT SUM(votes) FROM kpi_daily").fetchone()[0] == 2
    ok(d)
    before = _everything(d)
    again = import_packages(d, [later]).results[0]
    assert set(again.dossiers) == {"identical"} and again.votes == {"identical": 2}
    assert _everything(d) == before
    for db in (a, b, centre, d):
        db.close()
