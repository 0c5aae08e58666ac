"""The tables of working days a calendar builds (core.calendar), kept for the next calendar of
the same days: every screen refresh, report and check loads its database's calendar again
(load_calendar), and building ~4,400 days cost ~5 ms of CPU each time (0.1–0.2 ms with the tables kept)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container
from functools import lru_cache

Tables = tuple[list[bool], list[int]]  # working or not, a day; working seconds before each day


@lru_cache(maxsize=32)  # one per set of office hours and range; its bookkeeping is thread-safe
def tables(swapped: frozenset[tuple[dt.date, bool]], day_seconds: int, first_year: int,
           last_year: int, holidays: Callable[[int], Container[dt.date]]) -> Tables:
    """The tables of the years `first_year`..`last_year`, by all they depend on: the days the
    office swapped (True: worked), the length of a working day, the years, the public
    holidays' source (the self-test replaces it). The lists are never changed in place (a
    wider range builds new ones), so calendars share them."""
    first = dt.date(first_year, 1, 1)
    worked = dict(swapped)
    working = []
    for i in range((dt.date(last_year, 12, 31) - first).days + 1):
        day = first + dt.timedelta(days=i)
        works = worked.get(day)
        working.append(day.weekday() < 5 and day not in holidays(day.year) if works is None
                       else works)
    cumulative = [0] * (len(working) + 1)
    for i, works in enumerate(working):
        cumulative[i + 1] = cumulative[i] + (day_seconds if works else 0)
    return working, cumulative
