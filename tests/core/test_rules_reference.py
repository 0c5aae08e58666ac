"""The program against an independent reference of the time rules (tests/core/rules_reference.py,
written from spec 2.1–2.4 and legal-2026.md without core's calendar, due or indicator code).

What tests/core/indicators/test_engine.py does not cover: it checks the fast engine against the
program's own per-dossier rules. Here the rules themselves are checked: the working days of the
official schedules 2025–2027 (swapped Saturdays, Tết, the unconfirmed 24/11), working-time
addition at session ends, dated office hours and procedure limits changing on 1/7/2025 and
1/10/2026, waits and extensions, and Biểu 06 counts for closed periods and for a period still
running, evaluated "now". Seeded random cases, so a failure repeats.
"""
from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from unittest import mock

from core import rules, timefmt
from core.calendar import load_calendar
from core.due import Limit, Policy, Wait, base_due, classify_finished, effective_due, statutory_due
from core.indicators import compute
from tests.core import rules_reference as ref
from tests.core.factories import PROCEDURES, add_dossier, add_procedures, add_units

D = dt.datetime
HOURS = [  # dated office hours (spec 2.1): a 17:30 end from the reorganisation, 7.5 h in Q4 2026
    (dt.date(1, 1, 1), (("07:00", "11:30"), ("13:30", "17:00"))),
    (dt.date(2025, 7, 1), (("07:30", "11:30"), ("13:30", "17:30"))),
    (dt.date(2026, 10, 1), (("07:30", "11:30"), ("13:00", "16:30"))),
]
# dated procedure rules: (valid_from, value, unit, cutoff); the first from the beginning
PROCEDURE_RULES = {
    "P.WD1": [(None, 1, "working_days", None)],
    "P.WD2": [(None, 2, "working_days", None), (dt.date(2025, 7, 1), 1.5, "working_days", None)],
    "P.WD05": [(None, 0.5, "working_days", None)],
    "P.WH4": [(None, 4, "working_hours", None), (dt.date(2026, 10, 1), 12, "working_hours", None)],
    "P.CD10": [(None, 10, "calendar_days", None), (dt.date(2025, 7, 1), 3, "calendar_days", None)],
    "P.SD": [(None, 0, "same_day", "15:00"), (dt.date(2025, 7, 1), 0, "same_day", "10:00")],
}
NOW = D(2026, 11, 27, 10, 15)  # a Friday; every recorded event is before it
LATER = D(2027, 1, 1)  # a moment after every event


def ref_calendar(office=None) -> ref.Calendar:
    return ref.Calendar(office or {}, list(HOURS))


def ref_rule(code: str, received: dt.datetime) -> ref.Rule:
    chosen = [r for r in PROCEDURE_RULES[code] if r[0] is None or r[0] <= received.date()][-1]
    return ref.Rule(chosen[1], chosen[2], chosen[3])


EXTRA = [("P.WD1", "Cấp bản sao trích lục", 1, "working_days", 0, "partial", 0, None)]


def dated_database(db):
    """The test database with the dated hours and procedure rules above (set before any dossier)."""
    add_units(db)
    add_procedures(db, PROCEDURES + EXTRA)
    for start, hours in HOURS[1:]:
        rules.set_office_hours(db, [list(h) for h in hours], start)
    for code, entries in PROCEDURE_RULES.items():
        for start, value, unit, cutoff in entries[1:]:
            current = rules.procedure_rule_at(db, code, D.combine(start, dt.time()))
            rules.set_procedure_rule(db, code, rules.ProcedureRule(
                value, unit, cutoff, current.online_level, current.paper_result), start)
    return load_calendar(db)


def program_due(cal, received: dt.datetime, rule: ref.Rule) -> dt.datetime:
    return statutory_due(cal.governing(received), received, Limit(rule.value, rule.unit, rule.cutoff))


# ----- 1. working days ------------------------------------------------------------------------
def test_working_days_2024_to_2027_follow_the_official_schedules(db):
    """Every day of four years: a new database's calendar (package + shipped schedules) against
    the schedules typed from legal-2026.md."""
    cal = load_calendar(db)
    day, differ = dt.date(2024, 1, 1), []
    while day.year < 2028:
        if cal.is_working_day(day) != ref.is_working_day(day):
            differ.append(day)
        day += dt.timedelta(days=1)
    assert differ == []
    # the days legal-2026.md names, spelled out
    assert cal.is_working_day(dt.date(2026, 8, 22)) and cal.is_working_day(dt.date(2025, 4, 26))
    assert not cal.is_working_day(dt.date(2025, 2, 8))  # no make-up Saturday for Tết 2025
    assert not cal.is_working_day(dt.date(2026, 4, 27)) and not cal.is_working_day(dt.date(2026, 8, 31))
    assert not cal.is_working_day(dt.date(2026, 11, 24))  # unconfirmed: a package day until decided




# ----- 2. due times at the edges, worked by hand from spec 2.2 --------------------------------
# Hours: 07:00–11:30, 13:30–17:00 until 30/6/2025; 07:30–11:30, 13:30–17:30 from 1/7/2025;
# 07:30–11:30, 13:00–16:30 (7.5 h: a working day is still 8 working hours) from 1/10/2026.
EDGES = [  # (procedure, received, due)
    # spec 2.2's own three examples (3/3/2025 is a Monday)
    ("P.WD1", D(2025, 3, 3, 7, 0), D(2025, 3, 3, 17, 0)),
    ("P.WD1", D(2025, 3, 3, 10, 0), D(2025, 3, 4, 10, 0)),
    ("P.WD1", D(2025, 3, 7, 16, 0), D(2025, 3, 10, 16, 0)),
    # received at exactly the session end, at lunch, on a Saturday; a 0.5-day procedure
    ("P.WD1", D(2025, 3, 3, 17, 0), D(2025, 3, 4, 17, 0)),
    ("P.WD1", D(2025, 3, 3, 11, 30), D(2025, 3, 4, 11, 30)),
    ("P.WD05", D(2025, 3, 3, 7, 30), D(2025, 3, 3, 11, 30)),   # lands on the morning's end
    ("P.WD05", D(2025, 3, 3, 7, 0), D(2025, 3, 3, 11, 0)),
    ("P.WD05", D(2025, 3, 3, 11, 45), D(2025, 3, 4, 7, 30)),
    ("P.WD05", D(2025, 3, 3, 13, 30), D(2025, 3, 4, 7, 30)),
    ("P.WD1", D(2025, 3, 8, 9, 0), D(2025, 3, 10, 17, 0)),
    # Tết 2025 (25/1–2/2, Saturday 8/2 NOT worked): the eve; after hours on the Friday after
    ("P.WD1", D(2025, 1, 24, 16, 0), D(2025, 2, 3, 16, 0)),
    ("P.WD2", D(2025, 2, 7, 17, 5), D(2025, 2, 11, 17, 0)),
    # the worked Saturday 26/4/2025 and the 30/4–4/5 break
    ("P.WD1", D(2025, 4, 25, 16, 0), D(2025, 4, 26, 16, 0)),
    ("P.WD1", D(2025, 4, 29, 16, 0), D(2025, 5, 5, 16, 0)),
    # across the 1/7/2025 rules: a dossier of 30/6 keeps the old hours and the old limit
    ("P.WD2", D(2025, 6, 30, 16, 0), D(2025, 7, 2, 16, 0)),
    ("P.WD2", D(2025, 7, 1, 7, 0), D(2025, 7, 2, 11, 30)),   # 07:30 start, 1.5 days = 8 + 4 h
    ("P.WD1", D(2025, 7, 1, 17, 0), D(2025, 7, 2, 17, 0)),
    ("P.WD1", D(2025, 7, 1, 17, 15), D(2025, 7, 2, 17, 15)),
    ("P.WD1", D(2025, 7, 1, 17, 30), D(2025, 7, 2, 17, 30)),  # the new 17:30 end
    ("P.CD10", D(2025, 6, 27, 9, 0), D(2025, 7, 7, 17, 0)),   # old 10 days, old end 17:00
    ("P.CD10", D(2025, 7, 1, 9, 0), D(2025, 7, 4, 17, 30)),   # new 3 days, new end
    ("P.SD", D(2025, 6, 30, 15, 0), D(2025, 6, 30, 17, 0)),   # 15:00 exactly: still in time
    ("P.SD", D(2025, 6, 30, 15, 1), D(2025, 7, 1, 17, 0)),    # next day, under the old hours
    ("P.SD", D(2025, 7, 1, 10, 1), D(2025, 7, 2, 17, 30)),    # the new cut-off 10:00
    # 2026: Tết 14–22/2, 27/4 and 30/4–3/5 off, Saturday 22/8 worked, 29/8–2/9 off
    ("P.WD1", D(2026, 2, 13, 16, 0), D(2026, 2, 23, 16, 0)),
    ("P.CD10", D(2026, 4, 27, 9, 0), D(2026, 5, 4, 17, 30)),  # lands on 30/4: next working day
    ("P.WD1", D(2026, 8, 21, 16, 0), D(2026, 8, 22, 16, 0)),
    ("P.SD", D(2026, 8, 22, 9, 0), D(2026, 8, 22, 17, 30)),   # on the worked Saturday
    ("P.WD1", D(2026, 8, 28, 9, 0), D(2026, 9, 3, 9, 0)),
    # 24/11/2026 a package holiday (unconfirmed); 7.5 h office days from 1/10/2026
    ("P.WD1", D(2026, 11, 23, 10, 0), D(2026, 11, 25, 10, 30)),
    ("P.WD1", D(2026, 11, 30, 7, 30), D(2026, 12, 1, 8, 0)),
    ("P.WD1", D(2026, 11, 30, 16, 30), D(2026, 12, 2, 8, 0)),
    ("P.WH4", D(2026, 11, 30, 16, 0), D(2026, 12, 2, 11, 30)),  # 12 h: 0.5 + 7.5 + 4
]


def test_due_times_at_the_edges(db):
    cal = dated_database(db)
    reference = ref_calendar()
    for code, received, expected in EDGES:
        rule = ref_rule(code, received)
        assert ref.statutory_due(reference, received, rule) == expected, (code, received)
        assert program_due(cal, received, rule) == expected, (code, received)
    # and as stored by the program for a dossier of that procedure
    for index, (code, received, expected) in enumerate(EDGES):
        dossier = add_dossier(db, code=f"E-{index}", procedure=code, received=received)
        stored = db.execute("SELECT calc_due_at FROM dossiers WHERE id = ?", [dossier]).fetchone()
        assert stored[0] == timefmt.to_db_time(expected), (code, received)


# ----- 3. thousands of random cases ----------------------------------------------------------
FIRST = D(2025, 1, 2)  # random moments from here to NOW, Tết 2025 and 1/7/2025 included
SPAN_MINUTES = int((NOW - FIRST).total_seconds() // 60)
HOT_TIMES = [(6, 59), (7, 0), (7, 30), (11, 29), (11, 30), (12, 0), (13, 0), (13, 30), (15, 0),
             (15, 1), (16, 30), (16, 59), (17, 0), (17, 15), (17, 30), (18, 0)]
HOT_DAYS = [D(2025, 1, 24), D(2025, 2, 7), D(2025, 4, 25), D(2025, 4, 26), D(2025, 6, 30),
            D(2025, 7, 1), D(2025, 8, 29), D(2026, 2, 13), D(2026, 4, 24), D(2026, 8, 21),
            D(2026, 8, 22), D(2026, 9, 30), D(2026, 10, 1), D(2026, 11, 23), D(2026, 11, 24)]


def random_moment(rng: random.Random, after: dt.datetime = FIRST,
                  before: dt.datetime = NOW) -> dt.datetime:
    """A minute between `after` and `before`, often at a session edge or near a holiday."""
    span = max(int((before - after).total_seconds() // 60), 0)
    moment = after + dt.timedelta(minutes=rng.randint(0, span))
    if rng.random() < 0.5:
        day = rng.choice(HOT_DAYS) if rng.random() < 0.4 else moment
        h, m = rng.choice(HOT_TIMES)
        hot = day.replace(hour=h, minute=m, second=0) + dt.timedelta(days=rng.choice([0, 0, 1]))
        if after <= hot <= before:
            moment = hot
    return moment


def test_random_due_times_agree(db):
    cal = dated_database(db)
    reference = ref_calendar()
    rng = random.Random(2026)
    for _ in range(20000):
        received = random_moment(rng)
        rule = ref_rule(rng.choice(list(PROCEDURE_RULES)), received)
        if rng.random() < 0.3:  # any limit, not only the catalogue's
            unit = rng.choice(["working_days", "working_hours", "calendar_days", "same_day"])
            value = rng.choice([0.5, 1, 1.5, 2, 3, 5, 7, 10, 15, 30]) if unit != "same_day" else 0
            rule = ref.Rule(value, unit, rng.choice([None, "10:00", "15:00", "16:30", "17:30",
                                                     "18:00", "24:00"]))
        assert program_due(cal, received, rule) == ref.statutory_due(reference, received, rule), \
            (received, rule)


NEAR = [dt.timedelta(0), dt.timedelta(minutes=-1), dt.timedelta(minutes=1),
        dt.timedelta(hours=-3), dt.timedelta(hours=2), dt.timedelta(days=-1), dt.timedelta(days=-3),
        dt.timedelta(days=1), dt.timedelta(hours=14)]


def near(rng: random.Random, moment: dt.datetime, after: dt.datetime) -> dt.datetime:
    """A moment at, just around or a few days from `moment`, not before `after` nor after NOW."""
    return min(max(moment + rng.choice(NEAR), after), NOW)


def random_dossier(rng: random.Random, reference: ref.Calendar) -> ref.Dossier:
    """Waits in order inside [received, finished or NOW], the last one maybe still open;
    finishes, requests and completions often at or around the due time (the 2.4 edges). Open
    dossiers mostly received in the last weeks, so a running period has both kinds."""
    recent = rng.random() < 0.4
    received = random_moment(rng, NOW - dt.timedelta(days=25) if recent else FIRST,
                             NOW - dt.timedelta(hours=1))
    code = rng.choice(list(PROCEDURE_RULES))
    still_open = rng.random() < (0.7 if recent else 0.08)
    status = rng.choice(list(ref.OPEN) if still_open else
                        list(ref.RESOLVED + ref.WITHDRAWN) + ["done"] * 4)
    d = ref.Dossier(received, ref_rule(code, received), status,
                    channel=rng.choice(["direct", "postal", "online"]), unit=rng.choice(["U1", "U2"]))
    if rng.random() < 0.1:
        d.due_at = received + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 12))
    due = ref.due(reference, d)
    cursor = received
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        if cursor >= NOW:
            break
        if rng.random() < 0.3:
            requested = near(rng, due, cursor)
        else:
            requested = random_moment(rng, cursor, min(NOW, cursor + dt.timedelta(days=8)))
        if rng.random() < 0.15 and d.status != "supplement":
            d.waits.append((requested, None))  # open: ends at the finish, or at the moment
            cursor = NOW
            break
        completed = random_moment(rng, requested, min(NOW, requested + dt.timedelta(days=6)))
        d.waits.append((requested, completed))
        cursor = completed
    if d.status == "supplement" and cursor < NOW:
        d.waits.append((random_moment(rng, cursor, NOW), None))
    if d.status not in ref.OPEN:
        if cursor >= NOW:  # an open wait: the dossier finished during it
            cursor = d.waits[-1][0]
        moved = ref.effective(reference, d, "pause", "original", NOW) or due
        d.finished = near(rng, moved, cursor) if rng.random() < 0.7 else \
            random_moment(rng, cursor, min(NOW, cursor + dt.timedelta(days=20)))
    if rng.random() < 0.2:
        d.extended = near(rng, due + dt.timedelta(days=rng.randint(1, 6)), received)
    d.code = code  # type: ignore[attr-defined]
    return d


def program_effective(cal, d: ref.Dossier, supplement: str, basis: str,
                      at: dt.datetime | None) -> dt.datetime | None:
    governing = cal.governing(d.received)
    limit = Limit(d.rule.value, d.rule.unit, d.rule.cutoff)
    due = base_due(governing, d.received, limit, d.due_at)
    return effective_due(governing, due=due, limit=limit,
                         waits=[Wait(a, b) for a, b in d.waits], finished_at=ref.closed_at(d),
                         extended_due_at=d.extended, policy=Policy(supplement, basis), moment=at)


POLICIES = [(s, b) for s in ("pause", "restart") for b in ("original", "extended")]


def test_random_effective_dues_and_classes_agree(db):
    """Waits (pause and restart), extensions, explicit due times; finished dossiers classified
    (2.4) and open ones evaluated at random moments, a wait open at the moment ending there."""
    cal = dated_database(db)
    reference = ref_calendar()
    rng = random.Random(766)
    for _ in range(5000):
        d = random_dossier(rng, reference)
        at = random_moment(rng, d.received, NOW)
        for supplement, basis in POLICIES:
            finished = ref.closed_at(d)
            if finished is not None:
                mine = ref.effective(reference, d, supplement, basis, LATER)
                theirs = program_effective(cal, d, supplement, basis, None)
                assert theirs == mine, (d, supplement, basis)
                assert classify_finished(finished, theirs) == ref.classify(finished, mine)
            if finished is None or finished >= at:
                mine = ref.effective(reference, d, supplement, basis, at)
                theirs = program_effective(cal, d, supplement, basis, at)
                assert theirs == mine, (d, at, supplement, basis)


# ----- 4. Biểu 06 counts for closed periods and periods still running ------------------------
PERIODS = [  # (from, to): closed months, the reorganisation month, state cut-offs, running ones
    (dt.date(2025, 6, 1), dt.date(2025, 6, 30)), (dt.date(2025, 7, 1), dt.date(2025, 7, 31)),
    (dt.date(2025, 1, 15), dt.date(2025, 2, 14)), (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
    (dt.date(2026, 8, 15), dt.date(2026, 9, 14)), (dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
    (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),   # running: evaluated at NOW
    (dt.date(2026, 10, 15), dt.date(2026, 11, 14)),  # closed a fortnight ago
    (dt.date(2026, 11, 15), dt.date(2026, 12, 14)),  # running cut-off period
    (dt.date(2026, 10, 1), dt.date(2026, 12, 31)),   # running quarter
    (dt.date(2026, 11, 27), dt.date(2026, 11, 27)),  # today
    (dt.date(2025, 1, 1), dt.date(2026, 12, 31)),    # everything
]
COUNTED = ("received", "resolved", "in_progress")


# Later "nows" with nothing recorded since NOW: time passes, open dossiers fall overdue at 17:00,
# over a weekend, at midnight; 01/12 00:00 closes November.
LATER_NOWS = [D(2026, 11, 27, 16, 29, 59), D(2026, 11, 27, 16, 30), D(2026, 11, 28, 9, 0),
              D(2026, 11, 30, 23, 59, 59), D(2026, 12, 1, 0, 0), D(2026, 12, 3, 10, 0, 30)]


def reference_counts(reference, dossiers, period_from, period_to, supplement, basis, now=NOW):
    start = D.combine(period_from, dt.time())
    end = D.combine(period_to + dt.timedelta(days=1), dt.time())
    at = ref.moment_of_evaluation(period_to, now)
    by_unit: dict[str, Counter] = {"U1": Counter(), "U2": Counter()}
    for d in dossiers:
        by_unit[d.unit].update(ref.figures(reference, d, supplement, basis, start, end, at))
        if ref.on_time_766(reference, d, start, end, at):
            by_unit[d.unit]["i766.on_time"] += 1
    return by_unit


def program_counts(block: dict) -> Counter:
    out = Counter({f"{group}.{key}": value for group in COUNTED
                   for key, value in block[group].items()})
    out["withdrawn"] = block["withdrawn"]
    out["i766.on_time"] = block["i766"]["on_time"]["num"]
    assert block["i766"]["on_time"]["den"] == block["received"]["total"]
    return +out


def on_time_rate(c: Counter):
    resolved = c["resolved.total"]
    return None if resolved == 0 else round((c["resolved.early"] + c["resolved.on_time"]) / resolved, 4)


def test_biểu_06_counts_agree_for_closed_and_running_periods(db):
    """~600 random dossiers over 2025–2026 (dated rules from 1/7/2025 and 1/10/2026), every
    period above under the four policies; the running ones evaluated at NOW (spec 2.3)."""
    dated_database(db)
    reference = ref_calendar()
    rng = random.Random(118)
    dossiers = [random_dossier(rng, reference) for _ in range(600)]
    for index, d in enumerate(dossiers):
        add_dossier(db, code=f"R-{index:04d}", unit=d.unit, procedure=d.code,  # type: ignore[attr-defined]
                    received=d.received, status=d.status, channel=d.channel, finished=d.finished,
                    due=d.due_at, extended=d.extended, waits=d.waits)
    stored = dict(db.execute("SELECT code, calc_due_at FROM dossiers"))
    for index, d in enumerate(dossiers):
        assert stored[f"R-{index:04d}"] == timefmt.to_db_time(ref.due(reference, d)), d
    cases = [(NOW, period, policy) for period in PERIODS for policy in POLICIES]
    cases += [(now, period, policy) for now in LATER_NOWS for period in PERIODS[6:]
              if period[1] >= dt.date(2026, 11, 27) for policy in POLICIES[::3]]
    for now, (period_from, period_to), (supplement, basis) in cases:
        with mock.patch.object(timefmt, "now", lambda: now):  # noqa: B023 (used at once)
            policy = {"supplement": supplement, "due_basis": basis,
                      "online_denominator": "eligible"}
            doc = compute(db, period_from, period_to, policy=policy)
        assert doc["as_of"] == timefmt.to_db_time(ref.moment_of_evaluation(period_to, now))
        expected = reference_counts(reference, dossiers, period_from, period_to,
                                    supplement, basis, now)
        where = (now, period_from, period_to, supplement, basis)
        for unit in doc["units"]:
            assert program_counts(unit) == +expected[unit["code"]], (unit["code"], *where)
        total = expected["U1"] + expected["U2"]
        assert program_counts(doc["total"]) == +total, where
        assert doc["total"]["on_time_rate"] == on_time_rate(total), where
        resolved = total["resolved.total"]  # spec 5: met when the exact rate >= the target
        assert doc["total"]["meets"]["on_time"] == (None if resolved == 0 else (
            (total["resolved.early"] + total["resolved.on_time"]) * 10 >= 9 * resolved)), where


# ----- 5. the office's own calendar rows win (spec 2.1), and recompute follows them ------------
OFFICE_ROWS = [  # (day, kind in the program: None removes the row; kind in the reference)
    (dt.date(2026, 11, 24), "workday", "workday"),   # 24/11 dropped: a working day
    (dt.date(2026, 11, 26), "holiday", "holiday"),   # a local closure
    (dt.date(2026, 11, 21), "workday", "workday"),   # a Saturday worked
    (dt.date(2026, 8, 22), None, "holiday"),         # the shipped swap removed: a plain Saturday
    (dt.date(2025, 7, 2), "holiday", "holiday"),     # in the reorganisation month
]


def test_office_rows_change_due_times_and_counts_as_the_reference_says(db):
    from core.catalogue import set_calendar_day
    dated_database(db)
    rng = random.Random(2629)
    plain = ref_calendar()
    dossiers = [random_dossier(rng, plain) for _ in range(300)]
    for index, d in enumerate(dossiers):
        add_dossier(db, code=f"O-{index:04d}", unit=d.unit, procedure=d.code,  # type: ignore[attr-defined]
                    received=d.received, status=d.status, channel=d.channel, finished=d.finished,
                    due=d.due_at, extended=d.extended, waits=d.waits)
    for day, kind, _ in OFFICE_ROWS:
        set_calendar_day(db, day, kind, "Lịch của cơ quan")
    reference = ref_calendar({day: kind for day, _, kind in OFFICE_ROWS})
    cal = load_calendar(db)
    day = dt.date(2025, 1, 1)
    while day.year < 2027:
        assert cal.is_working_day(day) == reference.working(day), day
        day += dt.timedelta(days=1)
    stored = dict(db.execute("SELECT code, calc_due_at FROM dossiers"))
    for index, d in enumerate(dossiers):
        assert stored[f"O-{index:04d}"] == timefmt.to_db_time(ref.due(reference, d)), d
    with mock.patch.object(timefmt, "now", lambda: NOW):
        for period_from, period_to in [PERIODS[1], PERIODS[4], PERIODS[6], PERIODS[8]]:
            for supplement, basis in POLICIES:
                doc = compute(db, period_from, period_to, policy={
                    "supplement": supplement, "due_basis": basis, "online_denominator": "eligible"})
                expected = reference_counts(reference, dossiers, period_from, period_to,
                                            supplement, basis)
                assert program_counts(doc["total"]) == +(expected["U1"] + expected["U2"]), \
                    (period_from, supplement, basis)


def random_hours(rng: random.Random) -> tuple:
    """One to three ordered sessions on the quarter hour, e.g. (('06:45', '12:00'), ...)."""
    marks = sorted(rng.sample(range(5 * 4, 21 * 4), 2 * rng.randint(1, 3)))
    text = [f"{m // 4:02d}:{m % 4 * 15:02d}" for m in marks]
    return tuple(zip(text[::2], text[1::2], strict=True))


def test_random_office_hours_agree(db):
    """Any office hours the settings accept (one to three sessions, days shorter or longer than
    8 h), dated from a random day: due times, waits under pause, and a session end kept."""
    from core.calendar import WorkCalendar, parse_sessions
    overrides = load_calendar(db).overrides  # the new database's shipped schedules
    rng = random.Random(9859)
    for _ in range(150):
        change = (FIRST + dt.timedelta(days=rng.randint(0, 600))).date()
        old, new = random_hours(rng), random_hours(rng)
        dated = ((rules.BEGINNING, parse_sessions(old)), (change, parse_sessions(new)))
        cal = WorkCalendar(overrides, dated[-1][1], dated)
        reference = ref.Calendar({}, [(dt.date(1, 1, 1), old), (change, new)])
        for _ in range(25):
            received = random_moment(rng)
            unit = rng.choice(["working_days", "working_hours", "calendar_days", "same_day"])
            rule = ref.Rule(rng.choice([0.5, 1, 2, 3, 10]) if unit != "same_day" else 0, unit,
                            rng.choice([None, "10:00", "16:00", "18:00", "23:59"]))
            assert program_due(cal, received, rule) == ref.statutory_due(reference, received, rule), \
                (old, new, change, received, rule)
            d = ref.Dossier(received, rule, "done", NOW)
            d.waits = [(random_moment(rng, received, received + dt.timedelta(days=5)), None)]
            d.waits[0] = (d.waits[0][0], random_moment(rng, d.waits[0][0],
                                                       d.waits[0][0] + dt.timedelta(days=3)))
            assert program_effective(cal, d, "pause", "original", None) == \
                ref.effective(reference, d, "pause", "original", LATER), (old, new, change, d)


# ----- 6. times with seconds, as the program stamps them -------------------------------------
def with_seconds(rng: random.Random, d: ref.Dossier) -> ref.Dossier:
    """The dossier with random seconds on each of its times (clock stamps), order kept."""
    def jitter(t, low=None):
        if t is None:
            return None
        moved = t + dt.timedelta(seconds=rng.randint(0, 59))
        return max(moved, low) if low is not None else moved
    received = jitter(d.received)
    waits, cursor = [], received
    for requested, completed in d.waits:
        requested = max(jitter(requested), cursor)
        completed = jitter(completed, requested)
        waits.append((requested, completed))
        cursor = completed or requested
    finished = jitter(d.finished, cursor)
    out = ref.Dossier(received, d.rule, d.status, finished, d.due_at, d.extended, waits,
                      d.channel, d.unit)
    out.code = d.code  # type: ignore[attr-defined]
    return out


SECOND_NOWS = [D(2026, 11, 27, 10, 15, 45), D(2026, 11, 27, 16, 29, 31), D(2026, 11, 30, 9, 1, 59)]


def test_stamps_and_nows_with_seconds(db, monkeypatch):
    """Clock stamps carry seconds: under the program's reading of waits (MINUTE_WAITS, see
    rules_reference) the figure of a running period, the list behind it and the reference agree
    at moments with seconds."""
    from core.indicators.drill import dossiers_behind
    monkeypatch.setattr(ref, "MINUTE_WAITS", True)
    dated_database(db)
    reference = ref_calendar()
    rng = random.Random(4)
    dossiers = []
    for _ in range(300):
        d = with_seconds(rng, random_dossier(rng, reference))
        if rng.random() < 0.3 and d.waits:  # a request in the minute before the due time
            due = ref.due(reference, d)
            if d.received < due - dt.timedelta(seconds=40) < NOW and d.status in ref.OPEN:
                d.waits = [(due - dt.timedelta(seconds=rng.randint(1, 40)), None)]
        dossiers.append(d)
    for index, d in enumerate(dossiers):
        add_dossier(db, code=f"S-{index:04d}", unit=d.unit, procedure=d.code,  # type: ignore[attr-defined]
                    received=d.received, status=d.status, channel=d.channel, finished=d.finished,
                    due=d.due_at, extended=d.extended, waits=d.waits)
    for now in SECOND_NOWS:
        for period_from, period_to in (PERIODS[6], PERIODS[8]):
            with mock.patch.object(timefmt, "now", lambda: now):  # noqa: B023 (used at once)
                doc = compute(db, period_from, period_to)
                behind = {figure: len(dossiers_behind(db, figure, period_from, period_to))
                          for figure in ("in_progress.overdue", "in_progress.within_time")}
            expected = reference_counts(reference, dossiers, period_from, period_to, "pause",
                                        "original", now)
            total = expected["U1"] + expected["U2"]
            assert program_counts(doc["total"]) == +total, (now, period_from)
            for figure, count in behind.items():
                assert count == total[figure], (now, period_from, figure)


# ----- 7. waits, an extension and "now", worked by hand --------------------------------------
def test_a_wait_across_tet_an_extension_and_now_worked_by_hand(db):
    """P.WD2 from 1/7/2025: 1.5 days = 12 h; hours 07:30–11:30, 13:30–17:30 until 30/9/2026."""
    cal = dated_database(db)
    reference = ref_calendar()
    received = D(2026, 2, 12, 9, 0)  # Thursday before Tết (14–22/2 off)
    d = ref.Dossier(received, ref_rule("P.WD2", received), "done", D(2026, 2, 23, 9, 30),
                    waits=[(D(2026, 2, 13, 14, 0), D(2026, 2, 23, 8, 30))],
                    extended=D(2026, 2, 25, 17, 0))
    assert ref.due(reference, d) == D(2026, 2, 13, 15, 0)  # 6.5 h on Thursday + 5.5 h
    expected = {  # the wait: 3.5 h on Friday + 1 h on Monday 23/2
        ("pause", "original"): D(2026, 2, 23, 9, 30),
        ("restart", "original"): D(2026, 2, 24, 14, 30),  # 12 h afresh from 23/2 08:30
        ("pause", "extended"): D(2026, 2, 25, 17, 0),
        ("restart", "extended"): D(2026, 2, 25, 17, 0)}
    for (supplement, basis), due in expected.items():
        assert ref.effective(reference, d, supplement, basis, LATER) == due
        assert program_effective(cal, d, supplement, basis, None) == due
    assert classify_finished(D(2026, 2, 23, 9, 30), expected[("pause", "original")]) == "on_time"
    assert classify_finished(D(2026, 2, 23, 9, 31), expected[("pause", "original")]) == "late"
    # a wait requested after the due time moves nothing under pause
    d.waits = [(D(2026, 2, 13, 16, 0), D(2026, 2, 23, 8, 30))]
    assert program_effective(cal, d, "pause", "original", None) == D(2026, 2, 13, 15, 0)

    # 7.5 h days from 1/10/2026: received Thu 26/11 10:00, 1 day = 8 h → Fri 27/11 10:30
    add_dossier(db, code="N-1", procedure="P.WD1", received=D(2026, 11, 26, 10, 0))
    november = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    for now, overdue in ((NOW, 0), (D(2026, 11, 27, 10, 30), 0), (D(2026, 11, 27, 10, 30, 1), 1)):
        with mock.patch.object(timefmt, "now", lambda: now):  # noqa: B023 (used at once)
            doc = compute(db, *november)
        assert doc["as_of"] == timefmt.to_db_time(now)
        assert doc["total"]["in_progress"]["overdue"] == overdue, now
