"""Behind every 766 figure (spec 5.1): the dossiers it counts, as core.indicators.drill does for
Biểu 06. Regular dossiers answer from their stored facts; irregular ones, and open ones while the
period runs, through the rules of core.scorecard766 — the same split as the engine's.

The 5.4 numerator (resolved minus late minus complained, floored at 0) is not a set of
dossiers: its parts are (`i766.satisfaction.late`, `i766.satisfaction.complained`, and the
denominator `resolved.total`).
"""
from __future__ import annotations

import datetime as dt
import json

import sqlite_utils

from core import scorecard766
from core.calendar import load_calendar
from core.errors import InputError
from core.facts import load_inputs
from core.indicators import scope_units
from core.indicators.drill import _bounds, _candidates, dossiers_behind
from core.moment import CLOSED_IN, RESOLVED, counted_unit_sql, sql_list
from core.periods import Period
from core.unit_scope import scope_in, scope_param
from db import facts_codec

PAUSE_ORIGINAL = {"supplement": "pause", "due_basis": "original"}
# figure -> (which dossiers: received | resolved, the facts flag that picks them)
FLAGGED = {
    "i766.online.num": ("received", "io"),
    "i766.digitised.num": ("received", "dg"),
    "i766.e_result.num": ("resolved", "er"),
    "i766.satisfaction.complained": ("resolved", "cp"),
}
FIGURES = (*FLAGGED, "i766.on_time.num", "i766.satisfaction.late")


def dossiers_behind_766(db: sqlite_utils.Database, figure: str, date_from: dt.date,
                        date_to: dt.date, unit: str | None = None,
                        moment: dt.datetime | None = None) -> list[int]:
    """Ids of the dossiers counted in a 766 figure, in order of reception. `moment`: the
    moment of evaluation of the figure shown (default the period end or now)."""
    if figure not in FIGURES:
        raise InputError(f"Không có chỉ số {figure!r}.")
    period = Period(date_from, date_to)
    moment = period.moment() if moment is None else min(moment, period.end_moment)
    if figure == "i766.satisfaction.late":  # 5.4 counts late as pause and original due say
        return dossiers_behind(db, "resolved.late", date_from, date_to, unit,
                               policy=PAUSE_ORIGINAL, moment=moment)
    units = [code for code, _ in scope_units(db, unit)]
    if figure in FLAGGED:
        return _flagged(db, figure, period, units)
    return _on_time(db, period, units, moment)


def _flagged(db, figure: str, period: Period, units: list[str]) -> list[int]:
    start, end = _bounds(period)
    which, flag = FLAGGED[figure]
    if which == "received":
        where = "received_at >= unixepoch(?) AND received_at < unixepoch(?)"
    else:
        where = (f"status IN ({sql_list(RESOLVED)}) AND finished_at >= unixepoch(?) "
                 "AND finished_at < unixepoch(?)")
    return [r[0] for r in db.execute(  # the rows: moments as seconds, along their indexes
        f"SELECT id FROM dossier_rows WHERE {scope_in(counted_unit_sql())} "
        f"AND {where} AND json_extract(facts, '$.{flag}') = 1 ORDER BY received_at, id",
        [scope_param(units), start, end])]


def _on_time(db, period: Period, units: list[str], moment: dt.datetime) -> list[int]:
    """Closed in the period and not late, plus open at the moment and not late (2.1)."""
    start, end = _bounds(period)
    closed = db.execute(
        f"SELECT id, facts, kpi_irregular, {facts_codec.origin_columns()} FROM dossiers "
        f"WHERE {scope_in(counted_unit_sql())} AND status IN ({CLOSED_IN}) AND id IN "
        "(SELECT id FROM dossier_rows WHERE finished_at >= unixepoch(?) AND finished_at < "
        "unixepoch(?)) ORDER BY received_at, id", [scope_param(units), start, end]).fetchall()
    ids, by_rules = [], []
    for dossier_id, facts_json, irregular, *origin in closed:
        if irregular:
            by_rules.append(dossier_id)
        elif facts_codec.decode(facts_json, *origin).get("k"):
            ids.append(dossier_id)
    # open ones: stored spans answer at a midnight; a running period asks the rules at now
    running = not period.is_over(moment)
    day = period.end.isoformat()
    for dossier_id, facts_json, irregular, *origin in _candidates(db, "in_progress.total", period,
                                                                   units):
        if irregular or running:
            by_rules.append(dossier_id)
            continue
        facts = facts_codec.decode(facts_json, *origin)
        spans = facts["ks"] if "ks" in facts else facts["s"]["po"]
        if not any(lo <= day and (hi is None or day < hi) for lo, hi in spans):
            ids.append(dossier_id)
    if by_rules:
        cal = load_calendar(db)
        begin = dt.datetime.combine(period.start, dt.time())
        for item in load_inputs(db, by_rules):
            found = scorecard766.figures(cal, item, begin, period.end_moment, moment)
            in_progress = "i766.ok" not in found and _open_at_end(item, period)
            if "i766.ok" in found or (in_progress and "i766.open_late" not in found):
                ids.append(item.id)
    order = {i: n for n, i in enumerate(r[0] for r in db.execute(
        "SELECT id FROM dossier_rows WHERE id IN (SELECT value FROM json_each(?)) "
        "ORDER BY received_at, id", [json.dumps(ids)]))}
    return sorted(set(ids), key=order.__getitem__)


def _open_at_end(item, period: Period) -> bool:
    """Counted in progress at the period end (received by then, not closed before it)."""
    closed = item.finished_at
    return item.received_at < period.end_moment and not (
        closed is not None and closed < period.end_moment) and not (
        closed is not None and closed < dt.datetime.combine(period.start, dt.time()))
