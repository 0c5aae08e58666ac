"""The tables of working days a calendar builds (core.calendar), kept for the next calendar of
the same days: every screen refresh, report and check loads its database's calendar again
(load_calendar), and building ~4,400 days cost ~5 ms of CPU each time (0.1–0.2 ms with the tables kept)."""
from __future__ import annotations

import threading

Tables = tuple[list[bool], list[int]]  # working or not, a day; working seconds before each day


class _Tables:
    """The tables already built, by all they depend on (which days the office swapped, the
    length of a working day, the years). The lists are never changed in place (a wider range
    builds new ones), so calendars share them. A few are kept (one per set of office hours and
    range), the least recently used out first."""

    KEPT = 32

    def __init__(self) -> None:
        self._found: dict[tuple, Tables] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Tables | None:
        with self._lock:
            found = self._found.pop(key, None)
            if found is not None:
                self._found[key] = found  # the most recent last
            return found

    def keep(self, key: tuple, tables: Tables) -> Tables:
        with self._lock:
            self._found[key] = tables
            while len(self._found) > self.KEPT:
                del self._found[next(iter(self._found))]
        return tables


TABLES = _Tables()
