"""A name pasted with an invisible character (round 12): "Nguyễn\u200bVăn An" looked like a
name and was stored as it came, so the search and the reconciliation's matching by applicant
missed it. Every entry stores the name as core.validation.clean_name gives it: no invisible
format character (Unicode Cf), NFC, spaces squeezed; a name that is nothing once cleaned is
refused with the rule of round 11."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from core import dossiers as D
from core import intake, validation
from core.errors import FieldError
from core.reconcile.matching import Item, match
from core.transfer import import_file
from tests.core.factories import add_procedures, add_units
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv

CLEAN = "Nguyễn Văn An"
# zero-width space, ZWNJ, ZWJ, word joiner, BOM, soft hyphen, left-to-right mark
HIDDEN = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"]
PASTED = [f"Nguyễn {h}Văn An" for h in HIDDEN] + [
    "Ng\u00adu\u200byễn Văn An\ufeff", "\ufeffNguyễn Văn An",
    unicodedata.normalize("NFD", CLEAN),          # tone marks typed apart (a Mac, some IMEs)
    "Nguyễn\u00a0Văn  An",                         # a no-break space and a double space
    "Nguye\u200b\u0302\u0303n Văn An"]             # a zero-width space between a letter and its marks


@pytest.fixture
def catalogue(db):
    add_units(db)
    add_procedures(db)
    return db


def _new(db, name, **more):
    return intake.receive(db, unit_code="U1", procedure_code="P.WD2", applicant_name=name,
                          received_at=dt.datetime(2025, 3, 3, 8, 0), **more)


def _stored(db, dossier_id, column="applicant_name"):
    return db.execute(f"SELECT {column} FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0]


@pytest.mark.parametrize("name", PASTED)
def test_the_desk_stores_the_name_it_shows(catalogue, name):
    dossier_id, _ = _new(catalogue, name, representative=f"Trần {HIDDEN[0]}Thị Bình")
    assert _stored(catalogue, dossier_id) == CLEAN
    assert _stored(catalogue, dossier_id, "representative") == "Trần Thị Bình"


def test_a_correction_stores_the_name_it_shows(catalogue):
    dossier_id, _ = _new(catalogue, "Lê Văn Cường")
    D.correct_field(catalogue, dossier_id, "applicant_name", "Nguyễn\u200b Văn\u2060 An",
                    reason="sai tên")
    assert _stored(catalogue, dossier_id) == CLEAN
    D.correct_field(catalogue, dossier_id, "representative", "\ufeffTrần Thị Bình",
                    reason="thêm người được ủy quyền")
    assert _stored(catalogue, dossier_id, "representative") == "Trần Thị Bình"


@pytest.mark.parametrize("name", ["\u200b\u00ad\ufeff", "\u2060\u0301"])
def test_nothing_but_hidden_characters_is_still_refused(catalogue, name):
    with pytest.raises(FieldError) as caught:
        _new(catalogue, name)
    assert "không có chữ cái nào" in caught.value.message
    assert catalogue.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0


def test_a_bidi_override_is_still_refused_not_removed(catalogue):
    with pytest.raises(FieldError) as caught:
        _new(catalogue, "\u202eNguyễn Văn An")
    assert "đảo chiều" in caught.value.message


def test_the_import_stores_the_name_it_shows(catalog, tmp_path):
    rows = [dossier_row(f"XTD-250102-{n:04d}", applicant_name=name)
            for n, name in enumerate(PASTED, 1)]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows))
    assert result.ok, result.errors
    names = {r[0] for r in catalog.execute("SELECT applicant_name FROM dossiers")}
    assert names == {CLEAN}


def test_the_search_finds_a_pasted_name(catalogue):
    from core import register_search  # noqa: F401  (the register's search)
    from core.searchkey import match as key_match
    from core.textnorm import search_words
    _new(catalogue, "Nguyễn\u200bVăn An")  # stored "Nguyễn Văn An": the space was a word break
    where, params = key_match(search_words("nguyen van an"))
    found = catalogue.execute(f"SELECT COUNT(*) FROM dossiers d WHERE {' AND '.join(where)}",
                              params).fetchone()[0]
    assert found == 1


def _item(code, applicant):
    return Item(0, code, "1.001193", applicant, "direct", "2026-10-05 08:00:00", "received",
                None, None, "XTD", None, None, 0, False)


def test_reconciliation_matches_a_stored_name_with_a_hidden_character():
    # a name stored before this rule (or received in a package from another installation)
    # still holds the character: the matching compares the names as they show
    found = match([_item("A", "Nguyễn\u200bVăn\u00ad An")], [_item("X", "NGUYỄN VĂN AN")],
                  dt.timedelta(minutes=30))
    assert [(p.ours.code, p.theirs.code) for p in found.pairs] == [("A", "X")]


def test_clean_name_is_idempotent_and_keeps_real_names():
    for name in ["Nguyễn Văn Ánh", "Lò Văn Páo", "O'Neil Trần", "Y Bhăm Êban", "Hồng-Nhung"]:
        assert validation.clean_name(name) == name
    for name in PASTED:
        assert validation.clean_name(validation.clean_name(name)) == validation.clean_name(name)


@pytest.mark.parametrize(("pasted", "meant"), [
    ("Nguyễn\u200bVăn An", "Nguyễn Văn An"),          # between two words: a word break
    ("NGUYỄN\u200bVĂN\u200b\u200bAN", "NGUYỄN VĂN AN"),
    ("Lò\u200bVăn\u200bPáo", "Lò Văn Páo"),
    ("Ng\u200buyễn Văn An", "Nguyễn Văn An"),          # inside a word: nothing
    ("Nguyễn \u200bVăn An\u200b", "Nguyễn Văn An"),   # beside a space or at an end: nothing
    ("\u200bNguyễn Văn An", "Nguyễn Văn An")])
def test_a_zero_width_space_between_words_is_a_word_break_inside_a_word_nothing(pasted, meant):
    assert validation.clean_name(pasted) == meant


def test_the_desk_keeps_the_words_a_zero_width_space_separated(catalogue):
    dossier_id, _ = _new(catalogue, "Nguyễn\u200bVăn\u200bAn")
    assert _stored(catalogue, dossier_id) == "Nguyễn Văn An"
