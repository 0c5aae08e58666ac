"""A moment of a dossier given as a day without a time ("02/01/2025", "20250102", a date cell).

Vendors' exports often carry the reception, due and finish as dates only. Read as midnight, a
reception at 00:00 looked like a time the file gave, was stored and printed so without a word,
and the due time was counted from it; a finish at 00:00 counted a dossier finished late in the
day as on time; a due date at 00:00 made every dossier finished that day late. The rule, one
place for the import, the command line, the window's import and its mapping preview:

- a reception, or a supplement request or completion, given as a day is taken at the **start of
  that day's office hours** (the hours in force that day, spec 2.1: 07:00 by default) — the
  earliest the office could have done it, so the due time of spec 2.2 is never later than the
  real one;
- a due time, extended due time, finish or return given as a day is taken at the **end of that
  day's office hours** (17:00 by default) — "hẹn trả ngày 05/01" means by the end of that day,
  and a finish that day is never counted earlier than it may have been;
- either way the row's order is kept (`settle`): never after a moment that follows it given with
  its time that same day (a supplement asked "03/01" of a dossier finished "03/01 06:30" is asked
  at 06:30, not at 07:00 after its own finish; a finish is never after the return), nor before
  one that precedes it (finished "02/01" of a dossier received "02/01 18:00": at 18:00, not at
  17:00 before its reception). The supplement waits follow it as the two supplement columns.

The import says it, once per column, with the number of rows and the first of them; a file that
has the time in a column of its own is read with both (core.transfer.profiles: a time column
beside the date column).
"""
from __future__ import annotations

import datetime as dt
import re

from core.rules import in_force, office_hours_entries
from core.timefmt import vn_number
from core.transfer.cells import time_value

START_OF_DAY = ("received_at", "supplement_requested_at", "supplement_completed_at")
END_OF_DAY = ("due_at", "extended_due_at", "finished_at", "returned_at")
FIELDS = START_OF_DAY + END_OF_DAY
# What happens before each moment (the order core.transfer.dossiers checks, and a supplement
# asked and completed before the finish it held up), each before those it names: a moment
# given as a day is never before one of these on its day, nor after one that follows it given
# with its time that day (received "02/06", finished "02/06 06:55": at 06:55; a supplement asked
# "03/01" of a dossier finished "03/01 06:30": at 06:30, not 07:00 after its own finish).
BEFORE: dict[str, tuple[str, ...]] = {
    "supplement_requested_at": ("received_at",),
    "supplement_completed_at": ("received_at", "supplement_requested_at"),
    "due_at": ("received_at",), "extended_due_at": ("received_at",),
    "finished_at": ("received_at", "supplement_requested_at", "supplement_completed_at"),
    "returned_at": ("received_at", "supplement_requested_at", "supplement_completed_at",
                    "finished_at")}
FOLLOW = {name: tuple(later for later in FIELDS if name in BEFORE.get(later, ()))
          for name in FIELDS}
WAITS = "supplement_waits"  # MotCua's own column of supplement waits: both ends as a start
ROWS_NAMED = 10  # rows a warning names before "và N dòng khác"

_DAY_TEXT = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}"
                       r"|[0-9]{8}|[0-9]{5}(?:[.,]0+)?")


def is_day_only(raw) -> bool:
    """Whether the cell, as the file holds it, gives a day and no time of day: a date written
    alone (YYYY-MM-DD, DD/MM/YYYY, the portal's yyyyMMdd, an Excel serial day without a
    fraction), a date cell, or a spreadsheet's date-time cell at exactly 00:00:00 (a cell
    formatted as a date reads so: nothing tells it from midnight, and no office receives or
    returns a dossier at midnight)."""
    if isinstance(raw, dt.datetime):
        return raw.time() == dt.time()
    if isinstance(raw, dt.date):
        return True
    if isinstance(raw, bool):
        return False
    if isinstance(raw, int):
        return 10000 <= raw <= 99999
    if isinstance(raw, float):
        return raw.is_integer() and 10000 <= raw <= 99999
    if isinstance(raw, str):
        return _DAY_TEXT.fullmatch(raw.strip()) is not None
    return False


class DayHours:
    """The office hours in force on each day, read once per import."""

    def __init__(self, db):
        self.entries = office_hours_entries(db)

    def moment(self, name: str, day: dt.date) -> str:
        """The stored moment of a `name` given as `day` (see the module's rule)."""
        sessions = in_force(self.entries, day)
        clock = sessions[0][0] if name in START_OF_DAY else sessions[-1][1]
        hour, minute = (int(part) for part in clock.split(":")[:2])
        return f"{day.isoformat()} {hour:02d}:{minute:02d}:00"

    def clock(self, name: str, day: dt.date) -> str:
        return self.moment(name, day)[11:16]


def settle(moments: dict[str, str], days: set[str], hours: DayHours,
           also: tuple[str, ...] = ()) -> dict[str, str]:
    """The moments of one row by the rule: `moments` the row's moments as read (name -> 'YYYY-MM-DD
    HH:MM:SS', a day read as 00:00), `days` the names of those the file gave as a day alone,
    `also` other moments the row gives with their time (its supplement waits: after the
    reception). Returns the moments the rule takes for the names of `days`: the start or the
    end of that day's office hours, but never after a moment that follows it (FOLLOW) given with
    its time that same day (then: the earliest such), nor before one that precedes it (BEFORE)
    that day, given with its time or taken by this rule (then: the latest such)."""
    out: dict[str, str] = {}
    for name in FIELDS:
        if name not in days or name not in moments:
            continue
        value = hours.moment(name, dt.date.fromisoformat(moments[name][:10]))
        later = [moments[n] for n in FOLLOW[name] if n in moments and n not in days]
        later += list(also) if name == "received_at" else []
        if earlier_ones := [t for t in later if t[:10] == value[:10] and t < value]:
            value = min(earlier_ones)
        before = [out.get(n, moments[n]) for n in BEFORE.get(name, ()) if n in moments]
        if later_ones := [t for t in before if t[:10] == value[:10] and t > value]:
            value = max(later_ones)
        out[name] = value
    return out


def settle_wait(wait: tuple[str, str | None], days: set[str], row: dict[str, str],
                hours: DayHours) -> tuple[str, str | None]:
    """One supplement wait (requested, completed) whose ends named in `days`
    ('supplement_requested_at', 'supplement_completed_at') were given as a day alone, by the
    rule of `settle` among the row's moments as the import takes them (`row`: its reception,
    finish and return)."""
    moments = {n: v for n, v in row.items() if n in ("received_at", "finished_at", "returned_at")}
    moments["supplement_requested_at"] = wait[0]
    if wait[1] is not None:
        moments["supplement_completed_at"] = wait[1]
    settled = settle(moments, days, hours)
    return (settled.get("supplement_requested_at", wait[0]),
            settled.get("supplement_completed_at", wait[1]))


def shown_moments(cells, hours: DayHours) -> tuple[dict[str, str], set[str]]:
    """A mapped row's moments as the import stores them (core.transfer.base.FileCells: its cells
    and, by `shown`, as the file wrote them), by `settle` as the import; and the names given as
    a day alone. A cell that is no moment is left out (the import names it)."""
    moments, days = {}, set()
    for name in FIELDS:
        try:
            value = time_value(cells.get(name))
        except ValueError:  # CellError too
            continue
        if value is None:
            continue
        moments[name] = value
        if is_day_only(cells.shown(name)):
            days.add(name)
    moments.update(settle(moments, days, hours))
    return moments, days


# How a warning says the moment keeps the row's order (`settle`)
ORDER_NOTE = ("; không muộn hơn bước sau, không sớm hơn bước trước mà dòng đó ghi kèm giờ cùng "
              "ngày")


def warning(column: str, name: str, rows: list[int], hours: DayHours, day: dt.date,
            mapped: bool = True) -> str:
    """The line an import gives for the rows whose `name` (named `column`) was a day only;
    `mapped`: read through a column profile (else a file in MotCua's own columns, which has no
    profile to choose a time column in)."""
    rows = sorted(rows)
    shown = ", ".join(vn_number(r) for r in rows[:ROWS_NAMED])
    more = f" và {vn_number(len(rows) - ROWS_NAMED)} dòng khác" if len(rows) > ROWS_NAMED else ""
    if name == WAITS:
        rule = (f"lấy giờ bắt đầu làm việc của ngày đó cho cả yêu cầu và hoàn thành bổ sung "
                f"({hours.clock('supplement_requested_at', day)} theo giờ làm việc của cơ quan)")
        after = ORDER_NOTE
    elif name in START_OF_DAY:
        rule = (f"lấy giờ bắt đầu làm việc của ngày đó ({hours.clock(name, day)} theo giờ làm "
                "việc của cơ quan)")
        after = ORDER_NOTE + "; hạn trả tính từ giờ đó nên có thể sớm hơn hạn thật"
    else:
        rule = (f"lấy giờ kết thúc làm việc của ngày đó ({hours.clock(name, day)} theo giờ làm "
                "việc của cơ quan)")
        after = ORDER_NOTE
    if mapped:
        fix = "Nếu tệp có giờ ở một cột riêng, hãy chọn cột giờ đó bên cạnh cột ngày trong mẫu cột."
    else:
        fix = "Nếu biết giờ, hãy ghi cả ngày và giờ vào ô (ví dụ 2025-01-02 08:30) rồi nhập lại."
    return (f"{vn_number(len(rows))} dòng có cột {column} chỉ ghi ngày, không có giờ (dòng "
            f"{shown}{more}): MotCua {rule}{after}. {fix}")
