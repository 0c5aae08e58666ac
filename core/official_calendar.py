"""The official day-off schedule of each known year (spec 2.1), shipped as data with its source.

The `holidays` package knows the statutory holidays but not the yearly swaps (a Saturday worked
for a Monday off) and lists some days before they are law. `resources/calendar/vn-official.json`
holds what the government announced for each year; this module turns it into the calendar rows
the package cannot know, lists what an existing database lacks, and handles the package days
with no confirmed basis (shown as *chưa xác nhận* until the office confirms or drops them).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache

from core.calendar import public_holidays
from core.paths import resource_path

DAY = dt.timedelta(days=1)
WARN_FROM_MONTH = 10  # yearly schedules are announced in October–November (legal-2026.md)
CONFIRMED = " (đã xác nhận là ngày nghỉ)"
DROPPED = ": không nghỉ, làm việc bình thường (chưa có văn bản quy định)"


@dataclass(frozen=True)
class Change:
    """One calendar row to write (`kind` holiday|workday) or to delete (`kind` None)."""
    date: dt.date
    kind: str | None
    name: str
    reason: str  # what the clerk reads in the list of changes

    def line(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.reason}"


@dataclass(frozen=True)
class Unconfirmed:
    date: dt.date
    name: str
    note: str


@lru_cache(maxsize=1)
def schedule() -> dict:
    with open(resource_path("calendar", "vn-official.json"), encoding="utf-8") as handle:
        return json.load(handle)


def known_years() -> list[int]:
    return [entry["year"] for entry in schedule()["years"]]


def source(year: int) -> str | None:
    return next((e["source"] for e in schedule()["years"] if e["year"] == year), None)


def official_days(year: int) -> dict[dt.date, tuple[str, str]]:
    """{date: (kind, name)} of a known year: every day off and every weekend day worked."""
    entry = next((e for e in schedule()["years"] if e["year"] == year), None)
    if entry is None:
        return {}
    days: dict[dt.date, tuple[str, str]] = {}
    for block in entry["off"]:
        day, last = dt.date.fromisoformat(block["from"]), dt.date.fromisoformat(block["to"])
        while day <= last:
            days[day] = ("holiday", block["name"])
            day += DAY
    for worked in entry["workday"]:
        days[dt.date.fromisoformat(worked["date"])] = ("workday", worked["name"])
    return days


def unconfirmed_days(year: int) -> list[Unconfirmed]:
    """Package holidays of `year` listed as having no confirmed legal basis."""
    out = []
    for item in schedule()["unconfirmed"]:
        if year < item["from_year"]:
            continue
        day = dt.date(year, item["month"], item["day"])
        if day in public_holidays(year):
            out.append(Unconfirmed(day, item["name"], item["note"]))
    return out


def _unconfirmed_dates(year: int) -> set[dt.date]:
    return {u.date for u in unconfirmed_days(year)}


def rows_for(year: int) -> list[Change]:
    """The rows a calendar without any of its own needs for `year` to follow the schedule."""
    return changes_for(year, {})


def changes_for(year: int, rows: dict[dt.date, tuple[str, str]]) -> list[Change]:
    """What the office's rows `{date: (kind, name)}` of `year` lack to follow the schedule.

    Adds the days off and worked Saturdays the package misses, and removes a `workday` row on
    an official day off (the wrong make-up day 08/02/2025 of older versions). A `holiday` row
    on an official working day is a local closure and is kept; unconfirmed days are left to
    the office (`confirm`/`drop`).
    """
    official = official_days(year)
    if not official:
        return []
    package, skip = public_holidays(year), _unconfirmed_dates(year)
    out = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        if day not in skip:
            change = _change(day, official.get(day), day in package, rows.get(day), source(year))
            if change is not None:
                out.append(change)
        day += DAY
    return out


def _change(day, official, in_package, row, cited) -> Change | None:
    kind, name = official or (None, "")
    weekend = day.weekday() >= 5
    if kind == "workday":
        if row and row[0] == "workday":
            return None
        return Change(day, "workday", f"{name} ({_short(cited)})", f"thêm ngày làm việc: {name}")
    if row and row[0] == "workday" and (weekend or in_package):
        # a weekend or holiday worked that the schedule does not list (e.g. 08/02/2025)
        return Change(day, None, "", f"bỏ ngày làm bù «{row[1]}» (không có trong lịch nghỉ "
                      "chính thức)")
    if kind == "holiday" and not weekend and not in_package and not (row and row[0] == "holiday"):
        return Change(day, "holiday", f"{name} ({_short(cited)})", f"thêm ngày nghỉ: {name}")
    if not kind and in_package and not weekend and row is None:
        return Change(day, "workday", f"Làm việc: không có trong lịch nghỉ chính thức "
                      f"({_short(cited)})", "ngày làm việc theo lịch chính thức (thư viện ghi là "
                      "ngày nghỉ)")
    return None


def _short(cited: str | None) -> str:
    """'Công văn 9859/VPCP-KGVX năm 2025 của …' -> 'Công văn 9859/VPCP-KGVX'."""
    words = (cited or "lịch nghỉ chính thức").split()
    return " ".join(words[:3])


def office_rows(db, year: int) -> dict[dt.date, tuple[str, str]]:
    return {dt.date.fromisoformat(d): (k, n or "") for d, k, n in db.execute(
        "SELECT date, kind, name FROM calendar WHERE date LIKE ?", [f"{year}-%"])}


def pending_changes(db) -> list[Change]:
    """Every change the database's calendar lacks, over all known years."""
    out: list[Change] = []
    for year in known_years():
        out += changes_for(year, office_rows(db, year))
    return out


def apply(conn, changes: list[Change]) -> None:
    """Write `changes` inside the caller's transaction."""
    for change in changes:
        if change.kind is None:
            conn.execute("DELETE FROM calendar WHERE date = ?", [change.date.isoformat()])
        else:
            conn.execute("INSERT INTO calendar(date, kind, name) VALUES (?, ?, ?) ON CONFLICT(date)"
                         " DO UPDATE SET kind = excluded.kind, name = excluded.name",
                         [change.date.isoformat(), change.kind, change.name])


def load_into_new(conn) -> None:
    """A new database starts with the schedule of every known year (inside its transaction)."""
    apply(conn, [c for year in known_years() for c in rows_for(year)])


def pending_unconfirmed(db, year: int) -> list[Unconfirmed]:
    """Unconfirmed package days of `year` the office has not decided yet (no row of its own)."""
    rows = office_rows(db, year)
    return [u for u in unconfirmed_days(year) if u.date not in rows]


def decision(day: Unconfirmed, keep: bool) -> Change:
    """Confirm (a `holiday` row) or drop (a `workday` row) an unconfirmed day, named so."""
    if keep:
        return Change(day.date, "holiday", day.name + CONFIRMED, f"xác nhận nghỉ {day.name}")
    return Change(day.date, "workday", day.name + DROPPED, f"không nghỉ {day.name}")


def missing_next_year(db, today: dt.date) -> int | None:
    """The next year, when from October on neither the shipped schedule nor the office's
    calendar has it yet (its swaps must be entered before dossiers reach it), else None."""
    next_year = today.year + 1
    if today.month < WARN_FROM_MONTH or next_year in known_years():
        return None
    if db.execute("SELECT 1 FROM calendar WHERE date LIKE ? LIMIT 1",
                  [f"{next_year}-%"]).fetchone():
        return None
    return next_year
