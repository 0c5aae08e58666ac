"""Everything the monthly report prints, gathered before any layout.

The figures are the indicator engine's (core.indicators.compute, spec 8) and nothing else; this
module only adds what the engine does not list: votes per rating, the overdue dossiers, and the
gaps to the targets in words.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core import periods
from core.pdf import queries
from core.timefmt import vn_number, vn_percent

MAX_OVERDUE_ROWS = 100  # a longer list belongs in the app, not in a signed report
INDICATORS = ("on_time", "online_full", "online_payment", "satisfaction")
INDICATOR_VI = {
    "on_time": "Tỷ lệ hồ sơ giải quyết đúng hạn",
    "online_full": "Tỷ lệ hồ sơ trực tuyến toàn trình",
    "online_payment": "Tỷ lệ hồ sơ thanh toán trực tuyến",
    "satisfaction": "Tỷ lệ người dân hài lòng",
}
SHORT_VI = {"on_time": "Đúng hạn", "online_full": "Trực tuyến toàn trình",
            "online_payment": "Thanh toán trực tuyến", "satisfaction": "Hài lòng"}
# What one more success is, for the sentence "cần thêm N … để đạt X%".
GAP_NOUN = {
    "on_time": "hồ sơ giải quyết đúng hạn",
    "online_full": "hồ sơ nộp trực tuyến toàn trình",
    "online_payment": "hồ sơ thanh toán trực tuyến",
    "satisfaction": "phiếu đánh giá hài lòng",
}


def parse_month(text: str) -> tuple[int, int]:
    """'2026-10' -> (2026, 10); the checks and message are core.periods'."""
    start = periods.parse_month(text).start
    return start.year, start.month


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), periods.month_end(year, month)


def ratio(figures: dict, key: str, denominator: str = "eligible") -> tuple[int, int]:
    """(successes, denominator) behind a rate of spec 5, as the engine counted them."""
    if key == "on_time":
        resolved = figures["resolved"]
        return resolved["early"] + resolved["on_time"], resolved["total"]
    if key == "online_full":
        item = figures["online_full"]
        return item["count"], item["received" if denominator == "all" else "eligible"]
    if key == "online_payment":
        item = figures["online_payment"]
        return item["paid_online"], item["fee_dossiers"]
    item = figures["satisfaction"]
    return item["satisfied"], item["votes"]


def rate_of(figures: dict, key: str) -> float | None:
    return figures["on_time_rate"] if key == "on_time" else figures[key]["rate"]


def needed(figures: dict, key: str, target: float, denominator: str) -> int | None:
    """How many more successes reach the target: the engine's rule (core.indicators.gaps), so
    the signed report and the dashboard always give the same number."""
    from core.indicators.gaps import gap

    return gap(key, figures, target, denominator).needed


def target_text(target: float) -> str:
    """0.45 -> '45%', 0.955 -> '95,5%'."""
    text = f"{target * 100:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def result_text(figures: dict, key: str, denominator: str) -> str:
    """'85,00% (170/200)' or '—' when nothing was counted."""
    rate = rate_of(figures, key)
    if rate is None:
        return "—"
    num, den = ratio(figures, key, denominator)
    return f"{vn_percent(rate)} ({vn_number(num)}/{vn_number(den)})"


def gap_sentence(figures: dict, key: str, target: float, denominator: str) -> str:
    """'cần thêm 7 hồ sơ thanh toán trực tuyến để đạt 45%' (empty when met or nothing counted)."""
    more = needed(figures, key, target, denominator)
    if not more:
        return ""
    return f"cần thêm {vn_number(more)} {GAP_NOUN[key]} để đạt {target_text(target)}"


@dataclass
class MonthlyData:
    year: int
    month: int
    kpi: dict
    header: dict
    issued: dt.date
    scope_name: str | None = None
    votes: dict = field(default_factory=dict)
    overdue: list = field(default_factory=list)  # the rows printed, longest overdue first
    overdue_found: dict = field(default_factory=dict)  # {unit: count} of all found

    @property
    def start(self) -> dt.date:
        return month_bounds(self.year, self.month)[0]

    @property
    def end(self) -> dt.date:
        return month_bounds(self.year, self.month)[1]

    @property
    def denominator(self) -> str:
        return self.kpi["policy"].get("online_denominator", "eligible")

    @property
    def has_data(self) -> bool:
        total = self.kpi["total"]
        return bool(total["received"]["total"] or total["resolved"]["total"]
                    or total["withdrawn"] or total["satisfaction"]["votes"])

    def unit_name(self, code: str) -> str:
        return next((u["name"] for u in self.kpi["units"] if u["code"] == code), code)


def compute_kpi(db, start: dt.date, end: dt.date, unit: str | None) -> dict:
    from core import indicators  # the engine of spec 5/8

    return indicators.compute(db, start, end, unit=unit)


def gather(db, month: str, unit: str | None = None, issued: dt.date | None = None) -> MonthlyData:
    """Read everything the report of `month` ('YYYY-MM') needs for the scope `unit`."""
    from db import settings
    from core.timefmt import now

    year, number = parse_month(month)
    scope = queries.scope_units(db, unit)
    start, end = month_bounds(year, number)
    kpi = compute_kpi(db, start, end, unit)
    codes = [u["code"] for u in kpi["units"]]
    moment = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    overdue = queries.overdue_dossiers(db, codes, moment, kpi["policy"],
                                       expected=kpi["total"]["in_progress"]["overdue"],
                                       limit=MAX_OVERDUE_ROWS)
    queries.add_days_late(db, overdue.rows, moment)
    return MonthlyData(
        year=year, month=number, kpi=kpi, header=settings.get(db, "report_header"),
        issued=issued or now().date(),
        scope_name=dict(scope).get(unit) if unit else None,
        votes=queries.votes_by_rating(db, codes, start, end), overdue=overdue.rows,
        overdue_found=overdue.per_unit)
