"""Behind every figure: the dossiers (or votes) a figure of spec 5 counts.

`dossiers_behind(db, "resolved.late", d1, d2)` returns the ids the engine counted for that
figure, so a clerk can open the list behind any number and reconcile it.
"""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from core.calendar import load_calendar
from core.due import Policy
from core.errors import InputError
from core.facts import load_inputs
from core.indicators import resolve_policy, scope_units, variant_key
from core.indicators.evaluate import dossier_figures
from core.moment import CLOSED_IN, counted_unit_sql, counted_votes
from core.periods import Period
from core.unit_scope import scope_in, scope_param
from db import facts_codec

RESOLVED_SQL = "('done','returned','rejected')"
FLAG = {"online_full.count": "of", "online_full.eligible": "oe",
        "online_payment.fee_dossiers": "fee", "online_payment.paid_online": "pay"}
DOSSIER_FIGURES = (
    "received.total", "received.online", "received.direct_postal", "received.carried_over",
    "resolved.total", "resolved.early", "resolved.on_time", "resolved.late", "withdrawn",
    "in_progress.total", "in_progress.within_time", "in_progress.overdue",
    "online_full.count", "online_full.eligible", "online_full.received",
    "online_payment.fee_dossiers", "online_payment.paid_online",
)
VOTE_FIGURES = ("satisfaction.votes", "satisfaction.satisfied")


def _bounds(period: Period) -> tuple[str, str]:
    return f"{period.start.isoformat()} 00:00:00", period.end_moment.strftime("%Y-%m-%d %H:%M:%S")


def _candidates(db, figure: str, period: Period, units: list[str]) -> list[tuple]:
    """(id, facts, irregular, unit, received) rows that may count in `figure`, narrowed by SQL
    (the last two to read the facts, db.facts_codec)."""
    start, end = _bounds(period)
    where, params = [scope_in(counted_unit_sql())], [scope_param(units)]
    group = figure.split(".")[0]
    # the rows (db.dossier_rows): moments as seconds, the bounds made so, along the indexes
    received_in = "(received_at >= unixepoch(?) AND received_at < unixepoch(?))"
    # closed = a closed status with a finish (spec 5): "IFNULL" keeps one without it open
    carried = (f"(received_at < unixepoch(?) AND NOT (status IN ({CLOSED_IN}) "
               "AND IFNULL(finished_at < unixepoch(?), 0)))")
    if figure == "received.carried_over":
        where.append(carried)
        params += [start, start]
    elif figure == "received.total" or group == "in_progress":
        where.append(f"({received_in} OR {carried})")
        params += [start, end, start, start]
        if group == "in_progress":
            where.append(f"NOT (status IN ({CLOSED_IN}) AND IFNULL(finished_at < unixepoch(?), 0))")
            params.append(end)
    elif group in ("resolved", "withdrawn"):
        statuses = RESOLVED_SQL if group == "resolved" else "('withdrawn','stopped')"
        where.append(f"status IN {statuses} AND finished_at >= unixepoch(?) "
                     "AND finished_at < unixepoch(?)")
        params += [start, end]
    else:
        where.append(received_in)
        params += [start, end]
    if figure == "received.online":
        where.append("channel = 'online'")
    elif figure == "received.direct_postal":
        where.append("channel IN ('direct','postal')")
    elif figure in FLAG:
        where.append(f"json_extract(facts, '$.{FLAG[figure]}') = 1")
    sql = (f"SELECT id, facts, kpi_irregular, {facts_codec.origin_columns(rows=True)} "
           "FROM dossier_rows "
           f"WHERE {' AND '.join(where)} ORDER BY received_at, id")
    return db.execute(sql, params).fetchall()


def _counts_from_facts(figure: str, facts: dict, variant: str, period: Period) -> bool:
    """Whether a regular dossier counts in a classification figure, from its stored facts."""
    group, _, part = figure.partition(".")
    if group == "resolved":
        return part == "total" or facts["c"].get(variant) == part
    day = period.end.isoformat()
    overdue = any(lo <= day and (hi is None or day < hi) for lo, hi in facts["s"][variant])
    return part == "total" or (part == "overdue") == overdue


def dossiers_behind(db: sqlite_utils.Database, figure: str, date_from: dt.date,
                    date_to: dt.date, unit: str | None = None,
                    policy: dict | None = None, moment: dt.datetime | None = None) -> list[int]:
    """Ids of the dossiers counted in `figure` (e.g. 'in_progress.overdue'), by reception,
    with open dossiers classified at the moment of evaluation (spec 2.3), as the engine does.
    `moment`: the one of the figure clicked (its document's `as_of`), so that the list matches
    the number shown even when the clock has moved since; default the period end or now."""
    if figure not in DOSSIER_FIGURES:
        raise InputError(f"Không có chỉ số {figure!r}.")
    period = Period(date_from, date_to)
    moment = period.moment() if moment is None else min(moment, period.end_moment)
    chosen = resolve_policy(db, policy)
    variant = variant_key(chosen)
    units = [code for code, _ in scope_units(db, unit)]
    rows = _candidates(db, figure, period, units)
    if not figure.startswith(("resolved.", "in_progress.")):
        return [r[0] for r in rows]
    # While the period runs its open dossiers are classified now, which no stored span says.
    by_rules = figure.startswith("in_progress.") and not period.is_over(moment)
    ids, irregular = [], []
    for dossier_id, facts_json, is_irregular, *origin in rows:
        if is_irregular or by_rules:
            irregular.append(dossier_id)
        elif _counts_from_facts(figure, facts_codec.decode(facts_json, *origin), variant, period):
            ids.append(dossier_id)
    if irregular:
        ids += _evaluate(db, figure, irregular, period, chosen, moment)
    return ids


def _evaluate(db, figure: str, ids: list[int], period: Period, policy: dict,
              moment: dt.datetime) -> list[int]:
    cal = load_calendar(db)
    rules = Policy(policy["supplement"], policy["due_basis"])
    start = dt.datetime.combine(period.start, dt.time())
    chosen = {item.id for item in load_inputs(db, ids)
              if figure in dossier_figures(cal, item, rules, start, period.end_moment, moment)}
    return [i for i in ids if i in chosen]  # keep the order of reception


def votes_behind(db: sqlite_utils.Database, figure: str, date_from: dt.date, date_to: dt.date,
                 unit: str | None = None, as_of: dt.datetime | None = None) -> list[int]:
    """Ids of the votes counted in 'satisfaction.votes' or 'satisfaction.satisfied' (as
    recorded at `as_of` when given, --as-of)."""
    if figure not in VOTE_FIGURES:
        raise InputError(f"Không có chỉ số {figure!r}.")
    counted, params = counted_votes(date_from, date_to, as_of)
    units = [code for code, _ in scope_units(db, unit)]
    extra = " AND rating IN ('very_satisfied','satisfied')" if figure.endswith("satisfied") else ""
    return [r[0] for r in db.execute(
        f"SELECT id FROM vote_rows WHERE {scope_in('unit_code')} AND {counted}{extra} "
        "ORDER BY voted_at, id", [scope_param(units), *params])]
