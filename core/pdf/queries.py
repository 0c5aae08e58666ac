"""The few database reads the documents need beyond the indicator engine's figures.

Overdue dossiers are evaluated exactly as spec 2.3/2.4 say (core.due) at the end of the period;
the SQL only narrows the candidates with indexed columns.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence

from core.calendar import WorkCalendar, load_calendar
from core.due import DAY_HOURS, HOUR, Limit, Policy, Wait, effective_due
from core.indicators import scope_units  # noqa: F401  (one definition of a unit's scope)
from core.timefmt import parse_db_time, to_db_time


def _marks(items: Sequence) -> str:
    return ",".join("?" * len(items))


@dataclass(frozen=True)
class OverdueRow:
    code: str
    procedure: str
    unit_code: str
    phone: str | None
    due: dt.datetime
    days_late: int


OVERDUE_SQL = """
SELECT d.id, d.code, d.unit_code, p.name, d.applicant_phone, d.received_at, d.calc_due_at,
       d.finished_at, d.extended_due_at, p.limit_value, p.limit_unit, p.same_day_cutoff
FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
WHERE d.received_at < :end
  AND (d.status IN ('received', 'processing', 'supplement') OR d.finished_at >= :end)
  AND (d.calc_due_at < :end OR d.extended_due_at < :end OR (:restart AND d.due_at IS NOT NULL))
  AND d.unit_code IN ({units})
"""


def _waits(db, ids: list[int]) -> dict[int, list[Wait]]:
    out: dict[int, list[Wait]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for dossier_id, requested, completed in db.execute(
                f"SELECT dossier_id, requested_at, completed_at FROM supplements "
                f"WHERE dossier_id IN ({_marks(chunk)})", chunk):
            out[dossier_id].append(Wait(parse_db_time(requested),
                                        parse_db_time(completed) if completed else None))
    return out


def working_days_late(cal: WorkCalendar, due: dt.datetime, moment: dt.datetime) -> int:
    """Whole working days (8 h each) between the due time and `moment`, at least 1."""
    seconds = cal.working_seconds(due, moment)
    day = DAY_HOURS * HOUR
    return max(1, -(-seconds // day))


def overdue_dossiers(db, units: Sequence[str], moment: dt.datetime,
                     policy: dict) -> list[OverdueRow]:
    """Dossiers open at `moment` whose effective due time (spec 2.3) is before it.

    Sorted with the longest overdue first. `policy` is the indicator document's policy.
    """
    if not units:
        return []
    # A calculated due only moves later under `pause`; `restart` may recompute an explicit
    # due earlier, so those dossiers stay candidates.
    params = {"end": to_db_time(moment), "restart": int(policy["supplement"] == "restart")}
    sql = OVERDUE_SQL.format(units=",".join(f":u{i}" for i in range(len(units))))
    params.update({f"u{i}": code for i, code in enumerate(units)})
    rows = db.execute(sql, params).fetchall()
    if not rows:
        return []
    cal = load_calendar(db)
    waits = _waits(db, [r[0] for r in rows])
    rule = Policy(policy["supplement"], policy["due_basis"])
    out = []
    for (dossier_id, code, unit, procedure, phone, received, due, finished, extended,
         limit_value, limit_unit, cutoff) in rows:
        effective = effective_due(
            cal, due=parse_db_time(due), limit=Limit(limit_value, limit_unit, cutoff),
            waits=waits[dossier_id], finished_at=parse_db_time(finished) if finished else None,
            extended_due_at=parse_db_time(extended) if extended else None, policy=rule,
            moment=moment)
        if effective is not None and moment > effective:
            out.append(OverdueRow(code, procedure, unit, phone, effective,
                                  working_days_late(cal, effective, moment)))
    out.sort(key=lambda r: (r.due, r.code))
    return out


def votes_by_rating(db, units: Sequence[str], start: dt.date,
                    end: dt.date) -> dict[str, dict[str, int]]:
    """{unit: {rating: votes}} for votes cast in [start, end] (dates inclusive)."""
    wanted = set(units)
    out: dict[str, dict[str, int]] = {u: {} for u in units}
    for unit, rating, count in db.execute(
            "SELECT unit_code, rating, COUNT(*) FROM votes WHERE voted_at >= ? AND voted_at < ? "
            "GROUP BY unit_code, rating",
            [start.isoformat(), (end + dt.timedelta(days=1)).isoformat()]):
        if unit in wanted:
            out[unit][rating] = count
    return out
