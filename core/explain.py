"""Why a due time is what it is: the start point, the days skipped and the hours not counted."""
from __future__ import annotations

import datetime as dt

from core.calendar import WEEKDAYS_VI, WorkCalendar
from core.due import DAY_HOURS, Limit, statutory_due
from core.timefmt import vn_date

UNIT_VI = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc",
           "calendar_days": "ngày", "same_day": "trong ngày"}


def _hhmm(second: int) -> str:
    return f"{second // 3600:02d}:{second % 3600 // 60:02d}"


def _moment(moment: dt.datetime) -> str:
    return f"{moment:%H:%M} {WEEKDAYS_VI[moment.weekday()].lower()} {vn_date(moment)}"


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def limit_text(limit: Limit) -> str:
    if limit.unit == "same_day":
        return f"trả trong ngày (tiếp nhận sau {limit.cutoff or '15:00'} thì trả ngày làm việc tiếp theo)"
    return f"{_number(limit.value)} {UNIT_VI[limit.unit]}"


def explain_due(cal: WorkCalendar, received_at: dt.datetime, limit: Limit) -> list[str]:
    """Vietnamese lines explaining the statutory due time of a dossier received at `received_at`."""
    due = statutory_due(cal, received_at, limit)
    lines = [f"Thời hạn giải quyết: {limit_text(limit)}."]
    if limit.unit in ("working_days", "working_hours"):
        hours = limit.value * (DAY_HOURS if limit.unit == "working_days" else 1)
        start = cal.session_start_from(received_at)
        lines.append(f"Tính {_number(hours)} giờ làm việc (mỗi ngày làm việc 8 giờ).")
        if start != received_at:
            lines.append(f"Tiếp nhận lúc {_moment(received_at)} ngoài giờ làm việc: "
                         f"bắt đầu tính từ {_moment(start)}.")
        sessions = ", ".join(f"{_hhmm(a)}–{_hhmm(b)}" for a, b in cal.sessions)
        lines.append(f"Chỉ tính thời gian trong giờ hành chính ({sessions}); "
                     "nghỉ trưa và ngoài giờ không tính.")
    lines += _skipped_lines(cal, received_at.date(), due.date())
    lines.append(f"Hạn trả kết quả: {_moment(due)}.")
    return lines


def _skipped_lines(cal: WorkCalendar, start: dt.date, end: dt.date) -> list[str]:
    lines = []
    for day, reason in cal.skipped_days(start, end):
        lines.append(f"Bỏ qua {WEEKDAYS_VI[day.weekday()].lower()} {vn_date(day)}: {reason}.")
    for day, name in cal.extra_workdays(start, end):
        lines.append(f"Tính {WEEKDAYS_VI[day.weekday()].lower()} {vn_date(day)} là ngày làm việc"
                     + (f" ({name})." if name else "."))
    return lines
