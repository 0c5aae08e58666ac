"""The "why" of a due time, in Vietnamese: where the clock started and which days it skipped.

Plain logic over core.calendar, so the intake dialog can show it live and tests can check it.
Example for a dossier received on a Friday afternoon before Tết:
    Tính từ 07:00 Thứ Hai 27/01/2025 (nhận ngoài giờ làm việc).
    Thời hạn 5 ngày làm việc = 40 giờ làm việc, chỉ tính trong giờ hành chính …
    Không tính: Thứ Bảy, Chủ nhật 25–26/01; ngày lễ: Tết Nguyên đán 28/01–02/02 …
"""
from __future__ import annotations

import datetime as dt

from core.calendar import WEEKDAYS_VI, WorkCalendar, clock_text, parse_hhmm, sessions_text
from core.due import DAY_HOURS, DEFAULT_CUTOFF, Limit, same_day_cutoff, same_day_late, statutory_due
from core.labels import LIMIT_UNIT_VI  # noqa: F401  (core's tables)
from core.labels import ONLINE_LEVEL_VI as ONLINE_VI  # noqa: F401  (re-exported)


def number(value: float) -> str:
    return (f"{value:g}").replace(".", ",")


def limit_text(limit: Limit, cal: WorkCalendar | None = None) -> str:
    """The limit in words; with `cal` (the office hours in force), a same-day cut-off later
    than the end of office hours says the hour that counts (core.due.same_day_cutoff)."""
    if limit.unit == "same_day":
        cutoff = limit.cutoff or DEFAULT_CUTOFF
        note = cutoff_note(cal, limit.cutoff) if cal is not None else None  # None: unreadable too
        if cal is not None and note is not None:
            stated, effective = parse_hhmm(cutoff), same_day_cutoff(cal, limit.cutoff)
            return (f"trả trong ngày (nhận sau {clock_text(effective)} thì trả ngày làm việc "
                    f"tiếp theo; giờ chốt {clock_text(stated)} muộn hơn giờ làm việc)")
        return f"trả trong ngày (nhận sau {cutoff} thì trả ngày làm việc tiếp theo)"
    return f"{number(limit.value)} {LIMIT_UNIT_VI.get(limit.unit, limit.unit)}"


def hhmm(moment: dt.datetime) -> str:
    return moment.strftime("%H:%M")


def day_name(day: dt.date) -> str:
    return f"{WEEKDAYS_VI[day.weekday()]} {day:%d/%m/%Y}"


def _sessions_text(cal: WorkCalendar) -> str:
    return sessions_text(cal.sessions)


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
        lines.append(f"Thủ tục {limit_text(limit, cal)}.")
        lines += _same_day_lines(cal, received_at, limit.cutoff)
    skipped = cal.skipped_days(received_at.date(), due.date())
    if skipped:
        lines.append("Không tính: " + "; ".join(_ranges(skipped)) + ".")
    extra = cal.extra_workdays(received_at.date(), due.date())
    if extra:
        lines.append("Có làm việc: " + "; ".join(
            f"{day_name(d)}" + (f" ({name})" if name else "") for d, name in extra) + ".")
    lines.append(f"Hạn trả kết quả: {hhmm(due)} {day_name(due.date())}.")
    return lines


def _same_day_lines(cal: WorkCalendar, received_at: dt.datetime, cutoff: str | None) -> list[str]:
    """Why a same-day dossier is due the next working day, by the rule of core.due: received
    after the cut-off, or after the day's office hours when the cut-off is later than them."""
    if not same_day_late(cal, received_at, cutoff):
        return []
    stated, effective = parse_hhmm(cutoff or DEFAULT_CUTOFF), same_day_cutoff(cal, cutoff)
    if effective < stated:
        return [f"Nhận lúc {hhmm(received_at)}, sau giờ làm việc (kết thúc {clock_text(effective)}; "
                f"giờ chốt {clock_text(stated)} muộn hơn giờ làm việc nên chỉ tính đến "
                f"{clock_text(effective)}): trả trong ngày làm việc tiếp theo."]
    return [f"Nhận lúc {hhmm(received_at)}, sau {clock_text(stated)}: trả trong ngày làm việc "
            "tiếp theo."]


def cutoff_note(cal: WorkCalendar, cutoff: str | None) -> str | None:
    """What a same-day cut-off later than the end of office hours of `cal` means (core.due.
    same_day_cutoff), for the clerk who types, imports or receives it; None for any other
    (empty, earlier, or one the due times cannot read, which its own rule names)."""
    if not cutoff:
        return None
    try:
        stated = parse_hhmm(cutoff)
    except ValueError:
        return None
    effective = same_day_cutoff(cal, cutoff)
    if effective >= stated:
        return None
    end = clock_text(effective)
    return (f"Giờ chốt {clock_text(stated)} muộn hơn giờ kết thúc làm việc ({end}): hồ sơ nhận đến "
            f"{end} trả trong ngày, nhận sau {end} trả vào ngày làm việc tiếp theo.")


def explain_due(cal: WorkCalendar, received_at: dt.datetime, limit: Limit) -> list[str]:
    """The explanation of the statutory due time of a dossier received at `received_at`."""
    return explain(cal, received_at, limit, statutory_due(cal, received_at, limit))
