"""Keeping stored due times and figures right when the rules change.

A change of the calendar, the office hours or a procedure's limit moves due times; these
functions find the dossiers it touches, say how many (so the clerk is told before saving) and
recompute them in the same transaction as the change. Office hours and procedure rules are
dated (spec 2.1): a change from a date touches only the dossiers received from that date on,
and `impact` says beforehand what a change from a past date would change.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlite_utils

from core import facts, labels
from core.calendar import load_calendar
from core.moment import open_sql
from core.timefmt import vn_date, vn_number
from db import facts_codec, settings
from db.batches import rows_in
from db.connection import transaction

OPEN_SQL = open_sql()


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
        f"SELECT id FROM dossier_rows WHERE received_at < unixepoch(?) AND ({OPEN_SQL} "
        f"OR {facts_codec.horizon_sql(rows=True)} >= ? OR facts IS NULL)",
        [f"{(last + dt.timedelta(days=1)).isoformat()} 00:00:00", first.isoformat()])
    return [r[0] for r in rows]


def dossiers_of_procedure(db: sqlite_utils.Database, code: str) -> list[int]:
    return [r[0] for r in db.execute("SELECT id FROM dossiers WHERE procedure_code = ?", [code])]


def recompute(db: sqlite_utils.Database, ids: list[int]) -> int:
    """Recompute these dossiers (inside the caller's transaction when there is one)."""
    facts.refresh(db, ids)
    return len(ids)


def _received_from(day: dt.date, procedure_code: str | None) -> tuple[str, list]:
    sql, params = ("FROM dossier_rows WHERE received_at >= unixepoch(?)",
                   [f"{day.isoformat()} 00:00:00"])
    if procedure_code is not None:
        sql, params = sql + " AND procedure_code = ?", params + [procedure_code]
    return sql, params


def dossiers_received_from(db: sqlite_utils.Database, day: dt.date,
                           procedure_code: str | None = None) -> list[int]:
    """Dossiers received on or after `day` (of one procedure): those a dated change governs."""
    sql, params = _received_from(day, procedure_code)
    return [r[0] for r in db.execute(f"SELECT id {sql} ORDER BY id", params)]


def count_received_from(db: sqlite_utils.Database, day: dt.date) -> int:
    """How many `dossiers_received_from` gives (one count on the index, not 200,000 ids)."""
    sql, params = _received_from(day, None)
    return db.execute(f"SELECT COUNT(*) {sql}", params).fetchone()[0]


CLASS_VI = {key: word.lower() for key, word in labels.CLASS_VI.items()}  # inside a sentence


@dataclass
class Impact:
    """What a change would do to the dossiers it governs, under the counting policy in force."""

    valid_from: dt.date
    dossiers: int = 0
    due_moved: int = 0
    open_dossiers: int = 0
    moves: Counter = field(default_factory=Counter)  # (old class, new class) -> finished dossiers

    def lines(self) -> list[str]:
        """The impact in Vietnamese, for the confirmation before a retroactive change."""
        out = [f"Áp dụng từ ngày {vn_date(self.valid_from)}: {vn_number(self.dossiers)} hồ sơ "
               f"tiếp nhận từ ngày đó được tính lại ({vn_number(self.open_dossiers)} hồ sơ đang "
               f"giải quyết), {vn_number(self.due_moved)} hồ sơ đổi hạn trả kết quả."]
        changed = sum(self.moves.values())
        if changed:
            parts = [f"{vn_number(n)} {CLASS_VI[a]} → {CLASS_VI[b]}"
                     for (a, b), n in sorted(self.moves.items(), key=lambda kv: -kv[1])]
            out.append(f"{vn_number(changed)} hồ sơ đã giải quyết đổi kết quả: " + ", ".join(parts)
                       + ".")
        else:
            out.append("Không hồ sơ đã giải quyết nào đổi kết quả đúng hạn/quá hạn.")
        return out


class _Preview(Exception):
    """Raised to roll back a change that was applied only to see its effect."""


def impact(db: sqlite_utils.Database, change: Callable, ids: list[int], valid_from: dt.date,
           progress: Callable[[int, int], bool] | None = None) -> Impact:
    """Apply `change(db)` in a transaction that is always rolled back, and compare the facts.

    `progress(done, total)` may return False to stop (InterruptedError); nothing is kept anyway.
    """
    policy = settings.policy(db)
    variant = policy["supplement"][0] + policy["due_basis"][0]  # po, pe, ro, re (core.facts)
    result = Impact(valid_from, dossiers=len(ids))
    old_due = dict(_due_of(db, ids))
    try:
        with transaction(db):
            change(db)
            cal = load_calendar(db)
            for start in range(0, len(ids), 2000):
                for item in facts.load_inputs(db, ids[start:start + 2000]):
                    _count(result, item, *facts.compute(cal, item, whole=False),
                           old_due.get(item.id), variant)
                if progress and progress(min(start + 2000, len(ids)), len(ids)) is False:
                    raise InterruptedError("preview cancelled")
            raise _Preview()
    except _Preview:
        pass
    return result


def _due_of(db, ids: list[int]):
    return rows_in(db, "SELECT id, calc_due_at FROM dossiers WHERE id IN ({marks})", ids)


def _count(result: Impact, item, due: str, new: dict, old_due: str | None, variant: str) -> None:
    old = facts_codec.decode(item.old_facts, item.unit_code, item.received_at, item.old_due,
                             item.finished_text) if item.old_facts else {}
    result.due_moved += due != old_due
    result.open_dossiers += new["st"] == "o"
    before, after = old.get("c", {}).get(variant), new.get("c", {}).get(variant)
    if before and after and before != after:
        result.moves[(before, after)] += 1


def apply_dated(db: sqlite_utils.Database, change: Callable, ids: list[int],
                progress: Callable[[int, int], bool] | None = None) -> int:
    """Save a change and recompute the dossiers it governs, in one transaction.

    `progress(done, total)` returning False stops with InterruptedError: the change is rolled
    back with the recomputation, so figures never disagree with the rules.
    """
    with transaction(db):
        change(db)
        for start in range(0, len(ids), 2000):
            facts.refresh(db, ids[start:start + 2000])
            if progress and progress(min(start + 2000, len(ids)), len(ids)) is False:
                raise InterruptedError("recomputation cancelled")
    return len(ids)
