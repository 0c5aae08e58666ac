"""Reading one cell of an import file into a stored value (spec 7).

Each parser takes the raw cell (text from a CSV, or whatever openpyxl gives for an XLSX cell:
str, int, float, bool, date, datetime, time) and returns the value to store, or None for an
empty cell. A bad value raises CellError with the reason in Vietnamese; the caller adds the
row, column and value.
"""
from __future__ import annotations

import datetime as dt
import math
import re

from core import limits
from core.labels import choices_text, enum_code
from core.limits import FIRST_YEAR, LAST_YEAR  # the years the holiday tables (lunar Tết) cover
from core.phones import normal_phone
from core.textnorm import MARK, fold, hidden_reason, marked
from core.timefmt import to_db_time
from core.typed_dates import calendar_reason, clock_reason, serial_text_reason

DIGITS_MAX = 18  # more digits than any amount allowed (core.limits.MONEY_MAX has 10)

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?")
_VN = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_PLAIN_INT = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_CURRENCY = re.compile(r"\s*(?:đ|vnđ|vnd|đồng)\s*$", re.IGNORECASE)
_TRUE = {"1", "true", "có", "co", "yes", "x"}
_FALSE = {"0", "false", "không", "khong", "no"}


class CellError(ValueError):
    """A cell whose value cannot be used; `reason` is shown to the user."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class FormError(CellError):
    """A cell in no form the parser reads (not an impossible value in a right form): a reader
    of another system's file names that system's forms instead (core.transfer.mapped)."""


_BREAKS = str.maketrans(dict.fromkeys("\t\n\r", MARK))


def show(raw) -> str:
    """The cell as the user typed it, for error messages."""
    if raw is None:
        return ""
    if isinstance(raw, dt.datetime):
        return raw.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(raw, dt.date):
        return raw.strftime("%d/%m/%Y")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    # a NUL would cut the message where a window or terminal shows it, a bidi control turn it;
    # a tab or a line break inside would break its line (one error a line): each shown as �
    return marked(str(raw).strip()).translate(_BREAKS)


def text(raw) -> str | None:
    if type(raw) is str:  # the common case first: files have millions of cells
        return raw.strip() or None
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (dt.date, dt.datetime)):
        return _moment_text(raw)
    value = str(raw).strip()
    return value or None


def bounded(field: str):
    """A text parser refusing more characters than core.limits allows for `field`."""
    def parse(raw) -> str | None:
        value = text(raw)
        reason = limits.too_long(field, value)
        if reason:
            raise CellError(reason)
        return value
    return parse


def phone(field: str):
    """A phone number; one a spreadsheet holds as a number lost its leading 0 (0912345678 is
    the number 912345678, a landline 02053870123 is 2053870123): the 0 is put back, as no
    Vietnamese number starts otherwise. Text is read as written, its grouping spaces, dots
    and dashes dropped (core.phones), then judged by core.validation."""
    read = bounded(field)

    def parse(raw) -> str | None:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            digits = text(raw) or ""
            if digits.isdigit() and (len(digits) == 9 or (len(digits) == 10
                                                          and digits[0] == "2")):
                return "0" + digits
        return normal_phone(read(raw))
    return parse


def person_name(field: str):
    """A person's name, as core.validation.clean_name stores it (no invisible characters,
    NFC, spaces squeezed: a vertical tab, a form feed or a line break inside it is a space, as
    at the desk), within the length core.limits allows for `field`; a control character it
    still holds (U+0001, a C1 U+0080…) is refused with the import's reason (core.limits
    .control_reason, core.textnorm.hidden_reason), and so is a bidi control. Its
    Column is `cleans`: the check of every text runs on the name as cleaned."""
    from core.validation import clean_name
    parse_text = bounded(field)

    def parse(raw) -> str | None:
        value = clean_name(parse_text(raw)) or None
        if value is not None and (reason := limits.control_reason(value) or hidden_reason(value)):
            raise CellError(reason)
        return value
    return parse


def printed_text(field: str):
    """A unit's or a procedure's name, as the window stores it (core.validation.clean_printed:
    no invisible characters, NFC, spaces squeezed), refused when the documents cannot print a
    character of it (the character named), within the length core.limits allows."""
    from core.validation import clean_name, printed_text_reason

    def parse(raw) -> str | None:
        # judged as stored, as the window judges it: a run of spaces pasted is one space
        value = clean_name(text(raw)) or None
        reason = limits.too_long(field, value) or printed_text_reason(value)
        if reason:
            raise CellError(reason)
        return value
    return parse


def money(field: str):
    """A whole number of đồng inside the range core.limits gives `field` (fee, amount)."""
    def parse(raw) -> int | None:
        value = integer(raw)
        reason = None if value is None else limits.money_reason(field, value)
        if reason:
            raise CellError(reason)
        return value
    return parse


def _moment_text(raw) -> str:
    if isinstance(raw, dt.datetime):
        return to_db_time(raw) if raw.time() != dt.time() else raw.date().isoformat()
    return raw.isoformat()


def _check_year(day: dt.date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CellError(f"năm phải trong khoảng {FIRST_YEAR}–{LAST_YEAR}")


def _round_second(moment: dt.datetime) -> dt.datetime:
    """Excel stores times as fractions of a day: 08:00 may come back as 07:59:59.999999."""
    moment = moment.replace(tzinfo=None)
    if moment.microsecond >= 500_000:
        if moment.date() == dt.date.max:  # 9999-12-31 23:59:59.9 (serial 2958465.999999)
            _check_year(moment.date())
        moment += dt.timedelta(seconds=1)
    return moment.replace(microsecond=0)


def _parse_parts(value: str, *, need_date_only: bool) -> dt.datetime:
    iso, vn = _ISO.fullmatch(value), _VN.fullmatch(value)
    if iso:
        year, month, day, hour, minute, second = iso.groups()
    elif vn:
        day, month, year, hour, minute, second = vn.groups()
    else:
        forms = "YYYY-MM-DD hoặc DD/MM/YYYY" + ("" if need_date_only else
                                                " (kèm giờ HH:MM hoặc HH:MM:SS)")
        serial = serial_text_reason(value, forms)  # '45991' as text: no serial date
        raise CellError(serial) if serial else FormError(f"không đúng dạng {forms}")
    try:
        moment = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                             int(second or 0))
    except ValueError:
        raise CellError(impossible_reason(year, month, day, hour, minute, second)) from None
    if need_date_only and moment.time() != dt.time():
        raise CellError("chỉ ghi ngày, không ghi giờ")
    return moment


def impossible_reason(year, month, day, hour, minute, second) -> str:
    """What makes the parts no real moment, in the words of a typed date (kpi --from 2026-02-29):
    one explanation for the command line, the forms and an imported cell."""
    clock = f"{hour}:{minute}" + (f":{second}" if second else "") if hour else ""
    return (calendar_reason(int(year), int(month), int(day))
            or clock_reason(int(hour or 0), int(minute or 0), int(second or 0), clock)
            or "ngày giờ không hợp lệ")


def _canonical_time(value: str) -> str | None:
    """'YYYY-MM-DD HH:MM[:SS]' checked quickly (what exports write); None for anything else."""
    if len(value) == 16:
        value += ":00"
    if len(value) != 19 or value[10] != " " or value[4] != "-" or value[13] != ":":
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None  # the slow path gives the precise reason
    return value if FIRST_YEAR <= moment.year <= LAST_YEAR else None


def time_value(raw) -> str | None:
    """A moment: 'YYYY-MM-DD HH:MM[:SS]', 'DD/MM/YYYY[ HH:MM[:SS]]' or a date/datetime cell."""
    if raw is None:
        return None
    if type(raw) is str:
        value = raw.strip()
        if not value:
            return None
        canonical = _canonical_time(value)
        if canonical is not None:
            return canonical
        moment = _parse_parts(value, need_date_only=False)
    elif isinstance(raw, dt.datetime):
        moment = _round_second(raw)
    elif isinstance(raw, dt.date):
        moment = dt.datetime.combine(raw, dt.time())
    else:
        raise CellError("không phải ngày giờ (YYYY-MM-DD HH:MM hoặc DD/MM/YYYY HH:MM)")
    _check_year(moment.date())
    return to_db_time(moment)


def date_value(raw) -> str | None:
    """A day: 'YYYY-MM-DD', 'DD/MM/YYYY' or a date cell."""
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        moment = _round_second(raw)
        if moment.time() != dt.time():
            raise CellError("chỉ ghi ngày, không ghi giờ")
        day = moment.date()
    elif isinstance(raw, dt.date):
        day = raw
    elif isinstance(raw, str):
        if not raw.strip():
            return None
        day = _parse_parts(raw.strip(), need_date_only=True).date()
    else:
        raise CellError("không phải ngày (YYYY-MM-DD hoặc DD/MM/YYYY)")
    _check_year(day)
    return day.isoformat()


def integer(raw) -> int | None:
    """A whole number of đồng: 150000, 150.000, 150,000, '150.000 đ' or a number cell."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise CellError("phải là số nguyên")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if not math.isfinite(raw) or not raw.is_integer():
            raise CellError("phải là số nguyên")
        return int(raw)
    value = _CURRENCY.sub("", str(raw)).strip().replace(" ", "").replace("\u00a0", "")
    if not value:
        return None
    if sum(c.isdigit() for c in value[:64]) > DIGITS_MAX:  # int() of 5000 digits raises
        raise CellError("số quá lớn")
    if _PLAIN_INT.fullmatch(value):
        return int(value)
    if _GROUPED.fullmatch(value):
        return int(re.sub(r"[.,]", "", value))
    if _DECIMAL.fullmatch(value):
        number = float(value.replace(",", "."))
        if number.is_integer():
            return int(number)
    raise CellError("phải là số nguyên")


def number(raw) -> float | None:
    """A number that may have a fraction: 3, 0.5 or 0,5."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise CellError("phải là một số")
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        textual = str(raw).strip()
        if not textual:
            return None
        if not _DECIMAL.fullmatch(textual):
            raise CellError("phải là một số (ví dụ 3 hoặc 0,5)")
        value = float(textual.replace(",", "."))
    if not math.isfinite(value):
        raise CellError("phải là một số")
    return value


# A 0 or 1 a spreadsheet kept as a number and a CSV then wrote as one: "1.0", "0,0"
_WHOLE_FLAG = re.compile(r"([01])(?:[.,]0+)?")
FLAG_RULE = "phải là 0 hoặc 1"


def flag(raw) -> int | None:
    """0 or 1 (also "1.0"/"0.0" as a CSV writes a number cell, true/false, có/không, x, a
    checkbox cell)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return int(raw)
    value = str(raw).strip().lower()
    if not value:
        return None
    if value in _TRUE:
        return 1
    if value in _FALSE:
        return 0
    if whole := _WHOLE_FLAG.fullmatch(value):
        return int(whole.group(1))
    raise CellError(FLAG_RULE)


# The digitisation flags of Decision 766 4.2 (DaSoHoaThanhPhan, DaSoHoaKetQua) as the provincial
# systems write them in words, any case, with or without diacritics ("hoá" or "hóa"). Only
# these: "Đã số hóa một phần" is no 1 (4.2 counts every document digitised), it is named.
# Read by the import and, as the province's side, by the reconciliation: both through the
# same columns of core.transfer.dossiers.Dossiers.
DIGITISED_WORDS = {1: ("Đã số hóa", "Đã số hóa đủ thành phần", "Đã số hóa kết quả"),
                   0: ("Chưa số hóa", "Chưa số hóa đủ thành phần", "Chưa số hóa kết quả",
                       "Không số hóa")}
_DIGITISED = {fold(word): value for value, words in DIGITISED_WORDS.items() for word in words}
DIGITISED_RULE = "phải là 0 hoặc 1 (hoặc Đã số hóa / Chưa số hóa)"


def digitised_flag(raw) -> int | None:
    """A digitisation flag: a `flag` (1/0, 1.0/0.0, có/không, true/false, x), or the words
    "Đã số hóa" (1) / "Chưa số hóa" (0) (DIGITISED_WORDS)."""
    try:
        return flag(raw)
    except CellError:
        pass
    value = _DIGITISED.get(fold(str(raw)))
    if value is None:
        raise CellError(DIGITISED_RULE) from None
    return value


def enum(choices: tuple[str, ...]):
    """A parser accepting one of `choices` or the Vietnamese word the window shows for it
    (core.labels.enum_code: any letter case, with or without diacritics)."""
    def parse(raw) -> str | None:
        value = text(raw)
        if value is None:
            return None
        code = enum_code(choices, value)
        if code is not None:
            return code
        raise CellError("không thuộc danh sách: " + choices_text(choices))
    return parse


def hhmm(raw) -> str | None:
    """A clock time cell as text: a time cell as "HH:MM", a text with its ":00" seconds left
    out. Whether it is a cut-off the program takes is the catalogue's rule, applied by the kind
    with what is stored (core.typed_dates.parse_cutoff, Procedures.check_row)."""
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        raw = _round_second(raw).time()
    if isinstance(raw, dt.time):
        if raw.second:
            raise CellError("giờ phải có dạng HH:MM")
        return f"{raw.hour:02d}:{raw.minute:02d}"
    value = str(raw).strip()
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,2}:\d{2}):00", value)
    return match.group(1) if match else value
