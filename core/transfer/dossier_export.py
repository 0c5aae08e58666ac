"""Streaming the dossiers out (spec 7): one pass over dossiers and one over their waits, both in
id order and merged as they go, so a million dossiers never sit in memory."""
from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

SQL = """
SELECT id, code, unit_code, procedure_code, applicant_name, applicant_phone, applicant_address,
       channel, received_at, status, COALESCE(due_at, calc_due_at), finished_at, returned_at,
       extended_due_at, fee, e_result, competent_unit_code, applicant_id_no, applicant_email,
       representative, result_delivery, digitised, result_digitised
FROM dossiers ORDER BY id
"""
WAITS_SQL = """
SELECT dossier_id, requested_at, completed_at FROM supplements
ORDER BY dossier_id, requested_at, COALESCE(completed_at, '9999')
"""


def _waits_by_dossier(db) -> Iterator[tuple[int, list[tuple[str, str | None]]]]:
    rows = db.conn.cursor().execute(WAITS_SQL)
    for dossier_id, group in groupby(rows, key=lambda r: r[0]):
        yield dossier_id, [(r[1], r[2]) for r in group]


def dossier_rows(db) -> Iterator[list]:
    waits = _waits_by_dossier(db)
    pending = next(waits, None)
    for row in db.conn.cursor().execute(SQL):
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
