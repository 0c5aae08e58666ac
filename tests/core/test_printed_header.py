"""The report header (Cài đặt › Tiêu đề văn bản, Danh mục › Đơn vị's own header, the first
start) and a procedure's field (lĩnh vực) are printed on every report like a unit's name: a
character the documents' font cannot draw is refused, named, under its line, nothing saved
(core.validation.printed_line, the rule of core.validation.clean_printed); invisible
characters are left out. Before, an emoji in the agency's name or the signer's was stored and
printed as □ at the top of every document."""
from __future__ import annotations

import datetime as dt

import pytest

from core import catalogue, office_settings, office_setup, report_header
from core.errors import FieldError
from core.transfer import import_file
from db import settings
from tests.core.factories import add_procedures, add_units
from tests.core.transfer.conftest import PROCEDURES, PROCEDURES_HEADER, write_csv

EMOJI = "'😀' (U+1F600)"


def _fields(**typed) -> dict[str, str]:
    return {**{key: "" for key in report_header.FIELDS}, "agency": "ỦY BAN NHÂN DÂN XÃ AN SƠN",
            **typed}


@pytest.mark.parametrize(("key", "label"), [("agency", "Cơ quan ban hành"),
                                            ("signer_name", "Họ tên người ký"),
                                            ("signer_title", "Chức vụ người ký"),
                                            ("place", "Địa danh")])
def test_the_offices_header_refuses_what_the_documents_cannot_print(db, key, label):
    before = settings.get(db, "report_header")
    with pytest.raises(FieldError) as caught:
        office_settings.save_header(db, _fields(**{key: "Nguyễn An 😀"}), ["Lưu: VT"])
    assert caught.value.field == key
    assert caught.value.message == f"{label} có ký tự không in được trên phiếu: {EMOJI}."
    assert settings.get(db, "report_header") == before


def test_a_recipient_line_is_named_by_its_number(db):
    with pytest.raises(FieldError) as caught:
        office_settings.save_header(db, _fields(), ["Như trên", "", "Lưu: VT 安"])
    assert caught.value.field == "recipients"
    assert caught.value.message == ("Nơi nhận, dòng 2, có ký tự không in được trên phiếu: "
                                    "'安' (U+5B89).")


def test_the_header_is_cleaned_as_a_units_name(db):
    office_settings.save_header(db, _fields(signer_name="Trần\u200b Văn  Bình\u00a0",
                                            place="An Sơn"), ["Lưu:\u200b VT"])
    header = settings.get(db, "report_header")
    assert (header["signer_name"], header["place"], header["recipients"]) == \
        ("Trần Văn Bình", "An Sơn", ["Lưu: VT"])


def test_a_units_own_header_follows_the_same_rule(db):
    add_units(db)
    with pytest.raises(FieldError) as caught:
        report_header.save_unit_header(db, "U1", _fields(signer_name="Bình 😀"), [])
    assert caught.value.field == "signer_name" and EMOJI in caught.value.message
    assert report_header.own_header(db, "U1") is None


def test_the_first_start_refuses_such_a_header_line(db):
    with pytest.raises(FieldError) as caught:
        office_setup.save_first_start(db, unit_code="U9", unit_name="Xã Chín", level="commune",
                                      header={"agency": "UBND XÃ CHÍN 🏛"},
                                      targets={"on_time": 0.9}, year=2025,
                                      today=dt.date(2025, 3, 3))
    assert caught.value.field == "agency" and "'🏛' (U+1F3DB)" in caught.value.message
    assert db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0


def _procedure(field: str | None) -> dict:
    return dict(code="P.NEW", name="Thủ tục mới", field=field, limit_value=3,
                limit_unit="working_days", fee=0, online_level="full", paper_result=0,
                same_day_cutoff=None, valid_from=dt.date(2025, 1, 1))


def test_a_procedures_field_is_refused_or_cleaned_as_its_name(db):
    add_units(db)
    add_procedures(db)
    with pytest.raises(FieldError) as caught:
        catalogue.save_procedure(db, _procedure("Hộ tịch 😀"))
    assert caught.value.field == "field"
    assert caught.value.message == f"Lĩnh vực có ký tự không in được trên phiếu: {EMOJI}."
    assert not db.execute("SELECT 1 FROM procedures WHERE code = 'P.NEW'").fetchone()
    catalogue.save_procedure(db, _procedure("Hộ\u200b tịch "))
    assert db.execute("SELECT field FROM procedures WHERE code = 'P.NEW'").fetchone()[0] == \
        "Hộ tịch"


def test_import_procedures_names_the_field_column(db, tmp_path):
    rows = [list(PROCEDURES[0]), [*PROCEDURES[1][:2], "Chứng thực 🖊", *PROCEDURES[1][3:]]]
    result = import_file(db, "procedures", write_csv(tmp_path / "p.csv", PROCEDURES_HEADER, rows))
    assert [(e.row, e.column) for e in result.errors] == [(3, "field")]
    assert "'🖊' (U+1F58A)" in result.errors[0].reason
    assert db.execute("SELECT COUNT(*) FROM procedures").fetchone()[0] == 0
