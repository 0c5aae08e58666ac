"""db.vote_origin.Spans: which recorded packages brought a vote, asked of the votes in
ascending order in one sweep (`faults`, core.exchange.two_routes). Checked against the plain
reading (every span looked at) on random spans — overlapping, nested, a low above its high, a
vote at either edge, no record at all — and in time growing with the spans and the votes, not
their product: break35's scan back from the nearest low walked every span under a wide one."""
from __future__ import annotations

import json
import random
import sqlite3
import time

import pytest

from db import vote_origin
from tests.db.test_ledger_origin import _voted


def _recorded(conn, spans: list[tuple[object, int, int]]) -> None:
    conn.execute(f"DELETE FROM settings WHERE key GLOB '{vote_origin.ORIGIN_PREFIX}*'")
    conn.executemany("INSERT INTO settings(key, value) VALUES (?, ?)", [
        (f"{vote_origin.ORIGIN_PREFIX}{n:08d}",
         json.dumps({"installation": who, "rows": {"vote_rows": [low, high]}}))
        for n, (who, low, high) in enumerate(spans, 1)])


@pytest.fixture
def conn(db_path):
    _voted(db_path, 1)
    conn = sqlite3.connect(db_path)
    yield conn
    conn.close()


def test_the_sweep_finds_what_looking_at_every_span_finds(conn):
    rng = random.Random(35)
    for _ in range(60):
        spans = []
        for _ in range(rng.randint(0, 12)):
            low = rng.randint(-3, 40)
            spans.append((rng.choice(["A", "B", "C", None, ""]), low, low + rng.randint(-2, 15)))
        _recorded(conn, spans)
        asked = sorted(rng.choices(range(-5, 60), k=30) + [s[1] for s in spans]
                       + [s[2] for s in spans])
        found = vote_origin.Spans(conn)
        for vote in asked:
            expected = {who or "" for who, low, high in spans if low <= vote <= high}
            assert found.of(vote) == expected, (spans, vote)
            assert found.brought(vote) == bool(expected)


def test_votes_are_asked_in_ascending_order(conn):
    _recorded(conn, [("A", 1, 5)])
    found = vote_origin.Spans(conn)
    assert found.of(3) == found.of(3) == {"A"}
    with pytest.raises(ValueError):
        found.brought(2)


def test_a_wide_span_among_many_costs_no_walk_over_them_for_each_vote(conn):
    """A record edited by SQL to span [1, 10⁹] sorted before 6,000 small ones under the votes:
    the scan back from the nearest low walked all 6,000 for each of 6,000 votes (4.7 s of CPU
    for `check`); swept, each span is entered and left once."""
    here = conn.execute("SELECT value FROM settings WHERE key = 'installation_id'").fetchone()
    here = json.loads(here[0])
    many = 6_000
    conn.executemany("INSERT INTO vote_rows(id, unit_code, voted_at, rating, source, origin) "
                     "SELECT ?, unit_code, voted_at, rating, source, ? FROM vote_rows WHERE id = 1",
                     [(10**6 + n, f"{here}:{10**7 + n}") for n in range(many)])
    _recorded(conn, [("khac", 1, 10**9)] + [("may", 10 + 2 * n, 10 + 2 * n) for n in range(many)])
    conn.commit()
    started = time.process_time()
    assert vote_origin.faults(conn, here, 3) == (0, [])
    spent = time.process_time() - started
    print(f"faults: {spent:.3f} s of CPU")
    assert spent < 1.0, f"{spent:.2f} s of CPU"  # was 4.7 s; now some 0.15 s
