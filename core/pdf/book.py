"""The dossier register (Sổ theo dõi hồ sơ, Mẫu 07 of Circular 03/2025, formerly Mẫu 06 of
Circular 01/2018) on A4 landscape.

Columns as the Ministry of Health's copy of Mẫu 07 prints them (QĐ 3621/QĐ-BYT 2025, BM.06; the
official annex was not in the sources we had, docs/reports.md): STT, code, procedure, applicant,
address/phone, the competent unit, then "Nhận và trả kết quả": received, due, returned and how
the result is received (desk, post, online), and the signature; MotCua keeps the 2018 register's
"Ghi chú" (refused, withdrawn, new date after an extension, online or postal submission).

The register is kept by the receiving desk (spec 1, 5): it lists the dossiers received at the
units in scope. Numbering runs from 1 each year (one register per year, since Circular 01/2018
Art. 10.2): a dossier's number is its rank by reception time within its reception year and the
printed scope, so a register printed from the middle of a year continues the year's numbers.

A register of a period that ends before 01/07/2025 is printed as it was kept then, Mẫu 06 of
Circular 01/2018 (copies, the hand-over to the unit in charge and the result received back,
no way of receiving the result: core.pdf.book_2018); a period reaching 01/07/2025 or later, as
Mẫu 07 of Circular 03/2025.

Rows are streamed from one query and drawn page by page (core.pdf.ledger): a month of 20,000
dossiers is never held in memory, `progress(done, total)` is told after each page and a False
answer stops the build (InterruptedError) with no file left behind.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm

from core.accounts import require
from core.errors import OperationError, os_reason
from core.labels import RESULT_DELIVERY_VI
from core.limits import clip
from core.moment import counted_unit_sql
from core.paths import ordinary_file_mode
from core.pdf import blocks, book_2018, queries
from core.pdf.document import A4_LANDSCAPE, check_writable
from core.pdf.form_set import NEW_FORMS_FROM
from core.pdf.ledger import Column, HeadCell, Ledger
from core.privacy import access, masking
from core.privacy.masking import FullData
from core.timefmt import parse_db_time, vn_date
from core.unit_scope import scope_in, scope_param

TITLE = "SỔ THEO DÕI HỒ SƠ"
# (heading, width in mm, left-aligned, one line); the widths fill the 252 mm text width.
COLUMNS = (("STT", 10, False, True), ("Mã hồ sơ", 37, False, True),
           ("Tên thủ tục hành chính", 38, True, False), ("Tên tổ chức, cá nhân", 26, True, False),
           ("Địa chỉ, số điện thoại", 29, True, False),
           ("Cơ quan chủ trì giải quyết", 23, True, False),
           ("Nhận hồ sơ", 15, False, False), ("Hẹn trả kết quả", 15, False, False),
           ("Trả kết quả", 15, False, False), ("Phương thức nhận kết quả", 17, False, False),
           ("Ký nhận", 11, False, False), ("Ghi chú", 16, True, False))
GROUP = ("Nhận và trả kết quả", 6, 9)  # header over columns 7–10
NO_DELIVERY = "—"
NOTE_VI = {"rejected": "Từ chối giải quyết", "withdrawn": "Công dân rút hồ sơ",
           "stopped": "Dừng xử lý", "supplement": "Đang chờ bổ sung"}
FONT_SIZE = 8
PAGE_ROWS = 14  # about a page: how often progress is told (and Cancel looked at)

# the range on the rows (r, db.dossier_rows: seconds, along the index), the values from the view
WHERE = ("r.received_at >= unixepoch(?) AND r.received_at < unixepoch(?) "
         f"AND {scope_in('r.unit_code')}")
ROWS_SQL = f"""
SELECT d.code, p.name, d.applicant_name, d.applicant_address, d.applicant_phone,
       c.name, d.received_at, d.calc_due_at, d.extended_due_at, d.returned_at,
       d.result_delivery, d.status, d.channel{{extra}}
FROM dossier_rows r JOIN dossiers d ON d.id = r.id JOIN procedures p ON p.code = d.procedure_code
JOIN units c ON c.code = {counted_unit_sql('d.')}
WHERE {WHERE}
ORDER BY r.received_at, r.id
"""
COUNT_SQL = f"SELECT COUNT(*) FROM dossier_rows r WHERE {WHERE}"


@dataclass(frozen=True)
class Layout:
    """The columns of one edition of the register and how a line is made."""
    columns: tuple
    group: tuple  # (heading, first, last column under it)
    extra_sql: str = ""  # more values read after the 2025 ones, given to `line`
    line: Callable | None = None  # (2025 cells, extra values, time format) -> cells


LAYOUT_2025 = Layout(COLUMNS, GROUP)
LAYOUT_2018 = Layout(book_2018.COLUMNS, book_2018.GROUP, book_2018.EXTRA_SQL, book_2018.line)


def layout_for(end: dt.date) -> Layout:
    """The register of a period ending before 01/07/2025 is the 2018 one (the forms of its time)."""
    return LAYOUT_2018 if end < NEW_FORMS_FROM.date() else LAYOUT_2025
Progress = Callable[[int, int], "bool | None"]


@dataclass
class BookData:
    """What the register prints apart from its rows (read in `rows` as they are drawn)."""
    start: dt.date
    end: dt.date
    header: dict
    scope_name: str | None
    units: list[str]
    full: FullData | None = None  # whole phones (a stated purpose, core.privacy.masking)

    def params(self) -> list:
        return [self.start.isoformat(), (self.end + dt.timedelta(days=1)).isoformat(),
                scope_param(self.units)]

    def sql(self, template: str) -> str:
        return template


def _when(text: str | None) -> str:
    if not text:
        return ""
    moment = parse_db_time(text)
    return f"{moment:%H:%M}\n{vn_date(moment)}"


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
    return db.execute("SELECT COUNT(*) FROM dossier_rows WHERE received_at >= unixepoch(?) AND "
                      f"received_at < unixepoch(?) AND {scope_in('unit_code')}",
                      [year_start.isoformat(), start.isoformat(), scope_param(units)]
                      ).fetchone()[0]


def count_rows(db, data: BookData) -> int:
    return db.execute(data.sql(COUNT_SQL), data.params()).fetchone()[0] if data.units else 0


def rows(db, data: BookData) -> Iterator[list[str]]:
    """The register lines of dossiers received in [start, end], numbered per reception year,
    one at a time from the cursor."""
    if not data.units:
        return
    layout = layout_for(data.end)
    sql = data.sql(ROWS_SQL.replace("{extra}", layout.extra_sql))
    year, number = None, 0
    for row in db.execute(sql, data.params()):
        (code, procedure, name, address, phone, unit, received, due, extended, returned,
         delivery, status, channel), extra = row[:13], tuple(row[13:])
        received_year = int(received[:4])
        if received_year != year:
            year = received_year
            number = _count_before(db, data.units, dt.date(year, 1, 1), data.start)
        number += 1
        contact = "\n".join(x for x in (clip(masking.address(address, data.full),
                                             "applicant_address"),
                                        clip(masking.phone(phone, data.full),
                                             "applicant_phone")) if x)
        cells = [str(number), code, clip(procedure, "name"), clip(name, "applicant_name"),
                 contact, clip(unit, "name"), _when(received), _when(due), _when(returned),
                 RESULT_DELIVERY_VI.get(delivery, NO_DELIVERY), "",
                 _note(status, channel, extended)]
        yield layout.line(cells, extra, _when) if layout.line else cells


def gather(db, start: dt.date, end: dt.date, unit: str | None = None,
           full: FullData | None = None) -> BookData:
    from core.report_header import header_for

    scope = queries.scope_units(db, unit)
    return BookData(start, end, header_for(db, unit).header,
                    dict(scope).get(unit) if unit else None, [code for code, _ in scope], full)


def _opening(data: BookData, width: float) -> list:
    header = data.header
    out = [blocks.header_block(header.get("agency", ""), header.get("office", ""), None, None,
                               width, size=12),
           *blocks.title_block(TITLE, f"Từ ngày {vn_date(data.start)} đến ngày "
                                      f"{vn_date(data.end)}", width)]
    if data.scope_name:
        out.insert(-1, blocks.para(f"Đơn vị: {data.scope_name}",
                                   blocks.style(12, align="center", after=2)))
    return out


def _head(layout: Layout = LAYOUT_2025) -> list[HeadCell]:
    columns, (group, first, last) = layout.columns, layout.group
    cells = [HeadCell(title, i, i, 0, 1) for i, (title, *_) in enumerate(columns)
             if not first <= i <= last]
    cells.append(HeadCell(group, first, last, 0, 0))
    cells += [HeadCell(columns[i][0], i, i, 1, 1) for i in range(first, last + 1)]
    return cells + [HeadCell(f"({i + 1})", i, i, 2, 2) for i in range(len(columns))]


def write_book(db, data: BookData, out, draft: bool = False,
               progress: Progress | None = None) -> int:
    """Draw the register of `data` into `out` (a path or a binary file); returns the number of
    rows. `progress(done, total)` after each page; False stops with InterruptedError."""
    require("report.print")
    title = f"{TITLE} từ {vn_date(data.start)} đến {vn_date(data.end)}"
    layout = layout_for(data.end)
    ledger = Ledger(out, A4_LANDSCAPE,
                    [Column(w * mm, left, line) for _, w, left, line in layout.columns],
                    _head(layout), 3, title=title, draft=draft, size=FONT_SIZE)
    ledger.flowables(_opening(data, A4_LANDSCAPE.frame_width))
    total = count_rows(db, data)
    if not total:
        ledger.flowables([blocks.body("Không có hồ sơ nào được tiếp nhận trong khoảng thời "
                                      "gian này.")])
    else:
        ledger.start_table()
    done = 0
    for line in rows(db, data):
        ledger.row(line)
        done += 1
        if done % PAGE_ROWS == 0 and progress is not None and progress(done, total) is False:
            raise InterruptedError("register cancelled")
    if done:
        ledger.flowables([blocks.Spacer(1, 8), blocks.para(
            f"Số hồ sơ trong sổ: {done}.", blocks.style(11, italic=True))])
    ledger.finish()
    # the last question, before the file is swapped in (the command line's Ctrl+C asks it
    # there: core.stopping): its False stops too, before the access is logged
    if progress is not None and progress(done, max(total, done)) is False:
        raise InterruptedError("register cancelled")
    access.record(db, "export.book", purpose=data.full.purpose if data.full else None,
                  details={"rows": done, "full": data.full is not None,
                           "from": data.start.isoformat(), "to": data.end.isoformat()})
    return done


def save_book(db, data: BookData, path: str | os.PathLike, draft: bool = False,
              progress: Progress | None = None) -> Path:
    """Write the register to `path` through a temporary file beside it, renamed at the end: a
    cancelled or failed build leaves no file, half-written or otherwise."""
    target = check_writable(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=".motcua-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OperationError(f"Không ghi được tệp {target}: {os_reason(exc)}.") from exc
    try:
        with os.fdopen(handle, "wb") as out:
            write_book(db, data, out, draft, progress)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp_name, ordinary_file_mode(target))  # mkstemp makes it private
        os.replace(tmp_name, target)
    except InterruptedError:  # the clerk cancelled (an OSError subclass): not a disk problem
        raise
    except OSError as exc:
        raise OperationError(f"Không ghi được tệp {target}: {os_reason(exc)}.") from exc
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return target


def render_book(data: BookData, db, draft: bool = False,
                progress: Progress | None = None) -> bytes:
    """The register as bytes (the window's preview: a few MB, no file until it is saved)."""
    out = io.BytesIO()
    write_book(db, data, out, draft, progress)
    return out.getvalue()


def build_book(db, start: dt.date, end: dt.date, unit: str | None = None,
               draft: bool = False) -> bytes:
    """The register as bytes (a small period; big ones go to a file with `save_book`)."""
    return render_book(gather(db, start, end, unit), db, draft)
