"""The kiosk's rules without Qt: invitations across connections, casting, the guard, the counter."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from core import dossier_votes, dossiers, kiosk, timefmt
from core.database import open_database
from core.errors import InputError, OperationError
from db.connection import transaction

NOW = dt.datetime(2025, 3, 12, 10, 0, 0)


@pytest.fixture
def now(monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    return NOW


def add_unit(db, code="XA01", name="UBND xã Tân Đoàn"):
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level) VALUES (?, ?, 'commune')", [code, name])


def add_dossier(db, unit="XA01", name="Nguyễn Văn An", phone="0382123428"):
    with transaction(db) as conn:
        conn.execute("INSERT OR IGNORE INTO procedures(code, name, limit_value, limit_unit) "
                     "VALUES ('1.001612', 'Đăng ký khai sinh', 1, 'working_days')")
    dossier_id, code = dossiers.create_dossier(
        db, unit_code=unit, procedure_code="1.001612", applicant_name=name,
        applicant_phone=phone, applicant_address="Thôn Bản Làn", received_at=NOW - dt.timedelta(days=1))
    return dossier_id, code


@pytest.fixture
def unit(db):
    add_unit(db)
    return "XA01"


def kpi_votes(db, unit):
    row = db.execute("SELECT COALESCE(SUM(votes), 0), COALESCE(SUM(satisfied), 0) FROM kpi_daily "
                     "WHERE unit_code = ?", [unit]).fetchone()
    return tuple(row)


@pytest.mark.parametrize("name, masked", [
    ("Nguyễn Văn An", "Nguyễn *** An"),
    ("Hoàng Thị Thu Hà", "Hoàng *** Hà"),
    ("  Lò   Văn  Páo ", "Lò *** Páo"),
    ("Triệu An", "Triệu *** An"),
    ("Mai", "M***"),
    ("", ""),
])
def test_mask_name_hides_the_middle(name, masked):
    assert kiosk.mask_name(name) == masked


def test_resolve_unit_single_unit_is_chosen(db, unit):
    assert kiosk.resolve_unit(db, None) == ("XA01", "UBND xã Tân Đoàn")


def test_resolve_unit_asks_for_unit_when_several(db, unit):
    add_unit(db, "XA02", "UBND xã Tri Lễ")
    with pytest.raises(InputError, match="--unit"):
        kiosk.resolve_unit(db, None)
    assert kiosk.resolve_unit(db, "XA02")[1] == "UBND xã Tri Lễ"


def test_resolve_unit_unknown_or_empty(db):
    with pytest.raises(InputError, match="chưa có đơn vị"):
        kiosk.resolve_unit(db, None)
    with pytest.raises(InputError, match="'ZZ' không có"):
        kiosk.resolve_unit(db, "ZZ")


def test_invitation_from_another_connection_is_seen(db, db_path, unit, now):
    dossier_id, code = add_dossier(db)
    clerk = open_database(db_path)
    try:
        kiosk.invite(clerk, dossier_id, actor="canbo1")
    finally:
        clerk.close()
    shown = kiosk.pending_invitation(db, "XA01")
    assert (shown.dossier_id, shown.code, shown.procedure_name, shown.masked_name) == (
        dossier_id, code, "Đăng ký khai sinh", "Nguyễn *** An")
    # Nothing personal beyond the masked name travels to the kiosk.
    assert "0382123428" not in repr(shown) and "Bản Làn" not in repr(shown)
    assert "Văn" not in repr(shown)


def test_invitation_of_another_unit_is_not_shown(db, unit, now):
    add_unit(db, "XA02", "UBND xã Tri Lễ")
    dossier_id, _ = add_dossier(db, unit="XA02")
    kiosk.invite(db, dossier_id)
    assert kiosk.pending_invitation(db, "XA01") is None
    assert kiosk.pending_invitation(db, "XA02").dossier_id == dossier_id


def test_new_invitation_replaces_the_pending_one(db, unit, now):
    first, _ = add_dossier(db)
    second, _ = add_dossier(db, name="Trần Thị Bình")
    kiosk.invite(db, first)
    kiosk.invite(db, second)
    assert kiosk.pending_invitation(db, "XA01").dossier_id == second
    kiosk.cast_vote(db, "XA01", "satisfied", dossier_id=second)
    assert kiosk.pending_invitation(db, "XA01") is None  # the first citizen has gone


def test_unanswered_invitation_expires(db, unit, now):
    dossier_id, _ = add_dossier(db)
    kiosk.invite(db, dossier_id)
    later = NOW + dt.timedelta(minutes=kiosk.INVITATION_MINUTES, seconds=1)
    assert kiosk.pending_invitation(db, "XA01", now=later) is None
    assert kiosk.pending_invitation(db, "XA01", now=NOW + dt.timedelta(minutes=5)) is not None


def test_cancel_invitation(db, unit, now):
    dossier_id, _ = add_dossier(db)
    kiosk.invite(db, dossier_id)
    assert kiosk.cancel_invitation(db, dossier_id) is True
    assert kiosk.pending_invitation(db, "XA01") is None
    assert kiosk.cancel_invitation(db, dossier_id) is False


def test_cast_vote_against_dossier_closes_invitation_and_counts(db, unit, now):
    dossier_id, _ = add_dossier(db)
    kiosk.invite(db, dossier_id)
    result = kiosk.cast_vote(db, "XA01", "very_satisfied", dossier_id=dossier_id)
    row = db.execute("SELECT unit_code, voted_at, rating, dossier_id, source FROM votes "
                     "WHERE id = ?", [result.vote_id]).fetchone()
    assert tuple(row) == ("XA01", "2025-03-12 10:00:00", "very_satisfied", dossier_id, "kiosk")
    assert kiosk.pending_invitation(db, "XA01") is None
    assert kpi_votes(db, "XA01") == (1, 1)
    [vote] = dossier_votes.live_votes(db, dossier_id)  # the clerk's screen shows it
    assert (vote.label, vote.source, vote.when) == ("Rất hài lòng", "máy đánh giá",
                                                    "10:00 12/03/2025")


def test_walk_in_vote_has_no_dossier(db, unit, now):
    result = kiosk.cast_vote(db, "XA01", "dissatisfied")
    assert db.execute("SELECT dossier_id FROM votes WHERE id = ?", [result.vote_id]).fetchone()[0] is None
    assert kpi_votes(db, "XA01") == (1, 0)


def test_second_vote_for_a_dossier_is_refused_and_invitation_dropped(db, unit, now):
    dossier_id, code = add_dossier(db)
    kiosk.cast_vote(db, "XA01", "satisfied", dossier_id=dossier_id)
    with pytest.raises(OperationError, match=f"{code} đã được đánh giá"):
        kiosk.invite(db, dossier_id)
    # An invitation made before a paper vote was entered: the kiosk's attempt is refused.
    other, _ = add_dossier(db)
    kiosk.invite(db, other)
    dossiers.add_vote(db, unit_code="XA01", rating="neutral", dossier_id=other)
    with pytest.raises(OperationError, match="đã được đánh giá"):
        kiosk.cast_vote(db, "XA01", "very_satisfied", dossier_id=other)
    assert kiosk.pending_invitation(db, "XA01") is None
    assert db.execute("SELECT COUNT(*) FROM votes WHERE dossier_id = ?", [other]).fetchone()[0] == 1


def test_add_details_stores_reasons_and_comment(db, unit, now):
    result = kiosk.cast_vote(db, "XA01", "dissatisfied")
    kiosk.add_details(db, result.vote_id, ["attitude", "time"], "  Chờ lâu quá  ")
    reasons, comment = db.execute("SELECT reasons, comment FROM votes WHERE id = ?",
                                  [result.vote_id]).fetchone()
    assert json.loads(reasons) == ["attitude", "time"] and comment == "Chờ lâu quá"
    with pytest.raises(InputError, match="Lý do không hợp lệ"):
        kiosk.add_details(db, result.vote_id, ["bribe"], None)
    assert kpi_votes(db, "XA01") == (1, 0)  # details never change the figures


def test_votes_last_hour_counts_only_the_unit_and_the_hour(db, unit, now):
    add_unit(db, "XA02", "UBND xã Tri Lễ")
    for minutes in (0, 10, 59):
        dossiers.add_vote(db, unit_code="XA01", rating="satisfied",
                          voted_at=NOW - dt.timedelta(minutes=minutes))
    dossiers.add_vote(db, unit_code="XA01", rating="satisfied", voted_at=NOW - dt.timedelta(minutes=61))
    dossiers.add_vote(db, unit_code="XA02", rating="satisfied", voted_at=NOW)
    assert kiosk.votes_last_hour(db, "XA01") == 3
    assert kiosk.votes_last_hour(db, "XA01", now=NOW + dt.timedelta(minutes=55)) == 1


def test_vote_guard_ignores_votes_within_three_seconds():
    clock = [100.0]
    guard = kiosk.VoteGuard(clock=lambda: clock[0])
    assert guard.allows()
    guard.record()
    clock[0] = 102.9
    assert not guard.allows()
    clock[0] = 103.0
    assert guard.allows()


def test_thanks_seconds_setting(db):
    from db import settings
    assert kiosk.thanks_seconds(db) == kiosk.THANKS_SECONDS
    settings.put(db, "kiosk_thanks_seconds", 8)
    assert kiosk.thanks_seconds(db) == 8


def test_last_vote_id_moves_with_each_vote(db, unit, now):
    assert kiosk.last_vote_id(db) == 0
    result = kiosk.cast_vote(db, "XA01", "satisfied")
    assert kiosk.last_vote_id(db) == result.vote_id


def test_a_queue_kept_waiting_goes_with_its_last_reference(db, monkeypatch):
    """A vote kept for the next try keeps the busy database's message, not the exception: its
    traceback held flush's frame, whose `self` is the queue — queue → error → traceback → frame
    → queue, a cycle that outlived the kiosk's last reference (the kind of cycle that made
    gui/ops.py crash in round 31: tests/gui/test_ops_cycle.py)."""
    import gc
    import weakref

    from db.errors import DatabaseBusyError

    def busy(_db, _vote):
        raise DatabaseBusyError("Cơ sở dữ liệu đang bận.")
    monkeypatch.setattr(kiosk, "_store", busy)
    queue = kiosk.VoteQueue(wait_ms=10)
    queue.cast(db, kiosk.PendingVote("U1", "satisfied", dt.datetime(2025, 6, 11, 9, 0)))
    assert len(queue) == 1 and queue.last_error == "Cơ sở dữ liệu đang bận."
    gone = weakref.ref(queue)
    gc.disable()  # freed by its last reference, not whenever the cycle collector runs
    try:
        del queue
        assert gone() is None
    finally:
        gc.enable()
