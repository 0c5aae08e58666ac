"""Issue 16 §3 (round 22, found, NOT fixed): a dossier re-coded twice loses its first alias.
B's citizen B0 got B's code 0001, the centre's 0003 (kept both there: alias (B, 0001) → 0003),
then D's 0007 (D, one slot with them, held 0003 for its own citizen: kept both again, alias
(centre, 0003) → 0007). D never records that B's 0001 is its 0007: `recode.learn` runs only for
a record held under its own code, and `code_aliases.local_code` is UNIQUE (one row a code here),
so the row could not be written anyway. B's later package sent to D directly then reads B0 as a
clash with D's own 0001 and, kept both, makes B0 a second dossier at D (counted twice). Fixing it
needs code_aliases keyed by (sender, sender_code) — a schema and rows-part format change —
or reading the carried recode events of the re-coded dossier; see the round-22 report."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core.exchange import export_package, recode
from core.exchange.merge import import_packages
from tests.core.exchange.conftest import DAY, receive
from tests.core.exchange.test_exchange import SINCE
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_keep_both import people, two_pcs_in_one_slot

pytestmark = pytest.mark.slot_unconfirmed


@pytest.mark.xfail(strict=True, reason="a dossier re-coded twice keeps only its last alias "
                   "(code_aliases.local_code UNIQUE): B's next package duplicates it at D")
def test_a_dossier_re_coded_twice_is_still_the_first_senders_dossier(tmp_path):
    a, b, centre, package_b = two_pcs_in_one_slot(tmp_path)
    assert import_packages(centre, [package_b], clashes=recode.BOTH).written
    back = tmp_path / "centre.zip"
    export_package(centre, back, SINCE)
    d = installed(tmp_path / "d.db", CENTRE, (1, 1))
    for i in range(4):  # D's own citizens under the same four codes
        receive(d, f"Người D{i}", minutes=40 + i, unit=CENTRE)
    assert import_packages(d, [back], clashes=recode.BOTH).written
    assert sorted(people(d).values()).count("Người B0") == 1
    D.finish(b, D.find_by_code(b, "TT-251020-0001"), at=DAY + dt.timedelta(hours=3))
    later = tmp_path / "b2.zip"
    export_package(b, later, SINCE)
    assert import_packages(d, [later], clashes=recode.BOTH).written
    assert sorted(people(d).values()).count("Người B0") == 1, people(d)  # today: twice
    for db in (a, b, centre, d):
        db.close()
