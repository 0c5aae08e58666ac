"""Units (spec 7): code*, name*, level, parent_code. A parent may come later in the same file."""
from __future__ import annotations

from collections import Counter

from core import searchkey
from core.transfer.base import ABSENT, Column, Kind, Record, RowError, changes
from core.transfer.cells import bounded, enum
from db.schema import UNIT_LEVELS

FIELDS = {"name": None, "level": None, "parent_code": None}


class Units(Kind):
    name = "units"
    label = "đơn vị"
    columns = (Column("code", bounded("unit_code"), True), Column("name", bounded("name"), True),
               Column("level", enum(UNIT_LEVELS)), Column("parent_code", bounded("parent_code")))

    def __init__(self, db, present, source=""):
        super().__init__(db, present, source)
        self.stored = dict(db.execute("SELECT code, parent_code FROM units").fetchall())
        self.rows: dict[str, tuple[int, object]] = {}  # code -> (row, parent or ABSENT)

    def check_row(self, record: Record) -> None:
        code = record.value("code")
        if code is None:
            return
        if code in self.rows:
            record.error("code", f"mã trùng với dòng {self.rows[code][0]}")
            return
        parent = record.get("parent_code")
        if parent == code:
            record.error("parent_code", "đơn vị không thể là cấp trên của chính nó")
        self.rows[code] = (record.row, parent)

    def finish(self) -> list[RowError]:
        errors = []
        parents = dict(self.stored)
        parents.update({code: p for code, (_, p) in self.rows.items() if p is not ABSENT})
        for code, (row, parent) in self.rows.items():
            if not isinstance(parent, str) or parent == code:
                continue
            if parent not in parents:
                errors.append(RowError(row, "parent_code", parent,
                                       f"không có đơn vị mã '{parent}' trong tệp hay trong cơ sở dữ liệu"))
            elif cycle := _cycle(parents, code):
                errors.append(RowError(row, "parent_code", parent,
                                       "cấp trên tạo thành vòng lặp: " + " → ".join(cycle)))
        return errors

    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        changed, counts = changes(conn, "units", "code", FIELDS, records)
        if write and changed:
            conn.execute("PRAGMA defer_foreign_keys = ON")  # a parent may come in a later row
        for record, before, new in changed if write else ():
            conn.execute(
                "INSERT INTO units(code, name, level, parent_code) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(code) DO UPDATE SET name = excluded.name, level = excluded.level, "
                "parent_code = excluded.parent_code",
                [record["code"], new["name"], new["level"], new["parent_code"]])
            if before is not None and before["name"] != new["name"]:
                searchkey.refresh_unit(conn, record["code"])  # found by the unit's new name
        return counts

    def export_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM units").fetchone()[0]

    def export_rows(self):
        yield from self.db.execute(
            "SELECT code, name, level, parent_code FROM units ORDER BY code")


def _cycle(parents: dict, start: str) -> list[str] | None:
    """The loop of parents starting at `start`, if following parents comes back to it."""
    path, current, seen = [start], parents.get(start), {start}
    while current is not None:
        path.append(current)
        if current == start:
            return path
        if current in seen:
            return None  # a loop further up, reported on its own rows
        seen.add(current)
        current = parents.get(current)
    return None
