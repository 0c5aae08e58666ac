"""When dossiers arrive: the demo's period, the demand of each day and the plan of chunks.

Demand follows the working calendar (weekends and holidays get only online submissions), the
month (a September peak when schools reopen, a quiet February), Tết (a rush in the days before
it, near silence in the days after) and a slow growth over the period. The plan splits the
dossiers over (day, unit) cells by a seeded multinomial draw and groups consecutive days into
chunks that can be generated independently, in any process, with the same result.
"""
from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter
from dataclasses import dataclass

from core.calendar import WorkCalendar, public_holidays
from core.errors import InputError

DAY = dt.timedelta(days=1)
MONTHS = 15
MAX_PER_DAY = 9999  # the 4-digit sequence of the dossier code (spec 4)
# The demo shows the two-tier merger of 1/7/2025: its history starts three months before it at
# the latest, so a demo made in 2026 or later still has dossiers of the old district.
LATEST_START = dt.date(2025, 4, 1)


def period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The 15 months ending `today` (from the day after the same date 15 months earlier), or
    from LATEST_START when that is earlier."""
    month = today.month - MONTHS
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(today.day, 28)
    return min(dt.date(year, month, day) + DAY, LATEST_START), today


def tet_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of each Tết holiday block (the package names them 'Tết Nguyên Đán')."""
    out = []
    for year in range(first.year - 1, last.year + 2):
        days = sorted(d for d, name in public_holidays(year).items()
                      if d.month <= 2 and ("Tết" in name and "Dương" not in name))
        if days:
            out.append(days[0])
    return out


def day_weights(cal: WorkCalendar, first: dt.date, last: dt.date, season: dict) -> list[float]:
    """The relative demand of each day of [first, last]."""
    months = {int(k): v for k, v in season["months"].items()}
    tets = tet_days(first, last)
    total = (last - first).days or 1
    weights = []
    day = first
    while day <= last:
        weight = months[day.month] * (1 + season["growth"] * (day - first).days / total)
        for tet in tets:
            before = (tet - day).days
            if 0 < before <= season["before_tet_days"]:
                weight *= season["before_tet"]
            after = (day - tet).days
            if 0 <= after <= season["after_tet_days"] + 7:
                weight *= season["after_tet"]
        if not cal.is_working_day(day):
            weight *= season["closed_day"]
        weights.append(weight)
        day += DAY
    return weights


@dataclass(frozen=True)
class Cell:
    day: dt.date
    unit_index: int
    count: int


@dataclass(frozen=True)
class Chunk:
    index: int
    first_id: int
    cells: tuple[Cell, ...]

    @property
    def size(self) -> int:
        return sum(c.count for c in self.cells)


def plan(cal: WorkCalendar, first: dt.date, last: dt.date, units: list,
         dossiers: int, seed: int, season: dict, chunk_size: int) -> list[Chunk]:
    """Split `dossiers` over (day, unit) cells and group the cells into chunks of about chunk_size.

    `units` (core.demo.catalogue.Unit) receive in proportion to their weight on the days they
    exist (valid_from … valid_to): the old district before the merger, the new units after it.
    """
    days = day_weights(cal, first, last, season)
    cells = [(d, u) for d in range(len(days)) for u in range(len(units))]
    weights = [days[d] * units[u].weight if units[u].valid_on(first + d * DAY) else 0.0
               for d, u in cells]
    rng = random.Random(f"demo-plan:{seed}")
    counts = Counter(rng.choices(range(len(cells)), cum_weights=list(itertools.accumulate(weights)),
                                 k=dossiers))
    busiest = max(counts.values(), default=0)
    if busiest > MAX_PER_DAY:
        raise InputError(f"Số hồ sơ quá lớn: một đơn vị sẽ nhận {busiest} hồ sơ trong một ngày, "
                         f"vượt quá {MAX_PER_DAY} số của mã hồ sơ. Hãy giảm --dossiers.")
    return _chunks([Cell(first + d * DAY, u, counts[i]) for i, (d, u) in enumerate(cells)
                    if counts[i]], chunk_size)


def _chunks(cells: list[Cell], chunk_size: int) -> list[Chunk]:
    """Consecutive cells, cut only between days, about chunk_size dossiers per chunk."""
    chunks: list[Chunk] = []
    current: list[Cell] = []
    size, next_id = 0, 1
    for _day, same_day in itertools.groupby(cells, key=lambda c: c.day):
        group = list(same_day)
        current += group
        size += sum(c.count for c in group)
        if size >= chunk_size:
            chunks.append(Chunk(len(chunks), next_id, tuple(current)))
            next_id += size
            current, size = [], 0
    if current:
        chunks.append(Chunk(len(chunks), next_id, tuple(current)))
    return chunks
