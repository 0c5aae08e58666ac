"""Units (spec 7): code*, name*, level, parent_code, valid_from, valid_to, successor_code.
A parent or a successor may come later in the same file."""
from __future__ import annotations

from collections import Counter

from core import unit_text
from core.catalogue import LINK_WORDS, link_loops, loop_reason
from core.errors import InputError
from core.moment import unit_span_refusal
from core.transfer.base import ABSENT, Column, Kind, Record, RowError, changes
from core.transfer.cells import CellError, bounded, date_value, enum, printed_text, text
from db.schema import UNIT_LEVELS

FIELDS = {"name": None, "level": None, "parent_code": None, "valid_from": None,
          "valid_to": None, "successor_code": None}
CLEANED = frozenset({"name"})  # compared exactly (base.changed_fields): the file's is clean
LINKS = {link: (what, link) for link, (what, _itself) in LINK_WORDS.items()}


def _judged(parse, reason):
    """A cell read by `parse`, then held to the catalogue's rule of a unit's code or name
    (core.unit_text: the desk's and a package's words)."""
    def read(raw) -> str | None:
        value = parse(raw)
        if value is not None and (why := reason(value)):
            raise CellError(why)
        return value
    return read


class Units(Kind):
    name = "units"
    label = "đơn vị"
    area = "units"
    # the code's length too is core.unit_text's (check_row): a stored one is kept whatever it is
    columns = (Column("code", text, True),
               Column("name", _judged(printed_text("unit_name"), unit_text.name_reason), True),
               Column("level", enum(UNIT_LEVELS)), Column("parent_code", bounded("parent_code")),
               Column("valid_from", date_value), Column("valid_to", date_value),
               Column("successor_code", bounded("unit_code")))

    def __init__(self, db, present, source=""):
        super().__init__(db, present, source)
        self.stored = {link: dict(db.execute(f"SELECT code, {link} FROM units").fetchall())
                       for link in LINKS}
        # code -> (row, {link: value or ABSENT})
        self.rows: dict[str, tuple[int, dict[str, object]]] = {}

    def check_row(self, record: Record) -> None:
        code = record.value("code")
        if code is None:
            return
        if code in self.rows:
            record.error("code", f"mã trùng với dòng {self.rows[code][0]}")
            return
        # a new code held to the catalogue's rule (core.unit_text); a stored one is the key of
        # a unit an older version wrote (`check` names it): its other fields may be corrected
        if code not in self.stored["parent_code"] and (why := unit_text.code_reason(code)):
            record.error("code", why)
        for link, (_what, itself) in LINK_WORDS.items():  # the desk's words (check_link)
            if record.get(link) == code:
                record.error(link, itself)
        start, end = record.value("valid_from"), record.value("valid_to")
        if start and end and end < start:
            record.error("valid_to", f"ngày thôi hoạt động trước ngày bắt đầu ({start})")
        elif refusal := unit_span_refusal(self.db, code, start, end):  # as the catalogue does
            record.error(*refusal)
        self.rows[code] = (record.row, {link: record.get(link) for link in LINKS})

    def finish(self) -> list[RowError]:
        errors = []
        for link, (what, column) in LINKS.items():
            links = dict(self.stored[link])
            links.update({code: v[link] for code, (_, v) in self.rows.items()
                          if v[link] is not ABSENT})
            errors += self._link_errors(link, links, what, column)
        return sorted(errors, key=lambda e: (e.row, e.column))

    def _link_errors(self, link: str, links: dict, what: str, column: str) -> list[RowError]:
        errors = []
        known = set(self.stored[link]) | set(self.rows)
        loops = link_loops(links)
        for code, (row, values) in self.rows.items():
            target = values[link]
            if not isinstance(target, str) or target == code:
                continue
            if target not in known:
                errors.append(RowError(row, column, target, f"không có đơn vị mã '{target}' "
                                       "trong tệp hay trong cơ sở dữ liệu"))
            elif reason := loop_reason(what, loops, code):
                errors.append(RowError(row, column, target, reason))
        return errors

    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        # the name compared as stored: the file's is cleaned (printed_text), so an older
        # version's «Xã Cũ \t», which `check` names, is corrected, not counted unchanged
        changed, counts = changes(conn, "units", "code", FIELDS, records, CLEANED)
        if write and changed:
            # a parent or successor may come in a later row
            conn.execute("PRAGMA defer_foreign_keys = ON")
        for record, _before, new in changed if write else ():
            self._dates_still_fit(record, new)
            conn.execute(
                "INSERT INTO units(code, name, level, parent_code, valid_from, valid_to, "
                "successor_code) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(code) DO UPDATE SET name = excluded.name, level = excluded.level, "
                "parent_code = excluded.parent_code, valid_from = excluded.valid_from, "
                "valid_to = excluded.valid_to, successor_code = excluded.successor_code",
                [record["code"], *(new[f] for f in FIELDS)])
            # a new name: its dossiers' keys indexed again by the triggers (db.fulltext)
        return counts

    def _dates_still_fit(self, record: Record, new: dict) -> None:
        """The row's dates once more, inside the write's transaction (check_row's rule): a
        dossier received at the unit meanwhile must not be left outside its days."""
        refusal = unit_span_refusal(self.db, record["code"], new["valid_from"], new["valid_to"])
        if refusal:
            raise InputError(f"Chưa nhập gì: hồ sơ vừa được ghi trong lúc kiểm tra tệp, và "
                             f"dòng {record.row} ({record['code']}): {refusal[1]} Hãy nhập lại "
                             "tệp.")

    def after(self, conn) -> None:
        """The file's links once more, as written, inside the write's transaction: checked only
        before it (finish), a clerk saving a unit meanwhile could close a loop with them."""
        for link, (what, _column) in LINKS.items():
            loops = link_loops(dict(conn.execute(f"SELECT code, {link} FROM units "
                                                 f"WHERE {link} IS NOT NULL")))
            for code, (row, _values) in self.rows.items():
                if reason := loop_reason(what, loops, code):
                    raise InputError(f"Chưa nhập gì: danh mục đơn vị vừa được sửa trong lúc "
                                     f"kiểm tra tệp, và dòng {row} ({code}): {reason}. Hãy "
                                     "nhập lại tệp.")

    def export_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM units").fetchone()[0]

    def export_rows(self):
        yield from self.db.execute(
            "SELECT code, name, level, parent_code, valid_from, valid_to, successor_code "
            "FROM units ORDER BY code")
