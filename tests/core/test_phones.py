"""A phone is stored in plain characters, its grouping kept (try25 F7): the same number pasted in
full-width digits ("０９１２ ３４５ ６７８") was refused as not digits. The grouping stays as the
clerk wrote it: the search finds a phone by its groups (tests/core/test_searchkey.py).
One rule (core.phones.normal_phone) for the desk, a correction and an import."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core import intake
from core.errors import FieldError
from core.transfer import cells
from tests.core.factories import add_procedures, add_units


@pytest.fixture
def catalogue(db):
    add_units(db)
    add_procedures(db)
    return db


def _receive(db, phone):
    dossier_id, _ = intake.receive(db, unit_code="U1", procedure_code="P.WD2",
                                   applicant_name="Nguyễn Văn An", applicant_phone=phone,
                                   received_at=dt.datetime(2025, 3, 3, 8, 0))
    return db.execute("SELECT applicant_phone FROM dossiers WHERE id = ?",
                      [dossier_id]).fetchone()[0]


@pytest.mark.parametrize("typed, stored", [
    ("0912 345 678", "0912 345 678"),
    ("０９１２ ３４５ ６７８", "0912 345 678"),  # full-width digits and spaces
    ("0912.345.678", "0912.345.678"),
    ("0912  345   678 ", "0912 345 678"),
    ("0912\u2013345\u2013678", "0912-345-678"),  # a word processor's en dash
    ("+84 912 345 678", "+84 912 345 678"),
    ("0912\u00a0345\u00a0678", "0912 345 678"),  # no-break spaces of a copied web page
    ("０９１２３４５６７８", "0912345678"),
])
def test_the_desk_stores_a_phone_in_plain_characters(catalogue, typed, stored):
    assert _receive(catalogue, typed) == stored


def test_what_is_not_a_phone_is_still_refused(catalogue):
    with pytest.raises(FieldError) as caught:
        _receive(catalogue, "0912 345 abc")
    assert caught.value.field == "applicant_phone"
    assert catalogue.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0


def test_a_correction_stores_the_phone_in_plain_characters(catalogue):
    dossier_id, _ = intake.receive(catalogue, unit_code="U1", procedure_code="P.WD2",
                                   applicant_name="Nguyễn Văn An",
                                   received_at=dt.datetime(2025, 3, 3, 8, 0))
    D.correct_field(catalogue, dossier_id, "applicant_phone", "０９８７ ６５４ ３２１",
                    reason="Công dân báo số mới")
    assert catalogue.execute("SELECT applicant_phone FROM dossiers WHERE id = ?",
                             [dossier_id]).fetchone()[0] == "0987 654 321"


def test_an_imported_phone_cell_is_read_in_plain_characters():
    parse = cells.phone("applicant_phone")
    assert parse("0912 345 678") == "0912 345 678"
    assert parse("０９１２ ３４５ ６７８") == "0912 345 678"
    assert parse(912345678) == "0912345678"  # a number cell that lost its leading 0
