"""The figures as the program would have shown them at a past moment (`--as-of`, spec 2.3).

What was recorded after the moment is unknown: receptions, finishes (a dossier finished later
is still open), electronic results (only for dossiers finished before it), online payments,
votes, the extension and supplement waits. Each dossier is turned into what was recorded at
the moment and evaluated by the reference rules (core.indicators.evaluate): slower than the
daily sums, exact whatever happened afterwards.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from core import scorecard766
from core.calendar import load_calendar
from core.due import Policy, Wait
from core.facts import DossierInput, load_inputs
from core.indicators.evaluate import dossier_figures
from core.indicators.i766 import COUNT_KEYS as COUNT_KEYS_766
from core.moment import CLOSED_IN, LIVE_THEN, complained_ids, counted_votes
from core.periods import Period
from core.timefmt import to_db_time
from db.batches import in_chunks

# figure of core.indicators.evaluate -> key of the raw counts of core.indicators
COUNT_KEYS = {
    "received.online": "online", "received.direct_postal": "direct_postal",
    "received.carried_over": "carried_over", "resolved.early": "early",
    "resolved.on_time": "on_time", "resolved.late": "late", "withdrawn": "withdrawn",
    "in_progress.overdue": "overdue", "online_full.count": "of_count",
    "online_full.eligible": "of_eligible", "online_payment.fee_dossiers": "fee_dossiers",
    "online_payment.paid_online": "paid_online",
}


def as_recorded(item: DossierInput, as_of: dt.datetime, paid_before: bool,
                extended_later: bool, complained_before: bool = False) -> DossierInput:
    """The dossier as the database held it at `as_of` (it was received before); complaints
    and dissatisfied votes recorded later are unknown."""
    if item.finished_at is not None and item.finished_at >= as_of:
        item.finished_at, item.status = None, "processing"
    if item.finished_at is None:
        item.e_result = 0  # an electronic result exists only once the dossier is finished
    item.waits = [Wait(w.requested_at, w.completed_at if w.completed_at is not None
                       and w.completed_at < as_of else None)
                  for w in item.waits if w.requested_at < as_of]
    item.paid_online = paid_before
    if extended_later:
        item.extended_due_at = None
    item.complained = complained_before
    return item


def _ids(db, sql: str, params: list) -> set[int]:
    return {r[0] for r in db.execute(sql, params)}


def extended_later(db, as_of: dt.datetime) -> set[int]:
    """The dossiers whose extension was recorded at or after `as_of`: unknown at that moment,
    so their due time is the one before it (spec 2.3). An extended due time imported without
    its letter counts as known. The one rule of the figures and the overdue list alike."""
    return _ids(db, "SELECT dossier_id FROM extensions WHERE extended_at >= ?",
                [to_db_time(as_of)])


def dossiers_in_play(db, start: dt.datetime, until: dt.datetime) -> list[int]:
    """The dossiers a period [start, until) may count: received before `until` and not closed
    before `start`."""
    return [r[0] for r in db.execute(
        f"SELECT id FROM dossier_rows WHERE received_at < unixepoch(?) AND NOT (status IN "
        f"({CLOSED_IN}) AND IFNULL(finished_at < unixepoch(?), 0))",  # the rows: seconds
        [to_db_time(until), to_db_time(start)])]


def recorded_counts(db, period: Period, as_of: dt.datetime, policy: dict,
                    scope: set[str]) -> dict[str, Counter]:
    """Raw counts per unit (the keys of core.indicators) as known at `as_of`."""
    start = dt.datetime.combine(period.start, dt.time())
    end = period.end_moment
    moment = min(end, as_of)
    known = to_db_time(as_of)
    ids = dossiers_in_play(db, start, moment)
    # the rows: seconds (db.entry_rows); an entry cancelled by then no longer counted, one
    # cancelled later still did (LIVE_THEN)
    paid = _ids(db, "SELECT DISTINCT dossier_id FROM payment_rows WHERE method = 'online' "
                    f"AND paid_at < unixepoch(?) AND {LIVE_THEN}", [known, known])
    later = extended_later(db, as_of)
    complained: set[int] = set()
    for chunk in in_chunks(ids):
        complained |= complained_ids(db, chunk, known)
    cal = load_calendar(db)
    rules = Policy(policy["supplement"], policy["due_basis"])
    counts: dict[str, Counter] = {}
    for item in load_inputs(db, ids):
        if item.unit_code not in scope:
            continue
        item = as_recorded(item, as_of, item.id in paid, item.id in later,
                           item.id in complained)
        unit = counts.setdefault(item.unit_code, Counter())
        for figure in dossier_figures(cal, item, rules, start, end, moment):
            if figure in COUNT_KEYS:
                unit[COUNT_KEYS[figure]] += 1
        for figure in scorecard766.figures(cal, item, start, end, moment):
            unit[COUNT_KEYS_766[figure]] += 1
    _add_votes(db, counts, period, scope, as_of)
    return counts


def _add_votes(db, counts: dict[str, Counter], period: Period, scope: set[str],
               as_of: dt.datetime) -> None:
    counted, params = counted_votes(period.start, period.end, as_of)
    for unit, votes, satisfied in db.execute(
            "SELECT unit_code, COUNT(*), SUM(rating IN ('very_satisfied','satisfied')) "
            f"FROM vote_rows WHERE {counted} GROUP BY unit_code", params):
        if unit in scope:
            counts.setdefault(unit, Counter()).update(votes=votes, satisfied=satisfied)
