"""How far each figure is from its target, and where the period ends at the current pace.

The words (names, fractions, targets, the gap sentence) are core.indicators.vocabulary's."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

from core.calendar import WorkCalendar
from core.indicators.vocabulary import INDICATORS, KEYS, gap_sentence, is_final, ratio
from core.timefmt import vn_number, vn_percent


@dataclass
class Gap:
    key: str
    numerator: int
    denominator: int
    target: float
    needed: int | None       # more successes needed; 0 when met; None when it cannot be said
    sentence: str

    @property
    def rate(self) -> Fraction | None:
        return None if self.denominator == 0 else Fraction(self.numerator, self.denominator)


def needed(numerator: int, denominator: int, target: float, adds_to: str) -> int | None:
    """Smallest n with (num + n) / (den + n) >= target (or (num + n) / den when only the
    numerator grows, e.g. getting fee-bearing dossiers paid online)."""
    goal = Fraction(str(target))
    if denominator == 0:
        return None
    if Fraction(numerator, denominator) >= goal:
        return 0
    if adds_to == "numerator":
        n = math.ceil(goal * denominator - numerator)
        return n if n <= denominator - numerator else None
    if goal >= 1:
        return None
    return math.ceil((goal * denominator - numerator) / (1 - goal))


def gap(key: str, figures: dict, target: float, online_denominator: str = "eligible",
        closed: bool = False) -> Gap:
    numerator, denominator = ratio(figures, key, online_denominator)
    n = needed(numerator, denominator, target, INDICATORS[key].grows)
    return Gap(key, numerator, denominator, target, n, gap_sentence(key, n, target, closed))


def gaps(doc: dict, figures: dict | None = None) -> dict[str, Gap]:
    """Gaps of the total (or of one unit's `figures`) of a spec-8 document."""
    figures = figures or doc["total"]
    closed = is_final(doc)
    return {k: gap(k, figures, doc["targets"][k], doc["policy"]["online_denominator"], closed)
            for k in KEYS}


@dataclass
class Projection:
    key: str
    numerator: int
    denominator: int
    rate: Fraction | None
    needed: int | None
    sentence: str


def pace_factor(cal: WorkCalendar, start: dt.date, today: dt.date, end: dt.date) -> Fraction:
    """Working days from `start` to `end` over working days from `start` up to `today`."""
    def working(a: dt.date, b: dt.date) -> int:
        return sum(cal.is_working_day(a + dt.timedelta(days=i)) for i in range((b - a).days + 1))
    elapsed = working(start, min(today, end))
    return Fraction(working(start, end), elapsed) if elapsed else Fraction(1)


def end_word(start: dt.date, end: dt.date) -> str:
    """'cuối tháng' for a calendar month, 'cuối năm' for a calendar year, else 'cuối kỳ
    (14/12/2026)': a projection names the end it projects to."""
    if start.day == 1 and (end + dt.timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 1:
            return "cuối tháng"
        if months == 12 and start.month == 1:
            return "cuối năm"
    return f"cuối kỳ ({end:%d/%m/%Y})"


def project(doc: dict, cal: WorkCalendar, today: dt.date, period_end: dt.date) -> dict[str, Projection]:
    """The figures at `period_end` if the period continues at its pace so far."""
    start = dt.date.fromisoformat(doc["from"])
    factor = pace_factor(cal, start, today, period_end)
    where = f"{end_word(start, period_end)} dự kiến"
    out = {}
    for key, current in gaps(doc).items():
        num = round(current.numerator * factor)
        den = round(current.denominator * factor)
        n = needed(num, den, current.target, INDICATORS[key].grows)
        value = None if den == 0 else Fraction(num, den)
        text = (f"{where} {vn_percent(None if value is None else float(value))}"
                f" ({vn_number(num)}/{vn_number(den)}); " + gap_sentence(key, n, current.target))
        out[key] = Projection(key, num, den, value, n, text)
    return out
