"""The largest values MotCua accepts: text lengths, money ranges, years, file sizes.

One table, used by the window (QLineEdit.setMaxLength through gui.widgets.ErrorForm), by the
import (core.transfer) and by the core API (core.dossiers, core.validation). A value beyond a
limit is refused with the field named in Vietnamese; nothing absurd is ever stored, so every
screen, list and PDF can lay every stored value out (docs/import-export.md lists them).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import overload

from core.errors import InputError
from core.textnorm import SEARCH_MAX, XML_ILLEGAL, clean_text
from core.timefmt import vn_number

# machines in a group sharing code allocation (spec 4; core.installation): a group larger than
# this should run one shared server (docs/multi-counter.md)
SLOTS_MAX = 99

# field -> (maximum number of characters, Vietnamese name). The keys are the names used by the
# database columns, the import headers and the window's forms alike.
TEXT: dict[str, tuple[int, str]] = {
    "applicant_name": (200, "Họ tên người nộp"),
    "applicant_address": (500, "Địa chỉ"),
    "applicant_phone": (20, "Số điện thoại"),
    "applicant_id_no": (20, "Số định danh/CCCD"),
    "applicant_email": (254, "Thư điện tử"),
    "representative": (300, "Người được ủy quyền"),
    "note": (1000, "Ghi chú"),
    "reason": (1000, "Lý do"),
    "comment": (500, "Góp ý"),
    "reference": (100, "Số biên lai / mã giao dịch"),
    "code": (40, "Mã"),
    "dossier_code": (60, "Mã hồ sơ"),
    "dossier": (60, "Mã hồ sơ"),
    "unit_code": (40, "Mã đơn vị"),
    "parent_code": (40, "Mã đơn vị cấp trên"),
    "competent_unit_code": (40, "Mã cơ quan giải quyết"),
    "procedure_code": (40, "Mã thủ tục"),
    "name": (500, "Tên"),
    # a unit's name heads every document (core.report_header): the header line's own limit
    "unit_name": (200, "Tên đơn vị"),
    "field": (200, "Lĩnh vực"),
    "received_by": (100, "Người tiếp nhận"),
    "full_name": (100, "Họ và tên"),  # an account's: printed as the receiving clerk on slips
    "header": (200, "Tiêu đề văn bản"),
    "search": (SEARCH_MAX, "Nội dung tìm kiếm"),
    "content": (2000, "Nội dung phản ánh, kiến nghị"),
    "resolution": (2000, "Kết quả xử lý phản ánh, kiến nghị"),
}

# amount field -> (smallest, largest, Vietnamese name), in đồng.
# 2 tỷ đồng: far above any fee of an administrative procedure, and what the window's number
# boxes (a C int) can hold, so the window, the import and the core API accept the same amounts.
MONEY_MAX = 2_000_000_000
MONEY: dict[str, tuple[int, int, str]] = {
    "fee": (0, MONEY_MAX, "Lệ phí"),
    "amount": (1, MONEY_MAX, "Số tiền"),
}
COPIES = (1, 99)

# The years every date may lie in: the holiday tables (lunar Tết) cover these.
FIRST_YEAR, LAST_YEAR = 1901, 2099

# Times after "now" are refused beyond this clock difference between two computers.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)

# Import files (core.transfer.files): checked before a spreadsheet library reads anything.
CELL_MAX = 32_767                   # Excel's own limit on the characters of one cell
XLSX_TOTAL_MAX = 2_000_000_000      # uncompressed bytes of one .xlsx (a full sheet of dossiers: ~1,2 GB)
XLSX_STRINGS_MAX = 100_000_000      # the shared-strings part, which openpyxl keeps in memory
XLSX_ROW_MAX = 16_000_000           # bytes of one row's XML: openpyxl builds a whole row at once
# Bytes of a zip's central directory (an .xlsx, an exchange package; core.zipdir): a real
# workbook lists a few dozen parts, a package at most eight; zipfile builds an object for each
# entry before anything else can be checked (500,000 empty members: 330 MB).
ZIP_DIRECTORY_MAX = 4_000_000
ROWS_MAX = 1_048_575                # data rows of one file (Excel's sheet limit, header apart)
# Cells of one sheet as openpyxl hands them over, the empty ones it fills in included (up to
# each row's last cell): a full sheet of 1,048,576 dossiers of 40 columns is 42 million.
XLSX_CELLS_MAX = 100_000_000
COLUMNS_MAX = 16_384                # columns of one file (Excel's sheet limit, XFD)
# Characters of one physical CSV line: a whole row of cells at the CSV cell limit
# (csv.field_size_limit, 131,072) would be far longer than any real import; the cap keeps a
# file of one 2 GB line from being read into memory before the cell limit is even checked.
CSV_LINE_MAX = 2_000_000
ERRORS_SHOWN = 200                  # an import lists this many errors, then their total


# Characters XML 1.0 forbids (so Excel and openpyxl refuse them) and that SQLite's C functions
# stop at (NUL): never in a real name or address, only in damaged or hostile files. Tab, line
# feed and carriage return are ordinary text.
CONTROL = re.compile(f"[{XML_ILLEGAL}]")  # the one list: core.textnorm


def control_reason(value: str) -> str | None:
    """The Vietnamese reason `value` cannot be stored (a control character), or None."""
    found = CONTROL.search(value)
    if found is None:
        return None
    return (f"chứa ký tự điều khiển không in được (mã U+{ord(found.group()):04X}) ở vị trí "
            f"{found.start() + 1}: tệp hỏng hoặc chép từ chương trình khác")


def text_limit(field: str) -> int | None:
    entry = TEXT.get(field)
    return entry[0] if entry else None


def text_length(value: str) -> int:
    """How long a text is, the one rule of every limit (the forms' fields as the clerk types,
    the core's checks, the import): its characters as stored (core.textnorm.clean_text: NFC, a
    tone mark typed apart one letter with its vowel; the invisible format characters that are
    removed not counted), one each whatever its encoding. A window counting Qt's UTF-16 units
    cut «Nguyễn» typed with Unikey's combining marks, or a name with an emoji, letters early."""
    return len(value) if value.isascii() else len(clean_text(value))


def fit_text(text: str, end: int, limit: int) -> tuple[str, int]:
    """`text` within `limit` (text_length), dropping characters just before `end` (what was
    just typed or pasted there, as a field's maximum length does), never a letter's marks
    apart from it; and where `end` is then. The same text when it fits."""
    if text_length(text) <= limit:
        return text, end
    after = text[end:]
    if text_length(after) > limit:  # a longer value given whole: its own end cut
        return fit_text(text, len(text), limit)
    low, high = 0, end  # the most characters of text[:end] kept: fits at low, not at high
    cap = 4 * limit + 4  # a pasted book: measured in pieces of the limit's size, not whole
    if cap < end and text_length(text[:cap] + after) > limit:
        high = cap
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if text_length(text[:middle] + after) <= limit else (low, middle)
    while low and unicodedata.combining(text[low]):  # not a mark without its letter
        low -= 1
    return text[:low] + after, low


def too_long(field: str, value: str | None) -> str | None:
    """The Vietnamese reason `value` is too long for `field`, or None when it fits."""
    limit = text_limit(field)
    if limit is None or value is None or (length := text_length(value)) <= limit:
        return None
    return f"dài {vn_number(length)} ký tự, vượt quá {vn_number(limit)} ký tự cho phép"


def money_reason(field: str, value: int) -> str | None:
    """The Vietnamese reason `value` is outside the range of `field`, or None."""
    low, high, _ = MONEY[field]
    if low <= value <= high:
        return None
    if value < low:
        return "không được âm" if low == 0 else "phải lớn hơn 0"
    return f"vượt quá {vn_number(high)} đồng"


def check_text(field: str, value: str | None) -> None:
    """InputError naming the field (in Vietnamese) when `value` is longer than allowed."""
    reason = too_long(field, value)
    if reason:
        raise _field_error(field, f"{TEXT[field][1]} {reason}.")
    if value and "\x00" in value:  # pasted from a damaged file; SQLite would cut the text there
        raise _field_error(field, f"{TEXT[field][1]} chứa ký tự điều khiển hoặc ký tự ẩn (NUL).")


def check_money(field: str, value: int | None) -> None:
    if value is None:
        return
    reason = money_reason(field, value)
    if reason:
        raise _field_error(field, f"{MONEY[field][2]} {reason}.")


def check_year(value: dt.date | dt.datetime, what: str, shown: str | None = None) -> None:
    """InputError naming `what` and the value when its year is outside FIRST_YEAR–LAST_YEAR."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        shown = shown or f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
        raise InputError(f"{what} {shown} nằm ngoài khoảng năm {FIRST_YEAR}–{LAST_YEAR} "
                         "mà chương trình tính được.")


@overload
def clip(text: str, field: str, limit: int | None = None) -> str: ...
@overload
def clip(text: None, field: str, limit: int | None = None) -> None: ...
@overload
def clip(text: str | None, field: str, limit: int | None = None) -> str | None: ...


def clip(text: str | None, field: str, limit: int | None = None) -> str | None:
    """`text` cut to the field's maximum with "…", for what was stored before the limits.

    Documents and lists show whatever is stored; a value longer than its limit (written by an
    older version) must not make a PDF row taller than a page.
    """
    limit = limit or text_limit(field)
    if text is None or limit is None or text_length(text) <= limit:
        return text
    # counted as every limit counts (text_length): a name stored with Unikey's separate marks
    # was cut at a third fewer letters than its limit, and never a mark apart from its letter
    return fit_text(text, len(text), limit - 1)[0] + "…"


# "Nơi nhận" under a report's signature: it shares the page's last lines with the signature,
# so a longer list (or longer lines) would make that block taller than a page. RECIPIENTS_MAX
# counts the printed lines, the filed "- Lưu: VT." always among them (report_header.FILED):
# one fewer may be typed.
RECIPIENTS_MAX, RECIPIENT_MAX = 10, 100


def clip_header(header: dict) -> dict:
    """The report header as documents print it: each text cut to the header limit.

    The settings screen refuses longer values; a header saved by an older version (or edited in
    the file) must still fit a PDF's first lines instead of breaking its layout.
    """
    clipped = {key: clip(value, "header") if isinstance(value, str) else value
               for key, value in header.items()}
    recipients = header.get("recipients")
    if isinstance(recipients, list):
        from core.report_header import is_filed  # the rule of the filed line lives there
        lines = [clip(r, "", RECIPIENT_MAX) for r in recipients if isinstance(r, str)]
        # an older list's own filed line ('- Lưu: VT, …') is kept, last, whatever its place;
        # without one, a line is left for the filed line the documents add
        filed = [r for r in lines if is_filed(r)][:RECIPIENTS_MAX]
        others = [r for r in lines if not is_filed(r)]
        clipped["recipients"] = others[:RECIPIENTS_MAX - max(len(filed), 1)] + filed
    return clipped


def _field_error(field: str, message: str) -> InputError:
    from core.dossiers import FieldError  # FieldError lives with the forms' other checks

    return FieldError(field, message)
