"""Issue 16: the coverage notes under a table (core.indicators.coverage) in one walk.

Each unit with figures walked its whole scope and kept the name of every unit below it: a chain
of 20,000 units, each under the one before, took 23.6 s for the monthly report's data (the work
is (units with figures) × (units below)). The scopes are now gathered once from the bottom up
(core.indicators.scope_sums); the words and counts are the same, checked here against a plain
walk over shapes a catalogue can take: a chain, a merger under an old district (two links to
one unit), a loop of links."""
from __future__ import annotations

import sys

from db.connection import transaction

PART = {"satisfaction": {"votes": 2, "satisfied": 1, "rate": 0.5},
        "received": {"total": 1}, "resolved": {"total": 1}}


def _units(db, rows) -> dict:
    """rows: (code, parent, successor, valid_to); every unit a row of the table."""
    with transaction(db) as conn:
        conn.execute("PRAGMA defer_foreign_keys = ON")  # a successor may come later
        conn.executemany("INSERT INTO units(code, name, level, parent_code, successor_code, "
                         "valid_to) VALUES (?, ?, 'commune', ?, ?, ?)",
                         [(code, f"Đơn vị {code}", parent, successor, valid_to)
                          for code, parent, successor, valid_to in rows])
    return {"units": [{"code": code, "name": f"Đơn vị {code}", **PART}
                      for code, *_ in rows]}


def _lines_run(call) -> int:
    """Python lines run inside core.indicators and core.moment while `call` runs: the walk's
    work, counted, not timed."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        name = frame.f_code.co_filename
        if "core/indicators" in name or "core/moment" in name:
            if event == "line":
                count += 1
            return tracer
        return None
    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(None)
    return count


def test_a_chain_of_units_is_walked_once_not_once_for_each_unit(db):
    """1,000 units each under the one before, all with figures: the old walk ran some 2.5
    million lines and kept 500,000 names; now under a hundred lines a unit, three names at most."""
    from core.indicators.coverage import coverages
    n = 1000
    kpi = _units(db, [(f"U{i:04d}", f"U{i - 1:04d}" if i else None, None, None)
                      for i in range(n)])
    found: list = []
    lines = _lines_run(lambda: found.extend(coverages(db, kpi)))
    assert lines < 100 * n, lines
    assert sum(len(cover.below) for cover in found) <= 3 * n
    assert len(found) == n - 1 and found[0].count == n - 1
    assert found[-1].below == ("Đơn vị U0999",)


def _expected(rows, kpi) -> list[tuple]:
    """The plain walk: each unit's listed units below it by parent or successor links, and
    those of them below it by parent links alone."""
    below: dict = {}
    under: dict = {}
    for code, parent, successor, _ in rows:
        for above in {parent, successor} - {None}:
            below.setdefault(above, []).append(code)
        if parent:
            under.setdefault(parent, []).append(code)

    def reach(code, links):
        seen, todo = {code}, [code]
        while todo:
            for unit in links.get(todo.pop(), ()):
                if unit not in seen:
                    seen.add(unit)
                    todo.append(unit)
        return seen - {code}
    out = []
    for code, *_ in rows:
        found = reach(code, below)
        if found:
            merged = len(found - reach(code, under))
            out.append((code, len(found), merged, 2 * (len(found) + 1)))
    return out


def test_the_counts_are_those_of_a_plain_walk_over_mergers_and_loops(db):
    """Old communes under an old district merged into new communes under the province (each
    old commune reached twice from the province), a successor chain, and a loop of links made
    outside the desk: every count, merged count and vote total is the plain walk's."""
    from core.indicators.coverage import coverages, notes
    rows = [("P", None, None, None), ("D", "P", "N1", "2025-06-30"),
            ("N1", "P", None, None), ("N2", "P", None, None)]
    rows += [(f"O{i}", "D", "N1" if i % 2 else "N2", "2025-06-30") for i in range(6)]
    rows += [("O0.1", "O0", None, None), ("S1", None, "S2", None), ("S2", None, "S3", None),
             ("S3", "N2", None, None)]
    kpi = _units(db, rows)
    got = [(c.code, c.count, c.merged, c.combined["votes"]) for c in coverages(db, kpi)]
    assert got == _expected(rows, kpi)
    text = notes(db, kpi)
    assert any("Đơn vị P" in t and "gộp cả 11 đơn vị trực thuộc và 2 đơn vị cũ đã sáp nhập." in t
               for t in text), text
    assert any("«Đơn vị N2»" in t and "gộp cả 1 đơn vị trực thuộc và 6 đơn vị cũ" in t
               for t in text), text
    with transaction(db) as conn:  # a loop the desk refuses, written behind its back
        conn.execute("UPDATE units SET parent_code = 'O0.1' WHERE code = 'P'")
    rows[0] = ("P", "O0.1", None, None)
    got = [(c.code, c.count, c.merged, c.combined["votes"]) for c in coverages(db, kpi)]
    assert got == _expected(rows, kpi)
