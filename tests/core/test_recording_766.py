"""Recording what Decision 766 counts (issue 17): digitised documents and results, electronic
results at finish, complaints resolved later; each write moves the 766 figures at once."""
from __future__ import annotations

import datetime as dt

import pytest

from core import cancelling, complaints, components, dossiers
from core.accounts import PermissionDenied
from core.database import open_database
from core.errors import FieldError, OperationError
from core.indicators import compute
from core.intake import Handed, receive
from db import actor
from tests.core.factories import add_dossier, add_procedures, add_units

JAN_FROM, JAN_TO = dt.date(2025, 1, 1), dt.date(2025, 1, 31)


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "test.db")
    add_units(database)
    add_procedures(database)
    yield database
    database.close()


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 1, day, hour, minute)


def i766(db):
    return compute(db, JAN_FROM, JAN_TO)["total"]["i766"]


def test_the_one_flag_at_intake_and_later_moves_the_digitised_figure(db):
    first, _ = receive(db, unit_code="U1", procedure_code="P.WD2", applicant_name="Lê Văn B",
                       received_at=at(6, 8), digitised=True)
    second, _ = receive(db, unit_code="U1", procedure_code="P.WD2", applicant_name="Lê Văn C",
                        received_at=at(6, 9))
    assert db.execute("SELECT digitised FROM dossiers WHERE id = ?", [first]).fetchone()[0] == 1
    before = i766(db)["digitised"]
    components.set_flags(db, second, digitised=True)
    after = i766(db)["digitised"]
    assert after["num"] == before["num"] + 1
    event = db.execute("SELECT action, actor, details FROM events WHERE dossier_id = ? "
                       "ORDER BY id DESC LIMIT 1", [second]).fetchone()
    assert event[0] == "digitise" and event[1] and '"digitised": 1' in event[2]
    with pytest.raises(FieldError, match="chưa có kết quả"):
        components.set_flags(db, second, result_digitised=True)


def test_documents_listed_are_digitised_one_by_one(db):
    items = [Handed("Tờ khai", received=True), Handed("Giấy khai sinh", received=True)]
    dossier, _ = receive(db, unit_code="U1", procedure_code="P.WD2", applicant_name="Lê Văn D",
                         received_at=at(6, 8), components=items, digitised=True)
    assert db.execute("SELECT digitised FROM dossiers WHERE id = ?", [dossier]).fetchone()[0] \
        is None  # with a list, the documents decide
    with pytest.raises(FieldError, match="từng giấy tờ"):
        components.set_flags(db, dossier, digitised=True)
    before = i766(db)["digitised"]["num"]
    components.set_digitised(db, dossier, {1: True, 2: True})
    assert i766(db)["digitised"]["num"] == before + 1


def test_finish_records_e_result_and_result_digitised(db):
    dossier = add_dossier(db, code="F", received=at(6, 8), status="processing")
    dossiers.finish(db, dossier, at=at(7, 9), e_result=True, result_digitised=True)
    row = db.execute("SELECT e_result, result_digitised FROM dossiers WHERE id = ?",
                     [dossier]).fetchone()
    assert tuple(row) == (1, 1)
    other = add_dossier(db, code="G", received=at(6, 8), status="processing", e_result=1)
    dossiers.finish(db, other, at=at(7, 9))  # None leaves what was recorded
    assert db.execute("SELECT e_result, result_digitised FROM dossiers WHERE id = ?",
                      [other]).fetchone()[0] == 1
    components.set_flags(db, other, result_digitised=True)
    assert db.execute("SELECT result_digitised FROM dossiers WHERE id = ?",
                      [other]).fetchone()[0] == 1


def test_a_complaint_resolved_later_keeps_counting_and_lists_with_its_state(db):
    done = add_dossier(db, code="Y", received=at(6, 8), status="done", finished=at(7, 9))
    assert i766(db)["satisfaction"]["num"] == 1
    complaint = complaints.add_complaint(db, done, channel="email", received_at=at(8, 9),
                                         content="Chậm trả kết quả")
    assert i766(db)["satisfaction"]["num"] == 0
    with pytest.raises(FieldError, match="kết quả giải quyết"):
        complaints.resolve_complaint(db, complaint, resolution="  ")
    with pytest.raises(FieldError, match="trước thời điểm nhận"):
        complaints.resolve_complaint(db, complaint, resolution="Đã trả lời", resolved_at=at(8, 8))
    complaints.resolve_complaint(db, complaint, resolution="Đã xin lỗi, trả kết quả",
                                 resolved_at=at(9, 9))
    listed = complaints.dossier_complaints(db, done)
    assert [(c.channel_vi, c.status_vi, c.resolution) for c in listed] == [
        ("Thư điện tử", "Đã giải quyết", "Đã xin lỗi, trả kết quả")]
    assert i766(db)["satisfaction"]["num"] == 0  # a resolved complaint was still a complaint
    complaints.cancel_complaint(db, complaint, reason="Nhập nhầm", at=at(9, 10))
    history = db.execute("SELECT action, actor FROM events WHERE dossier_id = ? AND action "
                         "LIKE '%complaint' ORDER BY id", [done]).fetchall()
    assert [a for a, _ in history] == ["complaint", "resolve_complaint", "cancel_complaint"]
    assert all(who for _, who in history)  # who did each, in the append-only history
    assert complaints.dossier_complaints(db, done)[0].status_vi == "Đã huỷ"
    with pytest.raises(OperationError, match="đã được huỷ"):
        complaints.resolve_complaint(db, complaint, resolution="Trả lời")
    # cancelled twice: refused with when, in the payments' and votes' words (core.cancelling)
    with pytest.raises(OperationError, match=f"^Phản ánh này {cancelling.state(at(9, 10)).lower()}[.]$"):
        complaints.cancel_complaint(db, complaint, reason="Lần nữa", at=at(9, 20))
    with actor.acting_as(actor.Actor("kiosk", "Máy đánh giá", frozenset())), \
            pytest.raises(PermissionDenied):
        complaints.resolve_complaint(db, complaint, resolution="Trả lời")


def test_a_nul_character_in_a_complaint_is_refused(db):
    done = add_dossier(db, code="N", received=at(6, 8), status="done", finished=at(7, 9))
    with pytest.raises(FieldError, match="NUL"):
        complaints.add_complaint(db, done, channel="phone", received_at=at(8, 9),
                                 content="Chậm\x00 trả")
    assert db.execute("SELECT COUNT(*) FROM complaints").fetchone()[0] == 0
