"""A citizen's name must show a name (round 11 try-out): one of zero-width spaces or lone tone
marks passed as "filled in", and the register, the receipt and the kiosk showed nobody; an
invisible right-to-left override made the screen show other letters than the ones stored. The
window, the core API and the import refuse them with one rule (core.validation)."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core.errors import FieldError
from core.transfer import import_file
from tests.core.factories import add_procedures, add_units
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv

HOLLOW = ["\u200b\u200b\u200b", "\u0301\u0309", "\ufeff\u200d", "***", "\u202eNguyễn Văn An",
          "Lê Thị \u2067Hà"]
NAMES = ["Nguyễn Văn Ánh", "Lò Văn Páo", "Công ty TNHH 3A", "Hoàng Thị Hồng-Nhung", "Y Bhăm Êban",
         "O'Neil Trần"]


@pytest.fixture
def catalogue(db):
    add_units(db)
    add_procedures(db)
    return db


def _new(db, name):
    return D.create_dossier(db, unit_code="U1", procedure_code="P.WD2", applicant_name=name,
                            received_at=dt.datetime(2025, 3, 3, 8, 0))


@pytest.mark.parametrize("name", HOLLOW)
def test_a_name_that_shows_no_name_is_refused_at_the_desk(catalogue, name):
    with pytest.raises(FieldError) as caught:
        _new(catalogue, name)
    assert caught.value.field == "applicant_name"
    assert "Họ tên người nộp" in caught.value.message
    assert catalogue.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0


@pytest.mark.parametrize("name", NAMES)
def test_real_names_are_kept_as_typed(catalogue, name):
    dossier_id, _ = _new(catalogue, name)
    assert catalogue.execute("SELECT applicant_name FROM dossiers WHERE id = ?",
                             [dossier_id]).fetchone()[0] == name


def test_the_import_refuses_them_by_row_and_column(catalog, tmp_path):
    rows = [dossier_row(f"XTD-250102-{n:04d}", applicant_name=name)
            for n, name in enumerate(HOLLOW[:3] + NAMES[:1], 1)]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "applicant_name"),
                                                          (3, "applicant_name"),
                                                          (4, "applicant_name")]
    assert catalog.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0  # nothing half-written
