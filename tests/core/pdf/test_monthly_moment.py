"""The monthly report of a running month at one moment, on a database of three dossiers and
three votes (cheap: no demo). tests/gui/test_figures_everywhere.py finds the same on demos."""
from __future__ import annotations

import datetime as dt

import pytest

from core import timefmt
from core.pdf.monthly_data import gather
from tests.core.factories import add_dossier, add_procedures, add_units

CLOCK = dt.datetime(2026, 11, 30, 23, 59, 30)  # November still running, half a minute left


@pytest.fixture
def office(db):
    add_units(db)
    add_procedures(db)
    votes = [(dt.datetime(2026, 11, 30, 9, 0), "satisfied"),
             (dt.datetime(2026, 11, 30, 10, 0), "very_satisfied"),
             # another PC's clock a few minutes ahead (core.clock's tolerance): recorded, so
             # counted (spec 2.3: everything recorded counts but the open dossiers' class)
             (dt.datetime(2026, 11, 30, 23, 59, 50), "neutral")]
    add_dossier(db, code="U1-261124-0001", received=dt.datetime(2026, 11, 24, 8, 0),
                status="done", finished=dt.datetime(2026, 11, 25, 9, 0), votes=votes)
    add_dossier(db, code="U1-261124-0002", received=dt.datetime(2026, 11, 24, 8, 0),
                due=dt.datetime(2026, 11, 27, 16, 29), status="processing")
    return db


def test_votes_by_rating_add_up_to_the_votes_the_engine_counts(office, monkeypatch):
    """Section VI cut at the moment of evaluation dropped the vote bearing a later time:
    its four ratings added up to 2 under a total of 3 (round 35)."""
    monkeypatch.setattr(timefmt, "now", lambda: CLOCK)
    data = gather(office, "2026-11")
    counted = data.kpi["total"]["satisfaction"]["votes"]
    assert counted == 3
    assert data.votes["U1"] == {"satisfied": 1, "very_satisfied": 1, "neutral": 1}


def test_the_date_and_footer_are_those_of_the_figures_moment(office, monkeypatch):
    """The report read the clock again for its date and its footer after computing: at half a
    minute to midnight on a loaded PC, "ngày 01 tháng 12" headed figures "tạm tính đến 23 giờ 59
    phút, ngày 30/11/2026", and the footer's "lúc" was not the moment line's."""
    readings = iter(CLOCK + dt.timedelta(minutes=i) for i in range(1000))
    monkeypatch.setattr(timefmt, "now", lambda: next(readings))
    data = gather(office, "2026-11")
    moment = timefmt.parse_db_time(data.kpi["as_of"])
    assert moment == CLOCK  # the first reading: the month still runs
    assert data.issued == moment.date()
    assert data.fingerprint.endswith(f"(lúc {timefmt.vn_datetime(moment)})")
    assert [row.late for row in data.overdue] == ["1 ngày"]  # Fri 31 min + Mon 8 h, at it
