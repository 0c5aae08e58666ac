"""The "why" of a due time, in Vietnamese: where the clock started and which days it skipped.

Plain logic over core.calendar, so the intake dialog can show it live and tests can check it.
Example for a dossier received on a Friday afternoon before Tết:
    Tính từ 07:00 Thứ Hai 27/01/2025 (nhận ngoài giờ làm việc).
    Thời hạn 5 ngày làm việc = 40 giờ làm việc, chỉ tính trong giờ hành chính …
    Không tính: Thứ Bảy, Chủ nhật 25–26/01; ngày lễ: Tết Nguyên đán 28/01–02/02 …
"""
from __future__ import annotations

import datetime as dt

from core.calendar import WEEKDAYS_VI, WorkCalendar
from core.due import DAY_HOURS, DEFAULT_CUTOFF, Limit, statutory_due
from core.labels import LIMIT_UNIT_VI  # noqa: F401  (core's tables)
from core.labels import ONLINE_LEVEL_VI as ONLINE_VI  # noqa: F401  (re-exported)


def number(value: float) -> str:
    return (f"{value:g}").replace(".", ",")


def limit_text(limit: Limit) -> str:
    if limit.unit == "same_day":
        return f"trả trong ngày (nhận sau {limit.cutoff or DEFAULT_CUTOFF} thì trả ngày làm việc tiếp theo)"
    return f"{number(limit.value)} {LIMIT_UNIT_VI.get(limit.unit, limit.unit)}"


def hhmm(moment: dt.datetime) -> str:
    return moment.strftime("%H:%M")


def day_name(day: dt.date) -> str:
    return f"{WEEKDAYS_VI[day.weekday()]} {day:%d/%m/%Y}"


def _sessions_text(cal: WorkCalendar) -> str:
    def clock(second: int) -> str:
        return f"{second // 3600:02d}:{second % 3600 // 60:02d}"
    return ", ".join(f"{clock(a)}–{clock(b)}" for a, b in cal.sessions)


def _group_key(reason: str) -> str:
    if reason in WEEKDAYS_VI:
        return "Thứ Bảy, Chủ nhật"
    if reason.startswith("ngày lễ: "):
        return "nghỉ lễ"
    return reason


def _ranges(days: list[tuple[dt.date, str]]) -> list[str]:
    """Group consecutive skipped days of one kind: "nghỉ lễ 27/01–01/02 (29 Tết … Mùng bốn Tết)"."""
    groups: list[list] = []  # [key, first, last, names]
    for day, reason in days:
        key = _group_key(reason)
        name = reason.removeprefix("ngày lễ: ")
        if groups and groups[-1][0] == key and (day - groups[-1][2]).days == 1:
            groups[-1][2] = day
            if name not in groups[-1][3]:
                groups[-1][3].append(name)
        else:
            groups.append([key, day, day, [name]])
    out = []
    for key, first, last, names in groups:
        span = f"{first:%d/%m}" if first == last else f"{first:%d/%m}–{last:%d/%m}"
        if key == "nghỉ lễ":
            label = names[0] if len(names) == 1 else f"{names[0]} … {names[-1]}"
            out.append(f"nghỉ lễ {span} ({label})")
        else:
            out.append(f"{key} {span}")
    return out


def explain(cal: WorkCalendar, received_at: dt.datetime, limit: Limit,
            due: dt.datetime) -> list[str]:
    """Sentences explaining `due` for a dossier received at `received_at` under `limit`."""
    lines = []
    if limit.unit in ("working_days", "working_hours"):
        start = cal.session_start_from(received_at)
        if start != received_at:
            lines.append(f"Tính từ {hhmm(start)} {day_name(start.date())} "
                         "(nhận ngoài giờ làm việc hoặc ngày nghỉ).")
        hours = limit.value * (DAY_HOURS if limit.unit == "working_days" else 1)
        lines.append(f"Thời hạn {limit_text(limit)} = {number(hours)} giờ làm việc, chỉ tính "
                     f"trong giờ hành chính {_sessions_text(cal)} (không tính nghỉ trưa, "
                     "ngoài giờ).")
    elif limit.unit == "calendar_days":
        lines.append(f"Thời hạn {limit_text(limit)}: hết giờ làm việc của ngày thứ "
                     f"{number(limit.value)} kể từ ngày nhận; rơi vào ngày nghỉ thì lùi sang "
                     "ngày làm việc tiếp theo.")
    else:
        lines.append(f"Thủ tục {limit_text(limit)}.")
        cutoff = limit.cutoff or DEFAULT_CUTOFF
        if received_at.strftime("%H:%M:%S") > cutoff + ":00":
            lines.append(f"Nhận lúc {hhmm(received_at)}, sau {cutoff}: trả trong ngày làm việc "
                         "tiếp theo.")
    skipped = cal.skipped_days(received_at.date(), due.date())
    if skipped:
        lines.append("Không tính: " + "; ".join(_ranges(skipped)) + ".")
    extra = cal.extra_workdays(received_at.date(), due.date())
    if extra:
        lines.append("Có làm việc: " + "; ".join(
            f"{day_name(d)}" + (f" ({name})" if name else "") for d, name in extra) + ".")
    lines.append(f"Hạn trả kết quả: {hhmm(due)} {day_name(due.date())}.")
    return lines


def explain_due(cal: WorkCalendar, received_at: dt.datetime, limit: Limit) -> list[str]:
    """The explanation of the statutory due time of a dossier received at `received_at`."""
    return explain(cal, received_at, limit, statutory_due(cal, received_at, limit))
