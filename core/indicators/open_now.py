"""Open dossiers classified at a moment that is not a day end: a period not yet over (spec 2.3).

The stored overdue spans answer "overdue at a midnight"; while a period runs, the moment of
evaluation is *now*, which may be 10:15. Dossiers open at the period end are few (the open ones
and, for a future end, none closed later), so they are counted here directly: in SQL when the
effective due time is the stored due time (no wait, no extension used), through the rules of
core.due for the rest.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from core.calendar import load_calendar
from core.due import Policy
from core.indicators import variant_key
from core.moment import OPEN_IN, counted_unit_sql, effective_at, load_inputs, open_sql, overdue_at
from core.timefmt import to_db_time
from db.moments import text_sql, to_stored

# Open at the period end: still open, or closed only at or after the end (a closed status
# without a finish, which the rules also call open, is found by _unfinished_closed).
# "+column" keeps SQLite on the status index for the open ones, on the finish index for the rest.
# The rows are read (db.dossier_rows): moments as seconds, the bounds `:end_s`, `:moment_s`.
_BRANCHES = (
    open_sql("d."),
    f"+d.status NOT IN ({OPEN_IN}) AND d.finished_at >= :end_s",
)
# Both sides read only an index (the rowid is the id): no row is visited when there are none.
_UNFINISHED_CLOSED = ("SELECT id FROM dossier_rows WHERE finished_at IS NULL EXCEPT "
                      f"SELECT id FROM dossier_rows WHERE {open_sql()}")
_HAS_WAITS = "EXISTS (SELECT 1 FROM supplements s WHERE s.dossier_id = d.id)"
# The live due time stored in the facts (core.facts._live_dues) holds once its last wait event
# is past; else (an older database, a closed dossier, a due only the rules know) ask the rules.
_LIVE = ("json_extract(d.facts, '$.lw') < :moment AND (json_type(d.facts, :live) = 'null' "
         "OR json_extract(d.facts, :live) GLOB '[0-9]*')")
# The facts are read only for dossiers with waits or an extension: most have neither.
_SPECIAL = f"({_HAS_WAITS} OR d.extended_due_at IS NOT NULL)"
_SELECT = (f"d.id, {counted_unit_sql('d.')}, {_HAS_WAITS}, d.extended_due_at IS NOT NULL, "
           f"CASE WHEN {_SPECIAL} THEN coalesce({_LIVE}, 0) END, "
           f"CASE WHEN {_SPECIAL} THEN json_extract(d.facts, :live) END, "
           f"{text_sql('d.calc_due_at')}")


def _candidates(policy: dict) -> str:
    """Which dossiers may be overdue. Pause only moves a due time later, so calc_due_at <
    moment is needed (an index range over the open ones); restart may compute a due time
    afresh and an extension replaces it, so under those policies such dossiers are candidates
    whatever their due time."""
    extra = []
    if policy["due_basis"] == "extended":
        extra.append("d.extended_due_at IS NOT NULL")
    if policy["supplement"] == "restart":
        extra.append(_HAS_WAITS)
    return "(" + " OR ".join(["d.calc_due_at < :moment_s"] + extra) + ")"


def _union(select: str, condition: str) -> str:
    return " UNION ALL ".join(
        f"SELECT {select} FROM dossier_rows d WHERE {branch} AND +d.received_at < :end_s AND "
        f"{condition}"
        for branch in _BRANCHES)


def overdue_counts(db, end: dt.datetime, moment: dt.datetime, policy: dict,
                   scope: set[str], late_766: Counter | None = None) -> Counter:
    """{unit: open dossiers overdue at `moment`} over the dossiers open at the period `end`;
    with `late_766`, also fills it with those late under 766 (the same pass over the rows)."""
    at = to_db_time(moment)
    params = {"end": to_db_time(end), "moment": at, "live": f"$.ld.{variant_key(policy)}",
              "end_s": to_stored(end), "moment_s": to_stored(moment)}
    extended = policy["due_basis"] == "extended"
    counts: Counter = Counter()
    fallback, rules_766 = [], []
    select = _SELECT + (f", {open_sql('d.')} AND d.calc_due_at < :moment_s, {_FACTS_766}"
                        if late_766 is not None else "")
    for dossier_id, unit, waits, has_extension, live, due, stored_due, *more in db.execute(
            _union(select, _candidates(policy)), params):
        if unit not in scope:
            continue
        if not waits and not (extended and has_extension):  # the due time of 2.2 holds
            counts[unit] += stored_due < at
        elif live:
            counts[unit] += due is not None and due < at
        else:
            fallback.append(dossier_id)
        if late_766 is not None and more[0]:  # open and past its due time: a 766 candidate
            late = _late_from_facts((waits, *more[1:]), at)
            if late is None:
                rules_766.append(dossier_id)
            else:
                late_766[unit] += late
    unfinished = [r[0] for r in db.execute(_UNFINISHED_CLOSED)]
    fallback += unfinished
    if fallback:  # rare: the rules need the calendar
        cal = load_calendar(db)
        rules = Policy(policy["supplement"], policy["due_basis"])
        for item in load_inputs(db, fallback):
            if item.unit_code in scope and item.received_at < end:
                counts[item.unit_code] += overdue_at(
                    moment, effective_at(cal, item, rules, moment))
    if late_766 is not None:
        _late_766_rest(db, params, scope, rules_766 + unfinished, end, moment, late_766)
    return counts


# 766 (spec 5.1): always pause and the original due time. An open dossier late under 766 is
# past its stored due time (found with Biểu 06's open ones above), or has two supplement
# requests: the index on (status, calc_due_at) and the waits' index find those without reading
# the other open dossiers.
# (`kl` says 1 for two requests: the pass needs only whether there are waits)
_FACTS_766 = ("json_extract(d.facts, '$.lw') < :moment, "
              "json_extract(d.facts, '$.kl'), json_extract(d.facts, '$.ld.po')")
_TWO_REQUESTS = (
    f"SELECT d.id, {counted_unit_sql('d.')}, "
    f"(SELECT COUNT(*) FROM supplements s WHERE s.dossier_id = d.id), {_FACTS_766} "
    "FROM dossiers d "
    # the inner query reads only the two indexes; the few rows it finds are then read
    f"WHERE d.id IN (SELECT id FROM dossier_rows WHERE {open_sql()} AND calc_due_at >= :moment_s "
    "AND (SELECT COUNT(*) FROM supplements s WHERE s.dossier_id = dossier_rows.id) > 1) "
    "AND +d.received_at < :end")
# closed at or after the period end (a future end: none)
_CLOSED_LATER = (f"SELECT id FROM dossier_rows WHERE +status NOT IN ({OPEN_IN}) "
                 "AND finished_at >= :end_s AND +received_at < :end_s")


def _late_from_facts(row: Sequence, at: str) -> bool | None:
    """Late under 766 at `at` from the stored facts (`row`: has waits or their number, then
    the columns of _FACTS_766) of a dossier open and past its stored due time, or with two
    requests; None: only the rules can say."""
    waits, settled, live, due_po = row
    if not waits:
        return True
    if not settled:  # an event at or after the moment, or facts without `lw`
        return None
    if waits > 1:  # every request before the moment: more than one is late (spec 5.1)
        return True
    if live is not None:
        return bool(live)
    if isinstance(due_po, str) and due_po[:1].isdigit():
        return due_po < at
    return None


def _late_766_rest(db, params: dict, scope: set[str], by_rules: list[int], end: dt.datetime,
                   moment: dt.datetime, counts: Counter) -> None:
    """The 766-late dossiers overdue_counts' pass cannot see: two requests before their due
    time, closed only after the period end, and those only the rules can classify."""
    from core.scorecard766 import late_open_at
    for dossier_id, unit, *facts in db.execute(_TWO_REQUESTS, params):
        if unit in scope:
            late = _late_from_facts(facts, params["moment"])
            if late is None:
                by_rules.append(dossier_id)
            else:
                counts[unit] += late
    by_rules += [r[0] for r in db.execute(_CLOSED_LATER, params)]
    if by_rules:
        cal = load_calendar(db)
        for item in load_inputs(db, by_rules):
            if item.unit_code in scope and item.received_at < end:
                counts[item.unit_code] += late_open_at(cal, item, moment)
