"""Writing the catalogue: units, procedures and the office calendar (the window's Danh mục).

Each save is one transaction; a change that moves due times recomputes the dossiers it touches
in that same transaction (core.recompute.apply_dated), so the stored figures always follow the
catalogue. The window asks first how many dossiers move (core.recompute), then calls these.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from core import official_calendar, recompute, rules, searchkey
from core.errors import FieldError
from db.connection import transaction

PROCEDURE_FIELDS = ("code", "name", "field", "limit_value", "limit_unit", "fee", "online_level",
                    "paper_result", "same_day_cutoff")
Progress = Callable[[int, int], bool] | None


def unit_ancestors(db, code: str) -> set[str]:
    rows = db.execute("WITH RECURSIVE up(code, parent) AS (SELECT code, parent_code FROM units "
                      "WHERE code = ? UNION SELECT u.code, u.parent_code FROM units u JOIN up "
                      "ON u.code = up.parent) SELECT code FROM up", [code]).fetchall()
    return {r[0] for r in rows}


def save_unit(db, code: str, name: str, level: str, parent_code: str | None) -> None:
    """Add or rename a unit; a unit may not sit under itself or under one of its own units."""
    code, name = code.strip(), name.strip()
    if not code:
        raise FieldError("code", "Cần nhập mã đơn vị.")
    if not name:
        raise FieldError("name", "Cần nhập tên đơn vị.")
    if parent_code == code or (parent_code and code in unit_ancestors(db, parent_code)):
        raise FieldError("parent_code", "Một đơn vị không thể trực thuộc chính nó hoặc đơn vị "
                         "cấp dưới của nó.")
    old = db.execute("SELECT name FROM units WHERE code = ?", [code]).fetchone()
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?) "
                     "ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
                     "level = excluded.level, parent_code = excluded.parent_code",
                     [code, name, level, parent_code])
        if old is not None and old[0] != name:
            searchkey.refresh_unit(conn, code)  # its dossiers are found by the unit's name


@dataclass
class ProcedureChange:
    """A procedure's save: `change(db)` writes it, `ids` are the dossiers it moves; `dated` when
    its rule changes from `valid_from` (spec 2.1: a past date is previewed first)."""
    change: Callable
    ids: list[int]
    dated: bool
    new: bool


def procedure_change(db, values: dict) -> ProcedureChange:
    code, day = values["code"], values["valid_from"]
    old = db.execute(f"SELECT {', '.join(PROCEDURE_FIELDS)} FROM procedures WHERE code = ?",
                     [code]).fetchone()
    if old is None:  # a new procedure: its rule applies from the beginning
        return ProcedureChange(lambda d: _insert_procedure(d, values), [], False, True)
    rule = rules.ProcedureRule.of(values)
    entries = rules.procedure_entries(db, code)
    dated = rules.replace_from(entries, day, rule) != entries
    # the fee is not dated: a new fee counts for every dossier that uses the procedure's fee
    fee_moves = dict(zip(PROCEDURE_FIELDS, old))["fee"] != values["fee"]
    ids = set(recompute.dossiers_received_from(db, day, code) if dated else [])
    ids |= set(recompute.dossiers_of_procedure(db, code) if fee_moves else [])

    def change(d) -> None:
        with transaction(d) as conn:
            conn.execute("UPDATE procedures SET name = ?, field = ?, fee = ? WHERE code = ?",
                         [values["name"], values["field"], values["fee"], code])
            if dated:
                rules.set_procedure_rule(d, code, rule, day)
    return ProcedureChange(change, sorted(ids), dated, False)


def _insert_procedure(db, values: dict) -> None:
    with transaction(db) as conn:
        conn.execute(f"INSERT INTO procedures({', '.join(PROCEDURE_FIELDS)}) VALUES "
                     f"({', '.join('?' * len(PROCEDURE_FIELDS))})",
                     [values[k] for k in PROCEDURE_FIELDS])


def save_procedure(db, values: dict, progress: Progress = None) -> int:
    """Save a procedure and recompute the dossiers it moves, in one transaction."""
    plan = procedure_change(db, values)
    return recompute.apply_dated(db, plan.change, plan.ids, progress)


def calendar_day_change(day: dt.date, kind: str | None, name: str | None = None) -> Callable:
    """`change(db)` setting `day` to `kind` (None: removing it from the office calendar)."""
    def change(db) -> None:
        with transaction(db) as conn:
            if kind is None:
                conn.execute("DELETE FROM calendar WHERE date = ?", [day.isoformat()])
            else:
                conn.execute("INSERT INTO calendar(date, kind, name) VALUES (?,?,?) ON "
                             "CONFLICT(date) DO UPDATE SET kind = excluded.kind, "
                             "name = excluded.name", [day.isoformat(), kind, name or None])
    return change


def calendar_changes(changes: list) -> Callable:
    """`change(db)` writing the official schedule's changes (core.official_calendar.Change)."""
    def change(db) -> None:
        with transaction(db) as conn:
            official_calendar.apply(conn, changes)
    return change


def set_calendar_day(db, day: dt.date, kind: str | None, name: str | None = None,
                     progress: Progress = None) -> int:
    """Set (or with kind None remove) a day of the calendar and recompute the dossiers whose
    working time spans it, in one transaction; returns how many were recomputed."""
    ids = recompute.dossiers_touching_dates(db, [day])
    return recompute.apply_dated(db, calendar_day_change(day, kind, name), ids, progress)
