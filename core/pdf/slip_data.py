"""What the citizen slips (forms 01–04 of Circular 03/2025 Annex I, formerly Circular 01/2018)
print about one dossier."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from core import components
from core.actor_names import Names, shown
from core.components import DossierComponent
from core.errors import InputError
from core.labels import UnitLabel
from core.limits import clip
from core.pdf.agency_names import sentence_name
from core.rules import procedure_rule_at
from core.timefmt import parse_db_time

ONE_STOP_PHRASE = "Bộ phận Một cửa"  # a header without an office line

SLIP_SQL = """
SELECT d.id, d.code, d.unit_code, u.name, d.procedure_code, p.name, p.limit_value, p.limit_unit,
       d.applicant_name, d.applicant_address, d.applicant_phone, d.received_at, d.calc_due_at,
       d.copies, d.received_by, d.status, d.applicant_id_no, d.applicant_email,
       d.representative, d.result_delivery, COALESCE(c.name, u.name), d.finished_at,
       d.competent_unit_code
FROM dossiers d JOIN units u ON u.code = d.unit_code
JOIN procedures p ON p.code = d.procedure_code
LEFT JOIN units c ON c.code = d.competent_unit_code
WHERE d.code = ?
"""


@dataclass
class SlipDossier:
    id: int
    code: str
    unit_code: str
    unit_name: str
    procedure_code: str
    procedure_name: str
    limit_value: float
    limit_unit: str
    applicant_name: str
    address: str | None
    phone: str | None
    received_at: dt.datetime
    due_at: dt.datetime
    copies: int
    received_by: str | None
    status: str
    id_no: str | None = None
    email: str | None = None
    representative: str | None = None
    result_delivery: str | None = None
    competent_name: str = ""  # the unit that resolves it: the receiving one unless another
    competent_code: str | None = None  # stored: None (or the receiving unit's code) when not
    finished_at: dt.datetime | None = None
    book_number: int = 0

    @property
    def unit_label(self) -> UnitLabel:
        """The receiving unit and, when another resolves the dossier, that unit: the register's
        and the dossier window's rule (core.labels.UnitLabel)."""
        return UnitLabel.coded(self.unit_name, self.unit_code, self.competent_name,
                               self.competent_code)


def load_dossier(db, code: str) -> SlipDossier:
    """The dossier with this code, or InputError (exit 2) in Vietnamese."""
    code = (code or "").strip()
    row = db.execute(SLIP_SQL, [code]).fetchone()
    if row is None:
        raise InputError(f"Không tìm thấy hồ sơ có mã {code!r}. Hãy kiểm tra lại mã hồ sơ.")
    item = SlipDossier(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                       row[9], row[10], parse_db_time(row[11]), parse_db_time(row[12]), row[13] or 1,
                       row[14], row[15], id_no=row[16], email=row[17], representative=row[18],
                       result_delivery=row[19], competent_name=row[20],
                       finished_at=parse_db_time(row[21]) if row[21] else None,
                       competent_code=row[22])
    # the clerk's full name, not a login; a merged dossier's by its sender (core.actor_names)
    item.received_by = shown(db, item.received_by, "dossier_rows", item.id)
    _clip_texts(item)
    rule = procedure_rule_at(db, item.procedure_code, item.received_at)
    if rule is not None:  # a reprint states the limit in force when it was received (2.1)
        item.limit_value, item.limit_unit = rule.limit_value, rule.limit_unit
    item.book_number = book_number(db, item)
    return item


def _clip_texts(item: SlipDossier) -> None:
    """Values stored before the limits existed are printed cut to them (core.limits.clip)."""
    from core import crashlog

    item.applicant_name = clip(item.applicant_name, "applicant_name")
    item.address = clip(item.address, "applicant_address")
    item.phone = clip(item.phone, "applicant_phone")
    item.unit_name = clip(item.unit_name, "name")
    item.procedure_name = clip(item.procedure_name, "name")
    item.received_by = clip(item.received_by, "received_by")
    item.competent_name = clip(item.competent_name, "name")
    # personal data printed on the slip never reaches a crash log
    crashlog.forget_later(item.applicant_name, item.address, item.phone, item.id_no, item.email,
                          item.representative)


def book_number(db, item: SlipDossier) -> int:
    """The dossier's number in its unit's register of the year (same rule as core.pdf.book)."""
    year_start = dt.date(item.received_at.year, 1, 1).isoformat()
    received = item.received_at.strftime("%Y-%m-%d %H:%M:%S")
    return db.execute(
        "SELECT COUNT(*) FROM dossier_rows WHERE unit_code = ? AND received_at >= unixepoch(?) "
        "AND (received_at < unixepoch(?) OR (received_at = unixepoch(?) AND id <= ?))",
        [item.unit_code, year_start, received, received, item.id]).fetchone()[0]


@dataclass
class Extension:
    previous_due: dt.datetime | None
    new_due: dt.datetime
    reason: str
    extended_at: dt.datetime
    # brought by `import dossiers` (core.transfer.dossier_writer.EXTENSION_REASON): no file
    # carries the extension's own time, `extended_at` is only the latest it can have been
    # (core.live_due.imported_extension_at); `extended_phrase` says so
    imported: bool = False


def load_extension(db, item: SlipDossier) -> Extension:
    """The dossier's one extension (Mẫu 04), or OperationError when it has none."""
    from core.errors import OperationError

    row = db.execute("SELECT previous_due_at, new_due_at, reason, extended_at FROM extensions "
                     "WHERE dossier_id = ?", [item.id]).fetchone()
    if row is None:
        raise OperationError(
            f"Hồ sơ {item.code} chưa được gia hạn nên chưa có phiếu xin lỗi và hẹn lại ngày trả "
            "kết quả. Hãy ghi gia hạn (hạn mới và lý do) cho hồ sơ trước.")
    from core.transfer.dossier_writer import EXTENSION_REASON

    extended_at = parse_db_time(row[3])
    return Extension(_moved_due(db, item, row[0], extended_at), parse_db_time(row[1]),
                     clip(row[2], "reason"), extended_at, imported=row[2] == EXTENSION_REASON)


def extended_phrase(extension: Extension) -> str:
    """When the dossier was extended, as Mẫu 04 and its warning say it: the moment recorded at
    the counter ('được gia hạn lúc 15:00 ngày 20/10/2026'), or, for an extension a file
    brought, that the moment is only the latest the file allows, never a recorded one."""
    at = f"{extension.extended_at:%H:%M} ngày {extension.extended_at:%d/%m/%Y}"
    if extension.imported:
        return f"được gia hạn theo dữ liệu nhập từ tệp (chậm nhất {at})"
    return f"được gia hạn lúc {at}"


def extension_reason(item: SlipDossier, extension: Extension) -> str:
    """Mẫu 04's 'Lý do:': the reason recorded; an imported extension has none of its own (its
    stored reason "Nhập từ tệp" is MotCua's mark, not a reason to give a citizen)."""
    if extension.imported:
        return (f"Hồ sơ {item.code} {extended_phrase(extension)}; tệp không ghi lý do gia hạn.")
    return extension.reason


def _moved_due(db, item: SlipDossier, stored: str | None, extended_at: dt.datetime) -> dt.datetime | None:
    """The due time the extension moved, as the dossier window showed it then (core.live_due,
    the supplement waits begun before the extension counted under the office's policy): the
    stored `previous_due_at` is the 2.2 due time, before any wait. With the clock stopped
    (an open wait under `restart`) the stored one is all there is."""
    from core.live_due import due_of_dossier

    moved = due_of_dossier(db, item.id, extended_at, before_extension=True)[1]
    if moved is not None:
        return moved
    return parse_db_time(stored) if stored else item.due_at


def dossier_components(db, dossier_id: int) -> list[DossierComponent]:
    """The documents recorded at intake, in their order (read by core.components), clipped for
    print."""
    return [replace(c, name=clip(c.name, "name"), note=clip(c.note, "reason") if c.note else None)
            for c in components.dossier_components(db, dossier_id)]


def requested_items(db, dossier_id: int) -> list[str]:
    """Mẫu 02's lines: the documents the latest supplement request named, as named then
    (core.components keeps them with the request; without one, those not received), plus any
    received document the clerk noted as wrong."""
    out, named = [], set()
    for c in components.missing_components(db, dossier_id):
        named.add(c.position)
        out.append(_requested_line(c.name, c.form_vi, c.count, c.problem, c.note))
    for held in components.dossier_components(db, dossier_id):
        if held.received and held.note and held.position not in named:
            out.append(_requested_line(held.name, held.form_vi, held.count, "incorrect",
                                       held.note))
    return out


def _requested_line(name: str, form_vi: str, count: int, problem: str, note: str | None) -> str:
    name, note = clip(name, "name"), clip(note, "reason") if note else None
    if problem == "missing":
        return f"{name} ({form_vi.lower()}, {count:02d}): chưa nộp" + (f" – {note}" if note else "") + "."
    return f"{name} ({form_vi.lower()}): {note or components.PROBLEM_VI[problem].lower()}"


def latest_supplement_reason(db, item: SlipDossier) -> str | None:
    row = db.execute("SELECT reason FROM supplements WHERE dossier_id = ? "
                     "ORDER BY requested_at DESC LIMIT 1", [item.id]).fetchone()
    return clip(row[0], "reason") if row else None


def desk_phrase(header: dict) -> str:
    """How a slip's sentences name the desk that received the dossier: its unit's own name for a
    branch or reception point (settings_header sets 'desk'), else the header's office line, as
    a sentence writes a name typed in capitals ("BỘ PHẬN MỘT CỬA" → "Bộ phận Một cửa", "ỦY BAN
    NHÂN DÂN XÃ YÊN PHÚC" → "Ủy ban nhân dân xã Yên Phúc": agency_case.sentence_name)."""
    return sentence_name(header.get("desk") or header.get("office") or "") or ONE_STOP_PHRASE


def desk_at(office: str, unit_name: str) -> str:
    """'Bộ phận Một cửa – UBND xã Văn Quan'; a desk named by its unit's own name only once. The
    unit's catalogue name as a sentence writes it (sentence_name: one typed in capitals,
    "PHÒNG TƯ PHÁP", is "Phòng Tư pháp" in the slip's running text)."""
    return (sentence_name(unit_name) if office == unit_name
            else f"{office} – {sentence_name(unit_name)}")


def late_extension_warning(db, item: SlipDossier, extension: Extension) -> str | None:
    """A sentence when the extension was recorded less than one working day before the due
    time it moves (the notice is due at least one day before: Decree 61/2018 Art. 19.9, kept
    by the 2025 provincial one-stop rules), counted on the office's working calendar."""
    from core.calendar import load_calendar

    if extension.previous_due is None:
        return None
    cal = load_calendar(db).governing(item.received_at)
    ahead = cal.working_seconds(extension.extended_at, extension.previous_due) \
        if extension.extended_at < extension.previous_due else 0
    if ahead >= cal.day_seconds:
        return None
    short = "có thể chưa đủ" if extension.imported else "chưa đủ"  # only its latest moment
    return (f"Lưu ý: hồ sơ {item.code} {extended_phrase(extension)}, {short} một ngày làm "
            "việc trước hạn trả kết quả "
            f"({extension.previous_due:%H:%M} ngày {extension.previous_due:%d/%m/%Y}). Phiếu xin "
            "lỗi và đề nghị gia hạn phải gửi chậm nhất một ngày làm việc trước hạn.")


@dataclass
class Event:
    at: dt.datetime
    actor: str | None
    action: str
    reason: str | None


def dossier_events(db, item: SlipDossier) -> list[Event]:
    """The dossier's history (events), oldest first; `actor` is the full name of whoever
    recorded each step (Mẫu 06 names them)."""
    rows = db.execute("SELECT at, actor, action, reason, id FROM events WHERE dossier_id = ? "
                      "ORDER BY at, id", [item.id]).fetchall()
    names = Names(db)
    return [Event(parse_db_time(at), clip(names.of(actor, "event_rows", event_id), "received_by")
                  if actor else None, action, clip(reason, "reason") if reason else None)
            for at, actor, action, reason, event_id in rows]


def latest_event(db, item: SlipDossier, action: str) -> Event | None:
    found = [e for e in dossier_events(db, item) if e.action == action]
    return found[-1] if found else None
