"""The one rule for a date, a date-time or a time of day a person types (a form's field, a
command-line argument): exactly the day and time written, or an InputError saying what is wrong.

Accepted (spec 7, and the form fields of the screens): a day `dd/mm/yyyy` (also with `.` or `-`
between the numbers) or `yyyy-mm-dd`; a moment `HH:MM dd/mm/yyyy` (as the screens show it),
`dd/mm/yyyy HH:MM`, `yyyy-mm-dd HH:MM[:SS]` or `yyyy-mm-ddTHH:MM[:SS]`. The year has four
digits (a "26" is not guessed into 2026 or 0026), the day exists in its month (31/02 is not
moved to 28/02 or 03/03), hours are 00–23 and minutes 00–59 (24:30 is not the next day's 00:30).
A time of day (parse_clock, the office hours): `07:30`, `7:30`, `7h30`, `7g30`, `7h`, `7`.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

from core import limits
from core.errors import InputError

DAY_FORMS = "ngày/tháng/năm, năm đủ 4 chữ số, ví dụ 20/11/2026"
MOMENT_FORMS = "giờ:phút ngày/tháng/năm, năm đủ 4 chữ số, ví dụ 08:30 20/11/2026"

_DMY = r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d+)"
_YMD = r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
_HM = r"(?P<H>\d{1,2})[:hg](?P<M>\d{1,2})(?::(?P<S>\d{1,2}))?"
_DAY = [re.compile(_YMD), re.compile(_DMY)]
_MOMENT = [re.compile(_HM + r"\s+" + _DMY), re.compile(_DMY + r"\s+" + _HM),
           re.compile(_YMD + r"[ T]\s*" + _HM)]


def _day_of(match: re.Match, what: str) -> dt.date:
    year_text, month, day = match.group("y"), int(match.group("m")), int(match.group("d"))
    if len(year_text) != 4:
        raise InputError(f"{what}: năm «{year_text}» phải đủ 4 chữ số (ví dụ "
                         f"{dt.date.today().year}), để không hiểu nhầm sang năm khác.")
    year = int(year_text)
    reason = calendar_reason(year, month, day)
    if reason:
        raise InputError(f"{what}: {reason}.")
    found = dt.date(year, month, day)
    limits.check_year(found, what)
    return found


def calendar_reason(year: int, month: int, day: int) -> str | None:
    """Why year/month/day is no day of the calendar ("ngày 30 không có trong tháng 2/2025
    (tháng 2/2025 chỉ có 28 ngày)"), or None: the one wording of a typed date and an imported
    cell (core.transfer.cells)."""
    if not 1 <= month <= 12:
        return f"không có tháng {month} (tháng từ 1 đến 12)"
    if year < 1:
        return f"không có năm {year:04d}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return (f"ngày {day} không có trong tháng {month}/{year} (tháng {month}/{year} chỉ có "
                f"{days} ngày)")
    return None


EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0 (it counts 1900 as a leap year)
# Five digits, a fraction perhaps: the day numbers of Excel's serial dates (10000 is 18/05/1927)
SERIAL_TEXT = re.compile(r"[0-9]{5}(?:[.,][0-9]+)?")


def serial_text_reason(value: str, forms: str) -> str | None:
    """Why a text of five digits ('45991', '45659,33') in a date's column is refused, or None
    for any other text: only a number cell of a workbook is a serial date (Excel shows it as a
    day); as text (a CSV, a cell formatted as text) it is what someone typed, and a year, a
    code or a count may look the same. The day it would be is named, for the clerk to write."""
    text = value.strip()
    if not SERIAL_TEXT.fullmatch(text):
        return None
    day = EXCEL_EPOCH + dt.timedelta(days=float(text.replace(",", ".")))
    return (f"«{text}» là một số ghi dạng chữ, không phải ngày: chỉ ô kiểu số của Excel mới "
            f"được đọc là ngày theo số sê-ri (ô số {text} là ngày {day:%d/%m/%Y}); hãy ghi "
            f"dạng {forms}")


def clock_reason(hour: int, minute: int, second: int, shown: str) -> str | None:
    """Why a time of day (`shown` as written) does not exist, or None (24:30 is not moved to the
    next day's 00:30)."""
    if hour > 23 or minute > 59 or second > 59:
        return f"giờ {shown} không hợp lệ (giờ từ 00 đến 23, phút từ 00 đến 59)"
    return None


def _quoting(text: str | None, error: InputError) -> InputError:
    """The error with the text as typed at its end, when its words do not quote it already: on
    the command line the clerk may not see what the shell passed ("--from 2026-02-30")."""
    value = (text or "").strip()
    if not value or f"«{value}»" in error.message:
        return error
    return InputError(f"{error.message.rstrip('.')} (đã ghi «{value}»).")


def parse_day(text: str | None, what: str = "Ngày", *, quote: bool = False) -> dt.date:
    """The day typed (`dd/mm/yyyy` or `yyyy-mm-dd`), else an InputError naming what is wrong
    (`quote`: and the text typed, for the command line)."""
    try:
        return _parse_day(text, what)
    except InputError as exc:
        raise (_quoting(text, exc) if quote else exc) from None


def _parse_day(text: str | None, what: str) -> dt.date:
    value = (text or "").strip()
    if not value:
        raise InputError(f"{what}: chưa nhập ngày (cần dạng {DAY_FORMS}).")
    for pattern in _DAY:
        match = pattern.fullmatch(value)
        if match:
            return _day_of(match, what)
    raise InputError(f"{what}: «{value}» không phải một ngày (cần dạng {DAY_FORMS}).")


def parse_moment(text: str | None, what: str = "Thời điểm", *, bare_day: bool = False,
                 quote: bool = False) -> dt.datetime:
    """The moment typed, to the minute (or second), else an InputError naming what is wrong.
    `bare_day`: a day without a time means its 00:00 (the command line's `--as-of 2026-11-30`);
    a form asks for the time instead. `quote`: the message names the text typed too."""
    try:
        return _parse_moment(text, what, bare_day)
    except InputError as exc:
        raise (_quoting(text, exc) if quote else exc) from None


def _parse_moment(text: str | None, what: str, bare_day: bool) -> dt.datetime:
    value = " ".join((text or "").split())
    if not value:
        raise InputError(f"{what}: chưa nhập thời điểm (cần dạng {MOMENT_FORMS}).")
    for pattern in _MOMENT:
        match = pattern.fullmatch(value)
        if match:
            day = _day_of(match, what)
            hour, minute = int(match.group("H")), int(match.group("M"))
            second = int(match.group("S") or 0)
            shown = f"{match.group('H')}:{match.group('M')}" + (
                f":{match.group('S')}" if match.group("S") else "")
            reason = clock_reason(hour, minute, second, shown)
            if reason:
                raise InputError(f"{what}: {reason}.")
            return dt.datetime(day.year, day.month, day.day, hour, minute, second)
    if any(pattern.fullmatch(value) for pattern in _DAY):
        if bare_day:
            return dt.datetime.combine(_parse_day(value, what), dt.time())
        _parse_day(value, what)  # a wrong day is named first
        raise InputError(f"{what}: chưa có giờ phút (cần dạng {MOMENT_FORMS}).")
    raise InputError(f"{what}: «{value}» không phải một thời điểm (cần dạng {MOMENT_FORMS}).")


MONTH_FORMS = "tháng/năm, năm đủ 4 chữ số, ví dụ 11/2026"
_MONTH = [re.compile(r"(?P<m>\d{1,2})[/.-](?P<y>\d+)"), re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})")]


def parse_month(text: str | None, what: str = "Tháng") -> dt.date:
    """A month typed (`mm/yyyy`, or `yyyy-mm`), as its first day; else an InputError naming
    what is wrong (a month 13 is not turned into January, "26" not into 2026 or 0026)."""
    value = (text or "").strip()
    if not value:
        raise InputError(f"{what}: chưa nhập tháng (cần dạng {MONTH_FORMS}).")
    for pattern in _MONTH:
        match = pattern.fullmatch(value)
        if match:
            year_text, month = match.group("y"), int(match.group("m"))
            if len(year_text) != 4:
                raise InputError(f"{what}: năm «{year_text}» phải đủ 4 chữ số (ví dụ "
                                 f"{dt.date.today().year}), để không hiểu nhầm sang năm khác.")
            reason = calendar_reason(max(int(year_text), 1), month, 1)
            if reason:
                raise InputError(f"{what}: {reason}.")
            first = dt.date(int(year_text), month, 1) if int(year_text) >= 1 else None
            if first is None:
                raise InputError(f"{what}: không có năm {year_text}.")
            limits.check_year(first, what, f"{month:02d}/{year_text}")
            return first
    raise InputError(f"{what}: «{value}» không phải một tháng (cần dạng {MONTH_FORMS}).")


CLOCK_FORMS = "giờ:phút, ví dụ 07:30 (cũng nhận 7:30, 7h30, 7h)"
_CLOCK = re.compile(r"(?P<H>\d{1,2})\s*(?:[:hg.]\s*(?P<M>\d*))?", re.IGNORECASE)


def parse_clock(text: str | None, what: str = "Giờ") -> dt.time:
    """A time of day typed (`07:30`, `7:30`, `7h30`, `7g30`, `7h`, `7`), to the minute; else an
    InputError beginning with `what` and naming the fault: "giờ 25 không có (giờ từ 0 đến 23)",
    "phút 75 không có (phút từ 00 đến 59)", "phút «3» phải đủ 2 chữ số" (7:3 could mean 7:03
    or 7:30), "«mười giờ» không phải giờ:phút". Never another time than the one written (a Qt
    QTimeEdit turned 17:00 typed over 11:30 into 11:00, and 12:75 into 11:07, without a word)."""
    value = "".join((text or "").split())
    if not value:
        raise InputError(f"{what}: chưa nhập giờ (cần dạng {CLOCK_FORMS}).")
    match = _CLOCK.fullmatch(value)
    if not match:
        raise InputError(f"{what}: «{value}» không phải giờ:phút (cần dạng {CLOCK_FORMS}).")
    hour, minutes = int(match.group("H")), match.group("M") or ""
    if hour > 23:
        raise InputError(f"{what}: giờ {hour} không có (giờ từ 0 đến 23).")
    if minutes and len(minutes) != 2:
        raise InputError(f"{what}: phút «{minutes}» phải đủ 2 chữ số (ví dụ {hour}:05 hoặc "
                         f"{hour}:30).")
    minute = int(minutes or 0)
    if minute > 59:
        raise InputError(f"{what}: phút {minute} không có (phút từ 00 đến 59).")
    return dt.time(hour, minute)


def parse_cutoff(text: str | None, kept: str | None = None,
                 what: str = "Giờ chốt (trả trong ngày)") -> str | None:
    """A procedure's same-day cut-off (spec 2.2, 7) as procedures keep it, one rule for the
    catalogue's field and the procedures import: empty is None (the common cut-off, core.due);
    a time of day by `parse_clock` (00:00–23:59, "15h30" is "15:30"); or `kept`, the cut-off
    already stored for the procedure, given back as stored while it is not changed — an older
    version kept "24:00" (the end of the day, which core.calendar.parse_hhmm reads for the due
    times), so a procedure opened and saved again, or exported and imported again, stays as it
    was and asks for no rule change. A new "24:00" is refused: the typed rule has no 24th hour.
    A kept text the due times cannot read is not kept either."""
    value = (text or "").strip()
    if not value:
        return None
    if kept is not None and value == kept.strip() and _readable_stored(kept):
        return kept
    if re.fullmatch(r"24(?:[:hg.]0{0,2})?", value, re.IGNORECASE):
        raise InputError(f"{what}: giờ 24:00 không có (giờ từ 00:00 đến 23:59).")
    return f"{parse_clock(value, what):%H:%M}"


def _readable_stored(text: str) -> bool:
    from core.calendar import parse_hhmm  # core.calendar reads typed sessions through here
    try:
        parse_hhmm(text)
    except ValueError:
        return False
    return True


def stored_cutoff_reason(value: object) -> str | None:
    """Why a cut-off as another installation stores it (an exchange package's procedure or
    dated rule) cannot be kept, or None: the rule by which `parse_cutoff` keeps a stored one —
    none (the common cut-off), or a time the due times read (core.calendar.parse_hhmm), "24:00"
    of an older version included. Nothing is made of it (no "15h30" read as 15:30): a package
    holds what its sender stored, and a text the due times cannot read would fail every due
    time of the procedure. An empty text is refused: no version stores one (empty is none)."""
    if value is None:
        return None
    if not isinstance(value, str):
        return "không phải giờ:phút"
    if not value.strip():
        return "để trống (không có giờ)"
    if not _readable_stored(value):
        return "không đọc được (cần dạng giờ:phút từ 00:00 đến 23:59, hoặc 24:00 của phiên bản trước)"
    return None
