"""What the units with rows below each unit of a table add up to, in one walk (spec 5).

core.indicators.coverage says, under a table, what a unit's own report adds to its row: how
many units with rows of their own are below it (named when NAMED_MAX or fewer), how many of
them merged into it rather than under it, and their votes. Walking each unit's scope on its
own, and keeping the names of everything below, cost (units with figures) × (units below): a
chain of 20,000 units, each under the one before, took 23.6 s for the report's data. Here the
scopes are gathered once, from the bottom up: a unit takes over the set of listed units of the
largest scope below it that nothing else still needs, and adds the others to it — each unit is
added about log n times in a tree (a chain: once). A unit whose scope two units need (a commune
merged into another, under its old district too) is copied into the first and handed to the
second. A loop of links (refused at the desk and in the units file) is walked unit by unit,
as before, so every count stays exact.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from core.unit_scope import reach

NAMED_MAX = 3  # units below named one by one; more are counted ("5 đơn vị trực thuộc")


@dataclass
class _Scope:
    """The listed units of a scope, with their votes, as the walk gathers them."""
    codes: set[str] = field(default_factory=set)
    votes: int = 0
    satisfied: int = 0

    def add(self, code: str, rows: dict[str, dict]) -> None:
        if code in rows and code not in self.codes:
            self.codes.add(code)
            self.votes += rows[code]["satisfaction"]["votes"]
            self.satisfied += rows[code]["satisfaction"]["satisfied"]


@dataclass(frozen=True)
class Sums:
    """Below one unit (itself left out): `count` listed units, `merged` of them not under it
    by the parent links, their codes by code when NAMED_MAX or fewer; votes and satisfied
    over the unit and them."""
    count: int
    merged: int
    named: tuple[str, ...]
    votes: int
    satisfied: int


@dataclass
class _Links:
    below: dict[str, list[str]] = field(default_factory=dict)  # by parent or successor link
    under: dict[str, list[str]] = field(default_factory=dict)  # by parent link alone
    takers: dict[str, int] = field(default_factory=dict)       # units whose scope holds it


def _links(db) -> tuple[list[str], _Links]:
    rows = db.execute("SELECT code, parent_code, successor_code FROM units").fetchall()
    codes = [code for code, _parent, _successor in rows]
    known, links = set(codes), _Links()
    for code, parent, successor in rows:
        above = {parent, successor} & known
        links.takers[code] = len(above)
        for unit in above:
            links.below.setdefault(unit, []).append(code)
        if parent in known:
            links.under.setdefault(parent, []).append(code)
    return codes, links


def _post_order(codes: list[str], below: dict[str, list[str]]) -> list[str] | None:
    """Every unit after every unit below it; None when the links make a loop."""
    state: dict[str, bool] = {}  # False: being walked, True: done
    order: list[str] = []
    for root in codes:
        if root in state:
            continue
        state[root] = False
        stack = [(root, iter(below.get(root, ())))]
        while stack:
            code, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                state[code] = True
                order.append(code)
            elif child not in state:
                state[child] = False
                stack.append((child, iter(below.get(child, ()))))
            elif not state[child]:
                return None
    return order


def _gathered(code: str, links: _Links, scopes: dict[str, _Scope],
              rows: dict[str, dict]) -> _Scope:
    """`code`'s scope from those of the units just below it (each finished before it)."""
    taken = []
    for child in links.below.get(code, ()):
        links.takers[child] -= 1
        taken.append((scopes[child], links.takers[child] == 0))
        if links.takers[child] == 0:
            del scopes[child]
    own = [scope for scope, last in taken if last]
    base = max(own, key=lambda scope: len(scope.codes), default=None) or _Scope()
    for scope, _last in taken:
        if scope is not base:
            for unit in scope.codes:
                base.add(unit, rows)
    base.add(code, rows)
    return base


def scope_sums(db, rows: dict[str, dict]) -> dict[str, Sums]:
    """Sums for each unit of `rows` (the table's units by code, spec 8 dicts) that has listed
    units below it: the units read once, each unit's scope gathered from those below it."""
    codes, links = _links(db)
    order = _post_order(codes, links.below)
    if order is None:
        return _walked(codes, links, rows)
    scopes: dict[str, _Scope] = {}
    under_count: dict[str, int] = {}
    out = {}
    for code in order:
        scope = scopes[code] = _gathered(code, links, scopes, rows)
        under_count[code] = (code in rows) + sum(under_count[c] for c in links.under.get(code, ()))
        if code in rows and len(scope.codes) > 1:
            count = len(scope.codes) - 1
            named = tuple(sorted(scope.codes - {code})) if count <= NAMED_MAX else ()
            out[code] = Sums(count, count - (under_count[code] - 1), named, scope.votes,
                             scope.satisfied)
    return out


def _walked(codes: list[str], links: _Links, rows: dict[str, dict]) -> dict[str, Sums]:
    """scope_sums unit by unit, for links that make a loop (each walk ends where it comes
    back): (units with rows) × (units below) steps, as the one walk cannot order them."""
    out = {}
    for code in rows:
        if code not in links.takers:
            continue
        found = sorted(unit for unit in reach(code, links.below) if unit in rows and unit != code)
        if found:
            under = reach(code, links.under)
            scope = [rows[code]] + [rows[unit] for unit in found]
            out[code] = Sums(len(found), sum(1 for unit in found if unit not in under),
                             tuple(found) if len(found) <= NAMED_MAX else (),
                             sum(r["satisfaction"]["votes"] for r in scope),
                             sum(r["satisfaction"]["satisfied"] for r in scope))
    return out
