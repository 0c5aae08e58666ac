"""Retention (Law 91/2025/QH15 Art. 3: kept only as long as needed; issue 15 §3).

A dossier's personal data is kept `retention_years` after it ended (returned to the citizen, or
refused, withdrawn or stopped: nothing left to hand back), then anonymised in place: name,
phone, address, ID number, email and representative. Nothing the figures read changes — status,
times, fee, unit, procedure, facts and kpi_daily stay — so every report of the past prints the
same numbers; the search key is rebuilt (the old name must not stay findable); `anonymised_at`
says when. Events are not touched (append-only, hash-chained): they hold no personal data
except the old and new values of a correction of a personal field (docs/privacy.md).

Off until the administrator confirms (`retention_enabled`); the count due is a reminder.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from core import accounts, timefmt
from core.errors import FieldError, OperationError
from core.privacy import access
from db import settings
from db.connection import transaction
from db.moments import to_stored

YEARS_KEY = "retention_years"
ENABLED_KEY = "retention_enabled"
YEARS_RANGE = (1, 100)
# What the law says about how long (docs/privacy.md §3, docs/legal.md): no text gives one number
# for every TTHC dossier. Each file's retention period — "vĩnh viễn hoặc thời hạn bằng số năm cụ
# thể" — is the one in the agency's Danh mục hồ sơ (Decree 30/2020/NĐ-CP Annex V §I.4, read in a
# stored copy), set by its head on the advice of the Hội đồng xác định giá trị tài liệu under the
# archives law (Law 01/2011/QH13, the council's article; Law 33/2024/QH15 from 01/7/2025) and
# the national retention table of Circular 10/2022/TT-BNV (cited by secondary sources; no
# stored copy found).
# Law 91/2025/QH15 Art. 3.3 keeps personal data only as long as the purpose needs, "trừ trường
# hợp pháp luật có quy định khác" — the archival period. So the default is to anonymise nothing
# (retention_enabled off) until the administrator enters the period of the office's Danh mục;
# the 10 years pre-filled (db.settings) are a placeholder, not a legal figure.
BASIS_VI = ("Thời hạn lưu giữ là thời hạn bảo quản của hồ sơ thủ tục hành chính ghi trong Danh mục "
            "hồ sơ của cơ quan (Nghị định 30/2020/NĐ-CP, Phụ lục V: vĩnh viễn hoặc số năm cụ thể, "
            "theo Thông tư 10/2022/TT-BNV và văn bản chuyên ngành). Luật Bảo vệ dữ liệu cá nhân "
            "91/2025/QH15 (Điều 3): dữ liệu chỉ lưu trong thời gian phù hợp với mục đích xử lý, "
            "trừ trường hợp pháp luật quy định khác. Loại hồ sơ bảo quản vĩnh viễn thì không bật "
            "ẩn danh; số năm điền sẵn chỉ là số gợi ý, chưa áp dụng khi chưa xác nhận.")
ANONYMOUS = "(đã ẩn danh)"
CHUNK = 5000
# The moment a dossier's personal data stops being needed: its result handed back, or (when
# there is nothing to hand back) its end.
ENDED_SQL = ("COALESCE(returned_at, CASE WHEN status IN ('rejected','withdrawn','stopped') "
             "THEN finished_at END)")
# A result is handed back only after the dossier is finished, so its end is never before
# finished_at: the first condition adds nothing but lets SQLite count through the index on
# finished_at (an instant 0 with ten years on a million dossiers, instead of a full scan).
# Read from the rows (db.dossier_rows): moments as seconds, the cutoff made so.
DUE_SQL = (f"finished_at < unixepoch(?1) AND anonymised_at IS NULL AND {ENDED_SQL} < "
           "unixepoch(?1)")
ANONYMISE_SQL = (f"UPDATE dossier_rows SET applicant_name = '{ANONYMOUS}', applicant_phone = NULL, "
                 "applicant_address = NULL, applicant_id_no = NULL, applicant_email = NULL, "
                 "representative = NULL, anonymised_at = ? "
                 "WHERE id IN (SELECT value FROM json_each(?))")


@dataclass(frozen=True)
class Plan:
    years: int
    enabled: bool
    cutoff: dt.date  # dossiers that ended before this day are due
    due: int


def years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def check_years(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not (
            YEARS_RANGE[0] <= value <= YEARS_RANGE[1]):
        raise FieldError(YEARS_KEY, f"Số năm lưu giữ phải là số nguyên từ {YEARS_RANGE[0]} "
                                    f"đến {YEARS_RANGE[1]}.")
    return value


def plan(db, today: dt.date | None = None) -> Plan:
    """The settings and how many dossiers are due now."""
    years = check_years(settings.get(db, YEARS_KEY))
    cutoff = years_ago(today or timefmt.now().date(), years)
    due = db.execute(f"SELECT COUNT(*) FROM dossier_rows WHERE {DUE_SQL}",
                     [cutoff.isoformat()]).fetchone()[0]
    return Plan(years, bool(settings.get(db, ENABLED_KEY)), cutoff, due)


def configure(db, years: int, enabled: bool) -> None:
    """The administrator sets the period and confirms (both logged in setting_changes)."""
    accounts.require("privacy.manage")
    check_years(years)
    with transaction(db):
        settings.put(db, YEARS_KEY, years)
        settings.put(db, ENABLED_KEY, bool(enabled))


def reminder(db, today: dt.date | None = None) -> str | None:
    """The administrator's notice when dossiers are due (None when nothing is, or it is off)."""
    current = plan(db, today)
    if not current.enabled or not current.due:
        return None
    return (f"{timefmt.vn_number(current.due)} hồ sơ đã trả quá {current.years} năm cần ẩn danh "
            "dữ liệu cá nhân (Dữ liệu cá nhân → Lưu giữ).")


def anonymise(db, today: dt.date | None = None,
              progress: Callable[[int, int], bool | None] | None = None) -> int:
    """Anonymise every due dossier in one transaction; returns how many. `progress(done,
    total)` returning False cancels with nothing changed."""
    accounts.require("privacy.manage")
    current = plan(db, today)
    if not current.enabled:
        raise OperationError("Chưa bật ẩn danh theo thời hạn lưu giữ: quản trị viên cần xác "
                             "nhận trong Dữ liệu cá nhân → Lưu giữ trước.")
    stamp = timefmt.to_db_time(timefmt.now())
    done = 0
    with transaction(db) as conn:
        while ids := [r[0] for r in conn.execute(
                f"SELECT id FROM dossier_rows WHERE {DUE_SQL} ORDER BY id LIMIT ?",
                [current.cutoff.isoformat(), CHUNK])]:
            # the index forgets the names by its triggers (db.fulltext), in this transaction
            conn.execute(ANONYMISE_SQL, [to_stored(stamp), "[" + ",".join(map(str, ids)) + "]"])
            done += len(ids)
            if progress and progress(done, current.due) is False:
                raise InterruptedError("anonymising cancelled")
        access.record(db, "retention.anonymise", details={
            "count": done, "years": current.years, "cutoff": current.cutoff.isoformat()})
    return done
