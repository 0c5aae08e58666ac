"""The indicators of spec 5 for a period and unit scope, as the JSON document of spec 8.

Figures come from `kpi_daily` (per-unit, per-day sums kept in step with every write by
core.facts), so a year over a million dossiers sums a few thousand rows. The few "irregular"
dossiers whose classification depends on the period end are evaluated directly. Open dossiers
are classified at the moment of evaluation (spec 2.3): the period end once it has passed, else
now (core.indicators.open_now); `as_of` evaluates what was recorded then (core.indicators.asof).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction
from typing import cast

import sqlite_utils

from core import scorecard766
from core.calendar import load_calendar
from core.due import Policy
from core.errors import InputError
from core.facts import load_inputs
from core.indicators import i766
from core.indicators.evaluate import dossier_figures
from core.indicators.vocabulary import KEYS
from core.moment import valid_in_period
from core.periods import Period
from core.timefmt import rate4, to_db_time
from core.unit_scope import unit_subtree
from db import settings

RATE_KEYS = KEYS  # the rated indicators, in core.indicators.vocabulary's order


def resolve_policy(db: sqlite_utils.Database, overrides: dict | None = None) -> dict[str, str]:
    """The saved policies, overridden for this run by non-empty `overrides` (CLI options)."""
    chosen = settings.policy(db)
    for key, value in (overrides or {}).items():
        if value:
            chosen[key] = value
    return chosen


def variant_key(policy: dict[str, str]) -> str:
    return ("p" if policy["supplement"] == "pause" else "r") + \
           ("o" if policy["due_basis"] == "original" else "e")


def scope_units(db: sqlite_utils.Database, unit: str | None) -> list[tuple[str, str]]:
    """(code, name) of `unit` and every unit below it (all units when None), sorted by code."""
    if unit is None:
        return [tuple(r) for r in db.execute("SELECT code, name FROM units ORDER BY code")]
    if not db.execute("SELECT 1 FROM units WHERE code = ?", [unit]).fetchone():
        raise InputError(f"Không có đơn vị mã {unit!r} trong danh mục.")
    return unit_subtree(db, unit)


def listed_units(db: sqlite_utils.Database, units: list[tuple[str, str]], period: Period,
                 counts: dict) -> set[str]:
    """The units of a scope a period's table lists (spec 8): those valid on some day of the
    period; a unit dissolved earlier (or created later) only when something still counts at it
    in the period, so that the rows always add up to the total."""
    validity = {code: (start, end) for code, start, end in db.execute(
        "SELECT code, valid_from, valid_to FROM units")}
    return {code for code, _ in units
            if valid_in_period(*validity.get(code, (None, None)), period.start, period.end)
            or any(counts.get(code, {}).values())}


def history_names(db: sqlite_utils.Database, listed: set[str], period: Period) -> dict[str, str]:
    """The units a period lists that were not in being on all of its days, named with their
    history as Danh mục names them (core.catalogue.UnitRow.history_note): "UBND xã Tú Xuyên
    (đến 30/06/2025 → UBND xã Tân Văn)", "UBND xã Điềm He (từ 01/07/2025)". Those dissolved
    before it or made after it (listed because something still counts at them: `listed_units`),
    and those the period saw end or begin: the state-report month of July 2025 (15/06–14/07)
    listed the old and the new "UBND xã Điềm He", "UBND xã Yên Phúc", "UBND xã Tri Lễ" … each
    twice under one name, the leader left to guess which row was which commune. One rule for
    every table that prints a unit's row (kpi, Báo cáo, the monthly PDF, Biểu 06 and 766
    workbooks): a reader of November 2026 is not left to wonder at a commune the reform of
    01/07/2025 merged away, nor to ask it to meet a target."""
    from core.catalogue import unit_rows
    return {row.code: f"{row.name} {row.history_note()}" for row in unit_rows(db)
            if row.code in listed and ((row.valid_to and row.valid_to < period.end)
                                       or (row.valid_from and row.valid_from > period.start))}


def spec_document(db: sqlite_utils.Database, doc: dict) -> dict:
    """`compute`'s document as `kpi --json` gives it (spec 8): each unit's "name" is its name in
    the catalogue, which other tools join on; the history a printed table adds to a unit listed
    in a period it did not cover whole (`history_names`) is for people reading the tables, not
    for those tools."""
    plain = dict(db.execute("SELECT code, name FROM units").fetchall())
    return {**doc, "units": [{**unit, "name": plain.get(unit["code"], unit["name"])}
                             for unit in doc["units"]]}


def _sum_columns(db, columns: list[str], condition: str, params: list) -> dict[str, dict[str, int]]:
    select = ", ".join(f"SUM({c})" for c in columns)
    out = {}
    for row in db.execute(f"SELECT unit_code, {select} FROM kpi_daily WHERE {condition} "
                          f"GROUP BY unit_code", params):
        out[row[0]] = {c: (v or 0) for c, v in zip(columns, row[1:], strict=True)}
    return out


def _raw_counts(db, period: Period, variant: str,
                with_spans: bool = True) -> dict[str, dict[str, int]]:
    """Per unit: the period sums, the carried-over balance and the overdue spans at the end
    (not read when `with_spans` is False: a running period classifies its open ones now)."""
    start, end = period.start.isoformat(), period.end.isoformat()
    in_period = _sum_columns(db, [
        "recv_online", "recv_direct_postal", "online_full", "online_eligible", "fee_dossiers",
        "paid_online", "withdrawn", "votes", "satisfied",
        f"early_{variant}", f"on_time_{variant}", f"late_{variant}", *i766.PERIOD_COLUMNS],
        "day >= ? AND day <= ?", [start, end])
    before = _sum_columns(db, ["recv_online", "recv_direct_postal", "closed"], "day < ?", [start])
    spans = _sum_columns(db, [f"od_start_{variant}", f"od_end_{variant}", *i766.SPAN_COLUMNS],
                         "day <= ?", [end]) if with_spans else {}
    units = set(in_period) | set(before) | set(spans)
    counts = {}
    for unit in units:
        p, b, s = in_period.get(unit, {}), before.get(unit, {}), spans.get(unit, {})
        counts[unit] = {
            "online": p.get("recv_online", 0), "direct_postal": p.get("recv_direct_postal", 0),
            "carried_over": b.get("recv_online", 0) + b.get("recv_direct_postal", 0) - b.get("closed", 0),
            "early": p.get(f"early_{variant}", 0), "on_time": p.get(f"on_time_{variant}", 0),
            "late": p.get(f"late_{variant}", 0), "withdrawn": p.get("withdrawn", 0),
            "overdue": s.get(f"od_start_{variant}", 0) - s.get(f"od_end_{variant}", 0),
            "of_count": p.get("online_full", 0), "of_eligible": p.get("online_eligible", 0),
            "fee_dossiers": p.get("fee_dossiers", 0), "paid_online": p.get("paid_online", 0),
            "votes": p.get("votes", 0), "satisfied": p.get("satisfied", 0),
        }
        i766.add_sums(counts, unit, p, s)
    return counts


def _add_irregular(db, counts, period: Period, policy: dict, scope: set[str],
                   with_open: bool = True) -> None:
    """Classify the irregular dossiers of the scope directly at the period end (their open
    ones too unless `with_open` is False: core.indicators.open_now counts those)."""
    end = period.end_moment.strftime("%Y-%m-%d %H:%M:%S")
    start = f"{period.start.isoformat()} 00:00:00"
    ids = [r[0] for r in db.execute(
        # "+received_at" keeps SQLite on the small partial index of irregular dossiers; the rows'
        # moments are seconds (db.dossier_rows)
        "SELECT id FROM dossier_rows WHERE kpi_irregular = 1 AND +received_at < unixepoch(?) "
        "AND (+finished_at IS NULL OR +finished_at >= unixepoch(?) OR +status NOT IN "
        "('done','returned','rejected','withdrawn','stopped'))", [end, start])]
    items = [i for i in load_inputs(db, ids) if i.unit_code in scope]
    if not items:
        return
    cal = load_calendar(db)
    rules = Policy(policy["supplement"], policy["due_basis"])
    begin = dt.datetime.combine(period.start, dt.time())
    for item in items:
        figures = dossier_figures(cal, item, rules, begin, period.end_moment)
        unit = counts.setdefault(item.unit_code, _zero_counts())
        for cls in ("early", "on_time", "late"):
            unit[cls] += f"resolved.{cls}" in figures
        if with_open:
            unit["overdue"] += "in_progress.overdue" in figures
        found = scorecard766.figures(cal, item, begin, period.end_moment)
        for name in i766.CLASSIFIED:  # the rest comes from their facts like any dossier's
            if with_open or name != "i766.open_late":
                unit[i766.COUNT_KEYS[name]] += name in found


def _zero_counts() -> dict[str, int]:
    return dict.fromkeys(("online", "direct_postal", "carried_over", "early", "on_time", "late",
                          "withdrawn", "overdue", "of_count", "of_eligible", "fee_dossiers",
                          "paid_online", "votes", "satisfied"), 0) | dict(i766.ZERO)


def rate(numerator: int, denominator: int) -> Fraction | None:
    """An exact rate; None when the denominator is 0 (spec 5: shown as '—', never 0%)."""
    return None if denominator == 0 else Fraction(numerator, denominator)


def _meets(value: Fraction | None, target: float) -> bool | None:
    return None if value is None else value >= Fraction(str(target))


def figures(c: dict[str, int], targets: dict[str, float], denominator: str) -> dict:
    """The figures of spec 8 for one unit or the total, from raw counts."""
    received_in = c["online"] + c["direct_postal"]
    received_total = received_in + c["carried_over"]
    resolved = c["early"] + c["on_time"] + c["late"]
    in_progress = received_total - resolved - c["withdrawn"]
    exact = {
        "on_time": rate(c["early"] + c["on_time"], resolved),
        "online_full": rate(c["of_count"], c["of_eligible"] if denominator == "eligible" else received_in),
        "online_payment": rate(c["paid_online"], c["fee_dossiers"]),
        "satisfaction": rate(c["satisfied"], c["votes"]),
    }
    return {
        "received": {"total": received_total, "online": c["online"],
                     "direct_postal": c["direct_postal"], "carried_over": c["carried_over"]},
        "resolved": {"total": resolved, "early": c["early"], "on_time": c["on_time"],
                     "late": c["late"]},
        "withdrawn": c["withdrawn"],
        "in_progress": {"total": in_progress, "within_time": in_progress - c["overdue"],
                        "overdue": c["overdue"]},
        "on_time_rate": rate4(exact["on_time"]),
        "online_full": {"count": c["of_count"], "eligible": c["of_eligible"],
                        "received": received_in, "rate": rate4(exact["online_full"])},
        "online_payment": {"paid_online": c["paid_online"], "fee_dossiers": c["fee_dossiers"],
                           "rate": rate4(exact["online_payment"])},
        "satisfaction": {"votes": c["votes"], "satisfied": c["satisfied"],
                         "rate": rate4(exact["satisfaction"])},
        "meets": {k: _meets(exact[k], targets[k]) for k in RATE_KEYS},
        "i766": i766.figures(c, received_total, received_in, resolved, in_progress),
    }


def _counts(db, period: Period, chosen: dict, scope: set[str], moment: dt.datetime,
            as_of: dt.datetime | None) -> dict[str, dict[str, int]]:
    """Raw counts per unit at the moment of evaluation (spec 2.3)."""
    if as_of is not None:
        from core.indicators.asof import recorded_counts
        return cast("dict[str, dict[str, int]]",  # Counters: dicts of int
                    recorded_counts(db, period, as_of, chosen, scope))
    counts = _raw_counts(db, period, variant_key(chosen), with_spans=period.is_over(moment))
    if period.is_over(moment):
        _add_irregular(db, counts, period, chosen, scope)
        return counts
    # The period runs: open dossiers are classified now, not at midnight of its last day.
    from core.indicators.open_now import overdue_counts
    _add_irregular(db, counts, period, chosen, scope, with_open=False)
    late_766: Counter = Counter()  # filled in the same pass (spec 5.1)
    overdue = overdue_counts(db, period.end_moment, moment, chosen, scope, late_766)
    for code in set(counts) | set(overdue) | set(late_766):
        unit = counts.setdefault(code, _zero_counts())
        unit["overdue"], unit["i_open_late"] = overdue.get(code, 0), late_766.get(code, 0)
    return counts


def check_as_of(period: Period, as_of: dt.datetime | None) -> None:
    if as_of is not None and as_of < dt.datetime.combine(period.start, dt.time()):
        raise InputError(f"Thời điểm --as-of {as_of:%H:%M %d/%m/%Y} trước ngày bắt đầu kỳ "
                         f"{period.start:%d/%m/%Y}: chưa có số liệu nào của kỳ.")
    if as_of is not None:
        from core.clock import future_error  # the one rule against moments in the future

        reason = future_error(as_of, "Thời điểm --as-of")
        if reason:
            raise InputError(reason)


def compute(db: sqlite_utils.Database, date_from: dt.date, date_to: dt.date,
            unit: str | None = None, policy: dict | None = None,
            as_of: dt.datetime | None = None, detail: bool = False,
            now: dt.datetime | None = None) -> dict:
    """The document of spec 8 for [date_from, date_to] over `unit` and everything below it,
    evaluated at the period end or now (spec 2.3), or as recorded at `as_of`. `detail`: also
    "i766_parts", the parts of the 766 satisfaction numerator (late, complained) of the total
    and each unit, for the screens (spec 8's figures stay exactly as they are). `now`: the
    clock reading a running period is evaluated at, for figures set side by side with others
    computed at that moment (core.reconcile); everything recorded still counts."""
    if date_from > date_to:
        raise InputError(f"Ngày bắt đầu {date_from:%d/%m/%Y} sau ngày kết thúc {date_to:%d/%m/%Y}.")
    period = Period(date_from, date_to)
    check_as_of(period, as_of)
    moment = period.moment(as_of if as_of is not None else now)
    chosen = resolve_policy(db, policy)
    targets = settings.targets_for_year(db, date_to.year)
    units = scope_units(db, unit)
    scope = {code for code, _ in units}
    counts = _counts(db, period, chosen, scope, moment, as_of)
    total = _zero_counts()
    unit_docs = []
    listed = listed_units(db, units, period, counts)
    named = history_names(db, listed, period)
    for code, name in units:
        c = {**_zero_counts(), **counts.get(code, {})}
        for key in total:
            total[key] += c[key]
        if code not in listed:
            continue
        unit_docs.append({"code": code, "name": named.get(code, name),
                          **figures(c, targets, chosen["online_denominator"])})
    doc = {
        "from": date_from.isoformat(), "to": date_to.isoformat(),
        "as_of": to_db_time(moment),
        "policy": chosen, "targets": targets,
        "units": unit_docs,
        "total": figures(total, targets, chosen["online_denominator"]),
    }
    if detail:
        doc["i766_parts"] = {"total": i766.satisfaction_parts(total), "units": {
            code: i766.satisfaction_parts({**_zero_counts(), **counts.get(code, {})})
            for code, _ in units}}
    return doc
