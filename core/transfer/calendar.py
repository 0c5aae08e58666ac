"""The office's calendar (spec 7): date*, kind* (holiday | workday), name.

A changed day moves the due times of the dossiers whose working time runs across it
(core.recompute finds them); those are recomputed in the same transaction.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from core import recompute
from core.transfer.base import Column, Kind, Record, changes
from core.transfer.cells import bounded, date_value, enum
from db.schema import CALENDAR_KINDS

FIELDS = {"kind": None, "name": None}


class CalendarDays(Kind):
    name = "calendar"
    label = "lịch làm việc"
    area = "calendar"
    columns = (Column("date", date_value, True), Column("kind", enum(CALENDAR_KINDS), True),
               Column("name", bounded("name")))

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
        changed, counts = changes(conn, "calendar", "date", FIELDS, records)
        for record, before, new in changed:
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
        days = [dt.date.fromisoformat(day) for day in self.changed]
        recompute.recompute(self.db, recompute.dossiers_touching_dates(self.db, days))

    def export_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM calendar").fetchone()[0]

    def export_rows(self):
        yield from self.db.execute("SELECT date, kind, name FROM calendar ORDER BY date")
