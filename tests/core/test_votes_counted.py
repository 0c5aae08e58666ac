"""The votes counted in a period (spec 5's satisfaction.votes, 2.3) are one rule
(core.moment.counted_votes): the engine (its daily sums, and --as-of), Biểu 06 by field, the
votes behind a figure and the monthly report's section VI count the same votes, for every scope
and moment, on a database whose votes sit at the edges of the rule."""
from __future__ import annotations

import datetime as dt

import pytest

from core import catalogue, timefmt, votes
from core.indicators import compute, scope_units
from core.indicators.by_field import compute_by_field
from core.indicators.drill import votes_behind
from core.pdf.queries import votes_by_rating
from tests.core.factories import add_dossier, add_procedures

D, T = dt.date, dt.datetime
NOVEMBER = (D(2026, 11, 1), D(2026, 11, 30))
RECORDED = T(2026, 12, 5, 10, 0)  # every vote typed in after the month
AS_OF = T(2026, 11, 28, 12, 0)
# the vote's label: (unit where cast, voted_at, rating, dossier's unit or None, cancelled at)
VOTES = {
    "first second": ("C", T(2026, 11, 1, 0, 0, 0), "satisfied", None, None),
    "the day before": ("C", T(2026, 10, 31, 23, 59, 59), "satisfied", None, None),
    "last second": ("C", T(2026, 11, 30, 23, 59, 59), "very_satisfied", None, None),
    "the day after": ("C", T(2026, 12, 1, 0, 0, 0), "satisfied", None, None),
    "at the reception point": ("R", T(2026, 11, 10, 9, 0), "dissatisfied", None, None),
    "at the predecessor": ("OLD", T(2026, 11, 12, 9, 0), "satisfied", None, None),
    "at C on X's dossier": ("C", T(2026, 11, 15, 9, 0), "satisfied", "X", None),
    "at X on C's dossier": ("X", T(2026, 11, 16, 9, 0), "neutral", "C", None),
    "cancelled before the moment": ("C", T(2026, 11, 20, 9, 0), "satisfied", None,
                                    T(2026, 11, 25, 9, 0)),
    "cancelled after the moment": ("C", T(2026, 11, 21, 9, 0), "very_satisfied", None,
                                   T(2026, 12, 3, 9, 0)),
    "cast after the moment": ("C", T(2026, 11, 29, 8, 0), "satisfied", None, None),
}
COUNTED = {"first second", "last second", "at the reception point", "at the predecessor",
           "at C on X's dossier", "at X on C's dossier", "cast after the moment"}
COUNTED_AS_OF = {"first second", "at the reception point", "at the predecessor",
                 "at C on X's dossier", "at X on C's dossier", "cancelled after the moment"}
IN_SCOPE = {None: {"C", "R", "OLD", "X"}, "P": {"C", "R", "OLD"}, "C": {"C", "R", "OLD"},
            "R": {"R"}, "X": {"X"}, "OLD": {"OLD"}}


@pytest.fixture
def office(db, monkeypatch):
    """A province P with a commune C (its reception point R, its predecessor OLD merged into it
    on 01/07/2025) and a commune X outside it; the votes of VOTES, recorded after the month."""
    monkeypatch.setattr(timefmt, "now", lambda: RECORDED)
    catalogue.save_unit(db, "P", "UBND tỉnh", "province", None)
    catalogue.save_unit(db, "C", "Xã Tân Đoàn", "commune", "P")
    catalogue.save_unit(db, "R", "Thôn Bản Làn (điểm tiếp nhận)", "reception_point", "C")
    catalogue.save_unit(db, "OLD", "Xã Tràng Các", "commune", "P", valid_to=D(2025, 6, 30),
                        successor_code="C")
    catalogue.save_unit(db, "X", "Xã Hòa Bình", "commune", None)
    add_procedures(db)
    dossier = {}
    for n, (label, (unit, at, rating, of_unit, cancelled)) in enumerate(VOTES.items(), 1):
        if of_unit is not None:
            dossier[label] = add_dossier(db, code=f"{of_unit}-261001-{n:04d}", unit=of_unit,
                                         received=T(2026, 10, 1, 8, 0))
        vote_id = votes.add_vote(db, unit_code=unit, rating=rating, voted_at=at,
                                 dossier_id=dossier.get(label))
        if cancelled is not None:
            votes.cancel_vote(db, vote_id, reason="Nhập nhầm", at=cancelled)
    ids = dict(db.execute("SELECT voted_at, id FROM votes").fetchall())
    return db, {label: ids[timefmt.to_db_time(row[1])] for label, row in VOTES.items()}


def _expected(labels: set[str], scope: set[str]) -> tuple[int, int]:
    chosen = [VOTES[label] for label in labels if VOTES[label][0] in scope]
    return len(chosen), sum(rating in ("very_satisfied", "satisfied") for _, _, rating, *_ in chosen)


def _by_rating(db, unit, as_of) -> tuple[int, int]:
    codes = [code for code, _ in scope_units(db, unit)]
    rows = votes_by_rating(db, codes, *NOVEMBER, known=as_of)
    return (sum(sum(r.values()) for r in rows.values()),
            sum(r.get("very_satisfied", 0) + r.get("satisfied", 0) for r in rows.values()))


def _behind(db, unit, as_of) -> tuple[int, int]:
    return (len(votes_behind(db, "satisfaction.votes", *NOVEMBER, unit=unit, as_of=as_of)),
            len(votes_behind(db, "satisfaction.satisfied", *NOVEMBER, unit=unit, as_of=as_of)))


def _engine(db, unit, as_of) -> tuple[int, int]:
    shown = compute(db, *NOVEMBER, unit=unit, as_of=as_of)["total"]["satisfaction"]
    return shown["votes"], shown["satisfied"]


def _by_field(db, unit) -> tuple[int, int]:
    shown = compute_by_field(db, *NOVEMBER, unit=unit)["total"]["satisfaction"]
    return shown["votes"], shown["satisfied"]


@pytest.mark.parametrize("unit", list(IN_SCOPE))
def test_every_count_of_the_votes_of_a_past_month_is_the_one_rule(office, unit):
    db, _ = office
    expected = _expected(COUNTED, IN_SCOPE[unit])
    assert _engine(db, unit, None) == expected
    assert _by_field(db, unit) == expected
    assert _behind(db, unit, None) == expected
    assert _by_rating(db, unit, None) == expected


@pytest.mark.parametrize("unit", list(IN_SCOPE))
def test_every_count_at_a_moment_of_evaluation_is_the_one_rule(office, unit):
    db, _ = office
    expected = _expected(COUNTED_AS_OF, IN_SCOPE[unit])
    assert _engine(db, unit, AS_OF) == expected
    assert _behind(db, unit, AS_OF) == expected
    assert _by_rating(db, unit, AS_OF) == expected


def test_a_running_month_counts_a_vote_bearing_a_later_time(office, monkeypatch):
    """Half a minute before the month ends, a vote stamped at its last second by a PC whose
    clock runs ahead is recorded, so counted by all four (spec 2.3)."""
    db, ids = office
    monkeypatch.setattr(timefmt, "now", lambda: T(2026, 11, 30, 23, 59, 30))
    expected = _expected(COUNTED, IN_SCOPE["C"])
    assert _engine(db, "C", None) == _by_field(db, "C") == expected
    assert _behind(db, "C", None) == _by_rating(db, "C", None) == expected
    assert ids["last second"] in votes_behind(db, "satisfaction.votes", *NOVEMBER, unit="C")


def test_the_votes_behind_the_figure_are_the_ones_named(office):
    db, ids = office
    for as_of, labels in ((None, COUNTED), (AS_OF, COUNTED_AS_OF)):
        shown = votes_behind(db, "satisfaction.votes", *NOVEMBER, as_of=as_of)
        assert sorted(shown) == sorted(ids[label] for label in labels)
