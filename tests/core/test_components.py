"""A procedure's documents, a dossier's documents at intake, supplement requests (issue 13 §2)."""
from __future__ import annotations

import datetime as dt

import pytest

from core import components as comp
from core import intake
from core.components import Component
from core.errors import FieldError, OperationError
from core.intake import Handed
from tests.core.factories import add_procedures, add_units

RECEIVED = dt.datetime(2026, 3, 2, 9, 0)
BIRTH = [Component("Tờ khai đăng ký khai sinh theo mẫu", "original", 1, True),
         Component("Giấy chứng sinh", "original", 1, True),
         Component("Giấy tờ chứng minh nơi cư trú", "copy", 1, False)]


@pytest.fixture
def db(db_path):
    from core.database import open_database
    database = open_database(db_path)
    add_units(database)
    add_procedures(database)
    return database


def test_a_procedure_list_is_saved_whole_and_read_back_in_order(db):
    comp.save_procedure_components(db, "P.WD2", BIRTH)
    assert comp.procedure_components(db, "P.WD2") == BIRTH
    comp.save_procedure_components(db, "P.WD2", [BIRTH[1], BIRTH[0]])  # reordered, one removed
    assert [c.name for c in comp.procedure_components(db, "P.WD2")] == \
        ["Giấy chứng sinh", "Tờ khai đăng ký khai sinh theo mẫu"]
    assert comp.procedure_components(db, "P.WD2")[0].form_vi == "Bản chính"


@pytest.mark.parametrize("item, words", [
    (Component("  ", "original", 1), "dòng 2, Tên giấy tờ"),
    (Component("Sổ hộ khẩu", "photo", 1), "dòng 2, Hình thức"),
    (Component("Sổ hộ khẩu", "copy", 0), "dòng 2, Số lượng"),
    (Component("giấy chứng sinh", "copy", 1), "trùng tên với dòng 1"),
])
def test_a_bad_line_is_refused_naming_line_and_field_and_nothing_changes(db, item, words):
    comp.save_procedure_components(db, "P.WD2", BIRTH[:1])
    with pytest.raises(FieldError) as caught:
        comp.save_procedure_components(db, "P.WD2", [BIRTH[1], item])
    assert caught.value.field == "components" and words in str(caught.value)
    assert comp.procedure_components(db, "P.WD2") == BIRTH[:1]


def _receive(db, handed, **extra):
    fields = dict(unit_code="U1", procedure_code="P.WD2", applicant_name="Vũ Thị Mai",
                  received_at=RECEIVED)
    return intake.receive(db, components=handed, **{**fields, **extra})


def test_intake_records_documents_and_the_receipt_details(db):
    comp.save_procedure_components(db, "P.WD2", BIRTH)
    handed = intake.from_procedure(db, "P.WD2")
    assert [h.received for h in handed] == [False, False, False]
    handed = [Handed(h.name, h.form, 2 if i == 0 else h.count, h.required, received=i < 2,
                     digitised=i == 0) for i, h in enumerate(handed)]
    dossier_id, _ = _receive(db, handed, applicant_id_no="001190012345",
                             applicant_email="mai@example.vn", representative="Vũ Văn Nam",
                             result_delivery="post")
    rows = comp.dossier_components(db, dossier_id)
    assert [(r.name, r.form_vi, r.count, r.received, r.digitised) for r in rows] == [
        ("Tờ khai đăng ký khai sinh theo mẫu", "Bản chính", 2, True, True),
        ("Giấy chứng sinh", "Bản chính", 1, True, False),
        ("Giấy tờ chứng minh nơi cư trú", "Bản sao", 1, False, False)]
    assert [r.name for r in comp.received_components(db, dossier_id)] == [BIRTH[0].name,
                                                                          BIRTH[1].name]
    assert db.execute("SELECT applicant_email, representative, result_delivery FROM dossiers "
                      "WHERE id = ?", [dossier_id]).fetchone() == \
        ("mai@example.vn", "Vũ Văn Nam", "post")


@pytest.mark.parametrize("extra, field", [
    ({"applicant_id_no": "12345"}, "applicant_id_no"),
    ({"applicant_id_no": "0012345678901"}, None),  # 13 digits: a branch's tax code
    ({"applicant_id_no": "0101234567-001"}, None),
    ({"applicant_id_no": "0101234567"}, None),
    ({"applicant_email": "mai@"}, "applicant_email"),
    ({"result_delivery": "pigeon"}, "result_delivery"),
    ({"representative": "x" * 301}, "representative"),
])
def test_receipt_details_are_validated(db, extra, field):
    if field is None:
        assert _receive(db, [], **extra)
        return
    with pytest.raises(FieldError) as caught:
        _receive(db, [], **extra)
    assert caught.value.field == field
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0


def test_a_desk_dossier_missing_a_required_document_is_not_received(db):
    comp.save_procedure_components(db, "P.WD2", BIRTH)
    handed = [Handed(c.name, c.form, c.count, c.required, received=c.name != "Giấy chứng sinh")
              for c in BIRTH]
    with pytest.raises(FieldError, match="Giấy chứng sinh.*Điều 17 Nghị định 118/2025"):
        _receive(db, handed)
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    with pytest.raises(FieldError, match="chưa thể đánh dấu đã số hóa"):
        _receive(db, [Handed("Giấy chứng sinh", received=False, required=False, digitised=True)])


def test_an_online_dossier_missing_one_is_received_and_waits_for_it(db):
    comp.save_procedure_components(db, "P.WD2", BIRTH)
    handed = [Handed(c.name, c.form, c.count, c.required, received=c.name != "Giấy chứng sinh")
              for c in BIRTH]
    dossier_id, _ = _receive(db, handed, channel="online")
    assert db.execute("SELECT status FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0] \
        == "supplement"
    assert [(m.name, m.problem_vi) for m in comp.missing_components(db, dossier_id)] == \
        [("Giấy chứng sinh", "Còn thiếu")]


def test_a_supplement_request_names_documents_and_receiving_it_restores_them(db):
    comp.save_procedure_components(db, "P.WD2", BIRTH)
    handed = [Handed(c.name, c.form, c.count, c.required, received=True) for c in BIRTH]
    dossier_id, _ = _receive(db, handed)
    at = RECEIVED + dt.timedelta(hours=2)
    comp.request_supplement(db, dossier_id, reason="Giấy tờ chưa hợp lệ", at=at,
                            flagged={2: ("incorrect", "Bản chụp mờ"), 3: ("missing", None)})
    missing = comp.missing_components(db, dossier_id)
    assert [(m.name, m.problem_vi, m.note, m.form_vi) for m in missing] == [
        ("Giấy chứng sinh", "Chưa đúng, chưa đầy đủ", "Bản chụp mờ", "Bản chính"),
        ("Giấy tờ chứng minh nơi cư trú", "Còn thiếu", None, "Bản sao")]
    assert [c.received for c in comp.dossier_components(db, dossier_id)] == [True, False, False]
    comp.receive_supplement(db, dossier_id, at=at + dt.timedelta(days=1))
    assert all(c.received for c in comp.dossier_components(db, dossier_id))
    # the old request still reads as it was made (Mẫu 02 reprinted later)
    assert [m.name for m in comp.missing_components(db, dossier_id)] == \
        ["Giấy chứng sinh", "Giấy tờ chứng minh nơi cư trú"]


def test_a_refused_request_changes_no_document(db):
    comp.save_procedure_components(db, "P.WD2", BIRTH)
    dossier_id, _ = _receive(db, [Handed(c.name, received=True) for c in BIRTH])
    comp.request_supplement(db, dossier_id, reason="Thiếu", flagged={1: ("missing", None)},
                            at=RECEIVED + dt.timedelta(hours=1))
    with pytest.raises(OperationError):  # already waiting: the transition is refused
        comp.request_supplement(db, dossier_id, reason="Thiếu nữa",
                                flagged={2: ("missing", None)}, at=RECEIVED + dt.timedelta(hours=2))
    assert [c.received for c in comp.dossier_components(db, dossier_id)] == [False, True, True]
    with pytest.raises(FieldError, match="thành phần số 9"):
        comp.request_supplement(db, dossier_id, reason="x", flagged={9: ("missing", None)})


def test_digitised_marks_only_received_documents(db):
    comp.save_procedure_components(db, "P.WD2", BIRTH)
    handed = [Handed(c.name, c.form, c.count, False, received=i < 2) for i, c in enumerate(BIRTH)]
    dossier_id, _ = _receive(db, handed)
    comp.set_digitised(db, dossier_id, {1: True, 2: True})
    assert [c.digitised for c in comp.dossier_components(db, dossier_id)] == [True, True, False]
    with pytest.raises(FieldError, match="chưa được nhận"):
        comp.set_digitised(db, dossier_id, {1: False, 3: True})
    assert [c.digitised for c in comp.dossier_components(db, dossier_id)] == [True, True, False]


def test_the_demo_catalogue_lists_every_procedures_documents(db_path):
    from core.database import open_database
    from core.demo import catalogue
    from db.connection import transaction
    database = open_database(db_path)
    with transaction(database) as conn:
        catalogue.write_reference(database, conn, catalogue.load())
    codes = [r[0] for r in database.execute("SELECT code FROM procedures")]
    assert codes and all(comp.procedure_components(database, c) for c in codes)
    birth = comp.procedure_components(database, "1.001193")
    assert [c.name for c in birth if c.required] == ["Tờ khai đăng ký khai sinh theo mẫu",
                                                     "Giấy chứng sinh"]


def test_corrections_of_identifier_and_email_follow_the_intake_rules(db):
    from core import dossiers
    dossier_id, _ = _receive(db, [])
    with pytest.raises(FieldError, match="Số định danh không hợp lệ"):
        dossiers.correct_field(db, dossier_id, "applicant_id_no", "12AB", reason="Gõ nhầm")
    with pytest.raises(FieldError, match="Thư điện tử không hợp lệ"):
        dossiers.correct_field(db, dossier_id, "applicant_email", "mai at example", reason="x")
    dossiers.correct_field(db, dossier_id, "applicant_email", "mai@example.vn", reason="Bổ sung")
    dossiers.correct_field(db, dossier_id, "representative", "Vũ Văn Nam", reason="Bổ sung")
    assert db.execute("SELECT applicant_email, representative FROM dossiers WHERE id = ?",
                      [dossier_id]).fetchone() == ("mai@example.vn", "Vũ Văn Nam")


def test_a_list_stored_decomposed_saved_again_unchanged_logs_nothing(db):
    """A list stored before round 34 with Unikey's separate tone marks (NFD): saved again as
    the procedure screen reads it, nothing changed for the clerk, so nothing in the audit
    (it logged a change whose old and new read the same, mend35); a real change still logs."""
    import unicodedata
    decomposed = [Component(unicodedata.normalize("NFD", c.name), c.form, c.count, c.required)
                  for c in BIRTH]
    from db.connection import transaction
    with transaction(db) as conn:  # as an older version wrote it, before names were NFC
        conn.executemany("INSERT INTO procedure_components(procedure_code, position, name, form, "
                         "count, required) VALUES ('P.WD2', ?, ?, ?, ?, ?)",
                         [(i, c.name, c.form, c.count, int(c.required))
                          for i, c in enumerate(decomposed, start=1)])

    def logged() -> list:
        return db.execute("SELECT old_value, new_value FROM setting_changes WHERE key = "
                          "'P.WD2: thành phần hồ sơ'").fetchall()
    comp.save_procedure_components(db, "P.WD2", comp.procedure_components(db, "P.WD2"))
    assert logged() == []
    assert comp.procedure_components(db, "P.WD2") == BIRTH  # stored NFC from now on
    comp.save_procedure_components(db, "P.WD2", BIRTH[:2])
    assert logged() == [("; ".join(c.name for c in BIRTH), "; ".join(c.name for c in BIRTH[:2]))]
