"""A unit's report scope (spec 5, 8) and its one SQL form.

The scope: the unit, every unit below it, and every unit it took over — a unit whose successor
chain leads to it (a commune merged on 01/07/2025 into the new commune) — with their own
sub-units and predecessors, so a report of the new commune includes the history of the communes
it replaced. Here only: one read of the units (a few thousand rows at most), walked in Python. A
recursive query joining on `parent_code = code OR successor_code = code` scanned every unit at
each level: 31 s for `kpi --unit` over a tree 20,000 deep (the walk takes milliseconds; a real
tree is 4–5 deep).

Its SQL form, the same for every query (the filters of the register, the drill-downs, the PDFs,
the exports, the exchange's packages): `column IN` json_each over the JSON list of the scope's
codes, one parameter (scope_in, scope_param) — not a `?` a code, which failed above SQLite's
32,766 variables; read along the column's index.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence


def unit_subtree(db, code: str) -> list[tuple[str, str]]:
    """(code, name) of a unit's scope, sorted by code: the unit, the units below it and its
    predecessors (the units whose successor chain leads to it) with theirs. Nothing for a code
    not in the catalogue. A loop of links (refused at the desk and in the units file) ends the
    walk where it comes back."""
    return unit_subtrees(db)(code)


def unit_subtrees(db, *, parents_only: bool = False) -> Callable[[str], list[tuple[str, str]]]:
    """unit_subtree for many units (core.indicators.coverage: each unit of a table): the units
    read once, each scope walked from that one read. `parents_only`: by the parent links alone,
    without the predecessors (units_under)."""
    names: dict[str, str] = {}
    below: dict[str, list[str]] = {}
    for unit, name, parent, successor in db.execute(
            "SELECT code, name, parent_code, successor_code FROM units"):
        names[unit] = name
        for above in {parent, None if parents_only else successor} - {None}:
            below.setdefault(above, []).append(unit)

    def subtree(code: str) -> list[tuple[str, str]]:
        return sorted((unit, names[unit]) for unit in reach(code, below)) if code in names else []
    return subtree


def reach(code: str, below: dict[str, list[str]]) -> set[str]:
    """`code` and every unit `below` leads to from it, each once (a loop of links ends where
    it comes back): the one walk of a unit's scope."""
    seen, todo = {code}, [code]
    while todo:
        for unit in below.get(todo.pop(), ()):
            if unit not in seen:
                seen.add(unit)
                todo.append(unit)
    return seen


def subtree_codes(db, code: str) -> list[str]:
    """The codes of `code`'s scope (unit_subtree's), sorted."""
    return [unit for unit, _name in unit_subtree(db, code)]


def units_under(db) -> Callable[[str], set[str]]:
    """The codes of a unit and of the units below it by the parent links alone: not the
    predecessors `unit_subtree` takes in with theirs (core.indicators.coverage says which). The
    units read once, as unit_subtrees."""
    subtree = unit_subtrees(db, parents_only=True)
    return lambda code: {unit for unit, _name in subtree(code)} or {code}


def scope_in(column: str, marker: str = "?") -> str:
    """`column IN` a unit's scope, given as one parameter (scope_param; `marker`: "?" or a
    name, ":tree"), the scope's one SQL form."""
    return f"{column} IN (SELECT value FROM json_each({marker}))"


def scope_param(codes: Sequence[str]) -> str:
    """The scope's codes (subtree_codes's) as scope_in's one parameter."""
    return json.dumps(list(codes))
