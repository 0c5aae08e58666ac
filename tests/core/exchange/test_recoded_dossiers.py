"""Issue 16 §3, spec 9: dossiers re-coded at a "keep both" (core.exchange.recode).

Counted in one operation: a dossier the centre re-coded ("Giữ cả hai") reaches a PC with the
package of the PC it came from, in ONE operation. The centre's record of it carries the
centre's `recode` event (bookkeeping of that import, never work on the dossier: recode
.OWN_ACTIONS); the sender's own record does not. Equal but for that event, they are one
version: "giống hệt" for the package that brings nothing more, as when the packages are
imported one by one — never "máy này mới hơn" — whatever the order the files are given in."""
from __future__ import annotations

import pytest

from core.exchange import compare, recode
from core.exchange.merge import import_packages
from tests.core.exchange.conftest import in_merge_order, made_later
from tests.core.exchange.test_aliases_travel import B0_HERE, B1_HERE, centre_kept_both
from tests.core.exchange.test_keep_both import people
from tests.core.exchange.test_versions import clone, ok

pytestmark = pytest.mark.slot_unconfirmed


def counted(batch) -> dict[str, dict[str, int]]:
    return {r.path.rsplit("/", 1)[-1]: dict(r.dossiers) for r in batch.results}


@pytest.mark.parametrize("clashes", [None, "keep", recode.BOTH])
def test_a_record_equal_but_for_the_centres_recode_event_is_identical_in_one_operation(
        tmp_path, clashes):
    """B's package made after the centre's (B's next month-end, nothing new on B1): A merges
    the centre's first. B0 was finished at the centre (B's record of it is older); B1 is the
    same at both but for the centre's recode event."""
    a, b, centre, back = centre_kept_both(tmp_path)
    from_b = tmp_path / "b.zip"
    made_later(from_b)
    assert in_merge_order([from_b, back]) == [back, from_b]
    one_by_one = clone(a, tmp_path / "a-one-by-one.db")
    expected = {"centre.zip": {compare.NEW: 2, compare.IDENTICAL: 2},
                "b.zip": {compare.OLDER: 1, compare.IDENTICAL: 1}}
    for path in (back, from_b):  # one by one, in the order made
        preview = import_packages(one_by_one, [path], dry_run=True, clashes=clashes)
        done = import_packages(one_by_one, [path], clashes=clashes)
        assert done.written and counted(preview) == counted(done)
        assert counted(done) == {path.name: expected[path.name]}
    for order in ([back, from_b], [from_b, back]):
        preview = import_packages(a, order, dry_run=True, clashes=clashes)
        assert counted(preview) == expected, order
        assert not any(c.code == B1_HERE for r in preview.results for c in r.conflicts)
    done = import_packages(a, [from_b, back], clashes=clashes)
    assert done.written and counted(done) == expected
    assert people(a) == people(one_by_one)
    assert {B0_HERE, B1_HERE} <= set(people(a))
    ok(a)
    for db in (a, b, centre, one_by_one):
        db.close()

