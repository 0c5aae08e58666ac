"""Biểu 06/VPCP/KSTT by field, grouped by level: its official column 2 ("Lĩnh vực, công việc
giải quyết theo cấp").

The per-unit table sums kpi_daily, which has no procedure dimension; this one evaluates each
dossier of the period with the reference semantics (core.indicators.evaluate.dossier_figures,
which the fast engine is tested against), so its rows add up to the per-unit engine's total.
A dossier counts at the unit the engine gives it (core.moment.load_inputs: `unit_code`), under
that unit's level and its procedure's field (procedures.field); its 766 counts (spec 5.1) by the
same rules as `--as-of` (core.scorecard766.figures). A vote belongs to no field: it counts in
its level's subtotal and the total (the level of the unit where it was cast), never in a
field's row, so the total's satisfaction is the per-unit table's.
"""
from __future__ import annotations

import datetime as dt

from core import scorecard766
from core.calendar import load_calendar
from core.due import Policy
from core.errors import InputError
from core.facts import load_inputs
from core.indicators import _zero_counts, figures, resolve_policy, scope_units
from core.indicators.asof import COUNT_KEYS, dossiers_in_play
from core.indicators.evaluate import dossier_figures
from core.indicators.i766 import COUNT_KEYS as COUNT_KEYS_766
from core.moment import counted_votes
from core.periods import Period
from core.timefmt import to_db_time
from db import settings

# Biểu 06's levels. A unit of a government tier counts at that tier; a centre, branch,
# department or reception point at the tier it sits under (a commune's centre is cấp xã).
LEVELS = (("province", "Cấp tỉnh"), ("district", "Cấp huyện"), ("commune", "Cấp xã"))
TIERS = {"province", "district", "commune"}
NO_FIELD = "Chưa phân lĩnh vực"
BY_VI = {"unit": "Theo đơn vị", "field": "Theo lĩnh vực"}


def check_by(by: str) -> str:
    if by not in BY_VI:
        raise InputError(f"Cách lập biểu 06 phải là unit (theo đơn vị) hoặc field (theo lĩnh "
                         f"vực), không phải {by!r}.")
    return by


def unit_levels(db) -> dict[str, str]:
    """Each unit's Biểu 06 level: its tier, or the tier of the nearest unit above it that has
    one; a top unit without a tier (a centre alone in the database) counts at cấp tỉnh. Walked
    up once for all units, to the top however deep (a walk stopped at 20 levels counted a
    deeper unit at cấp tỉnh); a loop of parents (refused at the desk and in the units file,
    possible in an old database) ends where it comes back. Each unit walked once (memo)."""
    rows = {code: (level, parent) for code, level, parent in
            db.execute("SELECT code, level, parent_code FROM units")}
    found: dict[str, str] = {}

    def level_of(code: str) -> str:
        path: list[str] = []
        on_path: set[str] = set()
        current = code
        while current in rows and current not in found and current not in on_path:
            path.append(current)
            on_path.add(current)
            level, parent = rows[current]
            if level in TIERS:
                break
            current = parent
        if current in found:
            level = found[current]
        else:  # a tier, or the top (or a loop's last unit) without one
            top = rows[path[-1]][0]
            level = top if top in TIERS else "commune" if top == "reception_point" else "province"
        for unit in reversed(path):
            own = rows[unit][0]
            level = own if own in TIERS else level
            found[unit] = level
        return found[code]

    return {code: level_of(code) for code in rows}


def _group_counts(db, period: Period, chosen: dict, scope: set[str],
                  moment: dt.datetime) -> dict[tuple[str, str], dict[str, int]]:
    """Raw counts (core.indicators' shape) per (level, field)."""
    cal = load_calendar(db)
    rules = Policy(chosen["supplement"], chosen["due_basis"])
    levels = unit_levels(db)
    fields = dict(db.execute("SELECT code, COALESCE(NULLIF(TRIM(field), ''), ?) FROM procedures",
                             [NO_FIELD]))
    begin = dt.datetime.combine(period.start, dt.time())
    out: dict[tuple[str, str], dict[str, int]] = {}
    for item in load_inputs(db, dossiers_in_play(db, begin, period.end_moment)):
        if item.unit_code not in scope:
            continue
        names = dossier_figures(cal, item, rules, begin, period.end_moment, moment)
        if not names:
            continue
        key = (levels.get(item.unit_code, "commune"), fields.get(item.procedure_code, NO_FIELD))
        counts = out.setdefault(key, _zero_counts())
        for name in names:
            if name in COUNT_KEYS:
                counts[COUNT_KEYS[name]] += 1
        for name in scorecard766.figures(cal, item, begin, period.end_moment, moment):
            counts[COUNT_KEYS_766[name]] += 1
    return out


def _level_votes(db, period: Period, scope: set[str]) -> dict[str, dict[str, int]]:
    """{level: {votes, satisfied}}: the live votes cast in the period at a unit of the scope,
    by the Biểu 06 level of that unit (the engine's rule: a vote counts where it was cast)."""
    levels = unit_levels(db)
    out: dict[str, dict[str, int]] = {}
    counted, params = counted_votes(period.start, period.end)
    for unit, votes, satisfied in db.execute(
            "SELECT unit_code, COUNT(*), SUM(rating IN ('very_satisfied','satisfied')) "
            f"FROM vote_rows WHERE {counted} GROUP BY unit_code", params):
        if unit in scope:
            level = out.setdefault(levels.get(unit, "commune"), {"votes": 0, "satisfied": 0})
            level["votes"] += votes
            level["satisfied"] += satisfied
    return out


def _added(total: dict[str, int], counts: dict[str, int]) -> None:
    for key, value in counts.items():
        total[key] += value


def compute_by_field(db, date_from: dt.date, date_to: dt.date, unit: str | None = None,
                     policy: dict | None = None, as_of: dt.datetime | None = None,
                     now: dt.datetime | None = None) -> dict:
    """{"levels": [{"level", "name", "fields": [{"field", **figures}], "total"}], "total", …}
    for [date_from, date_to] over `unit` and everything below it, evaluated like
    core.indicators.compute (the period end, or now while it runs). `now`: the clock reading
    of the engine's figures printed beside these (its "as_of"), so one document shows one
    moment (spec 2.3; each reading the clock itself, a dossier falling due between the two was
    within time in Biểu 06 by field and overdue in the report's section V)."""
    if as_of is not None:
        raise InputError("Biểu 06 theo lĩnh vực chưa tính được theo thời điểm --as-of; hãy bỏ "
                         "--as-of hoặc in theo đơn vị (--by unit).")
    if date_from > date_to:
        raise InputError(f"Ngày bắt đầu {date_from:%d/%m/%Y} sau ngày kết thúc {date_to:%d/%m/%Y}.")
    period = Period(date_from, date_to)
    moment = period.moment(now)
    chosen = resolve_policy(db, policy)
    targets = settings.targets_for_year(db, date_to.year)
    scope = {code for code, _ in scope_units(db, unit)}
    groups = _group_counts(db, period, chosen, scope, moment)
    votes = _level_votes(db, period, scope)
    denominator = chosen["online_denominator"]
    total, levels = _zero_counts(), []
    for level, name in LEVELS:
        keys = sorted(k for k in groups if k[0] == level)
        if not keys and level not in votes:
            continue
        level_total = _zero_counts() | votes.get(level, {})
        rows = []
        for key in keys:
            _added(level_total, groups[key])
            rows.append({"field": key[1], **figures(groups[key], targets, denominator)})
        _added(total, level_total)
        levels.append({"level": level, "name": name, "fields": rows,
                       "total": figures(level_total, targets, denominator)})
    return {"from": date_from.isoformat(), "to": date_to.isoformat(), "as_of": to_db_time(moment),
            "policy": chosen, "targets": targets, "levels": levels,
            "total": figures(total, targets, denominator)}
