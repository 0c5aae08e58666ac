"""Settling, with a sender's next ordinary package, whether its first package left open dossiers
behind (spec 9; review34c).

Since round 34 the centre counts a sender's open dossiers left behind before its first package
as carried over into every later period (held_before.counts_in); a package of an older program
did not say which are open, so after the centre's update every sender that left anything
behind read «Không rõ» every month until it re-sent everything from its first day — a package
that, for a counter whose November went through the commune, re-adds its pre-update walk-in
votes (walk34). Every package now also says, in `held_before`:

    "cleared": "2026-11-20"

the day on or before which none of the open dossiers it leaves behind was last changed: each
of them changed since that day (export.CHANGED_SQL, the one rule of what a package carries),
none since the one after; its first day when it leaves no open dossier behind. An open dossier
a first package from day S0 left behind and still open now is unchanged since before S0, so
`cleared` ≥ S0 says there is none; one closed (or changed) since S0 was carried by the
packages after it — when the centre's spans join from S0 to this package's first day. The
centre keeps per row the statements that may prove it (`kept`, held35: a list; round 34 kept
one, and a later package after a gap replaced the proving one) and, when one proves that, reads the stored
start's open count (and every line's) as 0 (`applied`): one ordinary export returns «Đủ»;
never when a span between is missing, the day is not as written, or lies after the package's
first day."""
from __future__ import annotations

import datetime as dt
import json

from core.exchange import held_before, held_lines, held_units
from core.exchange.held_units import KEY as LINES
from core.exchange.held_units import OPEN
from core.timefmt import parse_db_time
from core.unit_scope import scope_param, subtree_codes
from db import events_codec
from db.moments import day_sql

KEY = "cleared"  # the manifest's held_before; a row: [{"day", "since", "open_in", "tree"}]
KEPT_MOST = 10  # statements a row keeps (held35)
STILL = "open_in"  # a statement's groups with open dossiers left behind (still_open)
OWN, BROUGHT = "own", "brought"
GROUPS = (OWN, BROUGHT)
TREE = "tree"  # a unit package's statement: its tree's codes, all it speaks of (review35d)


def day(db, unit: str | None, since: dt.date, ids: list[int]) -> str:
    """The manifest's `cleared` for a package from `since` carrying the dossiers `ids`."""
    from core.exchange.export import SCOPE, _changed_sql  # (it imports this module's users)
    params: dict = {"ids": json.dumps(ids)}
    scope = ""
    if unit is not None:
        params["tree"] = scope_param(subtree_codes(db, unit))
        scope = f"({SCOPE}) AND "
    rows = db.execute(
        f"SELECT d.id, {day_sql('d.received_at')} FROM dossier_rows d WHERE {scope}"
        f"d.id NOT IN (SELECT value FROM json_each(:ids)) AND NOT {held_units.CLOSED_SQL}",
        params).fetchall()
    if not rows:
        return since.isoformat()
    ask = {"left": json.dumps([row[0] for row in rows])}
    sql = _changed_sql("d.id IN (SELECT value FROM json_each(:left)) AND ")

    def all_changed(on: dt.date) -> bool:
        found = db.execute(f"SELECT COUNT(*) FROM ({sql})",
                           {**ask, **events_codec.since_params("since", on)}).fetchone()[0]
        return found == len(rows)

    low = min(dt.date.fromisoformat(row[1]) for row in rows)  # each changed since its day
    high = since  # none changed since `since` (they are left behind)
    if not all_changed(low):
        return (low - dt.timedelta(days=1)).isoformat()  # (not as expected: say less)
    while (high - low).days > 1:  # all changed since `low`, not all since `high`
        middle = low + dt.timedelta(days=(high - low).days // 2)
        low, high = (middle, high) if all_changed(middle) else (low, middle)
    return low.isoformat()


def read(said: dict, since: str) -> dt.date | None:
    """The manifest's day checked: a real day not after the package's first day (a later one
    would clear what it cannot know); None when not said or not as written."""
    value = said.get(KEY)
    try:
        found = dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 \
            else None
    except ValueError:
        return None
    if found is None or found.year < 1900 or found > parse_db_time(since).date():
        return None
    return found


def still_open(held) -> list[str] | None:
    """Which of a package's lines (its sender's own, `OWN`; those other installations'
    packages brought, `BROUGHT`) say an open dossier left behind: the groups whose open
    dossiers the day (`cleared`) may be over. None when its lines do not say it (none taken,
    or no `open`). The day is one for all (a commune's open dossier got from the centre held
    its own lines back for ever, held35); the lines tell a group with none open apart."""
    if held is None:
        return None
    if held.records == 0:
        return []
    if held.lines is None or any(line.open is None for line in held.lines):
        return None
    return sorted({BROUGHT if line.by else OWN for line in held.lines if line.open})


def noted(said: dict, found, start) -> dict:
    """The row's statements as a package (`found`, core.exchange.sources.Package) leaves them
    (nothing when none): a unit package's speaks of its tree only (one not said: its unit)."""
    tree = None if found.unit is None else (found.tree or [found.unit])
    out = kept(said.get(KEY), found.cleared, found.since, start, still_open(found.held), tree)
    return {} if out is None else {KEY: out}


def kept(old, cleared: dt.date | None, since: str, start=None,
         still: list[str] | None = None, tree: list[str] | None = None) -> list[dict] | None:
    """What the centre's row keeps: every statement that may prove a start (round 34 kept the
    one clearing the most days, and a later package after a gap replaced the one that had
    proved the start: «Không rõ» again until the gap closed, held35). One is dropped only when
    another clears as much from a first day as early, of a tree holding its (`_covers`: it
    proves whatever the dropped one proved), or when it clears nothing of the row's start
    (`start`, the stored start: its day before the start's first day, every group open). At
    most KEPT_MOST, the earliest first days kept: of those proving a start, the earliest is
    the one whose spans join soonest. `tree`: a unit package's codes (its day and lines say
    nothing of a unit moved out of its tree since the start, review35d)."""
    said = statements(old)
    if cleared is not None:
        said.append({"day": cleared.isoformat(), "since": since,
                     **({STILL: still} if still is not None else {}),
                     **({TREE: sorted(set(tree))} if tree is not None else {})})
    begins = start.get("since") if isinstance(start, dict) else None
    if isinstance(begins, str) and len(begins) >= 10:
        said = [one for one in said if one["day"] >= begins[:10] or _open(one) != set(GROUPS)]
    unique = {(one["day"], one["since"], tuple(sorted(_open(one))),
               None if _tree(one) is None else tuple(sorted(_tree(one) or ()))): one
              for one in said}
    front = [one for key, one in unique.items()
             if not any(other is not one and _covers(other, one) for other in unique.values())]
    return sorted(front, key=lambda one: one["since"])[:KEPT_MOST] or None


def _covers(other: dict, one: dict) -> bool:
    mine, theirs = _tree(one), _tree(other)
    return other["day"] >= one["day"] and other["since"] <= one["since"] and \
        _open(other) <= _open(one) and (theirs is None or (mine is not None and mine <= theirs))


def _tree(said: dict) -> frozenset[str] | None:
    """The codes a statement speaks of (None: all, an all-units package's)."""
    value = said.get(TREE)
    return frozenset(value) if isinstance(value, list) else None


def _open(said: dict) -> set[str]:
    """The groups a statement's day may be over (every group when its lines did not say)."""
    value = said.get(STILL)
    return set(value) if isinstance(value, list) else set(GROUPS)


def _readable(value) -> bool:
    if not isinstance(value, dict) or not isinstance(value.get("since"), str) or \
            not isinstance(value.get("day"), str):
        return False
    try:
        parse_db_time(value["since"])
        dt.date.fromisoformat(value["day"])
    except ValueError:
        return False
    still, tree = value.get(STILL, []), value.get(TREE, [])
    return len(value["day"]) == 10 and isinstance(still, list) and all(
        group in GROUPS for group in still) \
        and isinstance(tree, list) and all(isinstance(code, str) for code in tree)


def statements(value) -> list[dict]:
    """A row's statements read back: a list (held35), or round 34's one (a dict)."""
    return [one for one in (value if isinstance(value, list) else [value]) if _readable(one)]


def of_row(said: dict):
    """A stored row's start as the report reads it (`applied`, the codes its packages carried
    being its tree's and those some of them carried)."""
    partly = said.get(held_lines.PARTLY)
    codes = held_lines.row_tree(said) | (set(partly) if isinstance(partly, dict) else set())
    return applied(said.get("start"), said.get(KEY), said.get("covered", []), codes)


def applied(start, cleared, covered: list, codes: frozenset[str] | set[str] = frozenset()):
    """The stored start as the report reads it: no open dossier left behind (`open` 0, on every
    line too) when the row's statements (`cleared`) prove it — of one whose spans join from
    the start's first day to its package's first day, its day on or after the start's first
    day; or, for the lines of a group (the sender's own, those brought), its lines saying none
    of that group open (held35: the day alone counted a commune's open dossier got from the
    centre). A unit package's statement proves only the lines of its tree (a unit or a
    competent unit in it), and the totals only when its tree holds every line, or for a start
    without lines every code of the row (`codes`); a start of a program before round 32 (no
    lines, its tree not said) only by an all-units package's. Such a start gets `open` 0 alone:
    what it left behind, closed before its first day, stays unknown (held35)."""
    if not held_before.readable(start):  # (read as no start: nothing to settle)
        return start
    begins = parse_db_time(start["since"])
    lines = start.get(LINES) if isinstance(start.get(LINES), list) else None
    proofs, whole = [], False
    for one in cleared if isinstance(cleared, list) else [cleared]:
        # joined first (text compared: cheap), then checked (a row keeps up to KEPT_MOST)
        if not isinstance(one, dict) or not isinstance(one.get("since"), str) or not any(
                isinstance(s, list) and len(s) == 2 and s[0] <= start["since"] and
                s[1] >= one["since"] for s in covered) or not _readable(one):
            continue
        groups = set(GROUPS) if dt.date.fromisoformat(one["day"]) >= begins.date() \
            else set(GROUPS) - _open(one)
        proofs.append((groups, _tree(one)))
        if groups == set(GROUPS) and _holds(start, lines, _tree(one), codes):
            whole = True
            break
    out = {**start, OPEN: 0} if whole else dict(start)
    if lines is not None:
        out[LINES] = [[*v[:4], v[4] if len(v) > 4 else None, 0] if isinstance(v, list) and
                      len(v) in (4, 5, 6) and (whole or _proved(v, proofs)) else v for v in lines]
    return out if whole or out != start else start


def _holds(start: dict, lines: list | None, tree: frozenset[str] | None, codes) -> bool:
    """Whether a statement's tree holds all a start left behind (an all-units package's: yes)."""
    if tree is None:
        return True
    if lines is not None:
        return all(isinstance(v, list) and len(v) >= 2 and _within(v, tree) for v in lines)
    return "records" in start and set(codes) <= tree  # (before round 32: its tree not said)


def _within(line: list, tree: frozenset[str] | None) -> bool:
    return tree is None or line[0] in tree or line[1] in tree


def _proved(line: list, proofs: list) -> bool:
    return any(_group(line) in groups and _within(line, tree) for groups, tree in proofs)


def _group(line: list) -> str:
    """A stored line's group: brought when it names the installation that brought it."""
    return BROUGHT if len(line) > 4 and line[4] is not None else OWN
