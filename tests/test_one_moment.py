"""One moment of evaluation per document (spec 2.3, round 35).

While a period runs its figures are those true *now*, and a document shows them at one moment:
the Biểu 06 by field (core.indicators.by_field, its own pass over the dossiers) printed in the
monthly report and the workbook beside the engine's figures (sections I, V, VI, VII, the 766
section; the moment line). Each used to read the clock for itself, so a dossier falling due
between the two readings was "trong hạn" in section II and "quá hạn" in section V of the same
signed page. The clock here moves on 2 hours at every reading, across 17:00 of 30/11 when three
open dossiers of the demo fall due: a loaded PC takes seconds between two computations of a big
office, and a due time can fall in them as well."""
from __future__ import annotations

import datetime as dt

import pytest

from core import timefmt
from core.database import open_database
from core.periods import Period

START = dt.datetime(2026, 11, 30, 16, 0)  # three dossiers fall due at 17:00
NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
COUNTS = ("received", "resolved", "withdrawn", "in_progress")


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    from core import demo
    path = tmp_path_factory.mktemp("moment") / "demo.db"
    db = open_database(path)
    demo.generate(db, dossiers=1500, seed=4, today=dt.date(2026, 11, 27))
    db.close()
    return path


@pytest.fixture
def ticking(monkeypatch):
    """A clock that moves on at each reading."""
    readings = iter(START + dt.timedelta(hours=2 * i) for i in range(10_000))
    monkeypatch.setattr(timefmt, "now", lambda: next(readings))


def test_the_clock_moves_across_due_times(demo_path):
    """The case can fail: the figures at two readings of the clock differ."""
    from core import indicators
    db = open_database(demo_path)
    try:
        first, second = (indicators.compute(db, NOVEMBER.start, NOVEMBER.end, now=START + gap)
                         for gap in (dt.timedelta(0), dt.timedelta(hours=2)))
    finally:
        db.close()
    assert first["total"]["in_progress"] != second["total"]["in_progress"]


def _same(by_field: dict, kpi: dict) -> None:
    for key in COUNTS:
        assert by_field["total"][key] == kpi["total"][key], key
    assert by_field["as_of"] == kpi["as_of"]


def test_the_monthly_report_by_field_is_evaluated_at_its_own_moment(demo_path, ticking):
    from core.pdf.monthly_data import gather
    db = open_database(demo_path)
    try:
        data = gather(db, NOVEMBER, by="field")
    finally:
        db.close()
    _same(data.by_field, data.kpi)


def test_the_bieu06_workbook_by_field_is_evaluated_at_its_own_moment(demo_path, ticking):
    from core.workbook.bieu06 import gather
    db = open_database(demo_path)
    try:
        form = gather(db, NOVEMBER.start, NOVEMBER.end, by="field")
    finally:
        db.close()
    _same(form.by_field, form.kpi)


@pytest.mark.parametrize("by_field", [False, True])
def test_the_report_screen_asks_its_sources_at_the_moment_of_its_figures(demo_path, ticking,
                                                                        monkeypatch, by_field):
    """Báo cáo's note on the packages the figures rest on (core.exchange.sources: a sender
    whose packages stop short of the moment) is judged at the figures' moment: read from the
    clock a second time, a package reaching the moment of the figures was said to stop short."""
    from core.exchange import sources as sources_module
    from gui.reports import compute_figures
    asked: list[dt.datetime] = []
    real = sources_module.sources

    def recorded(db, start, end, moment, *args, **kwargs):
        asked.append(moment)
        return real(db, start, end, moment, *args, **kwargs)
    monkeypatch.setattr(sources_module, "sources", recorded)
    db = open_database(demo_path)
    try:
        figures, *_ = compute_figures(NOVEMBER.start, NOVEMBER.end, None, by_field)(db, None)
    finally:
        db.close()
    assert [timefmt.to_db_time(moment) for moment in asked] == [figures["as_of"]]
