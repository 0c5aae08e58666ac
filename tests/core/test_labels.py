"""core.labels: one Vietnamese word per stored enum value, for every screen and document."""
from __future__ import annotations

import pytest

from core import labels
from core.transfer.cells import CellError, enum
from db import schema


@pytest.mark.parametrize("codes", list(labels.BY_ENUM), ids=lambda c: c[0])
def test_each_table_covers_its_enum_exactly(codes):
    words = labels.BY_ENUM[codes]
    assert list(words) == list(codes)
    assert all(word.strip() for word in words.values())


def test_every_enum_of_the_schema_has_a_table():
    enums = [schema.CHANNELS, schema.STATUSES, schema.LIMIT_UNITS, schema.ONLINE_LEVELS,
             schema.UNIT_LEVELS, schema.PAYMENT_METHODS, schema.RATINGS, schema.CALENDAR_KINDS]
    assert all(codes in labels.BY_ENUM for codes in enums)


def test_an_import_message_names_the_words_the_clerk_knows():
    with pytest.raises(CellError) as error:
        enum(schema.CHANNELS)("quầy")
    assert "direct (Trực tiếp)" in str(error.value) and "online (Trực tuyến)" in str(error.value)


# Issue 14.9: the import takes the words the window shows, as well as the codes.
SHOWN_WORDS = {
    schema.STATUSES: [("Đã trả kết quả", "returned"), ("da tiep nhan", "received"),
                      ("CHỜ BỔ SUNG", "supplement"), ("Từ chối giải quyết", "rejected")],
    schema.CHANNELS: [("trực tuyến", "online"), ("Truc tiep", "direct"), ("Bưu chính", "postal")],
    schema.PAYMENT_METHODS: [("Tiền mặt", "cash"), ("chuyen khoan", "transfer"),
                             ("Trực tuyến", "online"), ("Qua bưu chính", "postal")],
    schema.RATINGS: [("Rất hài lòng", "very_satisfied"), ("hai long", "satisfied"),
                     ("Không hài lòng", "dissatisfied"), ("Bình thường", "neutral")],
    schema.ONLINE_LEVELS: [("toàn trình", "full"), ("Một phần", "partial"), ("không", "none")],
    schema.LIMIT_UNITS: [("ngày làm việc", "working_days"), ("Giờ làm việc", "working_hours"),
                         ("ngày (theo lịch)", "calendar_days"), ("trong ngày", "same_day")],
    schema.UNIT_LEVELS: [("Tỉnh", "province"), ("Xã/phường", "commune"), ("phường", "commune"),
                         ("Điểm tiếp nhận", "reception_point"), ("chi nhánh", "branch")],
    schema.CALENDAR_KINDS: [("Ngày nghỉ", "holiday"), ("ngày làm việc (làm bù)", "workday"),
                            ("Ngày làm việc", "workday")],
    schema.DOCUMENT_FORMS: [("Bản chính", "original"), ("bản sao", "copy"),
                            ("Bản sao chứng thực", "certified_copy")],
    schema.RESULT_DELIVERIES: [("Trực tuyến", "online"), ("Qua dịch vụ bưu chính", "post"),
                               ("Trực tiếp tại bộ phận một cửa", "desk")],
    # importable since issue 17 (complaints); roles are never imported, their words suffice
    schema.COMPLAINT_CHANNELS: [("Điện thoại", "phone"), ("thu dien tu", "email"),
                                ("Văn bản", "written")],
    schema.ROLES: [],
}


@pytest.mark.parametrize("codes", list(labels.BY_ENUM), ids=lambda c: c[0])
def test_the_import_takes_the_shown_word_and_the_code_of_every_value(codes):
    parse = enum(codes)
    for code, word in labels.BY_ENUM[codes].items():
        assert parse(word) == code
        assert parse(word.upper()) == code
        assert parse(code.upper()) == code
    for written, code in SHOWN_WORDS[codes]:
        assert parse(f"  {written} ") == code, written
    with pytest.raises(CellError) as error:
        parse("không rõ là gì")
    first = codes[0]
    assert f"{first} ({labels.BY_ENUM[codes][first]})" in str(error.value)


def test_a_bare_word_that_could_mean_two_things_is_refused():
    with pytest.raises(CellError):
        enum(schema.LIMIT_UNITS)("ngày")  # calendar or working days: the file must say


def test_a_file_written_with_the_window_words_imports(db, tmp_path):
    from core.transfer import import_file
    units = tmp_path / "donvi.csv"
    units.write_text("code,name,level,parent_code\nT,Tỉnh Lạng Sơn,Tỉnh,\n"
                     "X,UBND xã Yên Phúc,xã/phường,T\n", encoding="utf-8")
    procedures = tmp_path / "thutuc.csv"
    procedures.write_text("code,name,limit_value,limit_unit,online_level\n"
                          "1.001,Đăng ký khai sinh,3,Ngày làm việc,Toàn trình\n"
                          "1.002,Chứng thực,0,trong ngay,mot phan\n", encoding="utf-8")
    for kind, path in (("units", units), ("procedures", procedures)):
        result = import_file(db, kind, path)
        assert result.written and not result.errors, [str(e) for e in result.errors]
    assert db.execute("SELECT level FROM units ORDER BY code").fetchall() == [("province",), ("commune",)]
    assert db.execute("SELECT limit_unit, online_level FROM procedures ORDER BY code").fetchall() == \
        [("working_days", "full"), ("same_day", "partial")]


def test_every_dossier_field_that_travels_or_is_audited_has_its_words():
    from core.exchange import records
    from core.maintenance import audit
    assert set(records.FIELDS) <= set(labels.DOSSIER_FIELD_VI)
    assert audit.FIELD_VI is labels.DOSSIER_FIELD_VI


def test_a_unit_label_names_the_resolving_unit_whole_and_in_brief():
    # the register's unit cell: cut at its start as one text it read "… Yên Phúc)"
    from core.labels import UnitLabel
    elsewhere = UnitLabel("Điểm tiếp nhận xã Yên Phúc tại An Sơn", "UBND xã Yên Phúc")
    assert elsewhere.text == "Điểm tiếp nhận xã Yên Phúc tại An Sơn (giải quyết: UBND xã Yên Phúc)"
    assert elsewhere.text.endswith(elsewhere.tail)
    assert elsewhere.brief == ("→ ", "UBND xã Yên Phúc")
    here = UnitLabel("UBND xã Yên Phúc")
    assert (here.text, here.tail, here.brief) == ("UBND xã Yên Phúc", "", ("", "UBND xã Yên Phúc"))


def test_a_unit_label_with_codes_is_the_dossier_windows_words():
    # the dossier window said "… (X01) — giải quyết: … (X02)", its own words beside the register's
    from core.labels import UnitLabel
    elsewhere = UnitLabel.coded("UBND xã Đồng Giáp", "X01", "UBND xã Tràng Các", "X02")
    assert elsewhere.text == "UBND xã Đồng Giáp (X01) (giải quyết: UBND xã Tràng Các (X02))"
    assert elsewhere.brief == UnitLabel("UBND xã Đồng Giáp", "UBND xã Tràng Các").brief
    # resolved where received: no competent unit, or the receiving unit named again
    for competent, code in ((None, None), ("UBND xã Đồng Giáp", "X01")):
        here = UnitLabel.coded("UBND xã Đồng Giáp", "X01", competent, code)
        assert (here.text, here.tail) == ("UBND xã Đồng Giáp (X01)", "")


def test_the_words_of_a_cancelled_entry_are_one_rule():
    import datetime as dt

    from core import cancelling, complaints
    at = dt.datetime(2025, 6, 11, 9, 30)
    assert cancelling.state("2025-06-11 09:30:00") == cancelling.state(at) \
        == "Đã huỷ lúc 09:30 11/06/2025"
    assert cancelling.state(None) == cancelling.note(None, "x") == ""
    assert cancelling.note(at, "Nhập nhầm") == "Đã huỷ lúc 09:30 11/06/2025: Nhập nhầm"
    assert cancelling.state(at).startswith(cancelling.CANCELLED)
    complaint = complaints.Complaint(1, "2025-06-10 08:00:00", "direct", "Chờ lâu", None, None,
                                     "2025-06-11 09:30:00", "Nhập nhầm")
    assert complaint.status_vi == cancelling.CANCELLED
