"""A procedure's documents (thành phần hồ sơ, issue 13 §2): procedure_code*, position*, name*,
form (original | copy | certified_copy, default original), count (default 1), required (0/1,
default 1).

The rows of one procedure in a file are its whole list: a stored line of that procedure whose
position the file does not name is removed (and said so). Procedures the file does not name keep
theirs. Dossiers keep the documents they were received with: nothing here rewrites them.
"""
from __future__ import annotations

from collections import Counter

from core.components import COUNT_MAX, component_problem
from core.transfer.base import Column, Kind, Record, RowError, placeholders, unchanged
from core.transfer.cells import bounded, enum, flag, integer
from db.schema import DOCUMENT_FORMS

FIELDS = ("name", "form", "count", "required")
DEFAULTS = {"form": "original", "count": 1, "required": 1}


class Components(Kind):
    name = "components"
    label = "thành phần hồ sơ"
    area = "catalogue"
    columns = (Column("procedure_code", bounded("procedure_code"), True),
               Column("position", integer, True), Column("name", bounded("name"), True),
               Column("form", enum(DOCUMENT_FORMS)), Column("count", integer),
               Column("required", flag))

    def __init__(self, db, present, source=""):
        super().__init__(db, present, source)
        self.positions: dict[str, dict[int, int]] = {}   # procedure -> position -> row
        self.names: dict[tuple[str, str], int] = {}      # (procedure, folded name) -> row

    def check_row(self, record: Record) -> None:
        for column, default in DEFAULTS.items():
            if record.value(column) is None:
                record[column] = default  # an absent or empty cell: the column's default
        position = record.value("position")
        if position is not None and not 1 <= position <= 10_000:
            record.error("position", "số thứ tự phải từ 1 đến 10.000")
        if record.has("name") and record.value("count") is not None:
            problem = component_problem(record["name"], record.value("form", "original"),
                                        record["count"])
            if problem and problem[0] == "count":
                record.error("count", f"số lượng phải từ 1 đến {COUNT_MAX}")
        code = record.value("procedure_code")
        if code is None or not record.has("position", "name"):
            return
        self._check_unique(record, code, position, record["name"].casefold())

    def _check_unique(self, record: Record, code: str, position: int, name: str) -> None:
        seen = self.positions.setdefault(code, {})
        if position in seen:
            record.error("position", f"thủ tục {code} đã có số thứ tự này ở dòng {seen[position]}")
        else:
            seen[position] = record.row
        if (code, name) in self.names:
            record.error("name", f"thủ tục {code} đã có thành phần cùng tên ở dòng "
                                 f"{self.names[(code, name)]}")
        else:
            self.names[(code, name)] = record.row

    def check_chunk(self, records: list[Record]) -> None:
        codes = sorted({r["procedure_code"] for r in records if r.has("procedure_code")})
        known = {row[0] for row in self.db.execute(
            f"SELECT code FROM procedures WHERE code IN ({placeholders(codes)})", codes)}
        for record in records:
            code = record.value("procedure_code")
            if code is not None and code not in known:
                record.error("procedure_code", f"không có thủ tục mã '{code}' trong danh mục "
                                               "(nhập thủ tục trước)")

    def finish(self) -> list[RowError]:
        self.warnings = _removal_lines(self._removed())
        return []

    def _removed(self) -> list[tuple[str, int, str]]:
        """Stored lines of the procedures in the file whose positions the file leaves out."""
        out = []
        for code, positions in sorted(self.positions.items()):
            for position, name in self.db.execute(
                    "SELECT position, name FROM procedure_components WHERE procedure_code = ? "
                    "ORDER BY position", [code]):
                if position not in positions:
                    out.append((code, position, name))
        return out

    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        counts: Counter = Counter()
        for record in records:
            key = [record["procedure_code"], record["position"]]
            stored = conn.execute("SELECT " + ", ".join(FIELDS) + " FROM procedure_components "
                                  "WHERE procedure_code = ? AND position = ?", key).fetchone()
            new = {f: record[f] for f in FIELDS}
            if stored is not None and unchanged(dict(zip(FIELDS, stored, strict=True)), new):
                counts["unchanged"] += 1
                continue
            counts["updated" if stored is not None else "added"] += 1
            if write:
                conn.execute("INSERT INTO procedure_components(procedure_code, position, "
                             + ", ".join(FIELDS) + ") VALUES (?,?,?,?,?,?) ON CONFLICT"
                             "(procedure_code, position) DO UPDATE SET "
                             + ", ".join(f"{f} = excluded.{f}" for f in FIELDS),
                             [*key, *new.values()])
        return counts

    def after(self, conn) -> None:
        removed = self._removed()
        self.warnings = _removal_lines(removed)
        conn.executemany("DELETE FROM procedure_components WHERE procedure_code = ? AND "
                         "position = ?", [(code, position) for code, position, _ in removed])

    def export_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM procedure_components").fetchone()[0]

    def export_rows(self):
        yield from self.db.execute(
            "SELECT procedure_code, position, " + ", ".join(FIELDS) + " FROM procedure_components"
            " ORDER BY procedure_code, position")


def _removal_lines(removed: list[tuple[str, int, str]]) -> list[str]:
    return [f"Thủ tục {code}: bỏ thành phần số {position} “{name}” (không có trong tệp)."
            for code, position, name in removed]
