"""Round 27: a five-digit number given as text in a date's column ('45991' in a CSV, a cell
formatted as text) was read as an Excel serial date by the provincial profile (and the
reconciliation, which imports through it): 01/12/2025, silently. Only a number cell of a
workbook is a serial date; as text it is refused, the row and the column named, the day it
would be said for the clerk to write. And an impossible day is said in the one wording of
core.typed_dates.calendar_reason wherever it is typed or imported: kpi's options, MotCua's own
import, the provincial profile's yyyyMMdd form and the reconciliation."""
from __future__ import annotations

import pytest

from core import periods, typed_dates
from core.errors import InputError
from core.reconcile import reconcile
from core.transfer import import_file
from core.transfer.mapped import import_mapped
from core.transfer.profiles import NATIONAL_PROFILE
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (office: the fixture)
    FIRST,
    LAST,
    PROVINCE_HEADER,
    office,
    province_rows,
)
from tests.core.transfer.conftest import (
    DOSSIERS_HEADER,
    count,
    dossier_row,
    write_csv,
    write_xlsx,
)
from tests.core.transfer.test_profiles import NATIONAL_HEADER, national, stored

SERIAL_WORDS = "là một số ghi dạng chữ, không phải ngày"
RECEIVED = "NgayTiepNhan (Ngày tiếp nhận)"


@pytest.mark.parametrize("writer, name", [(write_csv, "tinh.csv"), (write_xlsx, "tinh.xlsx")])
@pytest.mark.parametrize("value", ["45659", "45659,33333333", "45659.5"])
def test_a_serial_date_as_text_is_refused_naming_row_and_column(catalog, tmp_path, writer,
                                                                name, value):
    path = writer(tmp_path / name, NATIONAL_HEADER, [national(NgayTiepNhan=value)])
    result = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert not result.ok and count(catalog, "dossiers") == 0
    [error] = [e for e in result.errors if e.column == RECEIVED]
    assert error.row == 2 and error.value == value
    assert SERIAL_WORDS in error.reason and "02/01/2025" in error.reason, error.reason
    assert "yyyyMMddHHmmss" in error.reason  # the portal's forms, to write instead
    assert f"Dòng 2, cột {RECEIVED}" in str(error)


def test_a_number_cell_is_still_a_serial_date(catalog, tmp_path):
    path = write_xlsx(tmp_path / "tinh.xlsx", NATIONAL_HEADER,
                      [national(NgayTiepNhan=45659.3333333333)])
    assert import_mapped(catalog, path, NATIONAL_PROFILE).ok
    assert stored(catalog, "XTD-250102-0001")[3] == "2025-01-02 08:00:00"


def test_motcuas_own_import_says_why_too(catalog, tmp_path):
    path = write_csv(tmp_path / "hoso.csv", DOSSIERS_HEADER, [dossier_row(received_at="45659")])
    result = import_file(catalog, "dossiers", path)
    assert not result.ok and count(catalog, "dossiers") == 0
    [error] = result.errors
    assert (error.row, error.column) == (2, "received_at")
    assert SERIAL_WORDS in error.reason and "YYYY-MM-DD" in error.reason


def test_the_reconciliation_lists_it_unread(office, tmp_path):  # noqa: F811
    rows = province_rows()
    rows[4][PROVINCE_HEADER.index("NgayTiepNhan")] = "45659"  # row 6
    result = reconcile(office, write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, rows),
                       FIRST, LAST)
    [error] = [e for e in result.errors if e.row == 6]
    assert error.column == RECEIVED and SERIAL_WORDS in error.reason


# ----- one wording of an impossible day -------------------------------------------------------
FEB_30 = "ngày 30 không có trong tháng 2/2025 (tháng 2/2025 chỉ có 28 ngày)"
MONTH_13 = "không có tháng 13 (tháng từ 1 đến 12)"


def test_the_rule_itself():
    assert typed_dates.calendar_reason(2025, 2, 30) == FEB_30
    assert typed_dates.calendar_reason(2025, 13, 1) == MONTH_13
    assert typed_dates.calendar_reason(2024, 2, 29) is None


@pytest.mark.parametrize("typed, said", [("30/02/2025", FEB_30), ("2025-13-01", MONTH_13)])
def test_kpi_options_say_it_so(typed, said):
    with pytest.raises(InputError) as refused:
        periods.checked_period(typed, "31/03/2025")
    assert said in refused.value.message


def test_a_month_says_it_so():
    with pytest.raises(InputError) as refused:
        typed_dates.parse_month("13/2025")
    assert MONTH_13 in refused.value.message


@pytest.mark.parametrize("value, said", [("30/02/2025 08:00", FEB_30), ("2025-13-01 08:00", MONTH_13)])
def test_motcuas_import_says_it_so(catalog, tmp_path, value, said):
    path = write_csv(tmp_path / "hoso.csv", DOSSIERS_HEADER, [dossier_row(received_at=value)])
    [error] = import_file(catalog, "dossiers", path).errors
    assert error.reason == said


@pytest.mark.parametrize("value, said", [
    ("20250230080000", FEB_30), ("20250230", FEB_30), ("20251301080000", MONTH_13),
    ("30/02/2025 08:00", FEB_30)])
def test_the_provincial_import_says_it_so(catalog, tmp_path, value, said):
    path = write_csv(tmp_path / "tinh.csv", NATIONAL_HEADER, [national(NgayTiepNhan=value)])
    [error] = [e for e in import_mapped(catalog, path, NATIONAL_PROFILE).errors
               if e.column == RECEIVED]
    assert error.reason.startswith(said), error.reason


def test_the_reconciliation_says_it_so(office, tmp_path):  # noqa: F811
    rows = province_rows()
    rows[4][PROVINCE_HEADER.index("NgayTiepNhan")] = "20250230080000"  # row 6
    result = reconcile(office, write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, rows),
                       FIRST, LAST)
    [error] = [e for e in result.errors if e.row == 6]
    assert error.reason.startswith(FEB_30), error.reason
