"""Times in the database ('YYYY-MM-DD HH:MM:SS', local, naive) and in Vietnamese on screen."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

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


def rate4(value: Fraction | None) -> float | None:
    """An exact rate as the KPI JSON gives it (spec 8: a fraction rounded to 4 decimals), half
    up as a spreadsheet's ROUND and a clerk's pencil round: 1/32 -> 0.0313 (float rounding
    gave 0.0312, half to even); None stays None (spec 5: a zero denominator)."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)  # 28 digits: ties stay ties
    return float(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def vn_percent(rate: float | None, digits: int = 2) -> str:
    """0.8063 -> '80,63%'; None -> '—' (spec 5: a rate over 0 is not 0%)."""
    if rate is None:
        return "—"
    # half up like rate4 (3,125% -> 3,13%), from the shortest decimal that names the float
    percent = Decimal(str(rate)).scaleb(2).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return f"{percent:.{digits}f}%".replace(".", ",")
