"""Everything the monthly report prints, gathered before any layout.

The figures are the indicator engine's (core.indicators.compute, spec 8) and nothing else; this
module only adds what the engine does not list: votes per rating, the overdue dossiers, and the
gaps to the targets in words.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from core import periods
from core.indicators import gaps
from core.indicators.listing import Listing, listing
from core.indicators.vocabulary import is_final, rate_of, ratio
from core.pdf import queries
from core.pdf.agency_case import sentence_name
from core.timefmt import parse_db_time, vn_number, vn_percent
from db.settings import DEFAULT_TARGETS_766

if TYPE_CHECKING:
    from core.exchange.sources import Sources

MAX_OVERDUE_ROWS = 100  # a longer list belongs in the app, not in a signed report


def parse_month(text: str) -> tuple[int, int]:
    """'2026-10' -> (2026, 10); the checks and message are core.periods'."""
    start = periods.parse_month(text).start
    return start.year, start.month


def needed(figures: dict, key: str, target: float, denominator: str,
           closed: bool = False) -> int | None:
    """How many more successes reach the target (or, `closed`, were missing): the engine's rule
    (core.indicators.gaps), so the signed report and the dashboard always give the same number."""
    return gaps.gap(key, figures, target, denominator, closed).needed


def result_text(figures: dict, key: str, denominator: str) -> str:
    """'85,00% (170/200)' or '—' when nothing was counted."""
    rate = rate_of(figures, key)
    if rate is None:
        return "—"
    num, den = ratio(figures, key, denominator)
    return f"{vn_percent(rate)} ({vn_number(num)}/{vn_number(den)})"


def gap_sentence(figures: dict, key: str, target: float, denominator: str,
                 closed: bool = False) -> str:
    """The dashboard's gap sentence (empty when met or nothing counted)."""
    found = gaps.gap(key, figures, target, denominator, closed)
    return found.sentence if found.needed else ""


@dataclass
class MonthlyData:
    period: periods.Period
    kpi: dict
    header: dict
    issued: dt.date
    scope_name: str | None = None
    votes: dict = field(default_factory=dict)
    overdue: list = field(default_factory=list)  # the rows printed, longest overdue first
    overdue_found: dict = field(default_factory=dict)  # {unit: count} of all found
    reception: list = field(default_factory=list)  # core.indicators.reception rows
    # Biểu 06 by field grouped by level (core.indicators.by_field) when printed "by field"
    by_field: dict | None = None
    fingerprint: str = ""  # the footer line of the history's head (core.maintenance.audit)
    signoff: str = ""  # the leader's sign-off of this period and unit (core.signoff)
    # what a unit's row and its own report cover (core.indicators.coverage)
    coverage: list = field(default_factory=list)
    # the 766 set's targets of the year (spec 5.1)
    targets_766: dict = field(default_factory=lambda: dict(DEFAULT_TARGETS_766))
    # the packages of other installations the figures rest on (core.exchange.sources)
    sources: Sources | None = None

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def end(self) -> dt.date:
        return self.period.end

    @property
    def moment(self) -> dt.datetime:
        """The moment of evaluation (spec 2.3), as the engine reports it."""
        return parse_db_time(self.kpi["as_of"])

    @property
    def provisional(self) -> bool:
        """Made before the period is over: figures as of `moment` (spec 5)."""
        return "as_of" in self.kpi and not is_final(self.kpi)

    @property
    def denominator(self) -> str:
        return self.kpi["policy"].get("online_denominator", "eligible")

    @property
    def has_data(self) -> bool:
        total = self.kpi["total"]
        return bool(total["received"]["total"] or total["resolved"]["total"]
                    or total["withdrawn"] or total["satisfaction"]["votes"])

    def unit_name(self, code: str) -> str:
        return self._names.get(code, code)

    @cached_property
    def _names(self) -> dict[str, str]:
        # a dict, not a walk of the units per overdue row (40,000 units × 100 rows)
        return {u["code"]: u["name"] for u in self.kpi["units"]}

    @cached_property
    def listing(self) -> Listing:
        """The units the tables list one by one and the quiet ones of the counted line
        (core.indicators.listing: all units, unless there are many); a desk that received
        dossiers for another unit (section VIII) is listed, its row all zeros."""
        return listing(self.kpi["units"], {row.receiving_code for row in self.reception})


def gather(db, period: periods.Period | str, unit: str | None = None,
           issued: dt.date | None = None, as_of: dt.datetime | None = None,
           by: str = "unit") -> MonthlyData:
    """Read everything the report of `period` (or a month 'YYYY-MM') needs for the scope
    `unit`, evaluated at the period end or now (or `as_of`, spec 2.3); Biểu 06 `by` unit or
    by field grouped by level."""
    from core import indicators  # the engine of spec 5/8
    from core.indicators.by_field import check_by, compute_by_field
    from core.timefmt import now
    from db import settings

    if isinstance(period, str):
        period = periods.parse_month(period)
    check_by(by)
    scope = queries.scope_units(db, unit)
    # the clock read once: the figures, the report's date and its footer's "lúc" (read again
    # after computing, near midnight "ngày 01 tháng 12" headed figures of 23:59 on 30/11)
    clock = now()
    kpi = indicators.compute(db, period.start, period.end, unit=unit, as_of=as_of, now=clock)
    codes = [u["code"] for u in kpi["units"]]
    moment = parse_db_time(kpi["as_of"])
    # by field at the engine's moment: one page, one moment (spec 2.3)
    by_field = (compute_by_field(db, period.start, period.end, unit=unit, as_of=as_of,
                                 now=moment) if by == "field" else None)
    overdue = queries.overdue_dossiers(db, codes, moment, kpi["policy"],
                                       expected=kpi["total"]["in_progress"]["overdue"],
                                       limit=MAX_OVERDUE_ROWS,
                                       open_until=period.end_moment if as_of is None else moment,
                                       known=as_of)
    queries.add_late(db, overdue.rows, moment)
    from core import signoff
    from core.exchange.sources import sources as exchange_sources
    from core.indicators.coverage import notes as coverage_notes
    from core.indicators.reception import reception_workload
    from core.maintenance.audit import footer_line
    from core.report_header import header_for
    return MonthlyData(
        period=period, kpi=kpi, header=header_for(db, unit).header,
        issued=issued or (as_of or clock).date(),
        # named in the report's sentences ("… của Phòng Tư pháp"): as a sentence writes a name
        scope_name=sentence_name(dict(scope).get(unit) or "") or None if unit else None,
        votes=queries.votes_by_rating(db, codes, period.start, period.end, known=as_of),
        overdue=overdue.rows, overdue_found=overdue.per_unit, by_field=by_field,
        reception=reception_workload(db, period.start, period.end, unit, as_of),
        fingerprint=footer_line(db, clock),
        targets_766=settings.targets_766_for_year(db, period.end.year),
        # the figures approved are compared with these, unless --as-of shows another moment's
        signoff=signoff.footer_line(db, period.start, period.end, unit,
                                    kpi if as_of is None else None),
        coverage=coverage_notes(db, kpi),
        sources=exchange_sources(db, period.start, period.end, moment, unit, known=as_of))
