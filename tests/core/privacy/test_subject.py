"""A data-subject request: one person's dossiers found, exported, corrected with an event."""
from __future__ import annotations

import pytest

from core.errors import FieldError, InputError
from core.maintenance import audit
from core.privacy import masking, subject
from tests.core.privacy.conftest import ID_NO, PHONE


def ids(found):
    return sorted(f.id for f in found)


def test_found_by_id_phone_or_folded_name(office, db):
    both = sorted([office["old"], office["recent"]])
    assert ids(subject.find(db, id_no=ID_NO)) == both
    assert ids(subject.find(db, phone="091 234 5678")) == both
    assert ids(subject.find(db, name="nguyen van an")) == both
    assert ids(subject.find(db, name="Trần Thị Hoa")) == [office["other"]]
    assert subject.find(db, name="Nguyễn Văn") == []  # a whole name, not every Nguyễn Văn…
    with pytest.raises(InputError):
        subject.find(db, id_no=ID_NO, phone=PHONE)
    with pytest.raises(FieldError):
        subject.find(db, name="An")
    logged = db.execute("SELECT details FROM access_log WHERE action = 'subject.find'").fetchall()
    assert len(logged) == 5 and all(PHONE not in r[0] and ID_NO not in r[0] for r in logged)


def test_export_masks_unless_full(office, db, tmp_path):
    found = subject.find(db, id_no=ID_NO)
    subject.export(db, found, tmp_path / "masked.csv", None)
    text = (tmp_path / "masked.csv").read_text(encoding="utf-8-sig")
    assert ID_NO not in text and "0012******45" in text and "Nguyễn Văn An" in text
    subject.export(db, found, tmp_path / "full.csv", masking.full_data("Trả lời yêu cầu"))
    assert ID_NO in (tmp_path / "full.csv").read_text(encoding="utf-8-sig")
    purposes = [r[0] for r in db.execute("SELECT purpose FROM access_log WHERE action = "
                                         "'subject.export' ORDER BY id")]
    assert purposes == [None, None, "Trả lời yêu cầu", "Trả lời yêu cầu"]


def test_correction_is_an_event_and_check_agrees(office, db):
    subject.correct(db, office["recent"], "applicant_name", "Nguyễn Văn Anh", "Công dân đề nghị")
    assert audit.verify_chain(db).ok and audit.verify_fields(db).ok
    event = db.execute("SELECT action, details FROM events WHERE dossier_id = ? ORDER BY id DESC",
                       [office["recent"]]).fetchone()
    assert event[0] == "correct" and "applicant_name" in event[1]
    assert ids(subject.find(db, name="nguyen van anh")) == [office["recent"]]
    assert ids(subject.find(db, name="Nguyễn Văn Ân")) == [office["old"]]  # folded: Ân = An
    with pytest.raises(FieldError, match="Chỉ sửa được"):
        subject.correct(db, office["recent"], "fee", 0, "x")
    with pytest.raises(FieldError):
        subject.correct(db, office["recent"], "applicant_phone", "12ab", "Sai số")
    with pytest.raises(FieldError, match="Địa chỉ không được bắt đầu hay kết thúc bằng"):
        subject.correct(db, office["recent"], "applicant_address", "*** chưa rõ, xã Tân Lập",
                        "Công dân đề nghị")
