"""The lists on screen as readable workbooks ("Xuất Excel"): one spec per list — its Vietnamese
headers, the kind of each column (date, money, text…) and width, the SQL of a row and how a row
becomes cells. The screens take their column headers and row SQL from here (gui.payments,
gui.votes, gui.dossiers.register_model), so the file always has the columns the clerk sees.

A list is exported by its ids in the screen's order (the same filters, tab and sort), so the
file's rows are the screen's rows. Phones go through core.privacy.masking unless the person
holds personal.full and stated a purpose; every export needs data.export and is logged.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from core import accounts, timefmt
from core.cancelling import state as cancelled
from core.labels import METHOD_VI, RATING_VI, STATUS_VI, VOTE_SOURCE_VI
from core.privacy import access, masking
from core.privacy.masking import FullData
from core.register import RegisterQuery
from core.workbook import stream
from core.workbook.stream import (
    CODE,
    DATETIME,
    MONEY,
    TEXT,
    WRAP,
    Column,
    Sheet,
    save_sheet,
)

CHUNK = 1000
Progress = stream.Progress


def _time(text: str | None) -> dt.datetime | None:
    return timefmt.parse_db_time(text) if text else None


@dataclass(frozen=True)
class ListSpec:
    key: str  # what the access log names (its `kind`)
    sheet: str
    title: str
    columns: tuple[Column, ...]
    row_sql: str  # the id, then the raw values (`{marks}` for the ids)
    # raw values of ROW_SQL (after the id) -> one cell per column, in the column's kind
    cells: Callable[[Sequence, FullData | None], list]
    personal: bool = False  # holds a phone: whole only with a stated purpose

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)


PAYMENTS = ListSpec(
    "payments", "Khoản thu", "CÁC KHOẢN ĐÃ THU",
    (Column("Thời điểm", DATETIME, 17), Column("Mã hồ sơ", CODE, 27),
     Column("Người nộp", TEXT, 24), Column("Số tiền", MONEY, 15), Column("Hình thức", TEXT, 15),
     Column("Biên lai / giao dịch", TEXT, 24), Column("Tình trạng", TEXT, 24)),
    "SELECT pm.id, pm.paid_at, d.code, d.applicant_name, pm.amount, pm.method, pm.reference, "
    "pm.cancelled_at, pm.cancel_reason FROM payments pm JOIN dossiers d ON d.id = pm.dossier_id "
    "WHERE pm.id IN ({marks})",
    lambda v, full: [_time(v[0]), v[1], v[2], v[3], METHOD_VI.get(v[4], v[4]), v[5],
                     cancelled(v[6])])

FOLLOW_UP = ListSpec(
    "follow_up", "Cần theo dõi", "HỒ SƠ CÓ PHÍ, CHƯA THANH TOÁN TRỰC TUYẾN",
    (Column("Mã hồ sơ", CODE, 27), Column("Người nộp", TEXT, 24), Column("Điện thoại", TEXT, 14),
     Column("Tiếp nhận", DATETIME, 17), Column("Lệ phí", MONEY, 14),
     Column("Đã thu (cách khác)", MONEY, 14), Column("Trạng thái", TEXT, 18)),
    "SELECT d.id, d.code, d.applicant_name, d.applicant_phone, d.received_at, "
    "COALESCE(d.fee, p.fee), (SELECT CAST(TOTAL(amount) AS INTEGER) FROM payments x "
    "WHERE x.dossier_id = d.id AND x.cancelled_at IS NULL), d.status FROM dossiers d JOIN "
    "procedures p ON p.code = d.procedure_code WHERE d.id IN ({marks})",
    lambda v, full: [v[0], v[1], masking.phone(v[2], full), _time(v[3]), v[4], v[5],
                     STATUS_VI.get(v[6], v[6])], personal=True)

VOTES = ListSpec(
    "votes", "Phiếu đánh giá", "PHIẾU ĐÁNH GIÁ SỰ HÀI LÒNG",
    (Column("Thời điểm", DATETIME, 17), Column("Đơn vị", WRAP, 30), Column("Mức độ", TEXT, 16),
     Column("Mã hồ sơ", CODE, 27), Column("Góp ý", WRAP, 40), Column("Nguồn", TEXT, 14),
     Column("Tình trạng", TEXT, 24)),
    "SELECT v.id, v.voted_at, u.name, v.rating, d.code, v.comment, v.source, v.cancelled_at, "
    "v.cancel_reason FROM votes v JOIN units u ON u.code = v.unit_code LEFT JOIN dossiers d "
    "ON d.id = v.dossier_id WHERE v.id IN ({marks})",
    lambda v, full: [_time(v[0]), v[1], RATING_VI.get(v[2], v[2]), v[3], v[4],
                     VOTE_SOURCE_VI.get(v[5], v[5]), cancelled(v[6])])

# The register's lines are computed (due now, time left): core.register reads them; row_sql is
# unused for it.
REGISTER = ListSpec(
    "register", "Hồ sơ", "DANH SÁCH HỒ SƠ",
    (Column("Mã hồ sơ", CODE, 27), Column("Thủ tục", WRAP, 45), Column("Người nộp", TEXT, 24),
     Column("Đơn vị", WRAP, 30), Column("Kênh", TEXT, 11), Column("Tiếp nhận", DATETIME, 17),
     Column("Hạn trả", DATETIME, 17), Column("Thời gian còn lại", TEXT, 22),
     Column("Trạng thái", TEXT, 20)),
    "", lambda v, full: list(v))


def _sql_rows(db, spec: ListSpec, ids: list[int], full: FullData | None) -> dict[int, list]:
    marks = ",".join("?" * len(ids))
    return {r[0]: spec.cells(r[1:], full) for r in db.execute(spec.row_sql.format(marks=marks), ids)}


def _register_rows(query: RegisterQuery, ids: list[int]) -> dict[int, list]:
    return {i: [x.code, x.procedure, x.applicant, x.unit, x.channel_vi, x.received_at, x.due,
                x.left, x.status_vi] for i, x in query.lines(ids).items()}


def rows(db, spec: ListSpec, ids: Sequence[int], moment: dt.datetime,
         full: FullData | None = None, progress: Progress | None = None) -> Iterator[list]:
    """The cells of each id, in the order of `ids`, read in chunks (memory stays flat).
    `progress(done, total)` after each chunk; False stops with InterruptedError."""
    query = RegisterQuery(db, lambda: moment) if spec is REGISTER else None
    total = len(ids)
    for start in range(0, total, CHUNK):
        chunk = list(ids[start:start + CHUNK])
        found = _register_rows(query, chunk) if query else _sql_rows(db, spec, chunk, full)
        for record_id in chunk:
            if record_id in found:  # deleted meanwhile: nothing to show
                yield found[record_id]
        stream.proceed(progress, min(start + CHUNK, total), total)


def scope(db, unit: str | None, first: dt.date | None = None, last: dt.date | None = None,
          more: Sequence[str] = ()) -> str:
    """'Đơn vị: Xã An Bình (cả đơn vị trực thuộc) — từ 01/11/2026 đến 30/11/2026 — Kênh: …'."""
    name = None
    if unit:
        row = db.execute("SELECT name FROM units WHERE code = ?", [unit]).fetchone()
        name = row[0] if row else unit
    parts = [f"Đơn vị: {name} (cả đơn vị trực thuộc)" if name else "Tất cả đơn vị"]
    if first or last:
        parts.append((f"từ {timefmt.vn_date(first)} " if first else "")
                     + (f"đến {timefmt.vn_date(last)}" if last else "").strip())
    return " — ".join([*parts, *more])


def titles(title: str, scope: str, moment: dt.datetime, count: int) -> list[str]:
    """The title rows: what the list is, its unit, period and filters, and the moment of the
    figures (a list of open dossiers changes by the minute)."""
    return [title, scope, f"Số liệu lúc {timefmt.vn_datetime(moment)} — "
                               f"{timefmt.vn_number(count)} dòng"]


def export_list(db, spec: ListSpec, ids: Sequence[int], path: str | Path, scope: str, *,
                moment: dt.datetime | None = None, full: FullData | None = None,
                progress: Progress | None = None, title: str | None = None) -> int:
    """Write the list of `ids` (in that order) to the workbook `path`; returns the rows written.

    `scope` names the unit, period and filters of the list; `moment` is when its figures were
    taken (the screen's "now"); `title` replaces the list's own (a tab, a dashboard figure).
    Logged in the access log like every export."""
    accounts.require("data.export")
    moment = moment or timefmt.now()
    sheet = Sheet(spec.sheet, titles(title or spec.title, scope, moment, len(ids)), spec.columns)
    count = save_sheet(path, sheet, rows(db, spec, ids, moment, full, progress))
    access.record(db, "export.list", purpose=full.purpose if full else None,
                  details={"rows": count, "full": full is not None, "kind": spec.key,
                           "file": Path(path).name})
    return count
