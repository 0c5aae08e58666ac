"""The national portal's cells as MotCua reads and writes them: its codes of TrangThaiHoSo
(1–10) and KenhThucHien (1/2/3) — or the words the provincial systems write in their place
("Được tiếp nhận", "Bưu chính công ích") —, its date forms (yyyyMMddHHmmss, Excel serial numbers,
a time of day in a column of its own), the paid-online flag (0/1/2), and the refusals that name
the portal's forms beside MotCua's. One rule each, used by the mapped import
(core.transfer.mapped), its export (core.transfer.profile_export) and the reconciliation.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from core import typed_dates
from core.labels import STATUS_VI
from core.textnorm import fold
from core.timefmt import parse_db_time
from core.transfer.base import Column
from core.transfer.cells import (
    CellError,
    FormError,
    flag,
    impossible_reason,
    show,
    text,
    time_value,
)
from core.transfer.profiles import (
    TIME_FIELDS,
)

# Dossiers with an online payment not cancelled (what 766 indicator 3.6 counts as paid online).
PAID_ONLINE_SQL = """SELECT DISTINCT d.code FROM payments p JOIN dossiers d ON d.id = p.dossier_id
WHERE p.method = 'online' AND p.cancelled_at IS NULL"""

# TrangThaiHoSo (brief 1.1): 6 "waiting for the fee" is still in processing for MotCua;
# a refusal after appraisal is exported as 9 with TrangThaiMotCua "rejected".
STATUS_BY_CODE = {"2": "received", "4": "processing", "5": "supplement", "6": "processing",
                  "7": "withdrawn", "8": "stopped", "9": "done", "10": "returned"}
CODE_BY_STATUS = {"received": "2", "processing": "4", "supplement": "5", "done": "9",
                  "returned": "10", "rejected": "9", "withdrawn": "7", "stopped": "8"}


def same_status(ours: str, theirs: str) -> bool:
    """The province sees the same status: one national code (TrangThaiHoSo) covers both — 9 is
    "đã xử lý xong" and "từ chối giải quyết". The one rule of the import (`kept_status`) and
    the reconciliation (core.reconcile.differing)."""
    return CODE_BY_STATUS[ours] == CODE_BY_STATUS[theirs]


def kept_status(stored: str | None, given: str) -> str:
    """The status an import given only the national code writes: a stored status the code also
    covers stays (a refusal read back as 9 without TrangThaiMotCua is no completed dossier;
    walk33 turned 3 refusals into "đã xử lý xong" the reconciliation counted equal)."""
    if stored in CODE_BY_STATUS and given in CODE_BY_STATUS and same_status(stored, given):
        return stored
    return given


CHANNEL_BY_CODE = {"1": "direct", "2": "online", "3": "postal"}
CODE_BY_CHANNEL = {v: k for k, v in CHANNEL_BY_CODE.items()}
# The portal's words by code (brief 1.1), the first one its own: the provincial systems (VNPT
# iGate, Viettel, …) often export these in place of the codes. Read in any case, with or
# without diacritics (core.textnorm.fold); the export writes the codes.
PORTAL_STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "1": ("Mới đăng ký",), "2": ("Được tiếp nhận",), "3": ("Không được tiếp nhận",),
    "4": ("Đang xử lý",), "5": ("Yêu cầu bổ sung giấy tờ",),
    "6": ("Yêu cầu thực hiện nghĩa vụ tài chính",), "7": ("Công dân yêu cầu rút hồ sơ",),
    "8": ("Dừng xử lý",), "9": ("Đã xử lý xong",), "10": ("Đã trả kết quả",)}
PORTAL_CHANNEL_WORDS: dict[str, tuple[str, ...]] = {
    "1": ("Trực tiếp",), "2": ("Trực tuyến",), "3": ("Bưu chính công ích", "Bưu chính")}
NOT_RECEIVED = {code: PORTAL_STATUS_WORDS[code][0] for code in ("1", "3")}
PORTAL_TIME = "%Y%m%d%H%M%S"
# A code as a spreadsheet may have turned it into a number: "2.0", "2,0" are the code 2.
# ASCII digits only: "٢" or "２" is no code of the portal's, and int() of 5,000 digits raises.
# Leading zeros then one way only to read the rest: "0*([0-9]+?)" tried every split of a run of
# zeros, a 32,767-character cell of them 30 s (a province's file of such cells: hours, break34)
_WHOLE = re.compile(r"0*([1-9][0-9]*|0)(?:[.,]0+)?")

# A serial date has five digits before the fraction: 10000 is 18/05/1927, 99999 is in 2173. A
# shorter number is a year (2026), an hour (0800) or a day, never a dossier's date: read as a
# serial it became a moment of 1905 or 1902 (inside the 1901–2099 limits), silently imported or
# left outside the reconciled period. It goes on to the time parser, which names it. Only a
# number cell is one (round 27): '45991' as text (a CSV, a text cell) is refused by name
# (core.typed_dates.serial_text_reason), never read as 01/12/2025.
_SERIAL = typed_dates.SERIAL_TEXT
EXCEL_EPOCH = typed_dates.EXCEL_EPOCH
_DIGITS = (14, 12, 8)  # yyyyMMddHHmmss, yyyyMMddHHmm, yyyyMMdd


def portal_time(raw):
    """yyyyMMddHHmmss (also …HHmm and yyyyMMdd) as text, or an Excel serial date of a number
    cell, as a datetime; any other cell (a serial date as text) is returned as it is for the
    ordinary time parser to read or refuse."""
    if isinstance(raw, bool) or raw is None:
        return raw
    if isinstance(raw, (int, float)):
        value = str(int(raw)) if float(raw).is_integer() else str(raw)
    elif isinstance(raw, str):
        value = raw.strip()
    else:
        return raw
    if len(value) in _DIGITS and value.isascii() and value.isdigit():
        return _digits_time(value, raw)
    if not isinstance(raw, str) and _SERIAL.fullmatch(value):
        days = float(value.replace(",", "."))
        return _round_minute_fraction(EXCEL_EPOCH + dt.timedelta(days=days))
    return raw


def _digits_time(value: str, raw):
    """yyyyMMdd[HHmm[ss]] as the canonical text the time parser reads fastest (strptime took
    most of a 100,000-row import); an impossible date goes back as it was, to be named."""
    v = value.ljust(14, "0")
    try:
        dt.datetime(int(v[:4]), int(v[4:6]), int(v[6:8]), int(v[8:10]), int(v[10:12]),
                    int(v[12:]))
    except ValueError:
        return raw
    return f"{v[:4]}-{v[4:6]}-{v[6:8]} {v[8:10]}:{v[10:12]}:{v[12:]}"


def _round_minute_fraction(moment: dt.datetime) -> dt.datetime:
    """A serial day fraction rarely lands on a whole second: 08:00 is 0.33333…"""
    return (moment + dt.timedelta(milliseconds=500)).replace(microsecond=0)


class BadTime(str):
    """A time-of-day cell that could not be read, carried to its moment's column, which
    refuses it naming the time column (`_portal_times`)."""

    reason: str = ""


_CLOCK = re.compile(r"([0-9]{1,2})\s*(?::|h|H|g|giờ)\s*([0-9]{1,2})?(?:\s*(?::|p|phút)?\s*"
                    r"(?<=:)([0-9]{1,2}))?\s*(?:p|phút)?\s*(SA|CH|AM|PM|sa|ch|am|pm)?")


def clock_value(raw) -> dt.time | None:
    """A time of day as a vendor's time column holds it: 08:30, 8:30:15, 8h30, 8h, 14g05,
    "08:30 CH" / PM, a time cell, a date-time cell (its time) or an Excel day fraction (0.354…);
    None when empty. CellError names the forms it reads."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, dt.datetime):
        return _round_minute_fraction(raw).time()
    if isinstance(raw, dt.time):
        return raw.replace(microsecond=0)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 0 <= raw < 1:
        moment = _round_minute_fraction(EXCEL_EPOCH + dt.timedelta(days=float(raw)))
        return moment.time()
    if isinstance(raw, str):
        match = _CLOCK.fullmatch(raw.strip())
        if match:
            hour, minute, second = (int(g) if g else 0 for g in match.groups()[:3])
            half = (match.group(4) or "").upper()
            if half in ("CH", "PM") and 1 <= hour < 12:
                hour += 12
            elif half in ("SA", "AM") and hour == 12:
                hour = 0
            if hour < 24 and minute < 60 and second < 60:
                return dt.time(hour, minute, second)
    raise CellError("không đúng dạng giờ; hãy ghi HH:MM (ví dụ 08:30, 14:05) hoặc 8h30")


def join_time(day, clock, column: str):
    """The moment of a date cell and a time-of-day cell (`column`: the time column as a
    message names it), and the pair as the file wrote them (for messages; None when the time
    is empty: the date alone, as the file wrote it, follows core.transfer.day_only's rule). A
    date that cannot be read goes on as it is, to be named by its own column."""
    try:
        time_of_day = clock_value(clock)
    except CellError as error:
        bad = BadTime(show(day))
        bad.reason = f"giờ ở cột {column} ('{show(clock)}') {error.reason}"
        return bad, f"{show(day)} {show(clock)}".strip()
    if time_of_day is None:
        return day, None
    if not isinstance(day, (dt.date, int, float)) and text(day) is None:
        bad = BadTime("")  # a time, and no day it is of: said, not dropped
        bad.reason = f"có giờ ở cột {column} ('{show(clock)}') nhưng không có ngày"
        return bad, show(clock)
    moment = portal_time(day)
    if isinstance(moment, str):
        try:
            canonical = time_value(moment)
        except ValueError:
            return day, f"{show(day)} {show(clock)}".strip()  # the date's own error, named
        if canonical is None:
            return day, None
        moment = parse_db_time(canonical)
    elif isinstance(moment, dt.date) and not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    if not isinstance(moment, dt.datetime):
        return day, None
    return dt.datetime.combine(moment.date(), time_of_day), f"{show(day)} {show(clock)}".strip()


def _whole(value: str | None) -> str | None:
    """The portal code in `value`: "2.0" (a CSV written from a number cell) is 2."""
    match = _WHOLE.fullmatch(value or "")
    return match.group(1) if match else value


def _by_word(words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(word): code for code, spellings in words.items() for word in spellings}


_STATUS_BY_WORD = _by_word(PORTAL_STATUS_WORDS)
_CHANNEL_BY_WORD = _by_word(PORTAL_CHANNEL_WORDS)


@lru_cache(maxsize=256)
def _folded(value: str) -> str:
    """fold() once per distinct word: a file of a million rows has a dozen (bounded for a
    hostile file whose every cell differs)."""
    return fold(value)


def _portal_code(raw, by_word: dict[str, str]) -> str | None:
    """The portal code a cell holds, as a code ("2", "2.0", "02") or as the portal's word
    ("ĐƯỢC TIẾP NHẬN", "duoc tiep nhan"); any other text as it is."""
    value = _whole(text(raw))
    if value is None or value.isdigit():
        return value
    return by_word.get(_folded(value), value)


def portal_status(raw) -> str | None:
    """TrangThaiHoSo's code, from the code or the word (1–10; other text as it is)."""
    return _portal_code(raw, _STATUS_BY_WORD)


def portal_channel(raw) -> str | None:
    """KenhThucHien's code, from the code or the word (1–3; other text as it is)."""
    return _portal_code(raw, _CHANNEL_BY_WORD)


def _listing(codes: dict[str, str], words: dict[str, tuple[str, ...]], own: dict[str, str],
             skipped: dict[str, str]) -> str:
    """'2 (Được tiếp nhận), 4 (Đang xử lý), …; 1 (Mới đăng ký), 3 (…): bỏ qua; hoặc …': every
    code and word a mapped import reads, MotCua's own words last (those the portal's lack)."""
    listing = ", ".join(f"{code} ({', '.join(words[code])})" for code in codes)
    if skipped:
        listing += "; " + ", ".join(f"{c} ({w})" for c, w in skipped.items())
        listing += ": bỏ qua, chưa được tiếp nhận"
    portal = {fold(word) for spellings in words.values() for word in spellings}
    extra = [word for word in own.values() if fold(word) not in portal]
    if extra:
        listing += "; hoặc chữ của MotCua: " + ", ".join(extra)
    return listing


def _portal_codes(column: Column, listing: str) -> Column:
    """`column` whose refusal names the portal's codes and words: a TrangThaiHoSo of 11 or
    'Đã hủy', a KenhThucHien of 0 was answered with MotCua's words only ('received (Đã tiếp
    nhận), …'), leaving the clerk to guess what the portal's file should say."""
    def parse(raw):
        value = text(raw)
        if value is not None and value.isdigit():
            raise CellError(f"không phải mã của Cổng DVC quốc gia; các mã và chữ đúng: {listing}")
        try:
            return column.parse(raw)
        except CellError:
            raise CellError("không phải mã hay chữ của Cổng DVC quốc gia; các mã và chữ đúng: "
                            + listing) from None
    return Column(column.name, parse, column.required)


STATUS_LISTING = _listing(STATUS_BY_CODE, PORTAL_STATUS_WORDS, STATUS_VI, NOT_RECEIVED)
CHANNEL_LISTING = _listing(CHANNEL_BY_CODE, PORTAL_CHANNEL_WORDS, {}, {})


_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
TIME_FORMS = ("yyyyMMddHHmmss (ví dụ 20261015083000), DD/MM/YYYY HH:MM, YYYY-MM-DD HH:MM hoặc "
              "ô ngày của Excel")


def _number_reason(value: str) -> str:
    """Why a number is no time: '20261301120000' was refused as 'not YYYY-MM-DD or DD/MM/YYYY',
    the portal's own form left unnamed, as if the province's file were of the wrong kind."""
    if len(value) in _DIGITS and value.isdigit():
        v = value.ljust(14, "0")  # said as a typed date says it (core.typed_dates)
        return (f"{impossible_reason(v[:4], v[4:6], v[6:8], v[8:10], v[10:12], v[12:])} (dạng "
                f"yyyyMMddHHmmss của Cổng DVC quốc gia: năm {v[:4]}, tháng {v[4:6]}, ngày "
                f"{v[6:8]}, giờ {v[8:10]}:{v[10:12]}:{v[12:]})")
    return ("là một số nhưng không phải ngày giờ (số ngày kiểu Excel có 5 chữ số: 10000 là "
            f"18/05/1927); hãy ghi ngày giờ dạng {TIME_FORMS}")


def _portal_times(column: Column) -> Column:
    """`column` whose refusal of a number, or of a form it does not read, names the portal's
    time forms beside ours."""
    def parse(raw):
        if isinstance(raw, BadTime):
            raise CellError(raw.reason)
        try:
            return column.parse(raw)
        except CellError as error:
            value = text(raw)
            serial = typed_dates.serial_text_reason(raw, TIME_FORMS) if isinstance(raw, str) \
                else None
            if serial:  # '45991' as text: named, with the portal's forms
                raise CellError(serial) from None
            if value is not None and _NUMBER.fullmatch(value):
                raise CellError(_number_reason(value)) from None
            if isinstance(error, FormError):  # '2026/11/02 08:30' was answered with ours only
                raise CellError(f"không đúng dạng ngày giờ; hãy ghi dạng {TIME_FORMS}") from None
            raise
    return Column(column.name, parse, column.required)


def portal_columns(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    by_name = {"status": STATUS_LISTING, "channel": CHANNEL_LISTING}
    return tuple(_portal_codes(c, by_name[c.name]) if c.name in by_name
                 else _portal_times(c) if c.name in TIME_FIELDS else c for c in columns)


def unit_of(code: str | None) -> str | None:
    """The unit in a code `{unit}-{YYMMDD}-{NNNN}` (spec 4); None when the code has no such form."""
    if not code or code.count("-") < 2:
        return None
    return code.rsplit("-", 2)[0] or None


# DuocThanhToanTrucTuyen (brief 3, indicator 3.6): 1 paid through the national payment
# platform, 2 through the province's gateway; both are paid online. A 2 was refused as
# 'phải là 0 hoặc 1' and the row left out of a reconciliation.
PAID_ONLINE_CODES = {"0": "chưa thanh toán trực tuyến",
                     "1": "đã thanh toán qua nền tảng thanh toán của Cổng DVC quốc gia",
                     "2": "đã thanh toán qua cổng thanh toán của tỉnh"}


def paid_online(raw) -> int | None:
    """The paid-online cell: the portal's 0/1/2 (as a number a spreadsheet wrote, "2.0", too)
    or MotCua's flag words (có/không, true/false …); 1 when paid online either way."""
    value = _whole(text(raw))
    if value in PAID_ONLINE_CODES:
        return 0 if value == "0" else 1
    try:
        return flag(raw)
    except CellError:
        listing = ", ".join(f"{code} ({words})" for code, words in PAID_ONLINE_CODES.items())
        raise CellError(f"không phải giá trị của Cổng DVC quốc gia; các giá trị đúng: {listing}"
                        ) from None



def national_time(value: str | None) -> str | None:
    """A stored time in the national portal's form yyyyMMddHHmmss."""
    return None if not value else dt.datetime.fromisoformat(value).strftime(PORTAL_TIME)
