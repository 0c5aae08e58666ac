"""The centre's side of the per-unit lines of `held_before` (core.exchange.held_units writes them).

A line says: of the dossiers received at `unit` (competent: `competent`) and of their votes,
`records` the package left behind, the earliest from `first`. The centre keeps them with a
sender's start (core.exchange.held_before.Start) and judges a period per (sender, unit): a line
left behind by an all-units package from 01/11 is not missing when a unit package of the same
sender from 01/10 brought that unit (`brought_earlier`).

What a package says is not trusted: a map of more than UNITS_MOST lines, a line not as written
(a code that is no text or longer than CODE_MOST, a count that is no whole number, a pair listed
twice), or lines whose counts do not add up to the totals are not taken — the centre then
judges by the totals, as round 32 did (erring toward «Thiếu»). A line's `from` is taken as the
totals' is (held_before._moment: no offset, a year 1900–2199, before the first day).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from core import installation
from core.exchange.held_units import BROUGHT, CODE_MOST, KEY, OPEN, TREE, UNITS_MOST
from core.timefmt import parse_db_time
from core.unit_scope import unit_subtrees
from core.unit_text import shown

if TYPE_CHECKING:
    from core.exchange.sources import Source

Moment = Callable[[object], "dt.datetime | None"]
PARTLY = "partly"  # a unit row's codes some of its packages carried: {code: spans} (round 34)
__all__ = ["BROUGHT", "KEY", "PARTLY", "TREE", "Fellows", "Line", "kept_partly", "kept_tree",
           "missing", "named", "read", "read_tree", "row_partly", "row_tree", "stored"]


@dataclass(frozen=True)
class Line:
    unit: str
    competent: str | None
    records: int
    first: dt.datetime | None
    by: str | None = None  # brought here by that installation's package (None: the sender's own)
    open: int | None = None  # of `records`, the dossiers still open (None: not said, before
                             # round 34): carried over into every later period


    @property
    def pair(self) -> tuple[str, str | None]:
        return self.unit, self.competent


def _code(value, empty_ok: bool) -> bool:
    if value is None:
        return empty_ok
    return isinstance(value, str) and 0 < len(value) <= CODE_MOST


def _line(line, moment: Moment, brought: bool) -> Line | None:
    if not isinstance(line, dict) or not _code(line.get("unit"), False) or \
            not _code(line.get("competent"), True) or not _code(line.get("by"), not brought):
        return None
    records, still = line.get("records"), line.get(OPEN)
    if type(records) is not int or not 0 < records < 10**12 or \
            not (still is None or (type(still) is int and 0 <= still <= records)):
        return None
    return Line(line["unit"], line.get("competent"), records, moment(line.get("from")),
                line.get("by") if brought else None, still)


def read(said, total: int, moment: Moment, brought=(), mixed: bool = False
         ) -> tuple[Line, ...] | None:
    """The manifest's lines checked (its own `units` and the `brought` ones: all or none, as
    many as UNITS_MOST together, adding up to the totals, `open` said on all or none — on
    some only when `mixed`: a stored start a later package settled for one group of lines,
    held_cleared.applied); None when they cannot be taken."""
    if not isinstance(said, list) or not isinstance(brought, (list, tuple)) or \
            len(said) + len(brought) > UNITS_MOST:
        return None
    out = [_line(line, moment, False) for line in said] + \
        [_line(line, moment, True) for line in brought]
    lines = [line for line in out if line is not None]
    if len(lines) < len(out) or len({(*line.pair, line.by) for line in lines}) < len(lines) or \
            sum(one.records for one in lines) != total or \
            (len({line.open is None for line in lines}) > 1 and not mixed):
        return None
    return tuple(lines)


def stored(lines: tuple[Line, ...], since: dt.datetime, text: Callable) -> list[list]:
    """As the centre's row keeps them: [unit, competent, records, from | null] (and `by` for
    a brought one; since round 34 [..., by | null, open] when the package said `open`); a
    `from` on or after the first day not taken (held_before.stored's rule)."""
    def kept(line: Line) -> list:
        out = [line.unit, line.competent, line.records,
               text(line.first) if line.first is not None and line.first < since else None]
        if line.open is not None:
            return [*out, line.by, line.open]
        return [*out, *([line.by] if line.by is not None else [])]
    return [kept(line) for line in lines]


def start_lines(value, total: int, moment: Moment) -> tuple[Line, ...] | None:
    """Stored lines read back (None: a row without them, or not as written)."""
    if not isinstance(value, list) or \
            not all(isinstance(v, list) and len(v) in (4, 5, 6) for v in value):
        return None
    said = [{name: part for name, part in zip(("unit", "competent", "records", "from", "by", OPEN),
                                              v, strict=False) if name != "by" or part is not None}
            for v in value]
    return read([one for one in said if "by" not in one], total, moment,
                [one for one in said if "by" in one], mixed=True)


def read_tree(said, unit: str | None) -> list[str] | None:
    """The codes a unit package's scope held when it was made (its manifest's `held_before`
    `tree`); None when not said (an older program) or not as written."""
    tree = said.get(TREE) if isinstance(said, dict) and unit is not None else None
    if not isinstance(tree, list) or len(tree) > UNITS_MOST or \
            not all(_code(code, False) for code in tree):
        return None
    return sorted({*tree, unit})


def kept_tree(old: dict | None, tree: list[str] | None, unit: str) -> list[str]:
    """The codes every package of a unit's row carried (a unit moved under it after one of
    them was made was not carried by that one): a package or a row that did not say it
    carried its unit alone (erring toward «Thiếu»)."""
    codes = set(tree or [unit])
    if old is not None:
        before = old.get(TREE)
        codes &= set(before) if isinstance(before, list) else {unit}
    return sorted(codes | {unit})


def kept_partly(old: dict | None, tree: list[str] | None, unit: str,
                span: list[str]) -> dict[str, list[list[str]]]:
    """The codes some but not all of a unit row's packages carried, each with the spans of
    those that did (joined): a unit moved under it between two of its packages was carried by
    the later one (round 33 kept only the codes every package carried, erring to «Thiếu»). A
    code leaving the codes all carried takes the row's spans until then."""
    from core.exchange.sources import joined  # (it imports this module)
    before = row_partly(old) if old is not None else {}
    out = {code: [list(s) for s in spans] for code, spans in before.items()}
    if old is not None:
        for code in row_tree(old) - set(kept_tree(old, tree, unit)):
            out[code] = [list(s) for s in old.get("covered", [])]
    for code in set(tree or []) - set(kept_tree(old, tree, unit)):
        out[code] = joined([*out.get(code, []), list(span)])
    return dict(sorted(out.items())[:UNITS_MOST])


def row_partly(said: dict) -> dict[str, list[tuple[str, str]]]:
    """A stored row's codes some of its packages carried, with their spans ({} when none, or
    not as written: a span that is no moment made the report raise, review34c)."""
    from core.exchange.sources import _moment  # (it imports this module)
    value = said.get(PARTLY)
    if not isinstance(value, dict):
        return {}
    return {code: [(a, b) for a, b in spans] for code, spans in value.items()
            if isinstance(code, str) and isinstance(spans, list) and
            all(isinstance(s, list) and len(s) == 2 and all(map(_moment, s)) for s in spans)}


def row_tree(said: dict) -> frozenset[str]:
    """A stored row's codes (kept_tree); its unit alone for a row noted without them."""
    unit, tree = said.get("unit"), said.get(TREE)
    codes = {code for code in tree if isinstance(code, str)} if isinstance(tree, list) else set()
    return frozenset(codes | ({unit} if isinstance(unit, str) else set()))


# ----- the report: judging a sender's unit by all its packages ------------------------------

class Fellows:
    """A report's view of every sender's rows (shown or not, by sender): which of them carry a
    line's unit. The units are read once, and only when a row has lines to judge."""

    def __init__(self, db, rows: list[Source], scope: str | None):
        self.db, self.scope = db, scope
        self.rows: dict[str, list[Source]] = {}
        for row in rows:
            if row.known:
                self.rows.setdefault(row.installation, []).append(row)
        self.trees: dict[str, set[str]] = {}

    @cached_property
    def subtree(self) -> Callable[[str], list[tuple[str, str]]]:
        return unit_subtrees(self.db)

    @cached_property
    def names(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT code, name FROM units").fetchall())

    def tree(self, unit: str) -> set[str]:
        if unit not in self.trees:
            self.trees[unit] = {code for code, _ in self.subtree(unit)} or {unit}
        return self.trees[unit]

    def carries(self, unit: str | None, line: Line) -> bool:
        """A package of `unit` (None: all units) carries the line's records (export.SCOPE)."""
        if unit is None:
            return True
        tree = self.tree(unit)
        return line.unit in tree or line.competent in tree

    @staticmethod
    def brought(row: Source, line: Line) -> bool:
        """The row's packages carried the line's records: of all units, or a unit whose tree
        held the line's unit when every one of them was made (Source.tree)."""
        return row.unit is None or line.unit in row.tree or line.competent in row.tree

    @staticmethod
    def spans(row: Source, line: Line) -> list[tuple[dt.datetime, dt.datetime]]:
        """The spans of the row's packages that carried the line's records: all of them
        (brought), or those whose unit's tree held the line's unit when made (Source.partly)."""
        if Fellows.brought(row, line):
            return list(row.covered)
        return [(parse_db_time(a), parse_db_time(b)) for code in (line.unit, line.competent)
                for a, b in row.partly.get(code or "", [])]

    @cached_property
    def here(self) -> str:
        """This installation's id (read, never made: a report writes nothing)."""
        from core.exchange.sources import ID_MOST  # (it imports this module)
        return (installation.stored_id(self.db) or "")[:ID_MOST]

    def vouched(self, line: Line) -> bool:
        """A brought line the centre has from where it came: this installation's records, or
        an installation it took packages carrying the line's unit from (those rows say what
        that one left behind; packages of another unit only say nothing of this one)."""
        from core.exchange.sources import ID_MOST
        by = (line.by or "")[:ID_MOST]
        return bool(by) and (by == self.here or
                             any(self.brought(row, line) or self.spans(row, line)
                                                 for row in self.rows.get(by, [])))

    def in_report(self, line: Line) -> bool:
        return self.carries(self.scope, line)


def brought_earlier(row: Source, line: Line, begin: dt.datetime, needed: dt.datetime,
                    fellows: Fellows) -> bool | None:
    """Whether the sender's other packages carrying the line's unit brought what `row`'s
    package left behind of it: their spans and the row's joined reach from before the line's
    first record to the row's first day without a gap, or the package they begin with left
    nothing of the line behind that the period counts (held_before.counts_in: from before the
    period's start, only the dossiers still open — round 33 took a reach before the period
    as enough). None: not known (that package did not say which are open)."""
    carried = {id(f): fellows.spans(f, line) for f in fellows.rows.get(row.installation, [])
               if f is not row}
    others = [f for f in fellows.rows.get(row.installation, []) if carried.get(id(f))]
    if not others:
        return False
    first = row.covered[0][0] if row.covered else row.since
    spans = sorted([*row.covered, *(span for f in others for span in carried[id(f)])])
    # back from the row's first day, or from the period's end when that comes first (what
    # changed after the period does not change its figures: sources' gaps are judged so, and
    # unit packages covering October before an all-units one from 01/12 bring October)
    reach, moved = min(first, needed), True
    while moved:  # back while the spans join (touching ones do)
        moved = False
        for low, high in spans:
            if low < reach <= high:
                reach, moved = low, True
    if line.first is not None and line.first >= reach:
        return True
    said = [_nothing_before(f, line, reach, begin, needed) for f in others]
    return True if True in said else (None if None in said else False)


def _nothing_before(row: Source, line: Line, reach: dt.datetime, begin: dt.datetime,
                    needed: dt.datetime) -> bool | None:
    """The package `row` began with (at `reach`) said it left nothing of the line behind that
    the period counts (None: it did not say which are open)."""
    from core.exchange.held_before import counts_in  # (it imports this module)
    start = row.start
    if not Fellows.brought(row, line):  # reached through the packages carrying it in part:
        start = next((row.partly_start[code] for code in (line.unit, line.competent)  # held35
                      if code in row.partly_start and row.partly_start[code].at == reach), start)
    began = start.at if start is not None else (row.covered[0][0] if row.covered else row.since)
    if began != reach:
        return False
    if start is None or not start.known:  # an older program's package: not said (Không rõ),
        return True if start is not None and start.open == 0 and reach <= begin else None
        # unless a later package settled it for a period from its first day on (held_cleared)
    if start.lines is None:
        said = counts_in(start.records, start.first, start.open, reach, begin, needed)
        return None if said is None else not said
    found = [counts_in(one.records, one.first, one.open, reach, begin, needed)
             for one in start.lines if one.pair == line.pair]
    return False if True in found else (None if None in found else True)


def missing(row: Source, begin: dt.datetime, needed: dt.datetime,
            fellows: Fellows | None) -> tuple[list[Line], dt.datetime | None]:
    """The lines of the row's start the period lacks (all those it counts without
    `fellows`), and the first day of a package that did not say whether what it left behind
    is still open when that alone leaves the period unknown (None: nothing unknown)."""
    from core.exchange.held_before import counts_in  # (it imports this module)
    assert row.start is not None and row.start.lines is not None
    out, unknown = [], None
    for line in row.start.lines:
        counted = counts_in(line.records, line.first, line.open, row.start.at, begin, needed)
        if counted is False:
            continue
        # a unit's row judged by its all-units package's start: only the lines of its unit,
        # or of a unit its packages carried (one moved out of its tree since: review35d)
        if fellows is not None and (fellows.vouched(line) or not fellows.in_report(line) or
                                    not (fellows.carries(row.unit, line) or
                                         Fellows.spans(row, line))):
            continue
        brought = brought_earlier(row, line, begin, needed, fellows) if fellows else False
        if brought:
            continue
        if counted is None or brought is None:  # re-sent from the sender's earliest first day
            unknown = min([row.start.at, *(f.covered[0][0] for f in (fellows.rows.get(
                row.installation, []) if fellows else []) if f.covered)])
            continue
        out.append(line)
    return out, unknown


def named(lines: list[Line], names: dict[str, str], still: bool = False, most: int = 3) -> str:
    """'Xã An Sơn: 3, Xã Hòa Bình: 1 và 2 đơn vị khác' (by receiving unit; `still`: the
    dossiers still open only)."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.unit] = counts.get(line.unit, 0) + ((line.open or 0) if still else line.records)
    said = [f"{names.get(unit) or shown(unit)}: {count}" for unit, count in sorted(counts.items())[:most]]
    more = len(counts) - most
    return ", ".join(said) + (f" và {more} đơn vị khác" if more > 0 else "")
