"""The fast engine (kpi_daily sums) agrees with the rules evaluated dossier by dossier."""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import timefmt
from core.calendar import load_calendar
from core.database import open_database
from core.due import Policy
from core.facts import load_inputs
from core.indicators import compute
from core.indicators.drill import DOSSIER_FIGURES, dossiers_behind
from core.indicators.evaluate import dossier_figures
from tests.core.factories import add_dossier, add_procedures, add_units

BASE = dt.datetime(2024, 12, 20, 0, 0)
CLOSED = ("done", "returned", "rejected", "withdrawn", "stopped")
POLICIES = [{"supplement": s, "due_basis": b, "online_denominator": "eligible"}
            for s in ("pause", "restart") for b in ("original", "extended")]


def moment(offset_minutes: int) -> dt.datetime:
    return BASE + dt.timedelta(minutes=offset_minutes)


@st.composite
def dossier_specs(draw):
    received = draw(st.integers(0, 60 * 24 * 70))
    status = draw(st.sampled_from(["received", "processing", "supplement"] + list(CLOSED)))
    finished = received + draw(st.integers(0, 60 * 24 * 30)) if status in CLOSED else None
    waits = []
    cursor = received
    for _ in range(draw(st.integers(0, 3))):
        start = cursor + draw(st.integers(0, 60 * 24 * 8))
        if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:
            start = received - draw(st.integers(1, 600))  # irregular: before reception
        end = start + draw(st.integers(0, 60 * 24 * 6)) if draw(st.integers(0, 4)) else None
        waits.append((start, end))
        cursor = (end or start) + 1
    return {
        "received": received, "status": status, "finished": finished, "waits": waits,
        "procedure": draw(st.sampled_from(["P.WD2", "P.WD05", "P.WH4", "P.CD10", "P.SD"])),
        "channel": draw(st.sampled_from(["direct", "postal", "online"])),
        "due": draw(st.one_of(st.none(), st.integers(0, 60 * 24 * 20))),
        "extended": draw(st.one_of(st.none(), st.integers(60 * 24, 60 * 24 * 25))),
        "unit": draw(st.sampled_from(["U1", "U2"])),
        "paid_online": draw(st.booleans()),
        "e_result": draw(st.sampled_from([0, 1])),
    }


def insert(db, index, spec):
    received = moment(spec["received"])
    add_dossier(
        db, code=f"X-{index:05d}", unit=spec["unit"], procedure=spec["procedure"],
        received=received, status=spec["status"], channel=spec["channel"],
        finished=moment(spec["finished"]) if spec["finished"] is not None else None,
        due=received + dt.timedelta(minutes=spec["due"]) if spec["due"] is not None else None,
        extended=received + dt.timedelta(minutes=spec["extended"]) if spec["extended"] else None,
        waits=[(moment(a), moment(b) if b is not None else None) for a, b in spec["waits"]],
        e_result=spec["e_result"],
        payments=[(10000, "online", received)] if spec["paid_online"] else [])


def reference(db, period_from, period_to, policy, now=None) -> Counter:
    """Every dossier through the rules, open ones classified at min(period end, now)."""
    cal = load_calendar(db)
    ids = [r[0] for r in db.execute("SELECT id FROM dossiers")]
    start = dt.datetime.combine(period_from, dt.time())
    end = dt.datetime.combine(period_to + dt.timedelta(days=1), dt.time())
    at = end if now is None else min(end, now)
    counts = Counter()
    for item in load_inputs(db, ids):
        counts.update(dossier_figures(cal, item, Policy(policy["supplement"], policy["due_basis"]),
                                      start, end, at))
    return counts


def engine_counts(total: dict) -> Counter:
    out = Counter()
    for group in ("received", "resolved", "in_progress"):
        for key, value in total[group].items():
            out[f"{group}.{key}"] = value
    out["withdrawn"] = total["withdrawn"]
    for key in ("count", "eligible", "received"):
        out[f"online_full.{key}"] = total["online_full"][key]
    for key in ("paid_online", "fee_dossiers"):
        out[f"online_payment.{key}"] = total["online_payment"][key]
    return +out


def change_rules(db, day: dt.date) -> None:
    from core import rules
    rules.set_office_hours(db, [["07:30", "11:30"], ["13:00", "16:30"]], day)
    rules.set_procedure_rule(db, "P.WD2", rules.ProcedureRule(1, "working_days", None, "none", 0),
                             day)
    rules.set_procedure_rule(db, "P.SD", rules.ProcedureRule(0, "same_day", "10:00", "full", 1),
                             day)


EXAMPLES = int(os.environ.get("MOTCUA_PROPERTY_EXAMPLES", "25"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(specs=st.lists(dossier_specs(), min_size=1, max_size=25),
       start_day=st.integers(0, 80), length=st.integers(0, 40),
       change_day=st.one_of(st.none(), st.integers(5, 60)),
       now_minutes=st.one_of(st.none(), st.integers(-60 * 24 * 3, 60 * 24 * 45)))
def test_engine_equals_rules_on_random_dossiers(tmp_path_factory, specs, start_day, length,
                                                change_day, now_minutes):
    """`change_day`: dated rules change that day (spec 2.1). `now_minutes` None: long after
    every period; else a random "now" counted from the period start, mostly mid-period and
    mid-day, at which a period not yet over classifies its open dossiers (spec 2.3)."""
    db = open_database(tmp_path_factory.mktemp("h") / "h.db")
    add_units(db)
    add_procedures(db)
    if change_day is not None:  # dated rules (spec 2.1): new hours and limits from that day
        change_rules(db, (BASE + dt.timedelta(days=change_day)).date())
    for index, spec in enumerate(specs):
        insert(db, index, spec)
    period_from = (BASE + dt.timedelta(days=start_day)).date()
    period_to = period_from + dt.timedelta(days=length)
    now = dt.datetime(2030, 1, 1) if now_minutes is None else \
        dt.datetime.combine(period_from, dt.time()) + dt.timedelta(minutes=now_minutes)
    with mock.patch.object(timefmt, "now", lambda: now):
        _check_engine(db, period_from, period_to, now)
    db.close()


def _check_engine(db, period_from, period_to, now):
    for policy in POLICIES:
        doc = compute(db, period_from, period_to, policy=policy)
        end = dt.datetime.combine(period_to + dt.timedelta(days=1), dt.time())
        assert doc["as_of"] == str(min(end, now))
        expected = +reference(db, period_from, period_to, policy, now)
        assert engine_counts(doc["total"]) == expected, policy
        for figure in DOSSIER_FIGURES:
            behind = dossiers_behind(db, figure, period_from, period_to, policy=policy)
            assert len(behind) == expected[figure], (figure, policy)
        total = doc["total"]
        assert total["received"]["total"] == (total["resolved"]["total"] + total["withdrawn"]
                                              + total["in_progress"]["total"])
