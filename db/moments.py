"""How a dossier's moments are stored (schema 22, issue 18: the database's size).

A moment was stored as the 19 characters 'YYYY-MM-DD HH:MM:SS' of the local, naive wall-clock
time, in the table and again in each index holding it. In `dossier_rows` it is the number of
seconds from 1970-01-01 00:00:00 to that same naive time (no time zone: the convention of
event_rows.at), an INTEGER of 4 bytes: SQLite's `datetime(x, 'unixepoch')` gives back exactly
the old text and `unixepoch(text)` makes it. Seconds order exactly as the texts did, so a range
or a sort on them is the old range or sort.

This module is the one conversion: Python writers store `to_stored(value)`, readers of the rows
show `to_text(seconds)`; SQL uses `text_sql` / `stored_sql`. Only the exact text is accepted: a
day alone, minutes without seconds or a time zone are refused (ValueError), never guessed.
db, not core: the migration and the view use it.
"""
from __future__ import annotations

import datetime as dt
import re

# the moment columns of dossier_rows, in the table's order
COLUMNS = ("received_at", "due_at", "finished_at", "returned_at", "extended_due_at",
           "created_at", "updated_at", "calc_due_at", "anonymised_at")
_TEXT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])")
_EPOCH = dt.datetime(1970, 1, 1)
_DAY = 86400
_DAYS: dict[str, int] = {}  # 'YYYY-MM-DD' → its first second (a few thousand days in any history)


def _day_seconds(day: str) -> int:
    seconds = _DAYS.get(day)
    if seconds is None:
        seconds = (dt.date.fromisoformat(day).toordinal() - _EPOCH.toordinal()) * _DAY
        if len(_DAYS) < 100_000:
            _DAYS[day] = seconds
    return seconds


def to_stored(value: str | dt.datetime | None) -> int | None:
    """The stored seconds of a moment: a text 'YYYY-MM-DD HH:MM:SS' or a naive datetime (its
    microseconds dropped, as the text form drops them); None stays None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise ValueError(f"a dossier's moment is naive local time, not {value!r}")
        return int((value.replace(microsecond=0) - _EPOCH).total_seconds())
    found = _TEXT.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        raise ValueError(f"a dossier's moment is 'YYYY-MM-DD HH:MM:SS', not {value!r}")
    try:
        first = _day_seconds(value[:10])
    except ValueError:
        raise ValueError(f"a dossier's moment is not a real day: {value!r}") from None
    hour, minute, second = (int(part) for part in found.groups()[3:])
    return first + hour * 3600 + minute * 60 + second


def to_text(seconds: int | None) -> str | None:
    """The old text of stored seconds (what the view `dossiers` shows)."""
    if seconds is None:
        return None
    return (_EPOCH + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S")


def text_sql(expression: str) -> str:
    """SQL: the text of stored seconds `expression` (NULL stays NULL)."""
    return f"datetime({expression}, 'unixepoch')"


def day_sql(expression: str) -> str:
    """SQL: the day 'YYYY-MM-DD' of stored seconds (what substr(text, 1, 10) gave)."""
    return f"date({expression}, 'unixepoch')"


def column_sql(name: str, required: bool) -> str:
    """SQL: the definition of a moment column of the rows' tables (db.dossier_rows,
    db.entry_rows): whole seconds only, NULL too unless `required`."""
    check = f"typeof({name}) = 'integer'" if required else \
        f"{name} IS NULL OR typeof({name}) = 'integer'"
    return f"{name} INTEGER{' NOT NULL' if required else ''} CHECK ({check})"


def stored_sql(expression: str) -> str:
    """SQL: the stored seconds of a moment text `expression` (a bound: no check of its form;
    the writers' checks are `to_stored` and the view's `checked_sql`)."""
    return f"unixepoch({expression})"


def checked_sql(expression: str, message: str) -> str:
    """SQL inside a trigger: the stored seconds of `expression`, which must be NULL or exactly
    a moment's text (its seconds give it back), else the statement fails with `message`."""
    return (f"CASE WHEN {expression} IS NULL THEN NULL "
            f"WHEN typeof({expression}) = 'text' AND "
            f"datetime(unixepoch({expression}), 'unixepoch') IS {expression} "
            f"THEN unixepoch({expression}) ELSE RAISE(ABORT, '{message}') END")


def stored_values(names, values) -> list:
    """A row's values for the columns `names`, each moment column's value `to_stored`."""
    return [to_stored(v) if n in COLUMNS else v for n, v in zip(names, values, strict=True)]
