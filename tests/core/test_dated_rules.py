"""Dated rules (spec 2.1): office hours, a procedure's limit and its online level apply from a
date; a dossier keeps the rules in force when it was received. 2025-03-10 is a Monday."""
from __future__ import annotations

import datetime as dt

from core import recompute, rules
from core.calendar import WorkCalendar, load_calendar, parse_sessions
from core.due import Limit, statutory_due
from core.indicators import compute
from db import settings
from tests.core.factories import add_dossier, add_procedures, add_units

D = dt.datetime
CHANGE = dt.date(2025, 3, 10)
LATER_HOURS = [["07:30", "11:30"], ["13:30", "17:00"]]


def due_of(db, dossier_id):
    return db.execute("SELECT calc_due_at FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0]


def change_hours(db, day=CHANGE, hours=LATER_HOURS):
    ids = recompute.dossiers_received_from(db, day)
    recompute.apply_dated(db, lambda d: rules.set_office_hours(d, hours, day), ids)
    return ids


def test_a_calendar_view_uses_the_hours_of_the_reception_day_for_all_its_working_time():
    old, new = parse_sessions(settings.DEFAULTS["office_hours"]), parse_sessions(LATER_HOURS)
    cal = WorkCalendar({}, new, ((rules.BEGINNING, old), (CHANGE, new)))
    before = cal.governing(D(2025, 3, 7, 8, 0))
    assert before.sessions == old and before.governing(D(2025, 3, 12)) is before
    assert cal.governing(D(2025, 3, 10, 9)).sessions == new
    # received Friday under the old hours: Monday and Tuesday still count 8 h from 07:00
    assert statutory_due(before, D(2025, 3, 7, 8, 0), Limit(2, "working_days")) == D(2025, 3, 11, 8)
    after = cal.governing(D(2025, 3, 10, 7, 0))
    assert after.working_seconds(D(2025, 3, 10, 7, 0), D(2025, 3, 10, 17, 0)) == 7.5 * 3600
    assert statutory_due(after, D(2025, 3, 10, 7, 0), Limit(2, "working_days")) == D(2025, 3, 12, 8, 30)


def test_new_office_hours_from_a_date_leave_earlier_dossiers_alone(db):
    add_units(db)
    add_procedures(db)
    early = add_dossier(db, code="A", received=D(2025, 3, 3, 7, 0), status="done",
                        finished=D(2025, 3, 4, 16, 50))
    spanning = add_dossier(db, code="B", received=D(2025, 3, 7, 8, 0))
    later = add_dossier(db, code="C", received=D(2025, 3, 10, 7, 0))
    march = lambda: compute(db, dt.date(2025, 3, 1), dt.date(2025, 3, 31))["total"]  # noqa: E731
    before = march()
    assert due_of(db, spanning) == "2025-03-11 08:00:00"
    assert due_of(db, later) == "2025-03-11 17:00:00"

    assert change_hours(db) == [later]
    assert due_of(db, early) == "2025-03-04 17:00:00"
    assert due_of(db, spanning) == "2025-03-11 08:00:00"  # not 09:00: it keeps its own hours
    assert due_of(db, later) == "2025-03-12 08:30:00"     # 07:30 start, 7.5 h days
    assert march()["resolved"] == before["resolved"]
    # everything computed afresh agrees with what the change recomputed
    from core.facts import rebuild_all
    rebuild_all(db)
    assert [due_of(db, i) for i in (early, spanning, later)] == [
        "2025-03-04 17:00:00", "2025-03-11 08:00:00", "2025-03-12 08:30:00"]
    assert rules.office_hours_entries(db) == [(rules.BEGINNING, settings.DEFAULTS["office_hours"]),
                                              (CHANGE, LATER_HOURS)]
    assert settings.get(db, "office_hours") == LATER_HOURS


def test_a_dated_procedure_limit_and_online_level_keep_earlier_figures(db):
    add_units(db)
    add_procedures(db)
    early = add_dossier(db, code="A", received=D(2025, 3, 3, 8, 0), channel="online",
                        status="done", finished=D(2025, 3, 5, 7, 30))
    later = add_dossier(db, code="C", received=D(2025, 3, 11, 8, 0), channel="online",
                        status="done", finished=D(2025, 3, 13, 7, 30))
    march = lambda: compute(db, dt.date(2025, 3, 1), dt.date(2025, 3, 31))["total"]  # noqa: E731
    assert march()["online_full"]["eligible"] == 2 and march()["resolved"]["on_time"] == 2
    first_week = compute(db, dt.date(2025, 3, 1), dt.date(2025, 3, 7))["total"]

    rule = rules.ProcedureRule(1, "working_days", None, "none", 0)
    ids = recompute.dossiers_received_from(db, CHANGE, "P.WD2")
    assert ids == [later]
    recompute.apply_dated(db, lambda d: rules.set_procedure_rule(d, "P.WD2", rule, CHANGE), ids)

    assert due_of(db, early) == "2025-03-05 08:00:00"
    assert due_of(db, later) == "2025-03-12 08:00:00"
    assert compute(db, dt.date(2025, 3, 1), dt.date(2025, 3, 7))["total"] == first_week
    total = march()
    assert total["online_full"]["eligible"] == 1 and total["online_full"]["count"] == 1
    assert total["resolved"]["on_time"] == 1 and total["resolved"]["late"] == 1
    # the catalogue shows the latest rule; the earlier one is kept with its dates
    assert db.execute("SELECT limit_value, online_level FROM procedures WHERE code = 'P.WD2'"
                      ).fetchone() == (1, "none")
    assert [(day, r.limit_value) for day, r in rules.procedure_entries(db, "P.WD2")] == [
        (rules.BEGINNING, 2), (CHANGE, 1)]
    assert rules.procedure_rule_at(db, "P.WD2", D(2025, 3, 9, 23)).online_level == "full"
    from core.facts import rebuild_all
    rebuild_all(db)
    assert march() == total


def test_a_retroactive_change_is_previewed_without_saving_anything(db):
    add_units(db)
    add_procedures(db)
    # 4 working hours: received 07:00, due 11:00; finished 11:10 is late under the old limit
    dossier = add_dossier(db, code="A", procedure="P.WH4", received=D(2025, 3, 3, 7, 0),
                          status="done", finished=D(2025, 3, 3, 11, 10))
    add_dossier(db, code="B", procedure="P.WH4", received=D(2025, 3, 4, 7, 0))
    rule = rules.ProcedureRule(5, "working_hours", None, "partial", 0)
    day = dt.date(2025, 3, 1)
    ids = recompute.dossiers_received_from(db, day, "P.WH4")
    seen = recompute.impact(db, lambda d: rules.set_procedure_rule(d, "P.WH4", rule, day), ids, day)
    assert (seen.dossiers, seen.due_moved, seen.open_dossiers) == (2, 2, 1)
    assert seen.moves == {("late", "on_time"): 1}
    text = "\n".join(seen.lines())
    assert "1 hồ sơ đã giải quyết đổi kết quả: 1 quá hạn → đúng hạn" in text
    assert "Áp dụng từ ngày 01/03/2025: 2 hồ sơ" in text
    # nothing was kept: the rule, the history and the figures are as before
    assert db.execute("SELECT limit_value FROM procedures WHERE code = 'P.WH4'").fetchone()[0] == 4
    assert db.execute("SELECT COUNT(*) FROM procedure_rules").fetchone()[0] == 0
    assert due_of(db, dossier) == "2025-03-03 11:00:00"


def test_replace_from_keeps_what_was_in_force_before_the_date():
    start = [(rules.BEGINNING, "a"), (dt.date(2025, 1, 1), "b"), (dt.date(2025, 6, 1), "c")]
    assert rules.replace_from(start, dt.date(2025, 3, 1), "d") == start[:2] + [
        (dt.date(2025, 3, 1), "d")]
    assert rules.replace_from(start, dt.date(2025, 3, 1), "b") == start[:2]  # nothing new
    assert rules.replace_from(start, rules.BEGINNING, "z") == [(rules.BEGINNING, "z")]
    assert rules.in_force(start, dt.date(2025, 5, 31)) == "b"
    assert rules.in_force(start, dt.date(2025, 6, 1)) == "c"


def test_load_calendar_without_dated_hours_is_a_plain_calendar(db):
    cal = load_calendar(db)
    assert not cal.dated and cal.governing(D(2020, 1, 1)) is cal


def test_time_late_in_a_report_counts_in_the_hours_of_the_reception_day():
    """The monthly PDF's "Thời gian quá hạn" used today's office hours; a dossier received under
    07:00–11:30/13:30–17:00 keeps 8 h a day after the morning start moved to 10:00."""
    from core.pdf.queries import late_for
    old = parse_sessions(settings.DEFAULTS["office_hours"])
    short = parse_sessions([["10:00", "11:30"], ["13:30", "17:00"]])  # 5 h a day from CHANGE
    cal = WorkCalendar({}, short, ((rules.BEGINNING, old), (CHANGE, short)))
    due, moment = D(2025, 3, 10, 7, 0), D(2025, 3, 14, 17, 0)  # Mon 07:00 .. Fri 17:00: 40 h
    assert late_for(cal, due, moment, received_at=D(2025, 3, 3, 8, 0)) == "5 ngày"
    assert late_for(cal, due, moment, received_at=D(2025, 3, 10, 8, 0)) == "3 ngày 1 giờ"  # 25 h
