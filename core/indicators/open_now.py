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

from core.calendar import load_calendar
from core.due import Policy, is_overdue_at
from core.facts import load_inputs
from core.indicators import variant_key
from core.indicators.evaluate import effective_at
from core.timefmt import to_db_time

# Open at the period end: still open, or closed only at or after the end (or without a finish).
# "+column" keeps SQLite on the status index for the open ones, on the finish index for the rest.
_BRANCHES = (
    "d.status IN ('received','processing','supplement')",
    "+d.status NOT IN ('received','processing','supplement') AND d.finished_at >= :end",
    "+d.status NOT IN ('received','processing','supplement') AND d.finished_at IS NULL",
)
_HAS_WAITS = "EXISTS (SELECT 1 FROM supplements s WHERE s.dossier_id = d.id)"
# Without a wait and without a used extension the effective due time is calc_due_at (2.2).
_PLAIN = f"NOT {_HAS_WAITS} AND NOT (:extended AND d.extended_due_at IS NOT NULL)"
# Pause only moves a due time later, so calc_due_at < moment is needed to be overdue; restart
# may compute a due time afresh, and an extension replaces it: those are always candidates.
_SPECIAL = (f"({_HAS_WAITS} OR (:extended AND d.extended_due_at IS NOT NULL)) AND "
            "(d.calc_due_at < :moment OR d.extended_due_at IS NOT NULL OR :restart)")
# The live due time stored in the facts (core.facts._live_dues) holds once its last wait event
# is past; else (an older database, a closed dossier, a due only the rules know) ask the rules.
_LIVE = ("json_extract(d.facts, '$.lw') < :moment AND (json_type(d.facts, :live) = 'null' "
         "OR json_extract(d.facts, :live) GLOB '[0-9]*')")


def _union(select: str, condition: str) -> str:
    return " UNION ALL ".join(
        f"SELECT {select} FROM dossiers d WHERE {branch} AND +d.received_at < :end AND {condition}"
        for branch in _BRANCHES)


def overdue_counts(db, end: dt.datetime, moment: dt.datetime, policy: dict,
                   scope: set[str]) -> Counter:
    """{unit: open dossiers overdue at `moment`} over the dossiers open at the period `end`."""
    params = {"end": to_db_time(end), "moment": to_db_time(moment),
              "extended": int(policy["due_basis"] == "extended"),
              "restart": int(policy["supplement"] == "restart"),
              "live": f"$.ld.{variant_key(policy)}"}
    counts: Counter = Counter()
    plain = _union("d.unit_code", f"d.calc_due_at < :moment AND {_PLAIN}")
    for unit, count in db.execute(f"SELECT unit_code, COUNT(*) FROM ({plain}) GROUP BY unit_code",
                                  params):
        if unit in scope:
            counts[unit] += count
    fallback = []
    select = f"d.id, d.unit_code, coalesce({_LIVE}, 0), json_extract(d.facts, :live)"
    for dossier_id, unit, live, due in db.execute(_union(select, _SPECIAL), params):
        if unit not in scope:
            continue
        if live:
            counts[unit] += due is not None and due < params["moment"]
        else:
            fallback.append(dossier_id)
    if fallback:  # rare: the rules need the calendar
        cal = load_calendar(db)
        rules = Policy(policy["supplement"], policy["due_basis"])
        for item in load_inputs(db, fallback):
            counts[item.unit_code] += is_overdue_at(moment, effective_at(cal, item, rules, moment))
    return counts
