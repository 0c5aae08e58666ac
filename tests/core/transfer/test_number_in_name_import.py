"""The nine-digit rule (clerk29: a phone typed after the name without the Tab) is the desk's:
a provincial file or MotCua's own export carries the names its system holds, and an
organisation's or household's name there often holds its tax code ("Công ty TNHH ABC - MST
0101234567"). One such row refused the whole month's file, nothing imported (review29b)."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core.errors import FieldError
from core.transfer import import_file
from core.transfer.mapped import import_mapped
from core.transfer.profiles import NATIONAL_PROFILE
from tests.core.factories import add_procedures, add_units
from tests.core.transfer.conftest import DOSSIERS_HEADER, count, dossier_row, write_csv
from tests.core.transfer.test_profiles import NATIONAL_HEADER, national

NAMES = ["Công ty TNHH ABC - MST 0101234567", "Hộ kinh doanh Trần Văn Bình 0123456789"]


def test_a_provincial_file_with_a_tax_code_in_a_name_imports(catalog, tmp_path):
    path = write_csv(tmp_path / "tinh.csv", NATIONAL_HEADER,
                     [national(), *(national(f"XTD-250102-000{n}", ChuHoSo=name)
                                    for n, name in enumerate(NAMES, 2))])
    imported = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert imported.ok, imported.errors
    assert count(catalog, "dossiers") == 3
    assert catalog.execute("SELECT applicant_name FROM dossiers WHERE code = ?",
                           ["XTD-250102-0002"]).fetchone()[0] == NAMES[0]


def test_motcuas_own_file_with_a_tax_code_in_a_name_imports(catalog, tmp_path):
    rows = [dossier_row(f"XTD-250102-000{n}", applicant_name=name)
            for n, name in enumerate(NAMES, 1)]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows))
    assert result.ok, result.errors
    assert count(catalog, "dossiers") == 2


@pytest.mark.parametrize("name", ["Hoang Van Tuan 0912345678", NAMES[0]])
def test_the_desk_still_refuses_the_number_typed_into_the_name(db, name):
    add_units(db)
    add_procedures(db)
    with pytest.raises(FieldError) as caught:
        D.create_dossier(db, unit_code="U1", procedure_code="P.WD2", applicant_name=name,
                         received_at=dt.datetime(2025, 3, 3, 8, 0))
    assert caught.value.field == "applicant_name"
    assert "có một dãy 10 chữ số" in caught.value.message
