"""Dated rules (spec 2.1): office hours and a procedure's limit and online level, each in force
from a date.

A dossier is governed by the rules in force on the day of its reception, so a change made from a
date leaves every dossier received before that date exactly as it was. Every rule is a list of
(valid_from, value) entries, the first one from BEGINNING; `replace_from` is the one way to change
it.

Storage. Office hours: the setting `office_hours_dated` (a list of {"valid_from", "hours"});
a database that never had a dated change keeps its hours in `office_hours`, from the beginning.
Procedures: the `procedures` row holds the latest rule; `procedure_rules` keeps the earlier ones,
each with the day it started (`valid_from`) and the day the next one took over (`valid_until`),
so that every reader of `procedures` (forms, import, export) sees the rule as it stands.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.accounts import require
from db import settings
from db.connection import transaction

BEGINNING = dt.date(1, 1, 1)
RULE_FIELDS = ("limit_value", "limit_unit", "same_day_cutoff", "online_level", "paper_result")

Entries = list[tuple[dt.date, Any]]


def replace_from(entries: Entries, day: dt.date, value: Any) -> Entries:
    """The rule with `value` in force from `day` on; what was in force before `day` stays.

    A value equal to the one already in force the day before adds nothing (no empty history).
    """
    kept = [(start, old) for start, old in entries if start < day]
    if kept and kept[-1][1] == value:
        return kept
    return kept + [(day, value)]


def in_force(entries: Entries, day: dt.date) -> Any:
    """The value of the entry in force on `day` (entries sorted, the first from BEGINNING)."""
    i = bisect.bisect_right([start for start, _ in entries], day) - 1
    return entries[max(i, 0)][1]


def vn_from(day: dt.date) -> str:
    return "từ đầu" if day <= BEGINNING else f"từ {day:%d/%m/%Y}"


# ----- office hours ---------------------------------------------------------------------------
def office_hours_entries(db) -> Entries:
    dated = settings.get(db, "office_hours_dated")
    if not dated:
        return [(BEGINNING, settings.get(db, "office_hours"))]
    return [(dt.date.fromisoformat(e["valid_from"]), e["hours"]) for e in dated]


def set_office_hours(db, hours: list[list[str]], valid_from: dt.date) -> Entries:
    """Office hours `hours` from `valid_from` on (joins the caller's transaction)."""
    require("settings.edit")
    from core.calendar import parse_sessions
    parse_sessions(hours)  # refuses disordered or overlapping sessions before anything is kept
    entries = replace_from(office_hours_entries(db), valid_from, hours)
    with transaction(db):
        settings.put(db, "office_hours_dated",
                     [{"valid_from": start.isoformat(), "hours": h} for start, h in entries])
        # the plain setting keeps the latest hours for any reader that knows no dates
        settings.put(db, "office_hours", entries[-1][1])
    return entries


# ----- procedures -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ProcedureRule:
    limit_value: float
    limit_unit: str
    same_day_cutoff: str | None
    online_level: str
    paper_result: int

    @classmethod
    def of(cls, values: dict | Sequence) -> ProcedureRule:
        if isinstance(values, dict):
            return cls(*(values[k] for k in RULE_FIELDS))
        return cls(*values)

    def limit(self):
        from core.due import Limit
        return Limit(self.limit_value, self.limit_unit, self.same_day_cutoff)


def procedure_entries(db, code: str) -> Entries:
    """Every rule of procedure `code` with the day it starts; [] for an unknown procedure."""
    current = db.execute(f"SELECT {', '.join(RULE_FIELDS)} FROM procedures WHERE code = ?",
                         [code]).fetchone()
    if current is None:
        return []
    rows = db.execute(f"SELECT valid_from, valid_until, {', '.join(RULE_FIELDS)} "
                      "FROM procedure_rules WHERE procedure_code = ? ORDER BY valid_from",
                      [code]).fetchall()
    entries = [(dt.date.fromisoformat(r[0]), ProcedureRule.of(r[2:])) for r in rows]
    current_from = dt.date.fromisoformat(rows[-1][1]) if rows else BEGINNING
    return entries + [(current_from, ProcedureRule.of(current))]


def set_procedure_rule(db, code: str, rule: ProcedureRule, valid_from: dt.date) -> Entries:
    """Procedure `code` (already in the catalogue) follows `rule` from `valid_from` on."""
    entries = replace_from(procedure_entries(db, code), valid_from, rule)
    with transaction(db) as conn:
        conn.execute("DELETE FROM procedure_rules WHERE procedure_code = ?", [code])
        conn.executemany(
            f"INSERT INTO procedure_rules(procedure_code, valid_from, valid_until, "
            f"{', '.join(RULE_FIELDS)}) VALUES (?, ?, ?, {', '.join('?' * len(RULE_FIELDS))})",
            [(code, start.isoformat(), following[0].isoformat(), *vars(old).values())
             for (start, old), following in zip(entries, entries[1:], strict=False)])
        conn.execute(f"UPDATE procedures SET {', '.join(f'{k} = ?' for k in RULE_FIELDS)} "
                     "WHERE code = ?", [*vars(entries[-1][1]).values(), code])
    return entries


class ProcedureHistory:
    """The earlier rules of every procedure, loaded once for a batch of dossiers.

    `at(code, day)` is None when the `procedures` row is the rule in force on `day`, which is
    the case of every procedure never changed from a date: the fast path costs a dict lookup.
    """

    def __init__(self, db):
        self._by_code: dict[str, tuple[list[str], list[ProcedureRule]]] = {}
        for code, until, *values in db.execute(
                f"SELECT procedure_code, valid_until, {', '.join(RULE_FIELDS)} "
                "FROM procedure_rules ORDER BY procedure_code, valid_from"):
            untils, rules = self._by_code.setdefault(code, ([], []))
            untils.append(until)
            rules.append(ProcedureRule.of(values))

    def at(self, code: str, day: str) -> ProcedureRule | None:
        """The earlier rule of `code` in force on `day` (YYYY-MM-DD), None for the latest."""
        found = self._by_code.get(code)
        if found is None or day >= found[0][-1]:
            return None
        untils, rules = found
        return rules[bisect.bisect_right(untils, day)]


    def limit(self, code: str, received_at: str, current: Sequence):
        """The Limit governing a dossier of `code` received at `received_at` (stored text);
        `current` is (limit_value, limit_unit, same_day_cutoff) of the procedures row."""
        from core.due import Limit
        rule = self.at(code, received_at[:10])
        return rule.limit() if rule is not None else Limit(*current)


def procedure_rule_at(db, code: str, received_at: dt.datetime) -> ProcedureRule | None:
    """The rule of procedure `code` that governs a dossier received at `received_at`."""
    entries = procedure_entries(db, code)
    return in_force(entries, received_at.date()) if entries else None
