"""Importing a dossier file of another system through a column-mapping profile.

The file is seen through `MappedTable`: its columns renamed to MotCua's fields as the profile
says, the national portal's codes — or the words the provincial systems write in their place
("Được tiếp nhận", "Bưu chính công ích") — turned into MotCua's (TrangThaiHoSo 1–10,
KenhThucHien 1/2/3) and its date forms (yyyyMMddHHmmss, Excel serial numbers) into ours. Everything else is the
ordinary dossier import (core.transfer.importing, core.transfer.dossiers): the same checks,
the whole file checked first, nothing written on any error. Errors name the file's own column
("Dòng 7, cột NgayTiepNhan (Ngày tiếp nhận), …").

Rows with status 1 (Mới đăng ký) or 3 (Không được tiếp nhận), as a code or as the word, are not
received dossiers (spec 3: a dossier refused at the desk gets no code), so they are left out and
counted in a warning.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import sqlite_utils

from core import typed_dates, validation
from core.accounts import require
from core.errors import InputError
from core.indicators.evaluate import may_count
from core.labels import STATUS_VI
from core.moment import CLOSED
from core.privacy import masking
from core.textnorm import fold
from core.timefmt import parse_db_time, vn_number
from core.transfer.base import ABSENT, Column, FileCells, ImportResult, Record
from core.transfer.cells import (
    CellError,
    FormError,
    flag,
    impossible_reason,
    show,
    text,
    time_value,
)
from core.transfer.day_only import ROWS_NAMED
from core.transfer.dossiers import MASKED_COLUMNS, Dossiers
from core.transfer.files import Table, open_table, seen_as
from core.transfer.importing import Progress, refuse_repeated, run_import
from core.transfer.profiles import (
    FIELDS,
    REQUIRED,
    TIME_FIELDS,
    TIME_OF_DAY,
    Profile,
    column_label,
    found_in,
    refuse_shared,
)

UNPAID_COLUMN = f"cột {FIELDS['paid_online']}"  # named as the file names it by import_mapped
# Dossiers with an online payment not cancelled (what 766 indicator 3.6 counts as paid online).
PAID_ONLINE_SQL = """SELECT DISTINCT d.code FROM payments p JOIN dossiers d ON d.id = p.dossier_id
WHERE p.method = 'online' AND p.cancelled_at IS NULL"""

# TrangThaiHoSo (brief 1.1): 6 "waiting for the fee" is still in processing for MotCua;
# a refusal after appraisal is exported as 9 with TrangThaiMotCua "rejected".
STATUS_BY_CODE = {"2": "received", "4": "processing", "5": "supplement", "6": "processing",
                  "7": "withdrawn", "8": "stopped", "9": "done", "10": "returned"}
CODE_BY_STATUS = {"received": "2", "processing": "4", "supplement": "5", "done": "9",
                  "returned": "10", "rejected": "9", "withdrawn": "7", "stopped": "8"}
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
_WHOLE = re.compile(r"0*([0-9]+?)(?:[.,]0+)?")

# A serial date has five digits before the fraction: 10000 is 18/05/1927, 99999 is in 2173. A
# shorter number is a year (2026), an hour (0800) or a day, never a dossier's date: read as a
# serial it became a moment of 1905 or 1902 (inside the 1901–2099 limits), silently imported or
# left outside the reconciled period. It goes on to the time parser, which names it. Only a
# number cell is one (round 27): '45991' as text (a CSV, a text cell) is refused by name
# (core.typed_dates.serial_text_reason), never read as 01/12/2025.
_SERIAL = typed_dates.SERIAL_TEXT
EXCEL_EPOCH = typed_dates.EXCEL_EPOCH
_DIGITS = (14, 12, 8)  # yyyyMMddHHmmss, yyyyMMddHHmm, yyyyMMdd
DERIVED_UNIT = "Mã đơn vị tiếp nhận (lấy từ mã hồ sơ)"


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


class MappedTable(Table):
    """A file seen with MotCua's field names, through a profile."""

    def __init__(self, table: Table, profile: Profile, default_unit: str | None = None):
        super().__init__(table.path, [], table.header_row, table.delimiter, table.formulas)
        self.source = table
        self.profile = profile
        self.default_unit = default_unit
        refuse_shared(profile.columns)
        header = set(table.header)
        found = {name: found_in(column, header) for name, column in profile.columns.items()}
        self.sources = {name: key for name, key in found.items() if key is not None}
        self._check_required()
        refuse_repeated(table, self.sources.values())
        self.header = [name for name in FIELDS if name in self.sources
                       and name != "motcua_status" and name not in TIME_OF_DAY]
        self.derived_unit = "unit_code" not in self.sources
        if self.derived_unit:
            self.header.append("unit_code")
        self.skipped: Counter = Counter()
        # the rows whose status MotCua's own column gave (TrangThaiMotCua filled): file_words
        self.own_status: set[int] = set()

    def _check_required(self) -> None:
        missing = [self.profile.label(f) for f in REQUIRED if f not in self.sources]
        if missing:
            shown = ", ".join(self.source.shown_columns())[:300]
            raise InputError(f"Tệp {self.path.name} thiếu cột: {', '.join(missing)} (theo mẫu "
                             f"cột '{self.profile.name}'). Các cột của tệp (dòng "
                             f"{self.source.header_row}): {shown}. Hãy chọn lại cột cho từng "
                             f"trường.{self.source.search_note()}")

    def label(self, name: str) -> str:
        """How a message names a field's column: as the file spells it when the file has it
        (a profile saved lower-cased, or spelt otherwise, names it as the file does), with
        the field's meaning; else as the profile names it."""
        if name in self.sources:
            return column_label(self.source.spelt(self.sources[name]), name)
        return self.profile.label(name)

    def rows(self):
        skipped: Counter = Counter()
        times = [(t, day) for t, day in TIME_OF_DAY.items() if t in self.sources]
        for number, raw in self.source.rows():
            cells = {name: raw.get(column) for name, column in self.sources.items()}
            for t, day in times:  # the date and the time of day from two columns, one moment
                joined, written = join_time(cells.get(day), cells.pop(t), self.label(t))
                cells[day] = joined
                if written is not None:
                    cells[f"{day}:written"] = written
            status = portal_status(cells.get("status"))
            own = text(cells.get("motcua_status"))
            if status in NOT_RECEIVED and not own:
                skipped[status] += 1
                continue
            if own:
                self.own_status.add(number)
            written = {k.partition(":")[0]: v for k, v in cells.items()
                       if k.endswith(":written")}
            cells = {k: v for k, v in cells.items() if not k.endswith(":written")}
            yield number, FileCells(self.translate(dict(cells)), cells | written)
        self.skipped = skipped
        self.trailer = self.source.trailer

    def translate(self, cells: dict) -> dict:
        """One row's cells in MotCua's words (unknown values go on, to be refused by name)."""
        own = text(cells.pop("motcua_status", None))
        status = portal_status(cells.get("status"))
        cells["status"] = own or STATUS_BY_CODE.get(status or "", cells.get("status"))
        channel = portal_channel(cells.get("channel"))
        cells["channel"] = CHANNEL_BY_CODE.get(channel or "", cells.get("channel"))
        for name in TIME_FIELDS:
            if name in cells:
                cells[name] = portal_time(cells[name])
        if self.derived_unit:
            cells["unit_code"] = self.default_unit or _unit_of(text(cells.get("code")))
        return cells


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


def _portal_columns(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    by_name = {"status": STATUS_LISTING, "channel": CHANNEL_LISTING}
    return tuple(_portal_codes(c, by_name[c.name]) if c.name in by_name
                 else _portal_times(c) if c.name in TIME_FIELDS else c for c in columns)


def _unit_of(code: str | None) -> str | None:
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


# The columns of another system's file whose refused value is left out, not the file
# (MappedDossiers.check_row): the citizen's personal details MotCua neither needs to count nor
# compares (its ID number, email, phone, address, the authorised person's name: a control
# character pasted into NguoiDuocUyQuyen refused a portal month), how the result is received.
# The applicant's name is not among them: a dossier needs it, the reconciliation matches by it.
KEPT_OUT = ("applicant_id_no", "applicant_email", "applicant_phone", "applicant_address",
            "representative", "result_delivery")


def kept_out_warning(name: str, rows: list[int], reason: str) -> str:
    """The line an import gives for the rows whose `name` was left out (KEPT_OUT)."""
    rows = sorted(rows)
    shown = ", ".join(vn_number(r) for r in rows[:ROWS_NAMED])
    more = f" và {vn_number(len(rows) - ROWS_NAMED)} dòng khác" if len(rows) > ROWS_NAMED else ""
    return (f"{vn_number(len(rows))} dòng có cột {name} không hợp lệ (dòng {shown}{more}; "
            f"{reason}): MotCua không lưu giá trị đó của các dòng này (hồ sơ đã có trong MotCua "
            "giữ giá trị đang có), các cột khác vẫn được nhập; hãy bổ sung trong hồ sơ nếu cần.")


class MappedDossiers(Dossiers):
    """The dossier import, plus the paid-online flag such files carry (kept, not written:
    payments are imported as payments; the reconciliation uses it)."""

    columns = _portal_columns(Dossiers.columns)
    MAPPED = True
    extra_columns = Dossiers.extra_columns + (Column("paid_online", paid_online),)
    makes_payments = False  # ProvincialSet: the flag becomes a payment of its scratch database

    # the rows it would add that are likely dossiers MotCua holds under another code
    # (core.reconcile.duplicates): looked for (not in a reconciliation's scratch copy), and
    # what the clerk chose for them (None: nothing written until chosen; `choosing`)
    finds_duplicates = True
    duplicates: str | None = None
    fields: frozenset[str] = frozenset()  # the fields the file holds (MappedTable.sources)

    def __init__(self, db, present, source=""):
        super().__init__(db, present, source)
        self.arrivals: list = []  # the rows checked, as the matching sees them
        self.paid_online: set[str] = set()
        self.unpaid = 0  # dossiers the file says were paid online that MotCua has no payment of
        self._unpaid_warning: int | None = None  # its line in `warnings`
        # KEPT_OUT: the rows whose value was left out, by field, with the first reason
        self.kept_out: dict[str, tuple[list[int], str]] = {}

    def check_row(self, record: Record) -> None:
        """Another system's file: a personal detail or a way of receiving the result that
        MotCua's rule refuses (an 11-digit ID typo, a control character in the authorised
        person's name, the portal's own delivery code; KEPT_OUT) is a cell the
        office cannot correct in the province's export, so it does not refuse the month: that
        value is not stored (a dossier already in MotCua keeps its own), the rest of the row is,
        and `finish` names the rows. A masked value stays an error (export again, whole)."""
        super().check_row(record)
        kept = [e for e in record.errors if e.column in KEPT_OUT
                and not masking.is_masked(record.value(e.column), e.column)]
        if not kept:
            return
        record.errors = [e for e in record.errors if e not in kept]
        for error in kept:
            record[error.column] = ABSENT
            rows, _ = self.kept_out.setdefault(error.column, ([], error.reason))
            if not rows or rows[-1] != record.row:  # a cell with two reasons: its row once
                rows.append(record.row)

    @classmethod
    def choosing(cls, duplicates: str | None, fields: set[str]) -> type[MappedDossiers]:
        return type(cls.__name__, (cls,), {"duplicates": duplicates,
                                           "fields": frozenset(fields)})

    def check_chunk(self, records: list[Record]) -> None:
        super().check_chunk(records)
        if not self.finds_duplicates:
            return
        from core.reconcile.duplicates import arrival
        self.arrivals += [(r.row, arrival(r.value("code"), r.value("procedure_code"),
                                          r.value("applicant_name"), r.value("received_at"),
                                          r.value("unit_code"), r.value("competent_unit_code")))
                          for r in records if not r.errors]

    def withhold(self, result: ImportResult) -> frozenset[str] | None:
        """The rows likely to be dossiers MotCua holds under another code, by the
        reconciliation's rule: listed in the result; left out when the clerk chose to skip
        them, written when she chose to import them, nothing written until she chooses (a
        dry run lists them and goes on counting)."""
        if not self.finds_duplicates or not self.arrivals:
            return frozenset()
        from core.reconcile.duplicates import SKIP, likely_duplicates
        rows = {item.code: row for row, item in self.arrivals}
        pairs = likely_duplicates(self.db, (item for _, item in self.arrivals), set(rows),
                                  set(self.fields))
        result.duplicates, result.duplicates_chosen = pairs, self.duplicates
        result.duplicate_rows = {p.theirs.code: rows[p.theirs.code] for p in pairs}
        if result.awaits_choice:
            return None
        return frozenset(result.duplicate_rows) if self.duplicates == SKIP else frozenset()

    def finish(self) -> list:
        for name in KEPT_OUT:
            if name in self.kept_out:
                self.warnings.append(kept_out_warning(name, *self.kept_out[name]))
        return super().finish()

    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        paid = [r["code"] for r in records if r.value("paid_online")]
        self.paid_online.update(paid)
        if paid and not self.makes_payments:
            self._count_unpaid(conn, paid)
        return super().apply_chunk(conn, records, write)

    def _count_unpaid(self, conn, codes: list[str]) -> None:
        """The file's paid-online flag is kept nowhere in the office's data (a payment has an
        amount and a time the file lacks): said once, counted, so that the online-payment
        figure (766 indicator 3.6) is not silently lower than the portal's after an import."""
        having: set[str] = set()
        for start in range(0, len(codes), 500):
            chunk = codes[start:start + 500]
            having.update(row[0] for row in conn.execute(
                f"{PAID_ONLINE_SQL} AND d.code IN ({','.join('?' * len(chunk))})", chunk))
        self.unpaid += sum(1 for code in codes if code not in having)
        if not self.unpaid:
            return
        line = (f"{vn_number(self.unpaid)} hồ sơ được tệp ghi là đã thanh toán trực tuyến "
                f"({UNPAID_COLUMN}) nhưng MotCua chưa có khoản thanh toán trực tuyến nào "
                "của các hồ sơ đó: MotCua không tự tạo khoản thanh toán (tệp không có số tiền, "
                "ngày nộp); hãy nhập các khoản thanh toán (Nhập dữ liệu → Thanh toán) để chỉ "
                "tiêu thanh toán trực tuyến khớp với Cổng.")
        if self._unpaid_warning is None:
            self._unpaid_warning = len(self.warnings)
            self.warnings.append(line)
        else:
            self.warnings[self._unpaid_warning] = line


class ProvincialSet(MappedDossiers):
    """The import into the reconciliation's scratch database: the file's paid-online flag
    becomes one online payment per dossier (online_payment.paid_online counts dossiers with at
    least one), written before the figures are computed, once, with the dossiers'.

    With a `period` ('YYYY-MM-DD HH:MM:SS' start and end), every row is checked but only those
    that can count in a figure of it are written (core.indicators.evaluate.may_count): a
    province's export of a year compared for one month wrote 200,000 dossiers one by one, their
    history and audit seal too, for 23 minutes, where 15,000 of them matter."""

    period: tuple[str, str] | None = None
    makes_payments = True
    finds_duplicates = False  # the scratch copy holds only the file
    # codes written whatever their moments: MotCua's dossiers of the period, which the province
    # may hold with a reception on another day (entered the next morning, 01/11 for 31/10)
    keep: frozenset[str] = frozenset()
    # the units compared (a unit's reconciliation: it and the units below it), None: all
    scope: frozenset[str] | None = None
    skips_bad_rows = True  # it only reads: a bad row is left out and listed, not the whole file
    # {code: the moments its row gives as a day without a time} (core.transfer.day_only), for
    # the comparison to compare those by their day (`within` gives each reconciliation its own)
    day_codes: dict[str, frozenset[str]] | None = None

    def _take_days(self, record: Record) -> None:
        super()._take_days(record)
        days, code = getattr(record, "day_only", None), record.value("code")
        if days and code and self.day_codes is not None:
            self.day_codes[code] = frozenset(days)

    def name_reason(self, name: str | None) -> str | None:
        """Read, not stored: a name the documents could not print (an emoji typed into the
        provincial system) is still compared; the report draws what it cannot print as □."""
        return validation.applicant_name_reason(name, printed=False)

    def _unmask(self, record: Record) -> set[str]:
        """Read, not stored: a phone, ID number or email masked by an export (a national file
        exported without a stated purpose) is no value to compare, not a row left unread; the
        reconciliation compares neither (the masked ID number of every row of MotCua's own
        national export, SoDinhDanh, left the whole file unread)."""
        for column in MASKED_COLUMNS:
            if masking.is_masked(record.value(column), column):
                record[column] = None
        return set()

    @classmethod
    def within(cls, start: str, end: str, keep: frozenset[str] = frozenset(),
               scope: frozenset[str] | None = None) -> type[ProvincialSet]:
        return type(cls.__name__, (cls,), {"period": (start, end), "keep": keep, "scope": scope,
                                           "day_codes": {}})

    def counts_bad(self, record: Record) -> bool:
        """A bad row is listed, and the figures said to lack it, unless what can be read of it
        puts it outside the reconciliation: received at or after the period's end, or at and
        for units outside the units compared. A province's export of a year reconciled for one
        commune's November listed twelve bad rows of other communes' October and said
        November's figures lacked them. A row whose code is one of MotCua's compared, or whose
        reception or unit cannot be read, is always listed."""
        if self.period is None or record.value("code") in self.keep:
            return True
        received = record.value("received_at")
        if isinstance(received, str) and received >= self.period[1]:
            return False
        # closed before the period starts, as its status and finish read (a row returned on
        # 11/04 listed in May's reconciliation, said to be lacking from May's figures); a row
        # whose status or finish is the unreadable cell is listed
        status, finished = record.value("status"), record.value("finished_at")
        if status in CLOSED and isinstance(finished, str) and finished < self.period[0]:
            return False
        units = {record.value("unit_code"), record.value("competent_unit_code")} - {None}
        return self.scope is None or not units or not units.isdisjoint(self.scope)

    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        if self.period is not None:
            records = [r for r in records if r.value("code") in self.keep or may_count(
                r.value("received_at"), r.value("status"), r.value("finished_at"), *self.period)]
        return super().apply_chunk(conn, records, write)

    def after(self, conn) -> None:
        codes = sorted(self.paid_online)
        for start in range(0, len(codes), 500):
            chunk = codes[start:start + 500]
            conn.execute(f"""
                INSERT INTO payments (dossier_id, amount, method, paid_at, reference, actor)
                SELECT d.id, MAX(1, COALESCE(d.fee, p.fee, 1)), 'online', d.received_at,
                       'tệp hệ thống tỉnh', 'đối chiếu'
                FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
                WHERE d.code IN ({",".join("?" * len(chunk))})""", chunk)
        super().after(conn)


def open_mapped(path: str | Path, profile: Profile, default_unit: str | None = None,
                table: Table | None = None) -> MappedTable:
    """The file through `profile`; `table`: opened already (not read again)."""
    found = open_table(path, profile.expected(), profile.header_row) if table is None else \
        seen_as(table, profile.expected(), profile.header_row)
    return MappedTable(found, profile, default_unit)


def import_mapped(db: sqlite_utils.Database, path: str | Path, profile: Profile,
                  dry_run: bool = False, progress: Progress | None = None,
                  default_unit: str | None = None,
                  kind: type[MappedDossiers] = MappedDossiers,
                  opened: Table | None = None, duplicates: str | None = None,
                  keep_open: bool = False) -> ImportResult:
    """Import a dossier file through `profile` (`kind`: ProvincialSet for the scratch
    database of a reconciliation, which any role may build; into the office's own data only
    `data.import`). `duplicates`: what to do with the rows likely to be dossiers MotCua holds
    under another code (core.reconcile.duplicates: SKIP, IMPORT; None: write nothing while
    there are any, `ImportResult.awaits_choice`). `keep_open`: `opened` is left open for the
    caller to run again and close (the window's question between the two runs: the rows an
    .xlsx gave are read from those kept, core.transfer.files.XlsxRows, not parsed again)."""
    if not issubclass(kind, ProvincialSet):
        require("data.import")
    table = open_mapped(path, profile, default_unit, opened)
    if kind.finds_duplicates:
        kind = kind.choosing(duplicates, set(table.sources))
    try:
        result = run_import(db, kind, path, dry_run=dry_run, progress=progress, table=table)
    finally:
        if not keep_open:
            table.source.close()  # the rows kept of an .xlsx (core.transfer.files.XlsxRows)
    result.errors = [replace(e, column=_label(table, e.column), field_name=e.column,
                             reason=file_words(table, e.reason, e.row))
                     for e in result.errors]
    paid = f"cột {_label(table, 'paid_online')}"
    # a warning names a column as the file does ('cột NgayTiepNhan (Ngày tiếp nhận)')
    result.warnings = [file_words(table, w.replace(UNPAID_COLUMN, paid))
                       for w in result.warnings]
    _skipped_warning(result, table)
    result.fields = set(table.sources)
    return result


def file_words(table: MappedTable, reason: str, row: int | None = None) -> str:
    """A reason naming a cell by MotCua's field ('(received_at là …)', 'không được có
    finished_at') names it as the file does ('(NgayTiepNhan (Ngày tiếp nhận) là …)'): a
    leader reading the provincial system's export has no column received_at. A status the
    file wrote as the portal's code is named by it ('4'), not by MotCua's ('processing'),
    unless the row's status came from MotCua's own status column (TrangThaiMotCua: its words
    are ours). Decided by the row (`row`): MotCua's own export has the column, empty on a row a
    clerk changed in the province's status, and "trạng thái 'processing'" named a word the
    row does not hold (round 18)."""
    # 'status', 'code': words of a sentence; a field whose values are left out is named by
    # its warning ('representative', KEPT_OUT)
    fields = [f for f in table.sources if "_" in f or f in KEPT_OUT]
    if fields:
        reason = re.sub(r"\b(" + "|".join(map(re.escape, fields)) + r")\b",
                        lambda m: _label(table, m.group(1)), reason)
    if "motcua_status" not in table.sources or row not in table.own_status:
        reason = _QUOTED_STATUS.sub(lambda m: f"'{CODE_BY_STATUS[m.group(1)]}'", reason)
    return reason


_QUOTED_STATUS = re.compile("'(" + "|".join(CODE_BY_STATUS) + ")'")


def _label(table: MappedTable, column: str) -> str:
    if column == "unit_code" and table.derived_unit:
        return DERIVED_UNIT
    if column == "paid_online" or column in table.sources:
        return table.label(column)
    return column


def _skipped_warning(result: ImportResult, table: MappedTable) -> None:
    for code, count in sorted(table.skipped.items()):
        result.warnings.append(f"Bỏ qua {count} dòng trạng thái {code} ({NOT_RECEIVED[code]}): "
                               "hồ sơ chưa được tiếp nhận.")


def national_time(value: str | None) -> str | None:
    """A stored time in the national portal's form yyyyMMddHHmmss."""
    return None if not value else dt.datetime.fromisoformat(value).strftime(PORTAL_TIME)
