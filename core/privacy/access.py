"""The access log (Law 91/2025/QH15 Art. 3: organisational measures; issue 15 §3): who viewed a
dossier's personal data, printed a slip or exported personal data, and why when the full data
was asked for. The table `access_log` is append-only (triggers); the administrator reads it.

`details` never holds personal data: only the keys of DETAIL_KEYS (counts, a file's name, the
field corrected, how a person was searched for — never the value searched).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from core import accounts, timefmt
from core.errors import InputError
from db import actor, stored_json
from db.connection import transaction

# action -> what the administrator reads (docs/privacy.md lists them too)
ACTIONS: dict[str, str] = {
    "dossier.view": "Xem dữ liệu cá nhân của hồ sơ",
    "slip.print": "In phiếu của hồ sơ",
    "export.dossiers": "Xuất danh sách hồ sơ (tệp)",
    "export.book": "In/xuất sổ theo dõi hồ sơ",
    "export.list": "Xuất danh sách ra Excel (hồ sơ, khoản thu, phiếu đánh giá)",
    "export.package": "Xuất gói trao đổi giữa các máy (dữ liệu đầy đủ)",
    "subject.find": "Tìm hồ sơ của một người (yêu cầu của chủ thể)",
    "subject.export": "Xuất hồ sơ cho chủ thể dữ liệu",
    "subject.correct": "Sửa dữ liệu theo yêu cầu của chủ thể",
    "breach.list": "Lập danh sách người bị ảnh hưởng (sự cố lộ lọt)",
    "retention.anonymise": "Ẩn danh hồ sơ hết thời hạn lưu giữ",
}
# What `details` may say: never a name, a phone, an ID number or an address.
DETAIL_KEYS = frozenset({"rows", "full", "file", "kind", "field", "search_by", "count", "units",
                         "from", "to", "years", "cutoff", "slip"})
PAGE = 5000


@dataclass(frozen=True)
class Entry:
    at: str
    actor: str
    action: str
    dossier_code: str | None
    purpose: str | None
    details: dict

    @property
    def action_vi(self) -> str:
        return ACTIONS.get(self.action, self.action)


def _details_text(details: dict | None) -> str | None:
    if not details:
        return None
    unknown = set(details) - DETAIL_KEYS
    if unknown:  # a programming error: a caller about to log what must not be logged
        raise ValueError(f"access_log details may not hold {sorted(unknown)}")
    return json.dumps(details, ensure_ascii=False, sort_keys=True)


def record(db, action: str, dossier_id: int | None = None, purpose: str | None = None,
           details: dict | None = None) -> None:
    """Append one row (joins the caller's transaction when there is one).

    A database opened read-only (a copy on read-only media, a full disk: core.database) cannot
    hold the row: nothing is written there at all, and whoever can read that file can read it
    without MotCua anyway, so the log says what MotCua did on the office's own database."""
    if action not in ACTIONS:
        raise ValueError(f"unknown access_log action {action!r}")
    text = _details_text(details)
    if getattr(db, "read_only", False):
        return
    with transaction(db) as conn:
        code = None
        if dossier_id is not None:
            row = conn.execute("SELECT code FROM dossiers WHERE id = ?", [dossier_id]).fetchone()
            code = row[0] if row else None
        conn.execute("INSERT INTO access_log(at, actor, action, dossier_id, dossier_code, purpose,"
                     " details) VALUES (?,?,?,?,?,?,?)",
                     [timefmt.to_db_time(timefmt.now()), actor.login(), action, dossier_id, code,
                      purpose, text])


def read(db, start: dt.date, end: dt.date, account: str | None = None,
         code: str | None = None, limit: int = PAGE) -> list[Entry]:
    """Rows of [start, end] (whole days), newest first, for one account / dossier code."""
    accounts.require("privacy.manage")  # the log names who looked at whom: the administrator's
    if start > end:
        raise InputError(f"Ngày bắt đầu {start:%d/%m/%Y} sau ngày kết thúc {end:%d/%m/%Y}.")
    sql = ("SELECT at, actor, action, dossier_code, purpose, details FROM access_log "
           "WHERE at >= ? AND at < ?")
    params: list = [start.isoformat(), (end + dt.timedelta(days=1)).isoformat()]
    if account:
        sql += " AND actor = ?"
        params.append(account.strip())
    if code:
        sql += " AND dossier_code LIKE ?"
        params.append(f"%{code.strip()}%")
    rows = db.execute(sql + " ORDER BY id DESC LIMIT ?", [*params, limit]).fetchall()
    return [Entry(at, who, action, dossier_code, purpose, stored_json.object_of(details))
            for at, who, action, dossier_code, purpose, details in rows]


def details_vi(details: dict) -> str:
    """'rows 120, tệp hoso.xlsx, đầy đủ' for the screen and the command line."""
    words = {"rows": "số dòng", "file": "tệp", "kind": "loại", "field": "trường",
             "search_by": "tìm theo", "count": "số hồ sơ", "units": "đơn vị", "from": "từ",
             "to": "đến", "years": "số năm", "cutoff": "trả trước", "slip": "phiếu"}
    parts = [f"{words[k]} {v}" for k, v in sorted(details.items()) if k in words]
    if details.get("full"):
        parts.append("dữ liệu đầy đủ")
    return ", ".join(parts)
