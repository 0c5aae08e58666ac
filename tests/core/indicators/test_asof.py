"""The moment of evaluation (spec 2.3): a period not yet over is evaluated now, and `--as-of`
shows the figures as the program would have shown them then. One hand-worked dossier per clause.

November 2026: Mon 02/11 … Mon 30/11. Office hours 07:00–11:30, 13:30–17:00. Procedure P.WD2
takes 2 working days, so a dossier received Tue 03/11 08:00 is due Thu 05/11 08:00.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest

from core import facts, timefmt
from core.errors import InputError
from core.indicators import check_as_of, compute
from core.indicators.drill import dossiers_behind
from core.periods import Period
from db.connection import transaction
from tests.core.factories import add_dossier, add_procedures, add_units

NOV_1, NOV_30 = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
AS_OF = dt.datetime(2026, 11, 10, 10, 0)  # Tuesday 10:00
LATER = dt.datetime(2026, 12, 5, 9, 0)    # November is over
PAUSE = {"supplement": "pause", "due_basis": "original", "online_denominator": "eligible"}


def at(day: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute)


@pytest.fixture
def office(db, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: LATER)
    add_units(db)
    add_procedures(db)
    return db


def total(db, **options) -> dict:
    return compute(db, NOV_1, NOV_30, policy=options.pop("policy", PAUSE), **options)["total"]


def test_the_moment_is_the_period_end_once_over_else_now(office, monkeypatch):
    add_dossier(office, code="A", received=at(3))  # due Thu 05/11 08:00, still open
    assert compute(office, NOV_1, NOV_30)["as_of"] == "2026-12-01 00:00:00"
    monkeypatch.setattr(timefmt, "now", lambda: at(5, 7, 59))
    doc = compute(office, NOV_1, NOV_30)
    assert doc["as_of"] == "2026-11-05 07:59:00"
    assert doc["total"]["in_progress"] == {"total": 1, "within_time": 1, "overdue": 0}
    monkeypatch.setattr(timefmt, "now", lambda: at(5, 8, 1))
    assert compute(office, NOV_1, NOV_30)["total"]["in_progress"]["overdue"] == 1
    # the list behind the figure says the same, at the same moment
    assert len(dossiers_behind(office, "in_progress.overdue", NOV_1, NOV_30)) == 1


def test_due_later_today_is_not_overdue_this_morning(office, monkeypatch):
    """A report made on 30/11 at 09:53 must not call a dossier due at 17:00 "quá hạn"."""
    add_dossier(office, code="A", received=at(26, 17, 0))  # due Mon 30/11 17:00
    monkeypatch.setattr(timefmt, "now", lambda: at(30, 9, 53))
    assert total(office)["in_progress"]["overdue"] == 0
    assert dossiers_behind(office, "in_progress.overdue", NOV_1, NOV_30) == []


def test_as_of_is_in_the_document_and_must_be_inside_the_period(office):
    doc = compute(office, NOV_1, NOV_30, as_of=AS_OF)
    assert doc["as_of"] == "2026-11-10 10:00:00"
    assert list(doc)[:3] == ["from", "to", "as_of"]
    # a moment after the period: the end is the moment of evaluation
    assert compute(office, NOV_1, NOV_30, as_of=LATER)["as_of"] == "2026-12-01 00:00:00"
    with pytest.raises(InputError, match="trước ngày bắt đầu kỳ"):
        compute(office, NOV_1, NOV_30, as_of=dt.datetime(2026, 10, 31, 23, 0))


def test_receptions_recorded_later_are_unknown(office):
    add_dossier(office, code="A", received=at(9), channel="online")
    add_dossier(office, code="B", received=at(10, 10, 1), channel="online")
    assert total(office, as_of=AS_OF)["received"]["online"] == 1
    assert total(office)["received"]["online"] == 2


def test_a_dossier_finished_later_is_still_open(office):
    add_dossier(office, code="A", received=at(3), status="done", finished=at(12))
    known = total(office, as_of=AS_OF)
    assert known["resolved"]["total"] == 0
    assert known["in_progress"] == {"total": 1, "within_time": 0, "overdue": 1}  # due 05/11
    assert total(office)["resolved"] == {"total": 1, "early": 0, "on_time": 0, "late": 1}


def test_an_electronic_result_counts_only_once_finished(office):
    # P.WD05 is fully online and needs a paper result unless the result was electronic
    add_dossier(office, code="A", procedure="P.WD05", received=at(3), channel="online",
                status="done", finished=at(6), e_result=1)
    add_dossier(office, code="B", procedure="P.WD05", received=at(3), channel="online",
                status="done", finished=at(11), e_result=1)
    assert total(office, as_of=AS_OF)["online_full"]["count"] == 1
    assert total(office)["online_full"]["count"] == 2


def test_payments_recorded_later_are_unknown(office):
    add_dossier(office, code="A", procedure="P.SD", received=at(9),
                payments=[(10000, "online", at(9, 9))])
    add_dossier(office, code="B", procedure="P.SD", received=at(9),
                payments=[(10000, "online", at(11, 9))])
    assert total(office, as_of=AS_OF)["online_payment"] == {
        "paid_online": 1, "fee_dossiers": 2, "rate": 0.5}
    assert total(office)["online_payment"]["paid_online"] == 2


def test_votes_cast_later_are_unknown(office):
    with transaction(office) as conn:
        for day, rating in ((9, "satisfied"), (10, "dissatisfied"), (11, "satisfied")):
            voted = timefmt.to_db_time(at(day, 9, 30))
            conn.execute("INSERT INTO votes(unit_code, voted_at, rating) VALUES ('U1', ?, ?)",
                         [voted, rating])
            facts.count_vote(conn, "U1", voted, rating)
    assert total(office, as_of=AS_OF)["satisfaction"] == {"votes": 2, "satisfied": 1, "rate": 0.5}
    assert total(office)["satisfaction"]["votes"] == 3


def test_an_extension_recorded_later_is_unknown(office):
    extended = {**PAUSE, "due_basis": "extended"}
    dossier = add_dossier(office, code="A", received=at(3), extended=at(20, 17))
    with transaction(office) as conn:
        conn.execute("INSERT INTO extensions(dossier_id, extended_at, previous_due_at, "
                     "new_due_at, reason) VALUES (?, ?, ?, ?, 'chờ xác minh')",
                     [dossier, timefmt.to_db_time(at(12)), "2026-11-05 08:00:00",
                      "2026-11-20 17:00:00"])
    # on 10/11 nobody knew of the new date: due 05/11, overdue
    assert total(office, as_of=AS_OF, policy=extended)["in_progress"]["overdue"] == 1
    assert total(office, as_of=at(13), policy=extended)["in_progress"]["overdue"] == 0


def test_the_monthly_overdue_list_ignores_an_extension_recorded_later(office):
    """walk29: the report's section V said "3 quá hạn; dưới đây là 2" at --as-of before an
    extension: the list read the new date, the figure did not. Both now ignore it."""
    from core.pdf.monthly_data import gather
    from db import settings
    settings.put(office, "due_basis", "extended")
    dossier = add_dossier(office, code="A", received=at(3), extended=at(20, 17))
    with transaction(office) as conn:
        conn.execute("INSERT INTO extensions(dossier_id, extended_at, previous_due_at, "
                     "new_due_at, reason) VALUES (?, ?, ?, ?, 'chờ xác minh')",
                     [dossier, timefmt.to_db_time(at(12)), "2026-11-05 08:00:00",
                      "2026-11-20 17:00:00"])
    for moment, overdue in ((AS_OF, 1), (at(13), 0)):
        data = gather(office, "2026-11", as_of=moment)
        assert data.kpi["total"]["in_progress"]["overdue"] == overdue
        assert len(data.overdue) == sum(data.overdue_found.values()) == overdue


def test_supplement_waits_as_recorded_at_the_moment(office):
    restart = {**PAUSE, "supplement": "restart"}
    # A: a wait still open at the moment (completed 12/11) stops the clock under restart
    add_dossier(office, code="A", received=at(3), waits=[(at(4, 9), at(12))])
    # B: a wait requested after the moment is unknown; due 05/11, so overdue then
    add_dossier(office, code="B", received=at(3), waits=[(at(11), at(12))])
    known = total(office, as_of=AS_OF, policy=restart)["in_progress"]
    assert known == {"total": 2, "within_time": 1, "overdue": 1}
    # on 13/11 both restarted on 12/11 08:00: due 16/11 08:00, not overdue
    assert total(office, as_of=at(13), policy=restart)["in_progress"]["overdue"] == 0


def test_as_of_equals_the_engine_on_what_was_recorded_then(office, tmp_path):
    """The same office, recorded only up to the moment, gives the same figures now."""
    from core.database import open_database
    add_dossier(office, code="A", received=at(3), status="done", finished=at(12))
    add_dossier(office, code="B", received=at(9), status="done", finished=at(9, 10))
    add_dossier(office, code="C", received=at(11))
    then = open_database(tmp_path / "then.db")
    add_units(then)
    add_procedures(then)
    add_dossier(then, code="A", received=at(3))
    add_dossier(then, code="B", received=at(9), status="done", finished=at(9, 10))
    mine = compute(office, NOV_1, NOV_30, as_of=AS_OF)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timefmt, "now", lambda: AS_OF)
        recorded = compute(then, NOV_1, NOV_30)
    then.close()
    assert json.dumps(mine["total"]) == json.dumps(recorded["total"])
    assert mine["as_of"] == recorded["as_of"]


def test_a_closed_status_without_a_finish_stays_open_everywhere(office, monkeypatch):
    """Spec 5: closed = a closed status *with* a finish; a row without one (bad data) is open in
    the engine, the lists behind it and the rules alike, today as at a period end."""
    add_dossier(office, code="A", received=at(3), status="done")  # no finished_at
    add_dossier(office, code="B", received=at(3), status="withdrawn", waits=[(at(4), at(5))])
    for now in (at(20, 10, 15), LATER):
        monkeypatch.setattr(timefmt, "now", lambda now=now: now)
        progress = total(office)["in_progress"]
        assert progress == {"total": 2, "within_time": 0, "overdue": 2}
        for figure in ("in_progress.total", "in_progress.overdue"):
            assert len(dossiers_behind(office, figure, NOV_1, NOV_30)) == 2



def test_a_moment_in_the_future_is_refused():
    """--as-of shows what was recorded by a moment: one that has not come yet is a typing slip."""
    later = timefmt.now() + dt.timedelta(days=2)
    with pytest.raises(InputError, match="ở tương lai"):
        check_as_of(Period(later.date() - dt.timedelta(days=5), later.date()), later)


def test_as_of_counts_an_entry_cancelled_later_and_not_one_cancelled_before(office):
    """Spec 2.3: --as-of shows the figures as the program showed them then. A payment or a vote
    entered by mistake and cancelled before the moment was not counted then (the plain figures
    never count it); one cancelled after the moment was still live then and counted. The same
    for a complaint (766 5.4): it counted until it was cancelled."""
    from core import payments, votes

    for code in ("P1", "P2"):  # 8.000 đ each, paid online on 03/11
        add_dossier(office, code=code, procedure="P.WD05", received=at(3),
                    payments=[(8000, "online", at(3, 9))])
    ids = dict(office.execute("SELECT d.code, p.id FROM payments p JOIN dossiers d "
                              "ON d.id = p.dossier_id").fetchall())
    payments.cancel_payment(office, ids["P1"], reason="Nhập nhầm", at=at(5, 10))   # before
    payments.cancel_payment(office, ids["P2"], reason="Nhập nhầm", at=at(12, 10))  # after
    # a resolved dossier with a complaint received 04/11 and cancelled 15/11
    add_dossier(office, code="C", received=at(2), status="done", finished=at(3, 9),
                complaints=[(at(4, 9), at(15, 9))])
    with transaction(office) as conn:
        for day, rating in ((4, "satisfied"), (4, "dissatisfied")):
            conn.execute("INSERT INTO votes(unit_code, voted_at, rating) VALUES ('U1', ?, ?)",
                         [f"2026-11-0{day} 09:00:00", rating])
            facts.count_vote(conn, "U1", f"2026-11-0{day} 09:00:00", rating, +1)
    vote_ids = [r[0] for r in office.execute("SELECT id FROM votes ORDER BY id")]
    votes.cancel_vote(office, vote_ids[0], reason="Bấm nhầm", at=at(6, 9))    # before
    votes.cancel_vote(office, vote_ids[1], reason="Bấm nhầm", at=at(20, 9))   # after

    plain = total(office)
    assert plain["online_payment"] == {"paid_online": 0, "fee_dossiers": 2, "rate": 0.0}
    assert plain["satisfaction"] == {"votes": 0, "satisfied": 0, "rate": None}
    assert plain["i766"]["satisfaction"] == {"num": 1, "den": 1, "rate": 1.0}
    then = total(office, as_of=AS_OF)
    assert then["online_payment"] == {"paid_online": 1, "fee_dossiers": 2, "rate": 0.5}
    assert then["satisfaction"] == {"votes": 1, "satisfied": 0, "rate": 0.0}
    assert then["i766"]["satisfaction"] == {"num": 0, "den": 1, "rate": 0.0}
    assert then["i766"]["online_payment"] == {"num": 1, "den": 2, "rate": 0.5}
    # the monthly report's table of votes (section VI) reads the votes as the figures do
    from core.pdf.monthly_data import gather

    assert gather(office, Period(NOV_1, NOV_30), as_of=AS_OF).votes["U1"] == {"dissatisfied": 1}
    assert gather(office, Period(NOV_1, NOV_30)).votes["U1"] == {}
