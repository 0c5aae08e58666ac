"""Procedures (spec 7). A change of limit, fee, online level, paper result or cut-off moves the
due times and figures of that procedure's dossiers, so they are refreshed in the same transaction.

Limit, cut-off, online level and paper result are dated (spec 2.1, core.rules): a changed rule of
a procedure already in the catalogue applies from the row's `valid_from` (empty: today), so the
dossiers received before keep theirs; a new procedure's rule applies from the beginning."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from core import fees, recompute, rules, timefmt
from core.calendar import WorkCalendar, load_calendar
from core.errors import InputError
from core.explain import cutoff_note
from core.transfer.base import INVALID, Column, Kind, Record, changes, placeholders, unchanged
from core.transfer.cells import bounded, date_value, enum, flag, hhmm, money, number, printed_text
from core.typed_dates import parse_cutoff
from core.validation import limit_reason
from db.schema import LIMIT_UNITS, ONLINE_LEVELS

FIELDS = {"name": None, "field": None, "limit_value": None, "limit_unit": None, "fee": 0,
          "online_level": "none", "paper_result": 0, "same_day_cutoff": None}
MAX_LIMIT = 3650  # ten years of days: beyond any procedure, and inside the working calendar
# What the dossiers' due times and indicators depend on.
RULE_FIELDS = ("limit_value", "limit_unit", "fee", "online_level", "paper_result", "same_day_cutoff")


class Procedures(Kind):
    name = "procedures"
    label = "thủ tục"
    area = "catalogue"
    columns = (Column("code", bounded("procedure_code"), True), Column("name", printed_text("name"), True),
               Column("field", printed_text("field")),
               Column("limit_value", number, True), Column("limit_unit", enum(LIMIT_UNITS), True),
               Column("fee", money("fee")), Column("online_level", enum(ONLINE_LEVELS)),
               Column("paper_result", flag), Column("same_day_cutoff", hhmm),
               Column("valid_from", date_value))

    def __init__(self, db, present, source=""):
        super().__init__(db, present, source)
        self.seen: dict[str, int] = {}
        self.changed_rules: set[str] = set()
        self.fee_changed: set[str] = set()  # the fee is not dated: all its dossiers move
        self.dated: dict[str, dt.date] = {}  # code -> the day its changed rule applies from
        self.kept_cutoffs: dict[str, str | None] | None = None  # code -> the stored cut-off
        self.cal: WorkCalendar | None = None  # the office hours, for a cut-off after their end

    def check_row(self, record: Record) -> None:
        code = record.value("code")
        if code is not None:
            if code in self.seen:
                record.error("code", f"mã trùng với dòng {self.seen[code]}")
            else:
                self.seen[code] = record.row
        if record.has("same_day_cutoff"):
            self._check_cutoff(record, code)
            self._warn_late_cutoff(record, code)
        if record.has("limit_value") and record["limit_value"] < 0:
            record.error("limit_value", "thời hạn giải quyết không được âm")
        elif record.has("limit_value") and record["limit_value"] > MAX_LIMIT:
            record.error("limit_value", f"thời hạn quá lớn (tối đa {MAX_LIMIT})")
        elif record.has("limit_value") and record.has("limit_unit"):
            reason = limit_reason(record["limit_value"], record["limit_unit"])
            if reason:
                record.error("limit_value", reason)

    def _check_cutoff(self, record: Record, code: str | None) -> None:
        """The catalogue's rule of a cut-off (core.typed_dates.parse_cutoff): a time of day, or
        the one stored for the procedure, unchanged (an older version's "24:00" exported and
        imported again)."""
        if self.kept_cutoffs is None:
            self.kept_cutoffs = dict(self.db.execute(
                "SELECT code, same_day_cutoff FROM procedures").fetchall())
        try:
            record["same_day_cutoff"] = parse_cutoff(record["same_day_cutoff"],
                                                     self.kept_cutoffs.get(code or ""), "giờ chốt")
        except InputError as exc:
            record["same_day_cutoff"] = INVALID
            record.error("same_day_cutoff", exc.message)

    def _warn_late_cutoff(self, record: Record, code: str | None) -> None:
        """A cut-off later than the end of the office hours in force from the row's day is
        written as it is, with a word on what it means (core.explain.cutoff_note)."""
        if record.value("limit_unit") != "same_day" or not record.has("same_day_cutoff"):
            return
        if self.cal is None:
            self.cal = load_calendar(self.db)
        text_day = record.value("valid_from")
        day = dt.date.fromisoformat(text_day) if text_day else timefmt.now().date()
        note = cutoff_note(self.cal.governing(day), record["same_day_cutoff"])
        if note:
            self.warnings.append(f"Dòng {record.row}: thủ tục {code}: {note}")

    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        changed, counts = changes(conn, "procedures", "code", FIELDS, records)
        for record, before, new in changed:
            if before is not None and not unchanged({k: before[k] for k in RULE_FIELDS},
                                                    {k: new[k] for k in RULE_FIELDS}):
                self.changed_rules.add(record["code"])
                if not unchanged({"fee": before["fee"]}, {"fee": new["fee"]}):
                    self.fee_changed.add(record["code"])
            if not write and before is not None and record["code"] in self.fee_changed:
                count = fees.kept_count(conn, record["code"])
                self.notes.append(f"Thủ tục {record['code']}: "
                                  f"{fees.message(count, before['fee'], dry_run=True)}")
            if write and before is not None:
                self._update(conn, record, before, new)
            elif write:
                conn.execute(
                    "INSERT INTO procedures(code, " + ", ".join(FIELDS) + ") VALUES (?, "
                    + placeholders(FIELDS) + ") ON CONFLICT(code) DO UPDATE SET "
                    + ", ".join(f"{f} = excluded.{f}" for f in FIELDS),
                    [record["code"], *new.values()])
        return counts

    def _update(self, conn, record: Record, before: dict, new: dict) -> None:
        """An existing procedure: plain fields at once, its dated rule from `valid_from`."""
        code = record["code"]
        kept = fees.keep_old_fee(conn, code, before["fee"], new["fee"])
        if kept is not None:
            self.notes.append(f"Thủ tục {code}: {fees.message(kept, before['fee'])}")
        conn.execute("UPDATE procedures SET " + ", ".join(f"{f} = ?" for f in FIELDS)
                     + " WHERE code = ?",
                     [*{**new, **{k: before[k] for k in rules.RULE_FIELDS}}.values(), code])
        rule = rules.ProcedureRule.of(new)
        if rule != rules.ProcedureRule.of(before):
            text_day = record.value("valid_from")
            day = dt.date.fromisoformat(text_day) if text_day else timefmt.now().date()
            rules.set_procedure_rule(self.db, code, rule, day)
            self.dated[code] = day

    def after(self, conn) -> None:
        ids: set[int] = set()
        for code in sorted(self.changed_rules):
            if code in self.dated:
                ids.update(recompute.dossiers_received_from(self.db, self.dated[code], code))
            if code not in self.dated:
                ids.update(recompute.dossiers_of_procedure(self.db, code))
            elif self._fee_changed(code):  # those received before kept their fee (core.fees)
                ids.update(fees.following(self.db, code))
        recompute.recompute(self.db, sorted(ids))

    def _fee_changed(self, code: str) -> bool:
        return code in self.fee_changed

    def export_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM procedures").fetchone()[0]

    def export_rows(self):
        for row in self.db.execute("SELECT code, " + ", ".join(FIELDS) + " FROM procedures ORDER BY code"):
            row = list(row)
            row[3] = plain_number(row[3])
            yield row + [None]  # valid_from: empty, the stored rule is the latest one


def plain_number(value):
    """3.0 -> 3, 0.5 -> 0.5: a limit as a person writes it."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
