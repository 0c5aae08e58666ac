"""Votes (issue 11): a paper vote counts in the month written on the form, follows the kiosk's
hand-off rule, and a vote entered by mistake is cancelled with a reason."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossier_votes, kiosk, timefmt, votes
from core import dossiers as D
from core.errors import FieldError, OperationError
from core.indicators import compute
from core.indicators.drill import votes_behind
from core.maintenance.check import expected_sums, stored_sums
from core.pdf.queries import votes_by_rating
from tests.core.factories import add_procedures, add_units

RECEIVED = dt.datetime(2025, 2, 24, 8, 0)
NOW = dt.datetime(2025, 3, 3, 10, 0)
FEBRUARY = (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


@pytest.fixture
def office(db, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    add_units(db)
    add_procedures(db)
    dossier_id, _ = D.create_dossier(db, unit_code="U1", procedure_code="P.WD2",
                                     applicant_name="Trần Thị Hoa", received_at=RECEIVED)
    D.finish(db, dossier_id, at=RECEIVED + dt.timedelta(hours=2))
    return db, dossier_id


def satisfaction(db, period):
    return compute(db, *period)["total"]["satisfaction"]


def test_a_paper_vote_with_a_past_date_counts_in_that_month(office):
    db, dossier_id = office
    kiosk.invite(db, dossier_id, at=NOW - dt.timedelta(minutes=2))
    votes.record_paper_vote(db, unit_code="U1", rating="satisfied", dossier_id=dossier_id,
                            voted_at=dt.datetime(2025, 2, 26, 15, 0), comment="Nhanh")
    assert satisfaction(db, FEBRUARY) == {"votes": 1, "satisfied": 1, "rate": 1.0}
    assert satisfaction(db, MARCH)["votes"] == 0
    # the kiosk's rule: the dossier is no longer offered for a vote
    assert kiosk.pending_invitation(db, "U1", now=NOW) is None
    assert db.execute("SELECT state FROM kiosk_invitations").fetchall() == [("cancelled",)]


def test_a_paper_vote_without_a_level_asks_for_one_in_words(office):
    # try25 F4: a form saved with no level ticked said "Mức đánh giá không hợp lệ: ''."
    db, _ = office
    for nothing in ("", "  ", None):
        with pytest.raises(FieldError) as error:
            votes.record_paper_vote(db, unit_code="U1", rating=nothing, voted_at=NOW)
        assert error.value.field == "rating"
        assert error.value.message == "Cần chọn mức độ hài lòng của người dân (một trong bốn mức)."
    with pytest.raises(FieldError) as error:
        votes.record_paper_vote(db, unit_code="U1", rating="rat_tot", voted_at=NOW)
    assert error.value.message == ("Mức độ hài lòng “rat_tot” không hợp lệ; chỉ nhận một trong "
                                   "bốn mức: «Rất hài lòng», «Hài lòng», «Bình thường», "
                                   "«Không hài lòng».")
    assert "satisfied" not in error.value.message  # no internal English code (review25 7)
    assert db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0


def test_a_paper_vote_may_not_be_in_the_future_or_before_the_reception(office):
    db, dossier_id = office
    with pytest.raises(FieldError) as error:
        votes.record_paper_vote(db, unit_code="U1", rating="satisfied",
                                voted_at=NOW + dt.timedelta(minutes=10))
    assert error.value.field == "voted_at" and "ở tương lai" in error.value.message
    with pytest.raises(FieldError, match="trước thời điểm tiếp nhận hồ sơ U1-250224-0001"):
        votes.record_paper_vote(db, unit_code="U1", rating="satisfied", dossier_id=dossier_id,
                                voted_at=RECEIVED - dt.timedelta(days=1))
    assert db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0


def test_cancelling_a_vote_leaves_every_figure_and_keeps_the_history(office):
    db, dossier_id = office
    walk_in = votes.add_vote(db, unit_code="U1", rating="satisfied",
                             voted_at=dt.datetime(2025, 2, 25, 9, 0))
    wrong = votes.record_paper_vote(db, unit_code="U1", rating="dissatisfied",
                                    dossier_id=dossier_id, voted_at=dt.datetime(2025, 2, 26, 9, 0))
    assert satisfaction(db, FEBRUARY) == {"votes": 2, "satisfied": 1, "rate": 0.5}
    votes.cancel_vote(db, wrong, reason="Phiếu của hồ sơ khác", actor="lan")
    assert satisfaction(db, FEBRUARY) == {"votes": 1, "satisfied": 1, "rate": 1.0}
    assert votes_behind(db, "satisfaction.votes", *FEBRUARY) == [walk_in]
    assert votes_by_rating(db, ["U1"], *FEBRUARY) == {"U1": {"satisfied": 1}}
    assert stored_sums(db) == expected_sums(db)
    assert db.execute("SELECT cancel_reason, cancelled_by FROM votes WHERE id = ?",
                      [wrong]).fetchone() == ("Phiếu của hồ sơ khác", "lan")
    event = db.execute("SELECT action, reason FROM events WHERE dossier_id = ? ORDER BY id DESC",
                       [dossier_id]).fetchone()
    assert event == ("cancel_vote", "Phiếu của hồ sơ khác")
    # the dossier may be rated again, and the kiosk may invite it again
    assert not kiosk.has_vote(db, dossier_id) and dossier_votes.live_votes(db, dossier_id) == []
    votes.record_paper_vote(db, unit_code="U1", rating="very_satisfied", dossier_id=dossier_id,
                            voted_at=dt.datetime(2025, 2, 26, 9, 0))
    assert satisfaction(db, FEBRUARY)["votes"] == 2
    # a walk-in vote has no dossier: its own row is its history
    votes.cancel_vote(db, walk_in, reason="Thử máy")
    with pytest.raises(OperationError, match=r"^Phiếu đánh giá này đã huỷ lúc \d\d:\d\d \d\d/"):
        votes.cancel_vote(db, walk_in, reason="Thử máy")
    assert satisfaction(db, FEBRUARY) == {"votes": 1, "satisfied": 1, "rate": 1.0}
    assert stored_sums(db) == expected_sums(db)
