"""Procedures (spec 7). A change of limit, fee, online level, paper result or cut-off moves the
due times and figures of that procedure's dossiers, so they are refreshed in the same transaction."""
from __future__ import annotations

from collections import Counter

from core import recompute
from core.transfer.base import Column, Kind, Record, changes, placeholders, unchanged
from core.transfer.cells import bounded, enum, flag, hhmm, money, number
from db.schema import LIMIT_UNITS, ONLINE_LEVELS

FIELDS = {"name": None, "field": None, "limit_value": None, "limit_unit": None, "fee": 0,
          "online_level": "none", "paper_result": 0, "same_day_cutoff": None}
MAX_LIMIT = 3650  # ten years of days: beyond any procedure, and inside the working calendar
# What the dossiers' due times and indicators depend on.
RULE_FIELDS = ("limit_value", "limit_unit", "fee", "online_level", "paper_result", "same_day_cutoff")


class Procedures(Kind):
    name = "procedures"
    label = "thủ tục"
    columns = (Column("code", bounded("procedure_code"), True), Column("name", bounded("name"), True),
               Column("field", bounded("field")),
               Column("limit_value", number, True), Column("limit_unit", enum(LIMIT_UNITS), True),
               Column("fee", money("fee")), Column("online_level", enum(ONLINE_LEVELS)),
               Column("paper_result", flag), Column("same_day_cutoff", hhmm))

    def __init__(self, db, present, source=""):
        super().__init__(db, present, source)
        self.seen: dict[str, int] = {}
        self.changed_rules: set[str] = set()

    def check_row(self, record: Record) -> None:
        code = record.value("code")
        if code is not None:
            if code in self.seen:
                record.error("code", f"mã trùng với dòng {self.seen[code]}")
            else:
                self.seen[code] = record.row
        if record.has("limit_value") and record["limit_value"] < 0:
            record.error("limit_value", "thời hạn giải quyết không được âm")
        elif record.has("limit_value") and record["limit_value"] > MAX_LIMIT:
            record.error("limit_value", f"thời hạn quá lớn (tối đa {MAX_LIMIT})")

    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        changed, counts = changes(conn, "procedures", "code", FIELDS, records)
        for record, before, new in changed:
            if before is not None and not unchanged({k: before[k] for k in RULE_FIELDS},
                                                    {k: new[k] for k in RULE_FIELDS}):
                self.changed_rules.add(record["code"])
            if write:
                conn.execute(
                    "INSERT INTO procedures(code, " + ", ".join(FIELDS) + ") VALUES (?, "
                    + placeholders(FIELDS) + ") ON CONFLICT(code) DO UPDATE SET "
                    + ", ".join(f"{f} = excluded.{f}" for f in FIELDS),
                    [record["code"], *new.values()])
        return counts

    def after(self, conn) -> None:
        ids: list[int] = []
        for code in sorted(self.changed_rules):
            ids += recompute.dossiers_of_procedure(self.db, code)
        recompute.recompute(self.db, ids)

    def export_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM procedures").fetchone()[0]

    def export_rows(self):
        for row in self.db.execute("SELECT code, " + ", ".join(FIELDS) + " FROM procedures ORDER BY code"):
            row = list(row)
            row[3] = plain_number(row[3])
            yield row


def plain_number(value):
    """3.0 -> 3, 0.5 -> 0.5: a limit as a person writes it."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
