"""The senders' records as they stood at a moment, and the packages older versions took.

A report "as of" a moment (spec 2.3) rests on the packages imported by then, not on today's:
every write of a sender's row is logged in setting_changes (area 'exchange', `at` the import's
moment, core.exchange.sources.note_package), so the row as it stood at a moment is the last
value logged at or before it (`stored_texts`).

Packages imported before the sources rows existed (round 27) left only their origin record
(core.actor_names.record_origin: sender, file name, import moment, the ids its rows got) —
neither the package's period nor its sender's unit. `older_imports` turns those of senders
without a sources row into rows that say so: what was imported and when is known, what its
data reaches is not (`Source.known` False), never guessed.
"""
from __future__ import annotations

import datetime as dt

from core.actor_names import ORIGIN_PREFIX
from core.timefmt import parse_db_time, to_db_time
from db import stored_json


def stored_texts(db, prefix: str, known: dt.datetime | None) -> list[tuple[str, str]]:
    """The settings rows under `prefix` (key, value; by key): as they are now (`known` None),
    or as they stood at `known` (keys written later left out)."""
    end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    if known is None:
        return db.execute("SELECT key, value FROM settings WHERE key >= ? AND key < ? "
                          "ORDER BY key", [prefix, end]).fetchall()
    stood: dict[str, str] = {}
    for key, value in db.execute(
            "SELECT key, new_value FROM setting_changes WHERE area = 'exchange' AND key >= ? "
            "AND key < ? AND at <= ? ORDER BY at, id", [prefix, end, to_db_time(known)]):
        stood[key] = value
    return [(key, stood[key]) for key in sorted(stood) if stood[key] is not None]


def _origins(db, known: dt.datetime | None) -> list[dict]:
    """The origin records readable and made by `known` (their own import moment `at`)."""
    out = []
    for _key, value in stored_texts(db, ORIGIN_PREFIX, None):
        try:
            said = stored_json.loads(value)
            at = parse_db_time(str(said.get("at")))
        except (ValueError, AttributeError):
            continue
        if at.tzinfo is None and (known is None or at <= known):
            out.append({**said, "at": at})
    return out


def _units(db, rows: dict) -> set[str]:
    """The units of the dossiers a package's rows belong to (what its origin record allows):
    its new dossiers' units, else those its new events concern (read at every report: the
    events of a large package are read only when it brought no dossier)."""
    found: set[str] = set()
    span = rows.get("dossier_rows")
    if isinstance(span, list) and len(span) == 2:
        found |= {u for (u,) in db.execute(
            "SELECT DISTINCT unit_code FROM dossiers WHERE id BETWEEN ? AND ?", span)}
    span = rows.get("event_rows")  # a package of changes only: the dossiers they concern
    if not found and isinstance(span, list) and len(span) == 2:
        found |= {u for (u,) in db.execute(
            "SELECT DISTINCT d.unit_code FROM event_rows e JOIN dossiers d ON d.id = e.dossier_id "
            "WHERE e.id BETWEEN ? AND ?", span)}
    return found


def older_imports(db, known: dt.datetime | None, noted: set[str]) -> list[dict]:
    """Per sender without a sources row (`noted`: those with one, even unreadable), what its origin records
    say: {installation, package (the last), at (its import), count, units}; by import moment."""
    senders: dict[str, dict] = {}
    for said in _origins(db, known):
        installation = str(said.get("installation") or "")
        if installation[:64] in noted:  # a sources row keeps 64 characters of an id
            continue
        row = senders.setdefault(installation, {"installation": installation, "count": 0,
                                                "units": set(), "at": said["at"], "package": ""})
        row["count"] += 1
        rows = said.get("rows")
        row["units"] |= _units(db, rows) if isinstance(rows, dict) else set()
        if said["at"] >= row["at"]:
            row["at"], row["package"] = said["at"], str(said.get("package") or "")
    return sorted(senders.values(), key=lambda row: (row["at"], row["installation"]))
