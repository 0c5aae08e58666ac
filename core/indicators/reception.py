"""The receiving desk's own workload (spec 5): dossiers received at a desk, by competent unit.

Since 01/07/2025 a citizen may hand a dossier in at any centre, branch or reception point of the
province; the figures count it at its competent unit only, and the desk that received it sees
here what it took in for whom. The register (sổ theo dõi) stays the receiving desk's list.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.indicators import history_names, scope_units
from core.moment import counted_unit_sql
from core.periods import Period
from core.timefmt import to_db_time


@dataclass(frozen=True)
class ReceptionRow:
    receiving_code: str
    receiving_name: str
    competent_code: str
    competent_name: str
    count: int

    @property
    def for_another_unit(self) -> bool:
        return self.receiving_code != self.competent_code


_SQL = f"""
SELECT d.unit_code, r.name, {counted_unit_sql("d.")} AS competent, c.name, COUNT(*)
FROM dossier_rows d JOIN units r ON r.code = d.unit_code
JOIN units c ON c.code = {counted_unit_sql("d.")}
WHERE d.received_at >= unixepoch(?) AND d.received_at < unixepoch(?)
GROUP BY d.unit_code, competent ORDER BY d.unit_code, competent
"""


def reception_workload(db, date_from: dt.date, date_to: dt.date, unit: str | None = None,
                       as_of: dt.datetime | None = None) -> list[ReceptionRow]:
    """Dossiers received in [date_from, date_to] (until `as_of` when given, spec 2.3) that a
    desk of the scope received or a unit of the scope resolves, per (receiving, competent)."""
    period = Period(date_from, date_to)
    end = min(period.end_moment, as_of) if as_of else period.end_moment
    scope = {code for code, _ in scope_units(db, unit)}
    rows = db.execute(_SQL, [f"{date_from.isoformat()} 00:00:00", to_db_time(end)])
    found = [row for row in rows if row[0] in scope or row[2] in scope]
    # a unit the period saw end or begin is named with its history, as in the indicators' rows
    named = history_names(db, {r[0] for r in found} | {r[2] for r in found}, period)
    return [ReceptionRow(receiving, named.get(receiving, receiving_name), competent,
                         named.get(competent, competent_name), count)
            for receiving, receiving_name, competent, competent_name, count in found]


def crosses_units(rows: list[ReceptionRow]) -> bool:
    """True when any dossier was received at one unit for another: only then is the table worth
    showing next to the indicators (an office that receives only its own dossiers has none)."""
    return any(row.for_another_unit for row in rows)
