"""The office's calendar (spec 7): date*, kind* (holiday | workday), name.

A changed day moves the due times of the dossiers whose working time runs across it; those
are refreshed in the same transaction.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from core import facts
from core.transfer.base import Column, Kind, Record, merged, placeholders, unchanged
from core.transfer.cells import date_value, enum, text
from db.schema import CALENDAR_KINDS

FIELDS = {"kind": None, "name": None}
CLOSED = "('done', 'returned', 'rejected', 'withdrawn', 'stopped')"

# Dossiers a changed day can affect: received by that day, and still open, or closed at a time
# whose working-time window (reception to the latest of finish, due and extended due, plus
# room for the supplement waits that push a due time later: twice the processing span and
# 60 days) reaches that day.
AFFECTED_SQL = f"""
SELECT id FROM dossiers
WHERE received_at < ?
  AND (status NOT IN {CLOSED} OR finished_at IS NULL
       OR julianday(max(finished_at, COALESCE(calc_due_at, finished_at),
                        COALESCE(extended_due_at, finished_at)))
          + 2 * (julianday(finished_at) - julianday(received_at)) + 60 >= julianday(?))
"""


class CalendarDays(Kind):
    name = "calendar"
    label = "lịch làm việc"
    columns = (Column("date", date_value, True), Column("kind", enum(CALENDAR_KINDS), True),
               Column("name", text))

    def __init__(self, db, present, source=""):
        super().__init__(db, present, source)
        self.seen: dict[str, int] = {}
        self.changed: list[str] = []

    def check_row(self, record: Record) -> None:
        day = record.value("date")
        if day is None:
            return
        if day in self.seen:
            record.error("date", f"ngày trùng với dòng {self.seen[day]}")
        else:
            self.seen[day] = record.row

    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        days = [r["date"] for r in records]
        old = {row[0]: dict(zip(FIELDS, row[1:])) for row in conn.execute(
            f"SELECT date, kind, name FROM calendar WHERE date IN ({placeholders(days)})", days)}
        counts: Counter = Counter()
        for record in records:
            before = old.get(record["date"])
            new = merged(record, before, FIELDS)
            if before is not None and unchanged(before, new):
                counts["unchanged"] += 1
                continue
            counts["updated" if before else "added"] += 1
            if before is None or before["kind"] != new["kind"]:
                self.changed.append(record["date"])
            if write:
                conn.execute("INSERT INTO calendar(date, kind, name) VALUES (?, ?, ?) "
                             "ON CONFLICT(date) DO UPDATE SET kind = excluded.kind, name = excluded.name",
                             [record["date"], new["kind"], new["name"]])
        return counts

    def after(self, conn) -> None:
        if not self.changed:
            return
        first, last = min(self.changed), max(self.changed)
        day_after = (dt.date.fromisoformat(last) + dt.timedelta(days=1)).isoformat()
        ids = [r[0] for r in conn.execute(AFFECTED_SQL, [day_after, first])]
        facts.refresh(self.db, ids)

    def export_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM calendar").fetchone()[0]

    def export_rows(self):
        yield from self.db.execute("SELECT date, kind, name FROM calendar ORDER BY date")
