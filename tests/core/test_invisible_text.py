"""The one rule of characters nobody sees (core.textnorm), at the desk and the core API, and its
last guard in every mask and export (round 23 try-out, F5)."""
from __future__ import annotations

import csv
import datetime as dt
import sys
import unicodedata

import pytest

from core import dossiers as D
from core import intake, textnorm
from core.errors import FieldError
from core.privacy import masking
from tests.core.factories import add_procedures, add_units

RLO = "\u202e"


@pytest.fixture
def catalogue(db):
    add_units(db)
    add_procedures(db)
    return db


def _new(db, **fields):
    fields.setdefault("applicant_name", "Nguyễn Văn An")
    return intake.receive(db, unit_code="U1", procedure_code="P.WD2",
                          received_at=dt.datetime(2025, 3, 3, 8, 0), **fields)


def test_the_written_lists_are_every_format_character_of_this_python():
    """FORMAT_REMOVED and BIDI_CONTROLS are written out (a scan at start-up costs a third of a
    second): together they must hold every Cf of the running Python's Unicode."""
    listed = f"[{textnorm.FORMAT_REMOVED}{textnorm.BIDI_CONTROLS}]"
    import re
    pattern = re.compile(listed)
    missing = [f"U+{c:04X}" for c in range(sys.maxunicode + 1)
               if unicodedata.category(chr(c)) == "Cf" and not pattern.match(chr(c))]
    assert missing == []


@pytest.mark.parametrize(("field", "value", "label", "code"), [
    ("applicant_address", f"thôn Bãi, xã Đồng Giáp{RLO}, Lạng Sơn", "Địa chỉ", "U+202E"),
    ("applicant_phone", "0912\u2066345678", "Số điện thoại", "U+2066"),
    ("note", "cần\x85 gọi lại", "Ghi chú", "U+0085"),
    ("applicant_id_no", "0201967\u200f44251", "Số định danh/CCCD", "U+200F")])
def test_the_desk_refuses_a_bidi_or_control_character_naming_the_field(catalogue, field, value,
                                                                       label, code):
    with pytest.raises(FieldError) as caught:
        _new(catalogue, **{field: value})
    assert caught.value.field == field
    assert caught.value.message.startswith(f"{label} chứa ký tự")
    assert f"(mã {code})" in caught.value.message
    assert catalogue.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0


def test_the_desk_removes_what_means_nothing_and_stores_nfc(catalogue):
    dossier_id, _ = _new(catalogue, applicant_phone="0912\u200b345678",
                         applicant_id_no="\ufeff020196744251",
                         applicant_address=unicodedata.normalize("NFD", "thôn Bãi\u00ad, xã Đồng Giáp"),
                         applicant_email="an\u2060@example.vn")
    row = catalogue.execute("SELECT applicant_phone, applicant_id_no, applicant_address, "
                            "applicant_email FROM dossiers WHERE id = ?", [dossier_id]).fetchone()
    assert tuple(row) == ("0912345678", "020196744251", "thôn Bãi, xã Đồng Giáp",
                          "an@example.vn")


def test_a_correction_follows_the_same_rule(catalogue):
    dossier_id, _ = _new(catalogue, applicant_address="thôn Bãi")
    with pytest.raises(FieldError, match="Địa chỉ chứa ký tự ẩn đảo chiều chữ"):
        D.correct_field(catalogue, dossier_id, "applicant_address", f"xã Đồng Giáp{RLO}",
                        reason="sai địa chỉ")
    D.correct_field(catalogue, dossier_id, "applicant_phone", "0912\u200b345678", reason="thêm")
    assert catalogue.execute("SELECT applicant_phone, applicant_address FROM dossiers WHERE id = ?",
                             [dossier_id]).fetchone() == ("0912345678", "thôn Bãi")


STORED = f"Số 9\t thôn Bãi\u200b 0912\u200b345678 xã Đồng Giáp{RLO}, Lạng Sơn"


def test_a_mask_never_shows_a_hidden_character():
    assert masking.mask_address(STORED) == "*** xã Đồng Giáp, Lạng Sơn"
    assert masking.mask_name(f"Lê Văn{RLO} Cường") == "Lê *** Cường"
    assert masking.mask_name(f"{RLO}An") == "A***"
    assert masking.mask_email(f"{RLO}an@example.vn") == "a***@example.vn"
    assert masking.mask_id_no(f"C1234{RLO}567") == "C*****67"


@pytest.mark.parametrize("hidden", ["\u200b", RLO, "\u2060", "\x1f"])
def test_a_hidden_character_between_two_names_hides_the_middle_name(hidden):
    """review24 finding 1: taken away before the mask split the name, the character glued the
    middle name to the last one, and the mask showed it ('Nguyễn *** VănAn')."""
    assert masking.mask_name(f"Nguyễn Văn{hidden}An") == "Nguyễn *** An"
    assert masking.mask_name(f"Nguyễn{hidden}Văn An") == "Nguyễn *** An"


GLUED = "Xóm 1, xã Tri Lễ\u200bthôn Nà Pe, Lạng Sơn"  # a zero-width space where a space was meant


def test_a_zero_width_space_between_two_words_is_stored_as_a_space_and_masked_as_one(
        catalogue, tmp_path):
    """review24 finding 1: stored with nothing in its place ('xã Tri Lễthôn Nà Pe'), the
    zero-width space made the hamlet part of the commune's name, and every masked export
    showed it. The desk stores the break it stood for (core.textnorm.zwsp_spaced, the names'
    rule), and a masked export shows the commune and the province alone."""
    from core.transfer import export_file
    dossier_id, _ = _new(catalogue, applicant_address=GLUED, applicant_email="an\u200bh@x.vn")
    stored = catalogue.execute("SELECT applicant_address, applicant_email FROM dossiers "
                               "WHERE id = ?", [dossier_id]).fetchone()
    assert tuple(stored) == ("Xóm 1, xã Tri Lễ thôn Nà Pe, Lạng Sơn", "anh@x.vn")
    export_file(catalogue, "dossiers", tmp_path / "hs.csv")
    text = (tmp_path / "hs.csv").read_text(encoding="utf-8-sig")
    assert "***, xã Tri Lễ, Lạng Sơn" in text and "Nà Pe" not in text


def _stored_before(db, dossier_id, **values):
    """Values as an older version stored them (no rule then): written past the core API."""
    for column, value in values.items():
        db.execute(f"UPDATE dossiers SET {column} = ? WHERE id = ?", [value, dossier_id])


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_an_export_of_a_value_stored_before_the_rule_holds_no_bidi_control(catalogue, tmp_path,
                                                                          suffix):
    from openpyxl import load_workbook

    from core.transfer import export_file
    dossier_id, _ = _new(catalogue)
    _stored_before(catalogue, dossier_id, applicant_address=STORED,
                   applicant_name=f"Lê Văn{RLO} Cường",
                   representative=f"Hà Thị{RLO}\u2067 Mai")
    for full in (None, masking.FullData("kiểm tra", "admin")):
        path = tmp_path / f"hs-{bool(full)}.{suffix}"
        export_file(catalogue, "dossiers", path, full=full)
        if suffix == "csv":
            cells = [c for row in csv.reader(path.open(encoding="utf-8-sig")) for c in row]
        else:
            cells = [str(c.value) for row in load_workbook(path).active.iter_rows()
                     for c in row if c.value is not None]
        text = "\n".join(cells)
        assert not textnorm.has_hidden(text.replace("\t", "")), repr(text)
        assert "Lê Văn Cường" in text and "Hà Thị Mai" in text
        assert ("*** xã Đồng Giáp, Lạng Sơn" in text) is (full is None)
