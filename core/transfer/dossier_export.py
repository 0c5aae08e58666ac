"""Streaming the dossiers out (spec 7): one pass over dossiers and one over their waits, both in
id order and merged as they go, so a million dossiers never sit in memory.

`export dossiers FILE [--from DATE] [--to DATE] [--unit CODE]` writes only the dossiers
received in the period at or for the unit and the units below it (`Selection`): a commune
uploads her month to the provincial system, not the whole centre's history."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from core.unit_scope import scope_in, scope_param

SQL = """
SELECT id, code, unit_code, procedure_code, applicant_name, applicant_phone, applicant_address,
       channel, received_at, status, COALESCE(due_at, calc_due_at), finished_at, returned_at,
       extended_due_at, fee, e_result, competent_unit_code, applicant_id_no, applicant_email,
       representative, result_delivery, digitised, result_digitised
FROM dossiers {where} ORDER BY id
"""
WAITS_SQL = """
SELECT dossier_id, requested_at, completed_at FROM supplements
ORDER BY dossier_id, requested_at, COALESCE(completed_at, '9999')
"""


@dataclass(frozen=True)
class Selection:
    """The dossiers an export writes: received from `start` to `end` (days, inclusive; None:
    open), at or for a unit of `units` (the receiving or the resolving unit, as a unit's
    reconciliation lists them: core.reconcile.matching.in_scope; None: every unit)."""
    start: dt.date | None = None
    end: dt.date | None = None
    units: tuple[str, ...] | None = None
    unit: str | None = None  # the unit asked for (`units`: it and the units below it)

    def where(self) -> tuple[str, list]:
        """The SQL condition on the `dossiers` view and its parameters ('' when all)."""
        parts, params = [], []
        if self.start is not None:
            parts.append("received_at >= ?")
            params.append(f"{self.start.isoformat()} 00:00:00")
        if self.end is not None:
            parts.append("received_at < ?")
            params.append(f"{(self.end + dt.timedelta(days=1)).isoformat()} 00:00:00")
        if self.units is not None:
            parts.append(f"({scope_in('unit_code')} OR {scope_in('competent_unit_code')})")
            params += [scope_param(self.units)] * 2
        return ("WHERE " + " AND ".join(parts) if parts else ""), params


def selection(db, date_from: str | None, date_to: str | None, unit: str | None) -> Selection:
    """The options as typed, checked by the rules `kpi` uses: days by core.periods.parse_date
    (its words), in order; a unit known to the catalogue, with the units below it."""
    from core.periods import parse_date, require_order
    start = parse_date(date_from, "Ngày bắt đầu") if date_from else None
    end = parse_date(date_to, "Ngày kết thúc") if date_to else None
    if start is not None and end is not None:
        require_order(start, end)
    return period_selection(db, start, end, unit)


def period_selection(db, start: dt.date | None, end: dt.date | None,
                     unit: str | None) -> Selection:
    """The dossiers received from `start` to `end` at or for `unit` and the units below it
    (core.indicators.scope_units: an unknown unit is refused, naming it)."""
    from core.indicators import scope_units
    units = tuple(code for code, _ in scope_units(db, unit)) if unit else None
    return Selection(start, end, units, unit)


def dossier_count(db, chosen: Selection | None = None) -> int:
    where, params = (chosen or Selection()).where()
    return db.execute(f"SELECT COUNT(*) FROM dossiers {where}", params).fetchone()[0]


def _waits_by_dossier(db) -> Iterator[tuple[int, list[tuple[str, str | None]]]]:
    rows = db.conn.cursor().execute(WAITS_SQL)
    for dossier_id, group in groupby(rows, key=lambda r: r[0]):
        yield dossier_id, [(r[1], r[2]) for r in group]


def dossier_rows(db, chosen: Selection | None = None) -> Iterator[list]:
    waits = _waits_by_dossier(db)
    pending = next(waits, None)
    where, params = (chosen or Selection()).where()
    for row in db.conn.cursor().execute(SQL.format(where=where), params):
        dossier_id = row[0]
        while pending is not None and pending[0] < dossier_id:
            pending = next(waits, None)  # waits of a dossier that no longer exists
        mine: list = []
        if pending is not None and pending[0] == dossier_id:
            mine = pending[1]
            pending = next(waits, None)
        last = mine[-1] if mine else (None, None)
        (_, code, unit, procedure, name, phone, address, channel, received, status, due,
         finished, returned, extended, fee, e_result, competent) = row[:17]
        listed = "; ".join(f"{r}>{c or ''}" for r, c in mine) if mine else None
        yield [code, unit, procedure, name, phone, address, channel, received, status, due,
               finished, returned, last[0], last[1], extended, fee, e_result, competent, listed,
               *row[17:]]  # Mẫu 01's details and the 766 flags (Dossiers.extra_columns)
