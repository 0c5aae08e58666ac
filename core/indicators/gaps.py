"""How far each figure is from its target, and where the month ends at the current pace."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

from core.calendar import WorkCalendar
from core.timefmt import vn_number, vn_percent

# key -> (numerator getter, denominator getter, what one more success is, Vietnamese noun)
PARTS = {
    "on_time": (lambda f: f["resolved"]["early"] + f["resolved"]["on_time"],
                lambda f: f["resolved"]["total"], "both", "hồ sơ giải quyết đúng hạn"),
    "online_full": (lambda f: f["online_full"]["count"], None, "both",
                    "hồ sơ nộp trực tuyến toàn trình"),
    "online_payment": (lambda f: f["online_payment"]["paid_online"],
                       lambda f: f["online_payment"]["fee_dossiers"], "numerator",
                       "hồ sơ thanh toán trực tuyến"),
    "satisfaction": (lambda f: f["satisfaction"]["satisfied"],
                     lambda f: f["satisfaction"]["votes"], "both", "phiếu hài lòng"),
}
LABELS = {"on_time": "Giải quyết trước hạn, đúng hạn", "online_full": "Hồ sơ trực tuyến toàn trình",
          "online_payment": "Thanh toán trực tuyến", "satisfaction": "Mức độ hài lòng"}


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


def _denominator(key: str, figures: dict, online_denominator: str) -> int:
    getter = PARTS[key][1]
    if getter is not None:
        return getter(figures)
    o = figures["online_full"]
    return o["eligible"] if online_denominator == "eligible" else o["received"]


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


def gap(key: str, figures: dict, target: float, online_denominator: str = "eligible") -> Gap:
    numerator = PARTS[key][0](figures)
    denominator = _denominator(key, figures, online_denominator)
    n = needed(numerator, denominator, target, PARTS[key][2])
    return Gap(key, numerator, denominator, target, n, sentence(key, n, target))


def sentence(key: str, n: int | None, target: float) -> str:
    goal = vn_percent(target, 0)
    if n is None:
        return "chưa có số liệu để tính"
    if n == 0:
        return f"đã đạt chỉ tiêu {goal}"
    return f"cần thêm {vn_number(n)} {PARTS[key][3]} để đạt {goal}"


def gaps(doc: dict, figures: dict | None = None) -> dict[str, Gap]:
    """Gaps of the total (or of one unit's `figures`) of a spec-8 document."""
    figures = figures or doc["total"]
    return {k: gap(k, figures, doc["targets"][k], doc["policy"]["online_denominator"])
            for k in PARTS}


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


def project(doc: dict, cal: WorkCalendar, today: dt.date, month_end: dt.date) -> dict[str, Projection]:
    """The figures at `month_end` if the period continues at its pace so far."""
    start = dt.date.fromisoformat(doc["from"])
    factor = pace_factor(cal, start, today, month_end)
    out = {}
    for key, current in gaps(doc).items():
        num = round(current.numerator * factor)
        den = round(current.denominator * factor)
        n = needed(num, den, current.target, PARTS[key][2])
        value = None if den == 0 else Fraction(num, den)
        text = (f"cuối tháng dự kiến {vn_percent(None if value is None else float(value))}"
                f" ({vn_number(num)}/{vn_number(den)}); " + sentence(key, n, current.target))
        out[key] = Projection(key, num, den, value, n, text)
    return out
