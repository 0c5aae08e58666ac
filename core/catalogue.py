"""Writing the catalogue: units, procedures and the office calendar (the window's Danh mục).

Each save is one transaction; a change that moves due times recomputes the dossiers it touches
in that same transaction (core.recompute.apply_dated), so the stored figures always follow the
catalogue. The window asks first how many dossiers move (core.recompute), then calls these.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from core import fees, official_calendar, recompute, rules
from core.accounts import require
from core.components import check_components, log_components, write_procedure_components
from core.errors import FieldError
from core.moment import unit_span_refusal
from core.textnorm import nfc
from core.timefmt import vn_number
from core.unit_text import UNIT_NAME_REQUIRED, check_unit_text
from core.unit_text import shown as shown_code
from core.validation import check_limit, clean_name, clean_printed, printed_line
from db.connection import transaction
from db.schema import UNIT_LEVELS
from db.settings import log_change

PROCEDURE_FIELDS = ("code", "name", "field", "limit_value", "limit_unit", "fee", "online_level",
                    "paper_result", "same_day_cutoff")
Progress = Callable[[int, int], bool] | None
PROCEDURE_NAME_REQUIRED = "Cần nhập tên thủ tục."


# A unit's two links to another unit (spec 7): what each is called, and why it cannot name the
# unit itself. The words of the desk (check_link) and of `import units` (core.transfer.units).
LINK_WORDS = {"parent_code": ("cấp trên", "đơn vị không thể là cấp trên của chính nó"),
              "successor_code": ("đơn vị kế thừa", "đơn vị không thể kế thừa chính nó")}


def link_loops(links: dict) -> dict[str, tuple[list[str], int]]:
    """{code: (its loop, its place on it)} for every code on a loop of `links` (successor or
    parent), in one pass over them: walking each code's chain anew took 157 s for a file of
    20,000 units each the parent of the next. The codes of one loop share its list (loop_words
    says it from each). A code whose chain only runs into a loop further on is not on it
    (reported from the loop's own units). The one loop rule of the desk (check_link) and
    of `import units` (core.transfer.units), for both links, through loop_reason."""
    done: set = set()
    loops: dict[str, tuple[list[str], int]] = {}
    for start in links:
        walk: dict = {}  # code -> its place on this walk
        current = start
        while current is not None and current not in done and current not in walk:
            walk[current] = len(walk)
            current = links.get(current)
        if current in walk:  # the walk met itself: the codes from there on are a loop
            cycle = list(walk)[walk[current]:]
            loops.update((code, (cycle, place)) for place, code in enumerate(cycle))
        done.update(walk)
    return loops


def loop_reason(what: str, loops: dict[str, tuple[list[str], int]], code: str) -> str | None:
    """Why `code`'s link (`what`: "đơn vị kế thừa", "cấp trên") is refused: it is on one of
    `loops` (link_loops), said from it; None when it is not. The desk's and the file's words."""
    if code not in loops:
        return None
    return f"{what} tạo thành vòng lặp: " + loop_words(*loops[code])


def loop_words(cycle: list[str], place: int, shown: int = 8) -> str:
    """The loop from the code at `place` back to it, for a message: whole when short
    ("A → B → A"), else its first codes and its length."""
    if len(cycle) <= shown:
        return " → ".join(cycle[place:] + cycle[:place] + [cycle[place]])
    first = [cycle[(place + step) % len(cycle)] for step in range(shown)]
    return (" → ".join(first) + f" → … → {cycle[place]} (vòng {vn_number(len(cycle))} đơn vị)")


def check_validity(valid_from: dt.date | None, valid_to: dt.date | None) -> str | None:
    """Why a unit's validity is wrong (Vietnamese), or None."""
    if valid_from and valid_to and valid_to < valid_from:
        return (f"Ngày thôi hoạt động {valid_to:%d/%m/%Y} trước ngày bắt đầu hoạt động "
                f"{valid_from:%d/%m/%Y}.")
    return None


def check_link(db, code: str, link: str, target: str | None, loops: dict | None = None) -> None:
    """`code`'s `link` (parent_code, successor_code) to `target` must name another unit of the
    catalogue and not lead back to `code`: the one loop rule (link_loops, loop_reason) of the
    desk and of `import units`, in the same words. One read of the links, walked once in
    Python (linear however deep the tree); `loops`: those of the catalogue as it stands, `code`
    linked to `target` already (stored_loops), for many units checked at once (a package's new
    units: read and walked again for each, 4,000 new units took 11 s). Call it inside the
    write's transaction (save_unit): checked outside, a second writer could close the loop
    between the check and the write."""
    if not target:
        return
    what, itself = LINK_WORDS[link]
    if target == code:
        raise FieldError(link, sentence(itself))
    if not db.execute("SELECT 1 FROM units WHERE code = ?", [target]).fetchone():
        # quoted as core.unit_text shows a code: a package's may be a megabyte, hold a tab
        raise FieldError(link, f"{sentence(what)[:-1]} {shown_code(target)!r} không có trong danh mục.")
    if loops is None:
        loops = stored_loops(db, link, {code: target})
    if reason := loop_reason(what, loops, code):
        raise FieldError(link, sentence(reason))


def stored_loops(db, link: str, changed: dict | None = None) -> dict[str, tuple[list[str], int]]:
    """The loops (link_loops) of the catalogue's `link` (a LINK_WORDS key), the links
    `changed` ({code: target}) as they will be."""
    links = dict(db.execute(f"SELECT code, {link} FROM units "  # a LINK_WORDS key
                            f"WHERE {link} IS NOT NULL").fetchall())
    links.update(changed or {})
    return link_loops(links)


def check_unit(db, code: str, parent_code: str | None, valid_from: dt.date | None,
               valid_to: dt.date | None, successor_code: str | None,
               loops: dict[str, dict] | None = None, links: bool = True) -> None:
    """The catalogue's one rule of a unit's links and dates, raising FieldError in the desk's
    words: valid_from ≤ valid_to (check_validity), its parent and its successor (check_links),
    its dossiers inside its dates (core.moment.unit_span_refusal). The desk's save (save_unit)
    calls it inside its write's transaction; a package's new units and the versions of held
    ones the clerk chose are held to its parts (core.exchange.catalogue: their links, `links`
    False here, once every package of the operation is in). Its code and name:
    core.unit_text, the one rule of their length and characters."""
    if reason := check_validity(valid_from, valid_to):
        raise FieldError("valid_to", reason)
    if links:
        check_links(db, code, parent_code, successor_code, loops)
    if refusal := unit_span_refusal(db, code, valid_from, valid_to):
        raise FieldError(*refusal)


def check_links(db, code: str, parent_code: str | None, successor_code: str | None,
                loops: dict[str, dict] | None = None) -> None:
    """`code`'s parent and successor (check_link; `loops`: {link: stored_loops} when the unit
    is written already, for many units checked at once)."""
    loops = loops or {}
    check_link(db, code, "parent_code", parent_code, loops.get("parent_code"))
    check_link(db, code, "successor_code", successor_code, loops.get("successor_code"))


def sentence(words: str) -> str:
    """The file's words ("đơn vị kế thừa tạo thành vòng lặp: …") as the desk's sentence."""
    return words[0].upper() + words[1:] + "."



def check_level(level: object) -> None:
    """A unit's level: one of UNIT_LEVELS or none; FieldError naming the one given (the desk's
    save and a package's new unit, core.exchange.catalogue: one rule, one wording)."""
    if level is not None and level not in UNIT_LEVELS:
        raise FieldError("level", f"Cấp đơn vị không hợp lệ: «{shown_code(str(level), 40)}».")


def save_unit(db, code: str, name: str, level: str | None, parent_code: str | None, *,
              valid_from: dt.date | None = None, valid_to: dt.date | None = None,
              successor_code: str | None = None, as_recorded: bool = False,
              links: bool = True) -> None:
    """Add or change a unit (spec 1, 7): a unit may not sit under itself or under one of its own
    units; dissolved on `valid_to`, it may name the unit that took it over (`successor_code`).
    Its name is printed on every slip, report and register: cleaned and refused when the
    documents cannot print it (core.validation.clean_printed), unless `as_recorded` (a
    package's version, kept as the other installation recorded it, core.exchange.catalogue).
    Its code (the ends' spaces of a typed one removed) and name: core.unit_text's rule.
    `links` False: its parent and successor checked by the caller, in the same transaction (a
    package's version, once every package of the operation is in: core.exchange.catalogue)."""
    require("catalogue.edit")
    successor_code = (successor_code or "").strip() or None
    if not as_recorded:  # typed: cleaned first (clean_name), a package's judged as recorded
        code, name = code.strip(), clean_name(name) or ""
        if not _held(db, code):  # XÃ01 typed «tổ hợp» is the held XÃ01 (core.unit_text)
            code = nfc(code)
    check_unit_text(code, name, new_code=not _held(db, code))
    if not as_recorded:
        name = clean_printed("name", "Tên đơn vị", name, UNIT_NAME_REQUIRED)
    check_level(level)
    # checked and written in one transaction (BEGIN IMMEDIATE): no other writer can close a
    # loop or move a dossier out of the unit's dates between the check and the write
    with transaction(db) as conn:
        check_unit(db, code, parent_code, valid_from, valid_to, successor_code, links=links)
        old = conn.execute(f"SELECT {UNIT_LOGGED} FROM units WHERE code = ?", [code]).fetchone()
        _log(conn, "units", code, _row_text(old),
             _row_text((name, level, parent_code, _day(valid_from), _day(valid_to),
                        successor_code)))
        conn.execute("INSERT INTO units(code, name, level, parent_code, valid_from, valid_to, "
                     "successor_code) VALUES (?,?,?,?,?,?,?) "
                     "ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
                     "level = excluded.level, parent_code = excluded.parent_code, "
                     "valid_from = excluded.valid_from, valid_to = excluded.valid_to, "
                     "successor_code = excluded.successor_code",
                     [code, name, level, parent_code, _day(valid_from), _day(valid_to),
                      successor_code])
        # its dossiers are found by the unit's new name: the index's triggers (db.fulltext)



def _held(db, code: str) -> bool:
    return db.execute("SELECT 1 FROM units WHERE code = ?", [code]).fetchone() is not None


UNIT_LOGGED = "name, level, parent_code, valid_from, valid_to, successor_code"


def _row_text(values) -> str | None:
    """A catalogue row as setting_changes keeps it: its values joined, '' for an empty one."""
    return None if values is None else "; ".join("" if v is None else str(v) for v in values)


def _log(conn, area: str, key: str, old: str | None, new: str | None) -> None:
    """Who changed the catalogue (spec 10); a save that changes nothing leaves no row."""
    if old != new:
        log_change(conn, area, key, old, new)


@dataclass
class UnitRow:
    """A unit as the Danh mục tree shows it."""
    code: str
    name: str
    level: str | None
    parent_code: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_code: str | None
    successor_name: str | None

    def history_note(self) -> str:
        """"(đến 30/06/2025 → Xã Tân Đoàn)" for a dissolved unit, "(từ 01/07/2025)" for a new one."""
        parts = []
        if self.valid_from:
            parts.append(f"từ {self.valid_from:%d/%m/%Y}")
        if self.valid_to:
            parts.append(f"đến {self.valid_to:%d/%m/%Y}")
        if self.successor_code:
            parts.append(f"→ {self.successor_name or self.successor_code}")
        return f"({' '.join(parts)})" if parts else ""

    def dissolved_on(self, day: dt.date) -> bool:
        return self.valid_to is not None and self.valid_to < day


def unit_rows(db) -> list[UnitRow]:
    """Every unit with its validity and the name of its successor, by code."""
    rows = db.execute("SELECT u.code, u.name, u.level, u.parent_code, u.valid_from, u.valid_to, "
                      "u.successor_code, s.name FROM units u LEFT JOIN units s "
                      "ON s.code = u.successor_code ORDER BY u.code").fetchall()
    return [UnitRow(r[0], r[1], r[2], r[3], _date(r[4]), _date(r[5]), r[6], r[7]) for r in rows]


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class ProcedureChange:
    """A procedure's save: `change(db)` writes it, `ids` are the dossiers it moves; `dated` when
    its rule changes from `valid_from` (spec 2.1: a past date is previewed first). `kept`, once
    written: how many dossiers kept the old fee (core.fees), with the old fee."""
    change: Callable
    ids: list[int]
    dated: bool
    new: bool
    kept: dict = field(default_factory=dict)

    def fee_message(self) -> str | None:
        """"Mức phí mới áp dụng cho hồ sơ tiếp nhận từ nay; …" after a new fee was written."""
        return fees.message(self.kept.get("count"), self.kept.get("old"))


def procedure_change(db, values: dict, components: list | None = None, *,
                     as_recorded: bool = False) -> ProcedureChange:
    """`components` (a list of core.components.Component): the procedure's documents, saved in
    the same transaction (None: left as they are). The name is printed on every slip and
    report: cleaned and refused when the documents cannot print it
    (core.validation.clean_printed), unless `as_recorded` (a package's version, kept as the
    other installation recorded it, core.exchange.catalogue)."""
    if not as_recorded:  # its field (lĩnh vực) heads its rows of the report by field
        values = {**values, "name": clean_printed("name", "Tên thủ tục", values.get("name"),
                                                  PROCEDURE_NAME_REQUIRED),
                  "field": printed_line("field", "Lĩnh vực", values.get("field")) or None}
    plan = _procedure_change(db, values)
    if components is None:
        return plan
    items = check_components(components)

    def change(d) -> None:
        with transaction(d) as conn:
            plan.change(d)
            log_components(conn, values["code"], items)
            write_procedure_components(conn, values["code"], items)
    return ProcedureChange(change, plan.ids, plan.dated, plan.new, plan.kept)


def _procedure_change(db, values: dict) -> ProcedureChange:
    code, day = values["code"], values["valid_from"]
    check_limit(values["limit_value"], values["limit_unit"])
    old = db.execute(f"SELECT {', '.join(PROCEDURE_FIELDS)} FROM procedures WHERE code = ?",
                     [code]).fetchone()
    if old is None:  # a new procedure: its rule applies from the beginning
        return ProcedureChange(lambda d: _insert_procedure(d, values), [], False, True)
    rule = rules.ProcedureRule.of(values)
    entries = rules.procedure_entries(db, code)
    dated = rules.replace_from(entries, day, rule) != entries
    # the fee is not dated: the dossiers already received keep theirs (core.fees), those
    # received from now on follow the new one
    old_fee = dict(zip(PROCEDURE_FIELDS, old, strict=True))["fee"]
    fee_moves = old_fee != values["fee"]
    ids = set(recompute.dossiers_received_from(db, day, code) if dated else [])
    ids |= set(fees.following(db, code) if fee_moves else [])
    kept: dict = {}

    def change(d) -> None:
        require("catalogue.edit")  # here, where it writes: the window previews before saving
        with transaction(d) as conn:
            _log(conn, "catalogue", code, _row_text(old),
                 f"{_row_text([values.get(k) for k in PROCEDURE_FIELDS])}{_from(dated, day)}")
            count = fees.keep_old_fee(conn, code, old_fee, values["fee"])
            conn.execute("UPDATE procedures SET name = ?, field = ?, fee = ? WHERE code = ?",
                         [values["name"], values["field"], values["fee"], code])
            if dated:
                rules.set_procedure_rule(d, code, rule, day)
        if count is not None:
            kept.update(count=count, old=old_fee)
    return ProcedureChange(change, sorted(ids), dated, False, kept)


def _from(dated: bool, day: dt.date) -> str:
    return f" (áp dụng {rules.vn_from(day)})" if dated and day else ""  # "từ đầu" for BEGINNING


def _insert_procedure(db, values: dict) -> None:
    require("catalogue.edit")
    with transaction(db) as conn:
        log_change(conn, "catalogue", values["code"], None,
                   _row_text([values.get(k) for k in PROCEDURE_FIELDS]))
        conn.execute(f"INSERT INTO procedures({', '.join(PROCEDURE_FIELDS)}) VALUES "
                     f"({', '.join('?' * len(PROCEDURE_FIELDS))})",
                     [values[k] for k in PROCEDURE_FIELDS])


def save_procedure(db, values: dict, progress: Progress = None) -> int:
    """Save a procedure and recompute the dossiers it moves, in one transaction."""
    plan = procedure_change(db, values)
    return recompute.apply_dated(db, plan.change, plan.ids, progress)


def calendar_day_change(day: dt.date, kind: str | None, name: str | None = None) -> Callable:
    """`change(db)` setting `day` to `kind` (None: removing it from the office calendar)."""
    def change(db) -> None:
        require("calendar.edit")
        with transaction(db) as conn:
            old = conn.execute("SELECT kind, name FROM calendar WHERE date = ?",
                               [day.isoformat()]).fetchone()
            _log(conn, "calendar", day.isoformat(), _row_text(old),
                 None if kind is None else _row_text((kind, name or None)))
            if kind is None:
                conn.execute("DELETE FROM calendar WHERE date = ?", [day.isoformat()])
            else:
                conn.execute("INSERT INTO calendar(date, kind, name) VALUES (?,?,?) ON "
                             "CONFLICT(date) DO UPDATE SET kind = excluded.kind, "
                             "name = excluded.name", [day.isoformat(), kind, name or None])
    return change


def calendar_changes(changes: list) -> Callable:
    """`change(db)` writing the official schedule's changes (core.official_calendar.Change)."""
    def change(db) -> None:
        require("calendar.edit")
        with transaction(db) as conn:
            for item in changes:
                log_change(conn, "calendar", item.date.isoformat(), None,
                           f"{item.kind or 'xoá'}; {item.name} ({item.reason})")
            official_calendar.apply(conn, changes)
    return change


def set_calendar_day(db, day: dt.date, kind: str | None, name: str | None = None,
                     progress: Progress = None) -> int:
    """Set (or with kind None remove) a day of the calendar and recompute the dossiers whose
    working time spans it, in one transaction; returns how many were recomputed."""
    ids = recompute.dossiers_touching_dates(db, [day])
    return recompute.apply_dated(db, calendar_day_change(day, kind, name), ids, progress)
