"""The few database reads the documents need beyond the indicator engine's figures.

Overdue dossiers are evaluated exactly as spec 2.3/2.4 say (core.due) at the moment of
evaluation (the end of the period, or now while it runs);
the SQL only narrows the candidates with indexed columns.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from core.calendar import WorkCalendar, load_calendar
from core.due import Policy
from core.indicators import scope_units  # noqa: F401  (one definition of a unit's scope)
from core.indicators.asof import extended_later
from core.live_due import overdue_span
from core.moment import (
    OPEN_IN,
    counted_unit_sql,
    counted_votes,
    effective_stored,
    limit_of,
    load_waits,
    open_sql,
)
from core.rules import ProcedureHistory
from core.timefmt import parse_db_time, to_db_time
from core.unit_scope import scope_in, scope_param
from db.batches import rows_in
from db.moments import text_sql


@dataclass
class OverdueRow:
    code: str
    procedure: str
    unit_code: str
    phone: str | None
    due: dt.datetime
    late: str | None = None  # how long overdue, for the rows a document prints (add_late)
    received_at: dt.datetime | None = None  # its office hours count the time late (spec 2.1)


@dataclass
class OverdueResult:
    """Every overdue dossier found, as counts, and the `rows` a document prints in full."""
    per_unit: dict[str, int]
    rows: list[OverdueRow]

    @property
    def count(self) -> int:
        return sum(self.per_unit.values())


# Only what deciding "overdue" needs: a million-dossier office may have tens of thousands.
UNIT = counted_unit_sql("d.")  # a dossier counts at its competent unit (spec 5)
# The rows (db.dossier_rows): moments as seconds along the indexes, given back as text.
SELECT_SQL = f"""
SELECT d.id, {UNIT} AS unit_code, {text_sql("d.calc_due_at")}, {text_sql("d.finished_at")},
       {text_sql("d.extended_due_at")},
       EXISTS (SELECT 1 FROM supplements s WHERE s.dossier_id = d.id) AS has_waits
FROM dossier_rows d
"""
# A due time only moves later under `pause` and without an extension; `restart` may recompute
# an explicit due earlier, and `extended` uses the new date, so those stay candidates too.
MAY_BE_DUE = ("(d.calc_due_at < unixepoch(:end) OR d.extended_due_at < unixepoch(:end) "
              "OR (:restart AND d.due_at IS NOT NULL))")
# Open today: few rows, found through the (status, calc_due_at) index.
OPEN_NOW_SQL = SELECT_SQL + f"""
WHERE {open_sql("d.")} AND d.received_at < unixepoch(:end)
  AND {MAY_BE_DUE} AND {scope_in(UNIT, ":tree")}
"""
# Closed since the period end: searched by reception window, newest first.
CLOSED_LATER_SQL = SELECT_SQL + f"""
WHERE d.received_at >= unixepoch(:lo) AND d.received_at < unixepoch(:hi)
  AND d.finished_at >= unixepoch(:open_until)
  AND d.status NOT IN ({OPEN_IN})
  AND {MAY_BE_DUE} AND {scope_in(UNIT, ":tree")}
"""
DETAILS_SQL = f"""
SELECT d.id, d.code, {UNIT}, p.name, d.applicant_phone, d.received_at
FROM dossiers d JOIN procedures p ON p.code = d.procedure_code WHERE d.id IN ({{marks}})
"""
LIMITS_SQL = """
SELECT d.id, p.limit_value, p.limit_unit, p.same_day_cutoff, d.procedure_code, d.received_at
FROM dossiers d JOIN procedures p ON p.code = d.procedure_code WHERE d.id IN ({marks})
"""
WINDOW = dt.timedelta(days=31)
UNDER_A_MINUTE = "dưới 1 phút"  # overdue, but no working minute since its due time


def _by_ids(db, sql: str, ids: list[int]) -> dict[int, tuple]:
    return {row[0]: row[1:] for row in rows_in(db, sql, ids)}


def late_for(cal: WorkCalendar, due: dt.datetime, moment: dt.datetime,
             received_at: dt.datetime | None = None) -> str:
    """How long overdue at `moment`, the register's words (core.live_due.overdue_span), in
    the office hours in force at reception (spec 2.1) when `received_at` is given; "dưới 1
    phút" where the register says a bare "Quá hạn" (a table cell is never blank)."""
    if received_at is not None:
        cal = cal.governing(received_at)
    return overdue_span(cal, due, moment) or UNDER_A_MINUTE


def _norm(text: str) -> str:
    """Stored times compare as text once they all have seconds."""
    return text if len(text) == 19 else to_db_time(parse_db_time(text))


class _Evaluator:
    """Spec 2.3/2.4 at one moment for candidate rows; only dossiers with waits need core.due."""

    def __init__(self, db, moment: dt.datetime, policy: dict,
                 known: dt.datetime | None = None):
        self.db, self.moment, self.end = db, moment, to_db_time(moment)
        self.rule = Policy(policy["supplement"], policy["due_basis"])
        self.cal: WorkCalendar | None = None
        # an extension recorded after `known` (--as-of) was not there then (spec 2.3)
        self.unknown = set() if known is None else extended_later(db, known)

    def _with_waits(self, rows: list) -> dict[int, str | None]:
        ids = [r[0] for r in rows]
        waits, limits = load_waits(self.db, ids), _by_ids(self.db, LIMITS_SQL, ids)
        self.cal = self.cal or load_calendar(self.db)
        history = ProcedureHistory(self.db)
        out = {}
        for dossier_id, _, due, finished, extended, _ in rows:
            *current, code, received = limits[dossier_id]  # the rules of its reception (2.1)
            effective = effective_stored(
                self.cal, received_at=parse_db_time(received), due=parse_db_time(due),
                limit=limit_of(history, code, received, current),
                waits=waits[dossier_id],
                finished_at=parse_db_time(finished) if finished else None,
                extended_due_at=parse_db_time(extended) if extended else None, policy=self.rule,
                moment=self.moment)
            out[dossier_id] = None if effective is None else to_db_time(effective)
        return out

    def overdue(self, rows: list) -> list[tuple[str, int, str]]:
        """(effective due as text, id, unit) of the rows overdue at the moment."""
        rows = [(*r[:4], None, r[5]) if r[0] in self.unknown else r for r in rows]
        extended_basis = self.rule.due_basis == "extended"
        waited = self._with_waits([r for r in rows if r[5] and not (extended_basis and r[4])])
        out = []
        for dossier_id, unit, due, _, extended, has_waits in rows:
            effective: str | None
            if extended_basis and extended:
                effective = _norm(extended)
            elif has_waits:
                effective = waited[dossier_id]
            else:
                effective = _norm(due)  # no wait: pause and restart both keep the due time
            if effective is not None and effective < self.end:
                out.append((effective, dossier_id, unit))
        return out


def overdue_dossiers(db, units: Sequence[str], moment: dt.datetime, policy: dict,
                     expected: int | None = None, limit: int = 100,
                     open_until: dt.datetime | None = None,
                     known: dt.datetime | None = None) -> OverdueResult:
    """Dossiers open at `moment` whose effective due time (spec 2.3) is before it: counted per
    unit, and the `limit` longest overdue in full. `policy` is the indicator document's.
    `open_until` (default `moment`): a dossier closed before it is not open (the period end
    while the period runs: the engine's in_progress are those not closed by the end).
    `known` (--as-of): an extension recorded after it is ignored, as the engine ignores it.

    Those closed after `moment` are searched month by month backwards from it; when the engine's
    count `expected` is given the search stops once all are found (they are nearly always
    recent), otherwise it runs back to the first dossier.
    """
    if not units:
        return OverdueResult({}, [])
    params = {"end": to_db_time(moment), "restart": int(policy["supplement"] == "restart"),
              "open_until": to_db_time(open_until or moment)}
    params["tree"] = scope_param(units)
    evaluator = _Evaluator(db, moment, policy, known)
    found = evaluator.overdue(db.execute(OPEN_NOW_SQL, params).fetchall())
    first = db.execute(f"SELECT {text_sql('MIN(received_at)')} FROM dossier_rows").fetchone()[0]
    hi = moment
    while first and hi > parse_db_time(first) and (expected is None or len(found) < expected):
        lo = hi - WINDOW
        rows = db.execute(CLOSED_LATER_SQL,
                          {**params, "lo": to_db_time(lo), "hi": to_db_time(hi)}).fetchall()
        found += evaluator.overdue(rows)
        hi = lo
    per_unit: dict[str, int] = {}
    for _, _, unit in found:
        per_unit[unit] = per_unit.get(unit, 0) + 1
    shown = sorted(found)[:limit]
    details = _by_ids(db, DETAILS_SQL, [i for _, i, _ in shown])
    rows = [OverdueRow(details[i][0], details[i][2], details[i][1], details[i][3],
                       parse_db_time(due), received_at=parse_db_time(details[i][4]))
            for due, i, _ in shown]
    rows.sort(key=lambda r: (r.due, r.code))
    return OverdueResult(per_unit, rows)


def add_late(db, rows: Sequence[OverdueRow], moment: dt.datetime) -> None:
    """Fill `late` (working time past due, the register's words) of the rows a document
    prints."""
    if rows:
        cal = load_calendar(db)
        for row in rows:
            row.late = late_for(cal, row.due, moment, row.received_at)


def votes_by_rating(db, units: Sequence[str], start: dt.date, end: dt.date,
                    known: dt.datetime | None = None) -> dict[str, dict[str, int]]:
    """{unit: {rating: votes}} for votes cast in [start, end] (dates inclusive), the votes the
    engine counts in satisfaction.votes (spec 5: all that is recorded, also while the period
    runs); `known`: as recorded at that moment (--as-of, spec 2.3: a vote cast later unknown, a
    vote cancelled later still counted then). Cut at the moment of evaluation while the month
    ran, the ratings of the signed report added up to 15 under a total of 16 votes whenever a
    vote bore a time past the moment (another PC's clock, the tolerance of core.clock)."""
    wanted = set(units)
    out: dict[str, dict[str, int]] = {u: {} for u in units}
    counted, params = counted_votes(start, end, known)
    for unit, rating, count in db.execute(
            "SELECT unit_code, rating, COUNT(*) FROM vote_rows WHERE "
            f"{counted} GROUP BY unit_code, rating", params):
        if unit in wanted:
            out[unit][rating] = count
    return out
