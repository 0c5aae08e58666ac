"""The demo's reference data: units, procedures, calendar overrides, people, read from resources/demo.

Everything the generator knows about Văn Quan before and after the 1/7/2025 merger (which
units exist when, which unit resolves what another received, how each one performs, which
procedures exist and how long they take) is data in JSON files, not code, so the demo can be
adjusted without touching the generator.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from functools import lru_cache

from core import installation, official_calendar
from core.components import Component, check_components, write_procedure_components
from core.due import Limit
from core.paths import resource_path
from db import settings


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: str
    parent_code: str | None
    weight: float = 0.0          # share of dossiers (0: the unit receives none)
    on_time: float = 1.0         # share of resolved dossiers finished by the due time
    online_payment: float = 0.0  # share of fee-bearing dossiers paid online
    satisfaction: float = 1.0    # share of votes rated satisfied or very satisfied
    online_uptake: float = 1.0   # multiplier on the chance of an online submission
    valid_from: str | None = None  # the two-tier units begin on 2025-07-01 (merger day)
    valid_to: str | None = None    # the old district and communes end on 2025-06-30 (two in 2024)
    successor_code: str | None = None
    desk: str = ""               # procedures received: district | commune | all ("": by level)
    refer: float = 0.0           # share of its dossiers resolved by another (competent) unit
    place: str = ""              # the commune its applicants live in, when the name is no commune
    login: str = ""              # the tail of its demo clerks' logins (core.demo.accounts)

    def valid_on(self, day) -> bool:
        """The unit exists on `day` (a date); ISO text compares in date order."""
        text = day.isoformat()
        return (self.valid_from or text) <= text <= (self.valid_to or text)


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field: str
    level: str                   # commune | district: the units that receive it
    limit: Limit
    fee: int
    fee_per_page: bool
    online_level: str
    paper_result: int
    weight: float
    supplement: float            # chance that the dossier waits for a supplement
    # dataclasses.field: the name `field` is a column of this class
    season: dict[int, float] = dataclasses.field(default_factory=dict)

    def db_row(self) -> tuple:
        return (self.code, self.name, self.field, self.limit.value, self.limit.unit, self.fee,
                self.online_level, self.paper_result, self.limit.cutoff)


@dataclass(frozen=True)
class Catalogue:
    units: tuple[Unit, ...]
    procedures: tuple[Procedure, ...]
    overrides: tuple[tuple[str, str, str], ...]
    season: dict
    people: dict
    report_header: dict
    office_unit: str | None = None  # the desk the report header describes (the branch)

    def receiving_units(self) -> list[Unit]:
        """Units that receive dossiers, in a fixed order (the order of units.json)."""
        return [u for u in self.units if u.weight > 0]


def _read(name: str) -> dict:
    with open(resource_path("demo", name), encoding="utf-8") as handle:
        return json.load(handle)


def _unit(raw: dict) -> Unit:
    known = {k: raw[k] for k in Unit.__dataclass_fields__ if k in raw}
    return Unit(**known)


def _procedure(raw: dict) -> Procedure:
    limit = Limit(float(raw["limit_value"]), raw["limit_unit"], raw.get("same_day_cutoff"))
    return Procedure(
        code=raw["code"], name=raw["name"], field=raw["field"], level=raw["level"], limit=limit,
        fee=int(raw["fee"]), fee_per_page=bool(raw.get("fee_per_page")),
        online_level=raw["online_level"], paper_result=int(raw["paper_result"]),
        weight=float(raw["weight"]), supplement=float(raw.get("supplement", 0.0)),
        season={int(m): float(f) for m, f in raw.get("season", {}).items()})


@lru_cache(maxsize=1)
def load() -> Catalogue:
    """The demo catalogue from resources/demo (read once per process)."""
    units = _read("units.json")
    calendar = _read("calendar.json")
    return Catalogue(
        units=tuple(_unit(u) for u in units["units"]),
        procedures=tuple(_procedure(p) for p in _read("catalogue.json")["procedures"]),
        overrides=tuple((o["date"], o["kind"], o["name"]) for o in calendar["overrides"]),
        season=calendar["season"],
        people=_read("people.json"),
        report_header=units["report_header"], office_unit=units.get("office_unit"))


def write_reference(db, conn, catalogue: Catalogue) -> None:
    """Units, procedures, calendar overrides and the report header (inside the caller's transaction).

    Existing rows with the same codes are updated; the office's own calendar rows win over ours.
    """
    conn.executemany(
        "INSERT INTO units(code, name, level, parent_code, valid_from, valid_to) "
        "VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(code) DO UPDATE SET name = excluded.name, level = excluded.level, "
        "parent_code = excluded.parent_code, valid_from = excluded.valid_from, "
        "valid_to = excluded.valid_to",
        [(u.code, u.name, u.level, u.parent_code, u.valid_from, u.valid_to)
         for u in catalogue.units])
    # a second pass: a successor may be listed after the unit it took over (foreign key)
    conn.executemany("UPDATE units SET successor_code = ? WHERE code = ?",
                     [(u.successor_code, u.code) for u in catalogue.units if u.successor_code])
    conn.executemany(
        "INSERT INTO procedures(code, name, field, limit_value, limit_unit, fee, online_level, "
        "paper_result, same_day_cutoff) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(code) DO UPDATE SET name = excluded.name, field = excluded.field, "
        "limit_value = excluded.limit_value, limit_unit = excluded.limit_unit, fee = excluded.fee, "
        "online_level = excluded.online_level, paper_result = excluded.paper_result, "
        "same_day_cutoff = excluded.same_day_cutoff",
        [p.db_row() for p in catalogue.procedures])
    write_components(conn, {p.code for p in catalogue.procedures})
    conn.executemany("INSERT OR IGNORE INTO calendar(date, kind, name) VALUES (?, ?, ?)",
                     list(catalogue.overrides))
    official_calendar.apply(conn, official_calendar.pending_changes(db))  # a file made empty earlier
    settings.put(db, "report_header", catalogue.report_header)
    settings.put(db, "demo_data", True)  # core.office_setup.DEMO_KEY: the window says so
    if not installation.slot_confirmed(db):  # the demo is one PC alone: it issues its codes
        settings.put(db, installation.SLOT_KEY, {"slot": 1, "of": 1})
    # whose desk the header describes: another desk's slips name that desk (core.pdf.slips)
    settings.put(db, "office_setup", {"unit_code": catalogue.office_unit, "date": None})


@lru_cache(maxsize=1)
def components() -> dict[str, list[Component]]:
    """Each demo procedure's documents (resources/demo/components.json)."""
    raw = _read("components.json")["components"]
    return {code: [Component(name, form, count, bool(required))
                   for name, form, count, required in lines] for code, lines in raw.items()}


def write_components(conn, codes: set[str]) -> None:
    """The demo procedures' documents, replacing their lists (in the caller's transaction)."""
    for code, items in sorted(components().items()):
        if code in codes:
            write_procedure_components(conn, code, check_components(items))
