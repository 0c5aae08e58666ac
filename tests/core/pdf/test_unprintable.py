"""Names the PDF font cannot draw (round 12): an emoji or a Chinese character in a name was
silently missing from the receipt, the forms and the reports. The name rule refuses what the
documents cannot print, naming the character (core.printable.name_char_reason); what is stored
already (a name from before, a package, the provincial system) is drawn with □ in its place by
the one font every PDF uses (core.pdf.fonts.Font), never as nothing."""
from __future__ import annotations

import datetime as dt

import pytest

from core import intake
from core.errors import FieldError
from core.pdf import forms, slips
from core.pdf.fonts import register_fonts
from core.pdf.monthly import build_monthly
from core.printable import bundled_glyphs, drawable
from core.transfer import import_file
from tests.core.factories import add_procedures, add_units
from tests.core.pdf import sample
from tests.core.transfer.conftest import (  # noqa: F401  (the fixtures)
    DOSSIERS_HEADER,
    catalog,
    dossier_row,
    frozen_now,
    write_csv,
)
from tests.pdfread import pdf_text

REFUSED = {"Nguyễn Văn An 😀": "'😀' (U+1F600)", "王小明": "'王' (U+738B)",
           "Иван Петров": "'И' (U+0418)", "Trần ©": "'©' (U+00A9)",
           "Lê Thị Hà\ufe0f": "(U+FE0F)"}
ACCEPTED = ["Nguyễn Thị Ỷ", "ĐẶNG QUỐC VIỆT", "Müller Ødegaard", "Łukasz Żółć", "José Núñez",
            "O’Neil Trần", "Công ty A & B (chi nhánh)", "Hồng–Nhung", "Nguyễn Văn A, 3A"]


@pytest.fixture
def catalogue(db):
    add_units(db)
    add_procedures(db)
    return db


def _receive(db, name, **more):
    return intake.receive(db, unit_code="U1", procedure_code="P.WD2", applicant_name=name,
                          received_at=dt.datetime(2025, 3, 3, 8, 0), **more)


@pytest.mark.parametrize("name", REFUSED)
def test_the_desk_refuses_what_the_receipt_cannot_print(catalogue, name):
    with pytest.raises(FieldError) as caught:
        _receive(catalogue, name)
    assert caught.value.field == "applicant_name"
    assert caught.value.message.startswith("Họ tên người nộp có ")
    assert REFUSED[name] in caught.value.message
    assert catalogue.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0


def test_the_emoji_message_says_it_is_not_printed(catalogue):
    with pytest.raises(FieldError, match="không in được trên phiếu: '😀'"):
        _receive(catalogue, "Nguyễn Văn An 😀")


@pytest.mark.parametrize("name", ACCEPTED)
def test_latin_names_of_every_kind_are_accepted(catalogue, name):
    _receive(catalogue, name)


def test_the_representative_too(catalogue):
    with pytest.raises(FieldError) as caught:
        _receive(catalogue, "Nguyễn Văn An", representative="Trần 🙂")
    assert caught.value.field == "representative"
    assert "'🙂'" in caught.value.message


def test_every_accepted_letter_has_a_glyph():
    glyphs = bundled_glyphs()
    for name in ACCEPTED:
        assert all(ord(ch) in glyphs for ch in name), name


def test_the_import_refuses_it_by_row_and_column(catalog, tmp_path):  # noqa: F811
    rows = [dossier_row("XTD-250102-0001", applicant_name="Nguyễn Văn An"),
            dossier_row("XTD-250102-0002", applicant_name="Lý 小龍")]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows))
    assert [(e.row, e.column) for e in result.errors] == [(3, "applicant_name")]
    assert "'小' (U+5C0F)" in result.errors[0].reason
    assert catalog.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0


def test_drawable_replaces_what_the_font_lacks():
    glyphs = bundled_glyphs()
    assert drawable("Nguyễn 😀 An", glyphs) == "Nguyễn \u25a1 An"
    assert drawable("王小明", glyphs) == "\u25a1\u25a1\u25a1"
    assert drawable("An\ufe0f", glyphs) == "An"  # a variation selector shows nothing anyway
    assert drawable("Nguyễn Văn An", glyphs) == "Nguyễn Văn An"
    assert drawable("A😀", {ord("A"), ord("?")}) == "A?"  # a font without □


@pytest.fixture
def stored(db):
    """An office whose stored data holds what the rule now refuses (recorded before it, or
    received from another installation or the provincial system)."""
    register_fonts()
    sample.catalogue_only(db)
    sample.put_header(db)
    sample.add_dossier(db, "X01-261005-0001", "X01", dt.datetime(2026, 10, 5, 8, 0),
                       name="Nguyễn 😀 An")
    sample.add_dossier(db, "X01-261005-0002", "X01", dt.datetime(2026, 10, 5, 9, 0),
                       name="王小明", status="rejected", finished=dt.datetime(2026, 10, 6, 9, 0))
    db.execute("UPDATE procedures SET name = name || ' 🏠' WHERE code = '1.001193'")
    return db


def _words(data: bytes) -> str:
    return " ".join(pdf_text(data).split())


def test_no_pdf_drops_a_character_silently(stored):
    receipt = _words(slips.build_receipt(stored, "X01-261005-0001"))
    assert "Nguyễn \u25a1 An" in receipt
    assert "Đăng ký khai sinh \u25a1" in receipt
    refusal = _words(forms.build_refusal_of_dossier(stored, "X01-261005-0002"))
    assert "\u25a1\u25a1\u25a1" in refusal
    supplement = _words(forms.build_supplement_request(stored, "X01-261005-0001",
                                                       items=["Tờ khai 📄"]))
    assert "Nguyễn \u25a1 An" in supplement and "Tờ khai \u25a1" in supplement


def test_the_monthly_report_too(stored):
    stored.execute("UPDATE units SET name = 'UBND xã Văn An 🌾' WHERE code = 'X01'")
    text = _words(build_monthly(stored, "2026-10", issued=dt.date(2026, 11, 5)))
    assert "UBND xã Văn An \u25a1" in text


@pytest.mark.parametrize("name", ["Nguyen Van\x07 An", "Tran\x1b Thi Ha", "Le Van\x7f Ba"])
def test_a_control_character_in_an_ascii_name_is_refused_too(catalogue, name):
    """Round 13: a name of ASCII letters passed the rule whole (its fast path), a BEL or an ESC
    pasted with it included, and the receipt drew □; refused, named by its code alone."""
    with pytest.raises(FieldError) as caught:
        _receive(catalogue, name)
    code = next(ch for ch in name if not ch.isprintable())
    assert f"không in được trên phiếu: (U+{ord(code):04X})" in caught.value.message
    assert code not in caught.value.message
    assert catalogue.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
