"""Times in the database ('YYYY-MM-DD HH:MM:SS', local, naive) and in Vietnamese on screen."""
from __future__ import annotations

import datetime as dt

DB_FORMAT = "%Y-%m-%d %H:%M:%S"


def parse_db_time(text: str) -> dt.datetime:
    """Parse a stored time; a bare date means its midnight."""
    if len(text) == 10:
        return dt.datetime.fromisoformat(text)
    return dt.datetime.fromisoformat(text)


def to_db_time(moment: dt.datetime) -> str:
    return moment.isoformat(" ", "seconds")


def now() -> dt.datetime:
    """The current local time to the second (tests may monkeypatch this)."""
    return dt.datetime.now().replace(microsecond=0)


def vn_date(day: dt.date | dt.datetime | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


def vn_datetime(moment: dt.datetime | None) -> str:
    return "" if moment is None else moment.strftime("%H:%M %d/%m/%Y")


def vn_number(value: int | float) -> str:
    """1234567 -> '1.234.567'."""
    return f"{value:,.0f}".replace(",", ".")


def vn_money(value: int | float) -> str:
    return f"{vn_number(value)} đ"


def vn_percent(rate: float | None, digits: int = 2) -> str:
    """0.8063 -> '80,63%'; None -> '—' (spec 5: a rate over 0 is not 0%)."""
    if rate is None:
        return "—"
    return f"{rate * 100:.{digits}f}%".replace(".", ",")
