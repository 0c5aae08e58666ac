"""The second matching step (procedure + applicant + reception time, core.reconcile.matching)
against a brute-force reference on random groups with ties, and its work on one large group
counted, not timed: a tester suspected it of the reconciliation's growth (it was the scratch
database's journal, test_scratch_journal.py); these keep it O(n log n) and exact."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from core.reconcile import matching
from core.reconcile.matching import _closest_first, _rivals

BASE = dt.datetime(2026, 11, 2, 8, 0)


def _entries(moments: list[tuple[int, int]]) -> tuple[list, list, list]:
    """(minute, side) -> the entries _match_near builds: (moment, side, number, item)."""
    mine, other = [], []
    for minute, side in moments:
        group = other if side else mine
        group.append((BASE + dt.timedelta(minutes=minute), side, len(group), f"{side}-{len(group)}"))
    return mine, other, sorted(mine + other, key=lambda e: (e[0], e[1], e[2]))


def _reference(entries: list, tolerance: dt.timedelta) -> list[tuple]:
    """Greedy closest first, said plainly: among the entries still unmatched, in time order,
    take the neighbours of opposite sides nearest in time (the earlier such pair on a tie),
    match them, start again. O(n²) per round."""
    alive = list(range(len(entries)))
    out = []
    while True:
        best = None
        for a, b in zip(alive, alive[1:], strict=False):
            if entries[a][1] != entries[b][1]:
                gap = entries[b][0] - entries[a][0]
                if gap <= tolerance and (best is None or (gap, a, b) < best):
                    best = (gap, a, b)
        if best is None:
            return out
        _, a, b = best
        alive.remove(a)
        alive.remove(b)
        first, second = entries[a], entries[b]
        out.append((first, second) if first[1] == 0 else (second, first))


moments = st.lists(st.tuples(st.integers(0, 120), st.integers(0, 1)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(moments, st.sampled_from([0, 5, 30]))
def test_closest_first_is_the_reference(points, minutes):
    tolerance = dt.timedelta(minutes=minutes)
    mine, other, entries = _entries(points)
    assert _closest_first(entries, tolerance) == _reference(entries, tolerance)
    counts = _rivals(mine, other, tolerance)
    for side, opposite in ((mine, other), (other, mine)):
        for entry in side:
            assert counts[id(entry)] == sum(1 for o in opposite if abs(o[0] - entry[0]) <= tolerance)


def test_a_large_group_is_matched_in_n_log_n(monkeypatch):
    """20,000 dossiers of one applicant and one procedure, ties everywhere: the heap sees each
    neighbouring pair at most once more per match (< 2n pushes), never all pairs."""
    pushes = []
    real = matching.heapq.heappush

    class Counting:
        heappop = staticmethod(matching.heapq.heappop)

        @staticmethod
        def heappush(heap, item):
            pushes.append(1)
            real(heap, item)

    monkeypatch.setattr(matching, "heapq", Counting)
    n = 20000
    points = [((i * 7) % 600, i % 2) for i in range(n)]
    _, _, entries = _entries(points)
    matched = _closest_first(entries, dt.timedelta(minutes=30))
    assert len(matched) > 0.99 * n / 2  # all but a few at the ends of the greedy runs
    assert len(pushes) < 2 * n
