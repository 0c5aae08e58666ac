"""The office's calendar (spec 7): date*, kind* (holiday | workday), name.

A changed day moves the due times of the dossiers whose working time runs across it
(core.recompute finds them); those are recomputed in the same transaction.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from core import recompute
from core.calendar import REST_MAX, Override, load_calendar
from core.timefmt import vn_number
from core.transfer.base import Column, Kind, Record, RowError, changes
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
        self.kinds: dict[str, str] = {}
        self.changed: list[str] = []

    def check_row(self, record: Record) -> None:
        day = record.value("date")
        if day is None:
            return
        if day in self.seen:
            record.error("date", f"ngày trùng với dòng {self.seen[day]}")
        else:
            self.seen[day] = record.row
            if kind := record.value("kind"):
                self.kinds[day] = kind

    def finish(self) -> list[RowError]:
        """The calendar the file makes must leave a working day at least every REST_MAX days:
        a file marking every day of years a holiday (its kind column wrong) left the due times
        impossible to compute, and crashed the import that moved them."""
        if not self.kinds:
            return []
        written = {dt.date.fromisoformat(d): Override(k) for d, k in self.kinds.items()}
        start = load_calendar(self.db, written).endless_rest()  # the office's, as it will be
        if start is None:
            return []
        day = min((d for d in self.kinds if d >= start.isoformat()), default=min(self.kinds))
        return [RowError(self.seen[day], "date", day, (
            f"từ ngày {dt.date.fromisoformat(day):%d/%m/%Y}, lịch sau khi nhập không còn ngày "
            f"làm việc nào trong hơn {vn_number(REST_MAX)} ngày: không tính được hạn trả kết "
            "quả. Hãy kiểm tra cột kind (holiday: ngày nghỉ, workday: ngày làm việc)"))]

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
