"""Catalogue rows of a package that differ from this installation's: what differs, and taking
the package's version when the clerk chooses it.

The catalogue is the administrator's, so a differing unit, procedure or calendar day stays ours
unless chosen (`exchange import --catalogue theirs`, or per item in the window's preview).
Taking the package's version goes through the functions of the Danh mục screen
(core.catalogue: catalogue.edit / calendar.edit, setting_changes with the account), inside the
import's transaction, so a refusal or a bad row leaves nothing written. Names are kept as the
other installation recorded them (`as_recorded`), as citizens' names in its dossiers are: the
PDFs draw a character their font lacks as □ (core.printable.drawable).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core import catalogue, labels, rules, unit_text
from core.calendar import WEEKDAYS_VI
from core.components import Component
from core.errors import FieldError
from core.exchange import records
from core.exchange.checks import BadRecord
from core.explain import cutoff_note
from core.timefmt import vn_money, vn_number

OURS, THEIRS = "ours", "theirs"
KIND_VI = {"units": "Đơn vị", "procedures": "Thủ tục", "calendar": "Lịch làm việc",
           "hours": "Giờ làm việc"}  # hours: the sender's dated office hours (office_hours)

# field -> (Vietnamese name, how a value is shown)
_WORDS = {
    "name": ("Tên", None), "level": ("Cấp", labels.UNIT_LEVEL_VI),
    "parent_code": ("Đơn vị cấp trên", None), "valid_from": ("Hoạt động từ", None),
    "valid_to": ("Thôi hoạt động từ", None), "successor_code": ("Đơn vị kế thừa", None),
    "field": ("Lĩnh vực", None), "limit_value": ("Thời hạn giải quyết", None),
    "limit_unit": ("Đơn vị thời hạn", labels.LIMIT_UNIT_VI), "fee": ("Lệ phí", "money"),
    "online_level": ("Mức trực tuyến", labels.ONLINE_LEVEL_VI),
    "paper_result": ("Trả kết quả giấy", "yesno"),
    "same_day_cutoff": ("Giờ nhận giải quyết trong ngày", None),
    "kind": ("Loại ngày", labels.CALENDAR_KIND_VI),
    "rules": ("Quy định theo thời kỳ", "rules"), "components": ("Thành phần hồ sơ", "parts"),
}


@dataclass
class CatalogueDiff:
    """One catalogue row the package holds differently; `ours`/`theirs` are package records."""
    kind: str
    key: str
    ours: dict
    theirs: dict
    differs: list[tuple[str, str, str]] = field(default_factory=list)  # (field, ours, theirs)
    said: str = ""  # what taking it would change, when a preview worked it out (office hours)

    @property
    def item(self) -> str:
        """How the command line and the choices name it: "units:X01", "calendar:2026-01-01"."""
        return f"{self.kind}:{self.key}"

    def title(self) -> str:
        """As the clerk reads it: "Đơn vị X01 (UBND xã …)", "Lịch làm việc 28/08/2026 (Thứ
        Sáu)" (a day as dd/mm/yyyy; the command line's key stays `item`)."""
        if self.kind == "hours":  # one a sender: "hours:c3cd08e7"
            return f"{KIND_VI[self.kind]} của máy {self.key}"
        if self.kind == "calendar":
            day = dt.date.fromisoformat(self.key)
            return f"{KIND_VI[self.kind]} {day:%d/%m/%Y} ({WEEKDAYS_VI[day.weekday()]})"
        name = self.theirs.get("name")
        return f"{KIND_VI[self.kind]} {self.key}" + (f" ({name})" if name else "")

    def line(self) -> str:
        parts = "; ".join(f"{what}: máy này {o}, gói {t}" for what, o, t in self.differs)
        return f"{self.title()} — {parts}"


def diff(kind: str, key: str, ours: dict, theirs: dict) -> CatalogueDiff:
    """What differs between two records of the same row, each field in Vietnamese."""
    found = CatalogueDiff(kind, key, ours, theirs)
    for name in theirs:
        if name in ("code", "date") or ours.get(name) == theirs.get(name):
            continue
        word, how = _WORDS.get(name, (name, None))
        found.differs.append((word, _shown(ours.get(name), how), _shown(theirs.get(name), how)))
    return found


def _shown(value, how) -> str:
    if how == "rules":
        return f"{vn_number(len(value or []))} thời kỳ trước"
    if how == "parts":
        return f"{vn_number(len(value or []))} giấy tờ"
    if value is None or value == "":
        return "(trống)"
    if how == "money":
        return vn_money(value) if isinstance(value, int) else str(value)
    if how == "yesno":
        return "có" if value else "không"
    if isinstance(value, float):  # 0,5 ngày làm việc
        return f"{value:g}".replace(".", ",")
    if isinstance(how, dict):
        return how.get(value, str(value))
    return str(value)


def late_cutoff_warning(cal, record: dict) -> str | None:
    """A same-day procedure of the package whose cut-off is later than the end of this
    installation's office hours (`cal`, those in force today): kept, and said what it means
    (core.explain.cutoff_note)."""
    if record.get("limit_unit") != "same_day":
        return None
    note = cutoff_note(cal, record.get("same_day_cutoff"))
    if note is None:
        return None
    name = record.get("name")
    return f"Thủ tục {record['code']}" + (f" ({str(name)[:80]})" if name else "") + f": {note}"


def day_choice_warning(record: dict, reason_here: str | None) -> str:
    """A calendar day of the package's that would turn one of this installation's days from
    working to off (or back), listed as a difference (core.exchange.merge.catalogue_rows): whose
    day it is and what keeping or taking it does to whose due times, in the preview and the
    command's output alike (the catalogue line names only the two kinds of day)."""
    day = dt.date.fromisoformat(record["date"])
    off = record["kind"] != "workday"
    name = str(record.get("name") or "")[:80]
    there = ("ngày nghỉ" + (f" ({name})" if name else "")) if off else "ngày làm việc"
    here = "ngày làm việc" if reason_here is None else f"ngày nghỉ ({reason_here})"
    sooner, later = ("sớm hơn", "muộn hơn") if off else ("muộn hơn", "sớm hơn")
    return (f"Ngày {day:%d/%m/%Y} ({WEEKDAYS_VI[day.weekday()]}): lịch của máy gửi ghi là "
            f"{there}, máy này là {here}. Giữ lịch của máy này (mặc định): hạn của hồ sơ trong "
            f"gói qua ngày ấy có thể {sooner} hạn máy gửi đã hẹn. Lấy theo gói (đánh dấu dòng "
            f"ấy; dòng lệnh: --catalogue-item calendar:{record['date']}=theirs): ngày ấy thành "
            f"{'ngày nghỉ' if off else 'ngày làm việc'} cho mọi hồ sơ máy này giữ, hạn của hồ "
            f"sơ các đơn vị khác qua ngày ấy {later} hạn máy của họ đã tính.")


UNITS_NAMED = 3  # new units named in the note; the rest counted


def days_added_warning(records: list[dict]) -> str | None:
    """The package's calendar days an installation holding no dossier yet added although they
    turn one of its days from working to off (or back): nothing it holds moves, but the
    calendar is one for the whole installation, so every other unit's dossiers imported later
    are due by them (a commune's own day off, come first, set for all)."""
    if not records:
        return None
    named = []
    for r in records[:UNITS_NAMED]:
        day = dt.date.fromisoformat(r["date"])
        name = str(r.get("name") or "")[:80]
        kind = ("ngày nghỉ" + (f" ({name})" if name else "")) if r["kind"] != "workday" \
            else "ngày làm việc"
        named.append(f"{day:%d/%m/%Y} ({WEEKDAYS_VI[day.weekday()]}) {kind}")
    rest = len(records) - UNITS_NAMED
    these = "ngày ấy" if len(records) == 1 else "những ngày ấy"
    return (f"Gói thêm vào lịch của máy này {vn_number(len(records))} ngày khác ngày máy này "
            f"đang tính: {', '.join(named)}"
            + (f" và {vn_number(rest)} ngày khác" if rest > 0 else "")
            + f". Máy này chưa có hồ sơ nên chưa hồ sơ nào đổi hạn; nhưng lịch là một cho cả "
            f"máy: hồ sơ của các đơn vị khác nhập sau mà qua {these} sẽ tính theo lịch này, có "
            f"thể khác hạn máy của họ đã tính. Nếu đó là ngày riêng của máy gửi, hãy xoá {these} "
            "ở Danh mục, thẻ Lịch làm việc.")


def new_units_warning(units: list[dict]) -> str | None:
    """The units a package adds to this installation's catalogue, named before anything is
    written: a package of another unit (another district's commune, the wrong USB) would add
    its dossiers to this installation's report with nothing else to tell."""
    if not units:
        return None
    # a name's format character (a bidi override a package kept) shown as U+FFFD, never as it is
    named = ", ".join(f"{unit_text.shown(u['code'])} "
                      f"({unit_text.shown(str(u.get('name') or ''), 80)})"
                      for u in units[:UNITS_NAMED])
    rest = len(units) - UNITS_NAMED
    named += f" và {vn_number(rest)} đơn vị khác" if rest > 0 else ""
    these = "đơn vị ấy" if len(units) == 1 else "các đơn vị ấy"
    return (f"Gói thêm vào danh mục {vn_number(len(units))} đơn vị máy này chưa có: {named}. "
            f"Hồ sơ của {these} sẽ được tính vào báo cáo của máy này; nếu gói gửi nhầm (gói "
            "của đơn vị khác), đừng nhập.")


def choice_of(item: CatalogueDiff, default: str | None, choices: dict[str, str]) -> str:
    """Ours unless the clerk chose the package's (for this item, else for all)."""
    return choices.get(item.item) or default or OURS


def take_theirs(db, item: CatalogueDiff) -> None:
    """Write the package's version as the Danh mục screen would (its rights, its log).
    A row the catalogue's rules refuse raises BadRecord with the reason in Vietnamese."""
    try:
        {"units": _unit, "procedures": _procedure, "calendar": _day,
         "hours": _hours}[item.kind](db, item.theirs)
    except FieldError as exc:
        raise BadRecord(f"không lấy được bản của gói: {exc}") from None
    except (TypeError, ValueError, AttributeError):  # a date, a document line, a name (a
        # JSON number where text goes: 123.strip()) of the wrong shape
        raise BadRecord("không lấy được bản của gói: dữ liệu sai dạng") from None


def unit_loops(conn) -> dict[str, dict]:
    """The loops of the catalogue's two links as the operation's new units leave it, read and
    walked once for all of them (check_new_links)."""
    return {link: catalogue.stored_loops(conn, link) for link in catalogue.LINK_WORDS}


def check_new_unit(record: dict) -> None:
    """A unit the package adds (insert_row), in its package's turn: its code and name
    (core.unit_text: the desk's and `import units`' rule of their length and characters) and
    its dates (core.catalogue.check_validity), as recorded; BadRecord naming the unit."""
    if not isinstance(record["name"], str | None):  # a JSON number or list where a name is text
        raise BadRecord(f"{_named(record)}: tên đơn vị không phải chuỗi ký tự")
    try:
        unit_text.check_unit_text(record["code"], record["name"] or "")
        # the desk's rule of a level, in its words: the table's CHECK only said «dữ liệu sai
        # kiểu hoặc trái ràng buộc» of the line (break34)
        catalogue.check_level(record["level"])
        if reason := catalogue.check_validity(_date(record["valid_from"]),
                                              _date(record["valid_to"])):
            raise FieldError("valid_to", reason)
    except FieldError as exc:
        raise _against_rule(record, exc) from None
    except (TypeError, ValueError):  # a date or a name of the wrong shape
        raise BadRecord(f"{_named(record)}: ngày hoạt động không đúng dạng YYYY-MM-DD") from None


def check_new_links(conn, record: dict, loops: dict[str, dict]) -> None:
    """A new unit's parent and successor (core.catalogue.check_links: the desk's and `import
    units`' words) once every package of the operation had its turn (`loops`: unit_loops
    then): the catalogue they are checked against is this installation's and every package's
    units, so new units naming each other (B under A, both new, in one package or two, in
    either order) pass, and a loop among them, a unit its own successor or a parent no package
    brings are refused: BadRecord naming the unit, the whole operation written nothing."""
    try:
        catalogue.check_links(conn, record["code"], record["parent_code"],
                              record["successor_code"], loops)
    except FieldError as exc:
        raise _against_rule(record, exc) from None


def check_taken_links(conn, record: dict, loops: dict[str, dict]) -> None:
    """The parent and successor of a held unit's version the clerk chose (take_theirs writes
    it with its links unchecked), checked as a new unit's are (check_new_links): once every
    package of the operation is in, against this installation's and every package's units,
    so a version naming a parent only a later package brings passes whatever the packages'
    order; BadRecord in take_theirs' words."""
    try:
        catalogue.check_links(conn, record["code"], record["parent_code"],
                              record["successor_code"], loops)
    except FieldError as exc:
        raise BadRecord(f"không lấy được bản của gói: {exc}") from None


def _named(record: dict) -> str:
    name = record.get("name")
    return f"đơn vị {unit_text.shown(record['code'])}" + (
        f" ({unit_text.shown(name, 80)})" if isinstance(name, str) and name else "")


def _against_rule(record: dict, exc: FieldError) -> BadRecord:
    return BadRecord(f"{_named(record)} gói thêm vào danh mục trái quy tắc của danh mục: "
                     f"{str(exc).rstrip('.')}. Hãy báo nơi gửi sửa đơn vị ấy trong Danh mục "
                     "rồi xuất lại gói")


def _date(text) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _unit(db, r: dict) -> None:
    catalogue.save_unit(db, r["code"], r["name"], r["level"], r["parent_code"],
                        valid_from=_date(r["valid_from"]), valid_to=_date(r["valid_to"]),
                        successor_code=r["successor_code"], as_recorded=True, links=False)


def _day(db, r: dict) -> None:
    catalogue.calendar_day_change(dt.date.fromisoformat(r["date"]), r["kind"], r["name"])(db)


def _hours(db, r: dict) -> None:
    """The sender's office hours from the day its dossiers first differ (office_hours.take)."""
    from core.exchange import office_hours
    office_hours.take(db, r["hours"], dt.date.fromisoformat(r["from"]))


def _procedure(db, r: dict) -> None:
    """The package's procedure, its dated rules one after the other (each from its day, as the
    screen saves a rule from a date), then its list of documents with the rule in force."""
    periods = [(_date(row[0]), dict(zip(rules.RULE_FIELDS, row[2:], strict=True)))
               for row in r.get("rules") or []]
    current_from = _date((r.get("rules") or [[None, None]])[-1][1]) or rules.BEGINNING
    periods.append((current_from, {k: r[k] for k in rules.RULE_FIELDS}))
    parts = [Component(c[1], c[2], c[3], bool(c[4])) for c in r.get("components") or []]
    for number, (start, rule) in enumerate(periods):
        values = {**{k: r[k] for k in catalogue.PROCEDURE_FIELDS}, **rule,
                  "valid_from": start or rules.BEGINNING}
        last = number == len(periods) - 1
        catalogue.procedure_change(db, values, parts if last else None,
                                   as_recorded=True).change(db)


_TABLES = {"units": ("units", "unit"), "procedures": ("procedures", "procedure"),
           "calendar": ("calendar", "calendar")}


def stored_records(conn, kind: str):
    """This installation's catalogue rows of one kind, as a package holds them."""
    return getattr(records, f"{_TABLES[kind][1]}_records")(conn)


def insert_row(conn, kind: str, record: dict, columns: tuple[str, ...]) -> None:
    """A catalogue row this installation lacks, as the package has it."""
    table = _TABLES[kind][0]
    conn.execute(f"INSERT INTO {table}({', '.join(columns)}) VALUES "
                 f"({', '.join('?' * len(columns))})", [record[c] for c in columns])
    if kind == "procedures":
        conn.executemany(f"INSERT INTO procedure_rules(procedure_code, "
                         f"{', '.join(records.RULE_COLUMNS)}) VALUES (?,?,?,?,?,?,?,?)",
                         [(record["code"], *r) for r in record.get("rules") or []])
        conn.executemany(f"INSERT INTO procedure_components(procedure_code, "
                         f"{', '.join(records.PROC_COMPONENT_COLUMNS)}) VALUES (?,?,?,?,?,?)",
                         [(record["code"], *c) for c in record.get("components") or []])
