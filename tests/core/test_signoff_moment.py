"""A leader's sign-off of a running month records the figures of the very moment it records
(spec 2.3: one document, one moment), whatever the clock does meanwhile."""
from __future__ import annotations

import datetime as dt

from core import signoff, timefmt
from core.indicators import compute
from db import actor
from db.settings import targets_766_for_year
from tests.core.factories import add_dossier, add_procedures, add_units
from tests.core.test_signoff import people

NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
CLOCK = dt.datetime(2026, 11, 30, 16, 29, 30)  # November still running


def test_the_figures_signed_are_those_of_the_moment_signed(db, monkeypatch):
    """sign_off read the clock for its "lúc" and again inside the engine: on a loaded PC a
    dossier falling due between the two readings was approved overdue at 16:29:30, when it was
    still within time, and the report of that moment said "số liệu đã khác lúc duyệt"."""
    add_units(db)
    add_procedures(db)
    add_dossier(db, code="U1-261124-0001", received=dt.datetime(2026, 11, 24, 8, 0),
                due=dt.datetime(2026, 11, 30, 16, 30), status="processing")
    _, leader = people(db)
    readings = iter(CLOCK + dt.timedelta(minutes=i) for i in range(1000))
    monkeypatch.setattr(timefmt, "now", lambda: next(readings))
    with actor.acting_as(leader):
        signed = signoff.sign_off(db, *NOVEMBER, None)
    assert signed.at == CLOCK  # the first reading
    then = compute(db, *NOVEMBER, now=signed.at)
    assert then["total"]["in_progress"]["overdue"] == 0  # due at 16:30, signed at 16:29:30
    targets = targets_766_for_year(db, 2026)
    assert signed.figures == signoff.figures_digest(then, targets)
    # the report of that moment: approved, not "số liệu đã khác lúc duyệt"
    assert signoff.footer_line(db, *NOVEMBER, None, then) == \
        "Đã duyệt: Hoàng Thị Mai lúc 16:29 30/11/2026 (dấu chưa có sự kiện)"
