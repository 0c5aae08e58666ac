"""The register of a period as a readable workbook (`export register`): every dossier received
in [start, end] at a unit and the units below it, in the order of reception, with the register
screen's columns (core.workbook.lists.REGISTER) evaluated now."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.errors import InputError
from core.register import RegisterFilter, RegisterQuery
from core.workbook import lists
from core.workbook.lists import Progress

TITLE = "DANH SÁCH HỒ SƠ TIẾP NHẬN"


def register_ids(db, query: RegisterQuery, start: dt.date, end: dt.date,
                 unit: str | None = None) -> list[int]:
    """The dossiers received in [start, end] (whole days), oldest first."""
    from core.unit_scope import subtree_codes

    units = subtree_codes(db, unit) if unit else []
    clauses, params = query.where(RegisterFilter(units=units, date_from=start, date_to=end))
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    sql = f"SELECT d.id FROM dossier_rows d{where} ORDER BY d.received_at, d.id"  # query.where
    return [r[0] for r in db.execute(sql, params)]


def write_register(db, path: str | Path, start: dt.date, end: dt.date, unit: str | None = None,
                   progress: Progress | None = None, now=None) -> int:
    """Write the register workbook; returns the number of dossiers written."""
    if start > end:
        raise InputError(f"Ngày bắt đầu {start:%d/%m/%Y} sau ngày kết thúc {end:%d/%m/%Y}.")
    if unit and db.execute("SELECT 1 FROM units WHERE code = ?", [unit]).fetchone() is None:
        raise InputError(f"Không có đơn vị mã {unit!r} trong danh mục.")
    query = RegisterQuery(db, now)
    ids = register_ids(db, query, start, end, unit)
    return lists.export_list(db, lists.REGISTER, ids, path, lists.scope(db, unit, start, end),
                             moment=query.moment, progress=progress, title=TITLE)
