"""What the package that first carried a unit moved under a row's unit left behind of it (spec 9;
held35).

A unit row keeps what the package it began with left behind (`start`, core.exchange.held_before)
and, per code some but not all of its packages carried (a unit moved under the row's unit
between two of them), those packages' spans (`partly`, core.exchange.held_lines). A line of
another row reaching back into those spans met the row's start, not the start of the package
that first carried the code, and was «Thiếu» though that package said it left nothing of the
unit behind (round 34's open list). The row now also keeps, per such code, what the earliest
package that carried it left behind of it (`partly_start`, a stored start: the lines of the code
alone, their totals) — the row's own start for a code its first packages carried; nothing more
in the package (its `held_before` lines say it already)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.exchange import held_before, held_lines
from core.exchange.held_before import Held, Start
from core.exchange.held_units import KEY as LINES
from core.exchange.held_units import OPEN

if TYPE_CHECKING:
    from core.exchange.sources import Package

KEY = "partly_start"


def row_codes(old: dict | None, found: Package) -> dict:
    """A unit row's codes as a package (`found`) leaves them: those all its packages carried,
    those some did with their spans, and what the earliest package carrying each of those left
    behind of it."""
    assert found.unit is not None
    tree = held_lines.kept_tree(old, found.tree, found.unit)
    partly = held_lines.kept_partly(old, found.tree, found.unit, [found.since, found.until])
    left = set(held_lines.row_tree(old)) - set(tree) if old is not None else set()
    return {held_lines.TREE: tree, held_lines.PARTLY: partly,
            KEY: kept(old, found.held, found.since, found.tree, partly, left)}


def _of_code(held: Held | None, code: str) -> Held | None:
    """What a package said it left behind, of one code's lines (its totals when it said no
    lines: more than the code's, erring toward «Thiếu»)."""
    if held is None or held.lines is None:
        return held
    lines = tuple(line for line in held.lines if code in (line.unit, line.competent))
    moments = [line.first for line in lines]
    counted = [line.open for line in lines]
    return Held(sum(line.records for line in lines),
                None if None in moments or not moments else min(m for m in moments if m),
                lines, None if None in counted else sum(c or 0 for c in counted))


def _row_of_code(start, code: str):
    """A row's stored start, of one code's lines (the whole start when it has no lines, or
    lines not as written: more than the code's, erring toward «Thiếu»)."""
    if not isinstance(start, dict) or not isinstance(start.get(LINES), list):
        return start
    lines = [v for v in start[LINES] if isinstance(v, list) and len(v) >= 4 and code in v[:2]]
    if not all(type(v[2]) is int for v in lines):
        return start
    out = {k: v for k, v in start.items() if k not in ("from", OPEN)}
    out.update({LINES: lines, "records": sum(v[2] for v in lines)})
    moments = [v[3] for v in lines]
    if moments and all(isinstance(moment, str) for moment in moments):  # (a number put by SQL
        # where a moment is kept is read as none, held_before._moment: never compared, review36)
        out["from"] = min(moments)
    if OPEN in start and all(len(v) > 5 and type(v[5]) is int for v in lines):
        out[OPEN] = sum(v[5] for v in lines)
    return out


def kept(old: dict | None, held: Held | None, since: str, tree: list[str] | None,
         partly: dict, left: set[str]) -> dict[str, dict]:
    """Per code of `partly` (the row's, this package noted), the start of the earliest package
    that carried it: this one's (`held`, from `since`, its `tree`), the one kept, or — for a
    code leaving the codes all the row's packages carried (`left`) — the row's start."""
    said: dict = old if isinstance(old, dict) else {}
    before = said[KEY] if isinstance(said.get(KEY), dict) else {}
    row_start = said.get("start")
    out = {}
    for code in partly:
        start = before.get(code)
        # carried by every package until this one; a start edited by SQL read as none (its
        # lines compared or indexed stopped the import on a TypeError, review36)
        if code in left and held_before.readable(row_start):
            start = held_before.earlier_start(start, _row_of_code(row_start, code))
        if tree is not None and code in tree:
            start = held_before.earlier_start(start, held_before.stored(_of_code(held, code),
                                                                        since))
        if start is not None:
            out[code] = start
    return out


def read(said: dict) -> dict[str, Start]:
    """A row's kept starts read back (those not as written left out: «Thiếu», as before)."""
    value = said.get(KEY)
    if not isinstance(value, dict):
        return {}
    out = {}
    for code, start in value.items():
        found = held_before.start_of(start) if isinstance(code, str) else None
        if found is not None:
            out[code] = found
    return out
