"""The days a package's dossiers run across: what a difference of office hours or of a calendar
day is judged against (spec 2.1: a dossier is governed by the rules in force at its
received_at; a day can move its figures only between its reception and the latest instant its
rules looked at, its horizon — core.recompute.dossiers_touching_dates asks the same of the
dossiers held here).

A dossier of the package reaches from its reception day to its horizon's day (the facts' "hz",
else its due time); an open dossier, or one whose horizon cannot be read, runs on. What the
package says is not trusted: a value that is no date reads as running on (the question asked
is then answered "yes", as before the question was asked), and the records are checked when
merged, as always. Format 3 is asked by SQL on its rows part; format 2 (older packages, small)
is read once into a table in memory and asked the same SQL.
"""
from __future__ import annotations

import datetime as dt
import sqlite3

from core.moment import OPEN, open_sql
from db import stored_json
from db.facts_codec import horizon_sql
from db.moments import day_sql

# the horizon read by the one definition of an absent "hz" (db.facts_codec.horizon_sql, as
# core.recompute.dossiers_touching_dates reads it), of facts that are JSON (a package's are not
# trusted: `->>` of anything else is an SQL error)
_REACH_SQL = f"""SELECT code, {day_sql('received_at')} AS received,
  CASE WHEN {open_sql()} THEN NULL ELSE substr({horizon_sql(rows=True)}, 1, 10) END AS until
  FROM (SELECT code, received_at, status, calc_due_at,
               CASE WHEN json_valid(facts) THEN facts END AS facts FROM dossier_rows)"""
_MEMORY_SQL = "SELECT code, received, until FROM reach"
_DAY_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"


class Span:
    """The reach of one package's dossiers, asked when a difference is met (read once)."""

    def __init__(self, reader):
        self.reader = reader
        self._memory: sqlite3.Connection | None = None

    def _source(self) -> tuple[sqlite3.Connection, str]:
        if self.reader.rows:
            return self.reader.part, _REACH_SQL
        if self._memory is None:
            self._memory = sqlite3.connect(":memory:")
            self._memory.execute("CREATE TABLE reach(code, received TEXT, until TEXT)")
            self._memory.executemany("INSERT INTO reach VALUES (?, ?, ?)",
                                     (_reach(record) for _line, record
                                      in self.reader.lines("dossiers.jsonl")))
        return self._memory, _MEMORY_SQL

    def empty(self) -> bool:
        """Does the package carry no dossier at all (a catalogue sent on its own)?"""
        conn, sql = self._source()
        return conn.execute(f"SELECT 1 FROM ({sql}) LIMIT 1").fetchone() is None

    def across(self, day: dt.date) -> bool:
        """Does a dossier of the package run across `day` (received on or before it, its
        horizon on or after it, or still open)?"""
        conn, sql = self._source()
        text = day.isoformat()
        return conn.execute(f"SELECT 1 FROM ({sql}) WHERE received IS NULL OR (received <= ? "
                            f"AND (until IS NULL OR until NOT GLOB '{_DAY_GLOB}' OR until >= ?)) "
                            "LIMIT 1",
                            [text, text]).fetchone() is not None

    def received(self, start: dt.date, end: dt.date | None) -> tuple[int, str | None, str | None]:
        """The package's dossiers received in [start, end) (end None: on): how many, the first
        and the last day (YYYY-MM-DD)."""
        conn, sql = self._source()
        return conn.execute(f"SELECT COUNT(*), MIN(received), MAX(received) FROM ({sql}) "
                            "WHERE received >= ? AND (? IS NULL OR received < ?)",
                            [start.isoformat(), *[None if end is None else end.isoformat()] * 2]
                            ).fetchone()

    def codes(self, start: dt.date, end: dt.date | None) -> list[str]:
        """The codes of the package's dossiers received in [start, end) (as `received`)."""
        conn, sql = self._source()
        return [code for (code,) in conn.execute(
            f"SELECT code FROM ({sql}) WHERE received >= ? AND (? IS NULL OR received < ?) "
            "AND typeof(code) = 'text'",
            [start.isoformat(), *[None if end is None else end.isoformat()] * 2])]

    def close(self) -> None:
        if self._memory is not None:
            self._memory.close()
            self._memory = None


def _reach(record: dict) -> tuple[object, str | None, str | None]:
    """A format-2 record's (code, reception day, horizon day), each None when unreadable."""
    fields = record.get("fields")
    fields = fields if isinstance(fields, dict) else {}
    received = _day(fields.get("received_at"))
    code = record.get("code") if isinstance(record.get("code"), str) else None
    if fields.get("status") in OPEN:
        return code, received, None
    derived = record.get("derived")
    horizon = None
    if isinstance(derived, list) and len(derived) > 1:
        try:
            facts = stored_json.loads(derived[1]) if isinstance(derived[1], str) else None
        except ValueError:
            facts = None
        horizon = facts.get("hz") if isinstance(facts, dict) else None
        horizon = horizon or derived[0]
    return code, received, _day(horizon)


def _day(value) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None
