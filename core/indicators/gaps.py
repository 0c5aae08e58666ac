"""How far each figure is from its target, and where the period ends at the current pace.

The words (names, fractions, targets, the gap sentence) are core.indicators.vocabulary's."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

from core.calendar import WorkCalendar
from core.indicators.vocabulary import (
    FIGURE_NAMES,
    INDICATORS,
    KEYS,
    denominator_path,
    gap_sentence,
    is_final,
    ratio,
)
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


def growth(grows: str, closed: bool) -> str:
    """How a success counts in a gap. While the period runs, a new success is a new dossier (or
    vote) and adds to both parts ("both"). Once it is over every dossier is counted and no
    more can come: its shortfall is how many of those counted would have had to succeed, over
    the same denominator ("numerator"): 258/312 on time against 90% is 23 short (281/312),
    not the 228 more on-time dossiers a still-running month would need."""
    return "numerator" if closed else grows


def gap(key: str, figures: dict, target: float, online_denominator: str = "eligible",
        closed: bool = False) -> Gap:
    numerator, denominator = ratio(figures, key, online_denominator)
    n = needed(numerator, denominator, target, growth(INDICATORS[key].grows, closed))
    return Gap(key, numerator, denominator, target, n,
               gap_sentence(key, n, target, closed, (numerator, denominator)))


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


def working_days(cal: WorkCalendar, first: dt.date, last: dt.date) -> int:
    """Working days from `first` to `last`, both counted (0 when `last` is before `first`)."""
    return sum(cal.is_working_day(first + dt.timedelta(days=i))
               for i in range((last - first).days + 1))


def pace_factor(cal: WorkCalendar, start: dt.date, today: dt.date, end: dt.date) -> Fraction:
    """Working days from `start` to `end` over working days from `start` up to `today`."""
    elapsed = working_days(cal, start, min(today, end))
    return Fraction(working_days(cal, start, end), elapsed) if elapsed else Fraction(1)


# The least evidence a projection rests on; below it the screen says so instead of a number.
# A projection multiplies what was counted so far by the pace factor, so it is no surer than
# the counts behind it:
# - MIN_COUNTED dossiers (or votes) in the figure's denominator: at a 90% share 30 dossiers
#   still leave a standard error of sqrt(0.9 x 0.1 / 30) = 5.5 points, the width of the
#   dashboard's orange band ("thiếu dưới 5 điểm"); with 1 resolved dossier the share is 0% or
#   100% by chance, and a leader could act on noise;
# - MIN_WORKING_DAYS working days of the period gone (one working week, today counted): on the
#   first days the pace factor multiplies by up to 22 and a single busy or quiet morning
#   (a holiday's backlog, a closed office) decides the month.
MIN_COUNTED = 30
MIN_WORKING_DAYS = 5


def too_little(where: str, counted: int, noun: str, elapsed: int) -> str | None:
    """The sentence said instead of a projection to `where` ('cuối tháng') resting on `counted`
    <noun> of the figure's denominator and `elapsed` working days, or None when they suffice:
    'cuối tháng: chưa đủ số liệu để dự kiến (mới có 1 hồ sơ đã giải quyết, cần ít nhất 30)'.
    The one rule for every projection (Biểu 06 and Chỉ số 766)."""
    short = []
    if counted < MIN_COUNTED:
        short.append(f"mới có {vn_number(counted)} {noun}, cần ít nhất {MIN_COUNTED}")
    if elapsed < MIN_WORKING_DAYS:
        short.append(f"mới qua {elapsed} ngày làm việc, cần ít nhất {MIN_WORKING_DAYS}")
    if not short:
        return None
    return f"{where}: chưa đủ số liệu để dự kiến ({'; '.join(short)})"


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
    """The figures at `period_end` if the period continues at its pace so far; a figure
    resting on too little (too_little) has no rate, no count and says why."""
    start = dt.date.fromisoformat(doc["from"])
    factor = pace_factor(cal, start, today, period_end)
    elapsed = working_days(cal, start, min(today, period_end))
    end = end_word(start, period_end)
    where = f"{end} dự kiến"
    online_denominator = doc["policy"]["online_denominator"]
    out = {}
    for key, current in gaps(doc).items():
        noun = FIGURE_NAMES[denominator_path(key, online_denominator)]
        refused = too_little(end, current.denominator, noun, elapsed)
        if refused:
            out[key] = Projection(key, 0, 0, None, None, refused)
            continue
        num = round(current.numerator * factor)
        den = round(current.denominator * factor)
        n = needed(num, den, current.target, INDICATORS[key].grows)
        value = None if den == 0 else Fraction(num, den)
        text = (f"{where} {vn_percent(None if value is None else float(value))}"
                f" ({vn_number(num)}/{vn_number(den)}); " + gap_sentence(key, n, current.target))
        out[key] = Projection(key, num, den, value, n, text)
    return out
