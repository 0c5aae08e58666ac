"""What the citizen slips (forms 01–04 of Circular 03/2025 Annex I, formerly Circular 01/2018)
print about one dossier."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.errors import InputError
from core.limits import clip
from core.rules import procedure_rule_at
from core.timefmt import parse_db_time

SLIP_SQL = """
SELECT d.id, d.code, d.unit_code, u.name, d.procedure_code, p.name, p.limit_value, p.limit_unit,
       d.applicant_name, d.applicant_address, d.applicant_phone, d.received_at, d.calc_due_at,
       d.copies, d.received_by, d.status
FROM dossiers d JOIN units u ON u.code = d.unit_code
JOIN procedures p ON p.code = d.procedure_code
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
    book_number: int = 0


def load_dossier(db, code: str) -> SlipDossier:
    """The dossier with this code, or InputError (exit 2) in Vietnamese."""
    code = (code or "").strip()
    row = db.execute(SLIP_SQL, [code]).fetchone()
    if row is None:
        raise InputError(f"Không tìm thấy hồ sơ có mã {code!r}. Hãy kiểm tra lại mã hồ sơ.")
    values = [*row[:11], parse_db_time(row[11]), parse_db_time(row[12]), row[13] or 1, row[14],
              row[15]]
    item = SlipDossier(*values)
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
    crashlog.forget_later(item.applicant_name, item.address, item.phone)


def book_number(db, item: SlipDossier) -> int:
    """The dossier's number in its unit's register of the year (same rule as core.pdf.book)."""
    year_start = dt.date(item.received_at.year, 1, 1).isoformat()
    received = item.received_at.strftime("%Y-%m-%d %H:%M:%S")
    return db.execute(
        "SELECT COUNT(*) FROM dossiers WHERE unit_code = ? AND received_at >= ? AND "
        "(received_at < ? OR (received_at = ? AND id <= ?))",
        [item.unit_code, year_start, received, received, item.id]).fetchone()[0]


@dataclass
class Extension:
    previous_due: dt.datetime | None
    new_due: dt.datetime
    reason: str
    extended_at: dt.datetime


def load_extension(db, item: SlipDossier) -> Extension:
    """The dossier's one extension (Mẫu 04), or OperationError when it has none."""
    from core.errors import OperationError

    row = db.execute("SELECT previous_due_at, new_due_at, reason, extended_at FROM extensions "
                     "WHERE dossier_id = ?", [item.id]).fetchone()
    if row is None:
        raise OperationError(
            f"Hồ sơ {item.code} chưa được gia hạn nên chưa có phiếu xin lỗi và hẹn lại ngày trả "
            "kết quả. Hãy ghi gia hạn (hạn mới và lý do) cho hồ sơ trước.")
    previous = parse_db_time(row[0]) if row[0] else item.due_at
    return Extension(previous, parse_db_time(row[1]), clip(row[2], "reason"), parse_db_time(row[3]))


def latest_supplement_reason(db, item: SlipDossier) -> str | None:
    row = db.execute("SELECT reason FROM supplements WHERE dossier_id = ? "
                     "ORDER BY requested_at DESC LIMIT 1", [item.id]).fetchone()
    return clip(row[0], "reason") if row else None


def office_phrase(office: str) -> str:
    """'BỘ PHẬN MỘT CỬA' -> 'Bộ phận Một cửa' for use inside a sentence."""
    text = (office or "Bộ phận Một cửa").strip()
    text = text[:1].upper() + text[1:].lower()
    return text.replace("một cửa", "Một cửa")
