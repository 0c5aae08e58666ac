"""What the centre keeps of a sender's packages (core.exchange.sources' rows) is read by one
rule where it may have been edited by SQL (review36): a row's start not as `stored` writes it
is read as no start — by the report, and by the import that notes the next package."""
from __future__ import annotations

import pytest

from core.exchange import held_before, held_partly

SINCE = "2025-10-01 00:00:00"
SPAN = [["2025-10-05 00:00:00", "2025-10-06 00:00:00"]]
EDITED_STARTS = [
    [1],                                                   # no object at all
    {"since": SINCE, "records": "5", "open": 3},           # a count that is no number
    {"since": SINCE, "records": 2, "units": [["X2", None, 1, SINCE], ["X2", "X1", 1, 5]]},
]


@pytest.mark.parametrize("edited", EDITED_STARTS)
def test_a_unit_leaving_the_tree_reads_an_edited_row_start_as_none(edited):
    """A unit package leaving out a code every earlier package carried takes the row's start
    for that code (held35): an edited start stopped the import on a TypeError."""
    kept_before = held_before.stored(None, "2025-10-01")
    old = {"start": edited, held_partly.KEY: {"X2": kept_before}}
    kept = held_partly.kept(old, None, "2025-10-05", None, {"X2": SPAN}, {"X2"})
    assert kept == {"X2": kept_before}


def test_an_edited_start_is_no_start():
    edited = EDITED_STARTS[1]
    assert not held_before.readable(edited)
    assert held_before.start_of(edited) is None
    # a line's first moment edited into a number is read as not said (held_before._moment)
    assert held_before.start_of(EDITED_STARTS[2]).lines[1].first is None
