"""`selftest` (spec 6): prove on this PC that the program's essential parts work.

It is the first thing support asks a clerk to run (`MotCua-console selftest`), and CI runs it in
the built program, where a missing data file (holiday names, the font, the PDF engine) shows up
first. Each check prints one Vietnamese line; the exit code is 0 only if all of them pass.
Nothing here needs pytest, the network or the user's data: everything happens in a temporary
folder that is removed afterwards.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import multiprocessing
import os
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from core import crashlog, facts, helper_processes, paths
from core.calendar import WEEKDAYS_VI, load_calendar
from core.database import open_database
from core.due import Limit, statutory_due
from core.timefmt import parse_db_time, vn_datetime, vn_number
from core.version import VERSION_TEXT
from db import chain
from db.connection import APPLICATION_ID, transaction
from db.schema import SCHEMA_VERSION

# Received on the last working day before Tết At Tỵ; 3 working days later is after the holiday
# (27/01-31/01/2025 off, plus the weekends): Fri 10:00 -> Mon 03/02, Tue 04/02, Wed 05/02 10:00.
TET_RECEIVED = dt.datetime(2025, 1, 24, 10, 0)
TET_LIMIT = Limit(3, "working_days")
TET_EXPECTED = dt.datetime(2025, 2, 5, 10, 0)
TET_DAY = dt.date(2025, 1, 29)

PREFERRED_FONT = "LiberationSerif-Regular.ttf"
PDF_LINES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Phiếu tự kiểm tra: hạn trả kết quả 10:00 ngày 05/02/2025",
    "Người nộp: Nguyễn Thị Hường, Đặng Văn Lực, Trương Mỹ Ửng, Lê Ngọc Ẩn",
)


class CheckFailed(Exception):
    """A check found the program not working; the message says what, in Vietnamese."""


class Context:
    """What the checks share: the temporary folder and the database opened in it."""

    def __init__(self, folder: Path, font_dir: Path | None):
        self.folder = folder
        self.font_dir = font_dir or paths.resource_path("fonts")
        # opened by check_database; the checks that need it run only once it is (run_checks)
        self.db: sqlite_utils.Database = None  # type: ignore[assignment]


def check_database(ctx: Context) -> str:
    ctx.db = open_database(ctx.folder / "selftest.db")
    version = ctx.db.execute("PRAGMA user_version").fetchone()[0]
    app_id = ctx.db.execute("PRAGMA application_id").fetchone()[0]
    if version != SCHEMA_VERSION or app_id != APPLICATION_ID:
        raise CheckFailed(f"Cơ sở dữ liệu tạm có lược đồ {version}, cần {SCHEMA_VERSION}.")
    with transaction(ctx.db) as conn:
        conn.execute("INSERT INTO units(code, name, level) VALUES (?, ?, ?)",
                     ["TEST", "Bộ phận một cửa thử nghiệm", "commune"])
        conn.execute("INSERT INTO procedures(code, name, limit_value, limit_unit) VALUES (?, ?, ?, ?)",
                     ["9.999999", "Thủ tục thử nghiệm", TET_LIMIT.value, TET_LIMIT.unit])
    name = ctx.db.execute("SELECT name FROM units WHERE code = 'TEST'").fetchone()[0]
    if name != "Bộ phận một cửa thử nghiệm":
        raise CheckFailed("Cơ sở dữ liệu tạm không đọc lại đúng chữ tiếng Việt vừa ghi.")
    return f"Cơ sở dữ liệu tạm: tạo, nâng cấp tới lược đồ {version}, ghi và đọc lại được."


def check_holidays(ctx: Context) -> str:
    cal = load_calendar(ctx.db)
    reason = cal.day_reason(TET_DAY)
    if cal.is_working_day(TET_DAY) or not reason or "Tết" not in reason:
        raise CheckFailed(f"Lịch nghỉ lễ chưa có Tết: ngày 29/01/2025 được coi là {reason or 'ngày làm việc'}.")
    return f"Lịch nghỉ lễ: 29/01/2025 là {reason}."


def check_due_across_tet(ctx: Context) -> str:
    due = statutory_due(load_calendar(ctx.db), TET_RECEIVED, TET_LIMIT)
    if due != TET_EXPECTED:
        raise CheckFailed(f"Hạn trả qua Tết tính sai: {vn_datetime(due)}, phải là {vn_datetime(TET_EXPECTED)}.")
    return (f"Hạn trả qua Tết: nhận {_when(TET_RECEIVED)} + 3 ngày làm việc = {_when(due)}.")


def _when(moment: dt.datetime) -> str:
    return f"{moment:%H:%M} {WEEKDAYS_VI[moment.weekday()]} {moment:%d/%m/%Y}"


def check_stored_due(ctx: Context) -> str:
    """The same due time through the path the app uses: a dossier row and its derived facts."""
    with transaction(ctx.db) as conn:
        conn.execute(
            "INSERT INTO dossiers(code, unit_code, procedure_code, applicant_name, channel, "
            "received_at, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ["TEST-250124-0001", "TEST", "9.999999", "Người thử nghiệm", "direct",
             "2025-01-24 10:00:00", "received"])
        # by its code: after the view's INSTEAD OF INSERT (db.dossier_rows) lastrowid is not it
        made = conn.execute("SELECT id FROM dossiers WHERE code = 'TEST-250124-0001'").fetchone()
        facts.refresh(ctx.db, [made[0]])
    stored = ctx.db.execute("SELECT calc_due_at FROM dossiers").fetchone()[0]
    if not stored or parse_db_time(stored) != TET_EXPECTED:
        raise CheckFailed(f"Hạn trả lưu trong hồ sơ sai: {stored}, phải là {vn_datetime(TET_EXPECTED)}.")
    days = ctx.db.execute("SELECT COUNT(*) FROM kpi_daily").fetchone()[0]
    if not days:
        raise CheckFailed("Số liệu tổng hợp của chỉ tiêu không được cập nhật khi thêm hồ sơ.")
    return "Hồ sơ thử: hạn trả và số liệu chỉ tiêu được tính và lưu đúng."


# Details texts of the kinds MotCua writes (and two it does not), stored the app's way: this PC's
# SQLite must give each back to the letter through the `events` view, or the history's hashes
# would not match what `check` recomputes (db.events_codec stores most details coded).
HISTORY_DETAILS = (
    '{"channel":"direct","fee":2000,"due_at":"2025-02-05 10:00:00"}',
    '{"amount":100000,"method":"online"}',
    '{"reason": "Thi\\u1ebfu gi\\u1ea5y t\\u1edd", "note": "Bổ sung 50% phí"}',
    '{"fee":1.5,"parts":[1,2,{"x":null}],"ok":true}',
    "không phải JSON",
)


def check_history(ctx: Context) -> str:
    """The event history written and read back as the app does (coded details, moments)."""
    dossier_id, code = ctx.db.execute("SELECT id, code FROM dossiers LIMIT 1").fetchone()
    with transaction(ctx.db) as conn:
        chain.append(conn, [(dossier_id, code, "2025-01-24 10:05:00", "selftest", "note", None,
                             None, None, text) for text in HISTORY_DETAILS])
    rows = ctx.db.execute("SELECT at, details FROM events WHERE actor = 'selftest' ORDER BY id")
    back = [details for _, details in rows]
    if back != list(HISTORY_DETAILS):
        wrong = next(i for i, text in enumerate(HISTORY_DETAILS) if i >= len(back) or back[i] != text)
        raise CheckFailed(f"Lịch sử xử lý không đọc lại đúng nội dung đã ghi (mẫu {wrong + 1}): "
                          "SQLite của máy này không tương thích.")
    coded = ctx.db.execute("SELECT COUNT(*) FROM event_rows WHERE typeof(details) = 'blob'").fetchone()[0]
    if not coded:
        raise CheckFailed("Lịch sử xử lý: nội dung sự kiện không được lưu ở dạng gọn.")
    return "Lịch sử xử lý: ghi và đọc lại đúng từng chữ."


def find_font(font_dir: Path) -> Path:
    preferred = font_dir / PREFERRED_FONT
    if preferred.is_file():
        return preferred
    candidates = sorted(font_dir.glob("*.ttf")) if font_dir.is_dir() else []
    if not candidates:
        raise CheckFailed(f"Không tìm thấy phông chữ tiếng Việt (.ttf) trong {font_dir}.")
    return candidates[0]


def render_pdf(font_path: Path) -> tuple[bytes, str]:
    """A one-page PDF with Vietnamese text in the bundled font; returns it and the font's name."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    # reportlab keeps the first font registered under a name: one name per file, so a second
    # run in the same process (or with another font) really uses the font it was given.
    font = TTFont(f"MotCuaSelftest-{font_path.resolve()}", str(font_path))
    missing = sorted({ch for line in PDF_LINES for ch in line
                      if not ch.isspace() and ord(ch) not in font.face.charToGlyph})
    if missing:
        raise CheckFailed(f"Phông {font_path.name} thiếu chữ: {' '.join(missing)}.")
    pdfmetrics.registerFont(font)
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for number, line in enumerate(PDF_LINES):
        page.setFont(font.fontName, 13)
        page.drawString(72, 770 - number * 24, line)
    page.showPage()
    page.save()
    name = font.face.name
    return buffer.getvalue(), name.decode("latin-1") if isinstance(name, bytes) else name


def read_back(pdf: bytes) -> tuple[str, float]:
    """The PDF's text as a reader program sees it (pdfium, the engine of Chrome), and the share
    of dark pixels on the page drawn the way the app's preview and printing draw it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
        bitmap = page.render(scale=1, force_bitmap_format=pypdfium2.raw.FPDFBitmap_BGRx)
        try:
            pixels = bytes(bitmap.buffer)
        finally:
            bitmap.close()
            page.close()
    finally:
        document.close()
    return text, sum(1 for value in pixels[::4] if value < 128) / max(1, len(pixels) // 4)


def check_pdf(ctx: Context) -> str:
    font_path = find_font(ctx.font_dir)
    pdf, font_name = render_pdf(font_path)
    if not pdf.startswith(b"%PDF-"):
        raise CheckFailed("Tệp PDF tạo ra không đúng định dạng.")
    if font_name.encode("latin-1") not in pdf:
        raise CheckFailed(f"Phông {font_name} không được nhúng vào PDF.")
    (ctx.folder / "selftest.pdf").write_bytes(pdf)  # written to disk as a report would be
    text, ink = read_back(pdf)
    seen = [_normal(line) for line in text.splitlines() if line.strip()]
    expected = [_normal(line) for line in PDF_LINES]
    if seen != expected:
        padded = seen + [""] * len(expected)  # a missing line compares as empty
        wrong = next((want for got, want in zip(padded, expected, strict=False) if got != want), "")
        raise CheckFailed(f"Chữ đọc lại từ PDF không khớp (dòng \"{wrong}\").")
    if not 0.0005 < ink < 0.2:  # four lines of text on an A4 page: some ink, mostly white
        raise CheckFailed(f"Trang PDF vẽ ra không đúng (tỷ lệ điểm mực {ink:.4f}).")
    return f"PDF tiếng Việt: phông {font_name} được nhúng, chữ đọc lại đúng ({vn_number(len(pdf))} byte)."


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


HELPER_WAIT = 120  # seconds the helper has to start and answer (a slow PC's first start)
STOP_WAIT = 5.0  # then seconds it has to end by itself


# (title, check, needs the temporary database)
def _helper_answer(question: str) -> tuple[int, str]:
    """What the spawned helper process answers (check_helper_process): its pid and a digest."""
    return os.getpid(), hashlib.sha256(question.encode("utf-8")).hexdigest()


def check_helper_process(ctx: Context) -> str:
    """A helper process started the way the merge of exchange packages starts its second one
    (multiprocessing, spawned: core.exchange.fastcopy.Copier), a job done there and its answer
    back: in the built program the helper is the program itself started again
    (main.py's freeze_support)."""
    question = f"motcua-{os.getpid()}"
    pool = helper_processes.pool(1)
    try:
        pid, digest = pool.apply_async(_helper_answer, (question,)).get(timeout=HELPER_WAIT)
    except multiprocessing.TimeoutError:
        raise CheckFailed(f"Tiến trình phụ: không trả lời sau {HELPER_WAIT} giây.") from None
    finally:  # never terminate(): it can hang (core.helper_processes); answered, it ends at
        # once, and one that did not answer is not waited on longer
        helper_processes.stop(pool, wait=STOP_WAIT)
    if pid == os.getpid() or digest != hashlib.sha256(question.encode("utf-8")).hexdigest():
        raise CheckFailed("Tiến trình phụ: câu trả lời sai.")
    return "Tiến trình phụ (dùng khi nhập nhiều gói trao đổi): khởi động và trả lời đúng."


def check_inflater(ctx: Context) -> str:
    """A deflated zip member read the way an exchange package's parts are
    (core.exchange.package: zipfile, its decompressor ISA-L's): the same bytes, and ISA-L's
    inflate really used — the `isal` package bundled (without it the packages open, ~35 ms a
    part slower: a build that lost it fails here)."""
    import zipfile
    import zlib

    from core.exchange.package import inflate

    sample = "\n".join(f"{n};Nguyễn Thị Hường;{n * 7919 % 100003}" for n in range(20000)).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("mau.txt", sample)
    with zipfile.ZipFile(buffer) as archive, archive.open("mau.txt") as member:
        inflate._inflated_by(member)
        used = type(getattr(member, "_decompressor", None)).__module__
        read = member.read()
    if read != sample:
        raise CheckFailed("Giải nén gói trao đổi: dữ liệu giải nén ra sai.")
    if inflate.INFLATE is zlib or used == zlib.__name__:  # isal missing, or zipfile not using it
        raise CheckFailed("Giải nén gói trao đổi: thiếu thư viện ISA-L (isal), bản cài đặt chưa "
                          "đủ; gói vẫn nhập được nhưng chậm hơn.")
    return f"Giải nén gói trao đổi: ISA-L, đúng từng byte ({vn_number(len(sample))} byte)."


CHECKS: tuple[tuple[str, Callable[[Context], str], bool], ...] = (
    ("Cơ sở dữ liệu tạm", check_database, False),
    ("Lịch nghỉ lễ", check_holidays, True),
    ("Hạn trả qua Tết", check_due_across_tet, True),
    ("Hồ sơ thử", check_stored_due, True),
    ("Lịch sử xử lý", check_history, True),
    ("Tiến trình phụ", check_helper_process, False),
    ("Giải nén gói", check_inflater, False),
    ("PDF tiếng Việt", check_pdf, False),
)


def run_checks(font_dir: Path | None = None) -> list[tuple[bool, str]]:
    """Run every check in a temporary folder; a check that needs a failed one is not run."""
    results: list[tuple[bool, str]] = []
    with tempfile.TemporaryDirectory(prefix="motcua-selftest-") as folder:
        ctx = Context(Path(folder), font_dir)
        try:
            for title, check, needs_db in CHECKS:
                if needs_db and ctx.db is None:
                    results.append((False, f"{title}: không chạy vì cơ sở dữ liệu tạm không mở được."))
                    continue
                results.append(_run_one(title, check, ctx))
        finally:
            if ctx.db is not None:
                ctx.db.close()  # Windows cannot delete the folder while the file is open
    return results


def _run_one(title: str, check: Callable[[Context], str], ctx: Context) -> tuple[bool, str]:
    try:
        return True, check(ctx)
    except CheckFailed as exc:
        return False, str(exc)
    except Exception as exc:  # a broken build: say where, keep the details for support
        log = crashlog.write(exc)
        return False, f"{title}: lỗi {type(exc).__name__}: {exc} (chi tiết trong {log})."


def run(args: argparse.Namespace | None = None) -> int:
    results = run_checks()
    for ok, text in results:
        print(("[ĐẠT] " if ok else "[LỖI] ") + text, flush=True)
    failed = sum(not ok for ok, _ in results)
    if failed:
        print(f"Tự kiểm tra {VERSION_TEXT}: {failed}/{len(results)} mục không đạt.")
        return 1
    print(f"Tự kiểm tra {VERSION_TEXT}: cả {len(results)} mục đều đạt.")
    return 0
