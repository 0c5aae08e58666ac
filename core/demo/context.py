"""Everything a chunk generator needs, prepared once and small enough to send to a worker process."""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from core.calendar import WorkCalendar
from core.demo.accounts import clerk_logins
from core.demo.catalogue import Catalogue, Procedure, Unit
from core.demo.people import People, place_of, staff

# Chance of an online submission at the start and at the end of the period, by online level;
# the rise in between is what the plan asks for (fully-online share from ~30% to 60%+).
ONLINE_START = {"full": 0.2, "partial": 0.05, "none": 0.0}
ONLINE_GAIN = {"full": 0.55, "partial": 0.12, "none": 0.0}
# How attractive each online level is for a submission made outside office hours.
AFTER_HOURS_PULL = {"full": 1.0, "partial": 0.3, "none": 0.0}
POSTAL_SHARE = 0.025
OUTSIDE_HOURS_SHARE = 0.05


@dataclass
class Table:
    """Weighted choice among procedures: the items and their cumulative weights."""

    items: list[Procedure]
    cum: list[float]


def _table(procedures: list[Procedure], weight) -> Table:
    chosen = [(p, weight(p)) for p in procedures]
    chosen = [(p, w) for p, w in chosen if w > 0]
    return Table([p for p, _ in chosen], list(itertools.accumulate(w for _, w in chosen)))


@dataclass
class UnitInfo:
    unit: Unit
    place: str
    town: bool
    clerks: list[str]  # logins: [who receives, who processes] (core.demo.accounts)
    index: int = 0
    # the units (indexes into Context.units) that resolve what this one refers, and their
    # cumulative weights; empty: it resolves everything it receives
    others: list[int] = field(default_factory=list)
    others_cum: list[float] = field(default_factory=list)


def _referral_targets(units: list[Unit], unit: Unit) -> list[int]:
    """Who resolves what `unit` refers: a reception point's own commune; for a centre, branch or
    commune, the communes of its time (reception regardless of administrative boundary)."""
    if unit.refer <= 0:
        return []
    if unit.level == "reception_point":
        return [i for i, u in enumerate(units) if u.code == unit.parent_code]
    return [i for i, u in enumerate(units) if u.level == "commune" and u.code != unit.code
            and u.valid_from == unit.valid_from and u.valid_to == unit.valid_to]


class Context:
    """The calendar, the catalogue and the lookup tables of one demo run."""

    def __init__(self, cal: WorkCalendar, catalogue: Catalogue, seed: int, first: dt.date,
                 last: dt.date, now: dt.datetime):
        self.cal, self.seed, self.first, self.last, self.now = cal, seed, first, last, now
        self.people = People(catalogue.people)
        self.texts = catalogue.people["reasons"]
        self.comments = catalogue.people["comments"]
        receiving = catalogue.receiving_units()
        self.staff: dict[str, tuple[str, str]] = {}  # login -> (full name, unit code)
        self.units = [self._unit_info(receiving, i) for i in range(len(receiving))]
        self.tables = self._tables(catalogue.procedures)

    def _unit_info(self, receiving: list[Unit], index: int) -> UnitInfo:
        unit = receiving[index]
        place, town = place_of(unit.name, unit.valid_from is not None, unit.place)
        others = _referral_targets(receiving, unit)
        if unit.refer > 0 and not others:
            raise ValueError(f"demo unit {unit.code} refers dossiers but no unit can take them")
        cum = list(itertools.accumulate(receiving[i].weight for i in others))
        logins = clerk_logins(unit)
        for login, name in zip(logins, staff(self.seed, unit.code, self.people, len(logins)),
                               strict=True):
            self.staff[login] = (name, unit.code)
        return UnitInfo(unit, place, town, logins, index, others, cum)

    @staticmethod
    def _tables(procedures) -> dict:
        """Per (unit level, month, after hours): which procedures are asked for, how often."""
        out = {}
        for level in ("district", "commune", "all"):
            own = [p for p in procedures if level in (p.level, "all")]
            for month in range(1, 13):
                def demand(p, month=month):
                    return p.weight * p.season.get(month, 1.0)
                out[(level, month, False)] = _table(own, demand)
                out[(level, month, True)] = _table(
                    own, lambda p, d=demand: d(p) * AFTER_HOURS_PULL[p.online_level])
        return out

    def table(self, unit: Unit, month: int, after_hours: bool) -> Table:
        desk = unit.desk or ("district" if unit.level == "district" else "commune")
        return self.tables[(desk, month, after_hours)]

    def progress_of(self, day: dt.date) -> float:
        """0 on the first day of the period, 1 on the last (drives the online trends)."""
        span = (self.last - self.first).days or 1
        return (day - self.first).days / span

    def online_chance(self, proc: Procedure, unit: Unit, progress: float) -> float:
        level = proc.online_level
        return min(0.95, (ONLINE_START[level] + ONLINE_GAIN[level] * progress) * unit.online_uptake)
