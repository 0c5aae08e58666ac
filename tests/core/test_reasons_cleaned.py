"""A reason — of a transition (lý do chuyển trạng thái), an extension (gia hạn), a correction, a
cancellation — follows the rule of every other free text (core.validation.stored_reason): a
bidi or control character refused naming «Lý do», a zero-width space between two words stored as
a space, the other characters that mean nothing removed, NFC. Round 24 refused a bidi control in
a transition's reason but stored the zero-width characters as pasted (the extension, the
correction and the supplement's row stripped only), and a cancellation's reason was not even
refused (payments, votes, complaints)."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from core import complaints, payments, textnorm, timefmt, votes
from core import dossiers as D
from core.errors import FieldError
from tests.core.factories import add_procedures, add_units

T0 = dt.datetime(2025, 3, 3, 8, 0)
NOW = dt.datetime(2025, 3, 4, 10, 0)
# pasted from a chat: a zero-width space for the space, a word joiner, a BOM, "vẽ" decomposed
PASTED = "  Thiếu\u200bbản\u2060 " + unicodedata.normalize("NFD", "vẽ") + "\ufeff "
STORED = "Thiếu bản vẽ"
HIDDEN_ONLY = "\u200b\ufeff\u2060"


@pytest.fixture
def office(db, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    add_units(db)
    add_procedures(db)
    dossier_id = D.create_dossier(db, unit_code="U1", procedure_code="P.SD",  # fee 10.000 đ
                                  applicant_name="Trần Thị Hoa", received_at=T0)[0]
    return db, dossier_id


def _last_event(db, dossier_id):
    return db.execute("SELECT action, reason FROM events WHERE dossier_id = ? ORDER BY id DESC",
                      [dossier_id]).fetchone()


@pytest.mark.parametrize("action", ["reject", "withdraw", "stop"])
def test_a_transitions_reason_is_stored_cleaned(office, action):
    db, dossier_id = office
    getattr(D, action)(db, dossier_id, reason=PASTED)
    assert _last_event(db, dossier_id) == (action, STORED)


def test_a_supplement_requests_reason_is_stored_cleaned_in_its_row_and_its_event(office):
    db, dossier_id = office
    D.request_supplement(db, dossier_id, reason=PASTED)
    assert _last_event(db, dossier_id) == ("request_supplement", STORED)
    assert db.execute("SELECT reason FROM supplements").fetchone()[0] == STORED


def test_an_extensions_reason_is_stored_cleaned_in_its_row_and_its_event(office):
    db, dossier_id = office
    D.extend(db, dossier_id, new_due_at=dt.datetime(2025, 3, 20, 16, 0), reason=PASTED)
    assert _last_event(db, dossier_id) == ("extend", STORED)
    assert db.execute("SELECT reason FROM extensions").fetchone()[0] == STORED


def test_a_corrections_reason_is_stored_cleaned(office):
    db, dossier_id = office
    D.correct_field(db, dossier_id, "note", "Gọi lại sau", reason=PASTED)
    assert _last_event(db, dossier_id) == ("correct", STORED)


def test_the_cancellations_reasons_are_stored_cleaned(office):
    db, dossier_id = office
    payment = payments.add_payment(db, dossier_id, amount=10000, method="cash", paid_at=NOW)
    payments.cancel_payment(db, payment, reason=PASTED)
    vote = votes.record_paper_vote(db, unit_code="U1", rating="satisfied",
                                   dossier_id=dossier_id, voted_at=NOW)
    votes.cancel_vote(db, vote, reason=PASTED)
    complaint = complaints.add_complaint(db, dossier_id, channel="direct", content=PASTED,
                                         resolution=PASTED)
    complaints.cancel_complaint(db, complaint, reason=PASTED)
    for table in ("payments", "votes", "complaints"):
        assert db.execute(f"SELECT cancel_reason FROM {table}").fetchone()[0] == STORED, table
    assert db.execute("SELECT content, resolution FROM complaints").fetchone() == (STORED, STORED)


@pytest.mark.parametrize("call", [
    lambda db, d: D.reject(db, d, reason=HIDDEN_ONLY),
    lambda db, d: D.request_supplement(db, d, reason=HIDDEN_ONLY),
    lambda db, d: D.extend(db, d, new_due_at=dt.datetime(2025, 3, 20, 16, 0), reason=HIDDEN_ONLY),
    lambda db, d: D.correct_field(db, d, "note", "Gọi lại", reason=HIDDEN_ONLY),
    lambda db, d: payments.cancel_payment(db, payments.add_payment(
        db, d, amount=10000, method="cash", paid_at=NOW), reason=HIDDEN_ONLY),
], ids=["reject", "supplement", "extend", "correct", "cancel_payment"])
def test_a_reason_of_hidden_characters_alone_is_no_reason(office, call):
    """Nothing seen is nothing given: "Cần ghi lý do…", and no event is written (it was stored
    as a reason nobody can read)."""
    db, dossier_id = office
    with pytest.raises(FieldError) as caught:
        call(db, dossier_id)
    assert caught.value.field == "reason"
    assert caught.value.message.startswith("Cần ghi lý do")
    assert not db.execute("SELECT action FROM events WHERE action IN ('reject', "
                          "'request_supplement', 'extend', 'correct', 'cancel_payment')").fetchall()
    assert D.load(db, dossier_id).status == "received"


@pytest.mark.parametrize("cancel", [
    lambda db, d, r: payments.cancel_payment(db, payments.add_payment(
        db, d, amount=10000, method="cash", paid_at=NOW), reason=r),
    lambda db, d, r: votes.cancel_vote(db, votes.record_paper_vote(
        db, unit_code="U1", rating="satisfied", dossier_id=d, voted_at=NOW), reason=r),
    lambda db, d, r: complaints.cancel_complaint(db, complaints.add_complaint(
        db, d, channel="direct", content="Chậm trả"), reason=r),
], ids=["payment", "vote", "complaint"])
def test_a_cancellations_reason_with_a_bidi_control_is_refused_naming_the_reason(office, cancel):
    db, dossier_id = office
    with pytest.raises(FieldError) as caught:
        cancel(db, dossier_id, "Nhập\u202e nhầm")
    assert caught.value.field == "reason"
    assert caught.value.message == ("Lý do chứa ký tự ẩn đảo chiều chữ (mã U+202E) ở vị trí 5: "
                                    "chữ hiện ra khác chữ được lưu.")
    for table in ("payments", "votes", "complaints"):
        assert not db.execute(f"SELECT 1 FROM {table} WHERE cancelled_at IS NOT NULL").fetchall()
    assert not any(textnorm.has_hidden(r or "") for (r,) in
                   db.execute("SELECT reason FROM events").fetchall())
