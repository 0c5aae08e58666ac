"""The dossier register (Sổ theo dõi hồ sơ, Mẫu 07 of Circular 03/2025, formerly Mẫu 06 of
Circular 01/2018) on A4 landscape.

Numbering runs from 1 each year (one register per year, since Circular 01/2018 Art. 10.2): a
dossier's number is its rank by reception time within its reception year and the printed scope,
so a register printed from the middle of a year continues the year's numbers.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib.units import mm

from core.limits import clip, clip_header
from core.pdf import blocks, queries
from core.pdf.document import A4_LANDSCAPE, render
from core.timefmt import parse_db_time, vn_date

TITLE = "SỔ THEO DÕI HỒ SƠ"
HEAD = ["TT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)",
        "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết",
        "Ngày, giờ nhận hồ sơ", "Ngày, giờ hẹn trả kết quả",
        "Ngày chuyển hồ sơ đến cơ quan giải quyết", "Ngày nhận kết quả từ cơ quan giải quyết",
        "Ngày, giờ trả kết quả", "Ký nhận", "Ghi chú"]
WIDTHS_MM = (9, 27, 32, 10, 22, 27, 19, 16, 16, 16, 16, 16, 11, 15)
NOTE_VI = {"rejected": "Từ chối giải quyết", "withdrawn": "Công dân rút hồ sơ",
           "stopped": "Dừng xử lý", "supplement": "Đang chờ bổ sung"}

ROWS_SQL = """
SELECT d.code, p.name, d.copies, d.applicant_name, d.applicant_address, d.applicant_phone,
       u.name, d.received_at, d.calc_due_at, d.extended_due_at, d.finished_at, d.returned_at,
       d.status, d.channel,
       (SELECT MIN(e.at) FROM events e WHERE e.dossier_id = d.id
          AND e.action = 'start_processing') AS transferred
FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
JOIN units u ON u.code = d.unit_code
WHERE d.received_at >= ? AND d.received_at < ? AND d.unit_code IN ({units})
ORDER BY d.received_at, d.id
"""


@dataclass
class BookData:
    start: dt.date
    end: dt.date
    header: dict
    scope_name: str | None
    rows: list[list[str]]


def _when(text: str | None, with_time: bool = True) -> str:
    if not text:
        return ""
    moment = parse_db_time(text)
    return f"{moment:%H:%M}\n{vn_date(moment)}" if with_time else vn_date(moment)


def _note(status: str, channel: str, extended: str | None) -> str:
    parts = [NOTE_VI[status]] if status in NOTE_VI else []
    if extended:
        parts.append(f"Hẹn lại: {vn_date(parse_db_time(extended))}")
    if channel == "online":
        parts.append("Nộp trực tuyến")
    elif channel == "postal":
        parts.append("Qua bưu chính")
    return "; ".join(parts)


def _count_before(db, units: list[str], year_start: dt.date, start: dt.date) -> int:
    """Dossiers of the scope received in the same year before `start` (numbers continue)."""
    if start <= year_start:
        return 0
    marks = ",".join("?" * len(units))
    return db.execute(f"SELECT COUNT(*) FROM dossiers WHERE received_at >= ? AND received_at < ?"
                      f" AND unit_code IN ({marks})",
                      [year_start.isoformat(), start.isoformat(), *units]).fetchone()[0]


def register_rows(db, start: dt.date, end: dt.date, units: list[str]) -> list[list[str]]:
    """The register lines of dossiers received in [start, end], numbered per reception year."""
    if not units:
        return []
    sql = ROWS_SQL.format(units=",".join("?" * len(units)))
    rows, year, number = [], None, 0
    for (code, procedure, copies, name, address, phone, unit, received, due, extended, finished,
         returned, status, channel, transferred) in db.execute(
            sql, [start.isoformat(), (end + dt.timedelta(days=1)).isoformat(), *units]):
        received_year = int(received[:4])
        if received_year != year:
            year = received_year
            number = _count_before(db, units, dt.date(year, 1, 1), start)
        number += 1
        contact = "\n".join(x for x in (clip(address, "applicant_address"), phone) if x)
        rows.append([str(number), code, clip(procedure, "name"), str(copies or 1),
                     clip(name, "applicant_name"), contact, clip(unit, "name"),
                     _when(received), _when(due), _when(transferred, False),
                     _when(finished, False) if status in ("done", "returned") else "",
                     _when(returned), "", _note(status, channel, extended)])
    return rows


def gather(db, start: dt.date, end: dt.date, unit: str | None = None) -> BookData:
    from db import settings

    scope = queries.scope_units(db, unit)
    return BookData(start, end, clip_header(settings.get(db, "report_header")),
                    dict(scope).get(unit) if unit else None,
                    register_rows(db, start, end, [code for code, _ in scope]))


def story(data: BookData, width: float) -> list:
    header = data.header
    out = [blocks.header_block(header.get("agency", ""), header.get("office", ""), None, None,
                               width, size=12),
           *blocks.title_block(TITLE, f"Từ ngày {vn_date(data.start)} đến ngày "
                                      f"{vn_date(data.end)}", width)]
    if data.scope_name:
        out.insert(-1, blocks.para(f"Đơn vị: {data.scope_name}",
                                   blocks.style(12, align="center", after=2)))
    if not data.rows:
        return out + [blocks.body("Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này.")]
    table = blocks.grid([HEAD, [f"({i})" for i in range(1, 15)]] + data.rows,
                        [w * mm for w in WIDTHS_MM], header_rows=2, size=8,
                        left_cols=(1, 2, 4, 5, 6, 13))
    return out + [table, blocks.para(f"Số hồ sơ trong sổ: {len(data.rows)}.",
                                     blocks.style(11, italic=True))]


def render_book(data: BookData, draft: bool = False) -> bytes:
    title = f"{TITLE} từ {vn_date(data.start)} đến {vn_date(data.end)}"
    return render(story(data, A4_LANDSCAPE.frame_width), A4_LANDSCAPE, title=title, draft=draft)


def build_book(db, start: dt.date, end: dt.date, unit: str | None = None,
               draft: bool = False) -> bytes:
    return render_book(gather(db, start, end, unit), draft)
