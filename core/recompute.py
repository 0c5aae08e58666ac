"""Keeping stored due times and figures right when the rules change.

A change of the calendar, the office hours or a procedure's limit moves due times; these
functions find the dossiers it touches, say how many (so the clerk is told before saving) and
recompute them in the same transaction as the change.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

import sqlite_utils

from core import facts

OPEN_SQL = "status IN ('received','processing','supplement')"


def dossiers_touching_dates(db: sqlite_utils.Database, dates: Iterable[dt.date]) -> list[int]:
    """Dossiers whose working-time computations span any of `dates`.

    Only days between a dossier's reception and the latest instant its rules looked at (its
    horizon, stored in its facts) can change its figures; open dossiers always count.
    """
    days = sorted(set(dates))
    if not days:
        return []
    first, last = days[0], days[-1]
    rows = db.execute(
        f"SELECT id FROM dossiers WHERE received_at < ? AND ({OPEN_SQL} "
        "OR json_extract(facts, '$.hz') >= ? OR facts IS NULL)",
        [f"{(last + dt.timedelta(days=1)).isoformat()} 00:00:00", first.isoformat()])
    return [r[0] for r in rows]


def dossiers_of_procedure(db: sqlite_utils.Database, code: str) -> list[int]:
    return [r[0] for r in db.execute("SELECT id FROM dossiers WHERE procedure_code = ?", [code])]


def all_dossiers(db: sqlite_utils.Database) -> list[int]:
    return [r[0] for r in db.execute("SELECT id FROM dossiers")]


def recompute(db: sqlite_utils.Database, ids: list[int]) -> int:
    """Recompute these dossiers (inside the caller's transaction when there is one)."""
    facts.refresh(db, ids)
    return len(ids)
