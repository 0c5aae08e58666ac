"""A real portal month imported through the national profile (round 19): the values another
system writes that made a row unread or refused the whole file — digitisation flags as numbers
or words, a control character in the authorised person's name, a day-only supplement request on
a day finished before office hours — each on its own, then all at once."""
from __future__ import annotations

import pytest

from core.transfer.mapped import import_mapped
from core.transfer.profiles import NATIONAL_PROFILE
from tests.core.transfer.conftest import write_csv
from tests.core.transfer.test_profiles import NATIONAL_HEADER, national

FLAGS_HEADER = NATIONAL_HEADER + ["DaSoHoaThanhPhan", "DaSoHoaKetQua"]


def _flags(db, code):
    return db.execute("SELECT digitised, result_digitised FROM dossiers WHERE code = ?",
                      [code]).fetchone()


@pytest.mark.parametrize("documents, result, stored", [
    ("1.0", "0.0", (1, 0)),                    # Excel's number cells saved to CSV
    ("Đã số hóa", "Chưa số hóa", (1, 0)),      # the provincial systems' words
    ("ĐÃ SỐ HOÁ", "da so hoa", (1, 1)),        # any case, with or without diacritics
    ("chua so hoa", "", (0, 0)),
    ("x", "0,0", (1, 0))])
def test_digitisation_flags_as_real_exports_hold_them(catalog, tmp_path, documents, result,
                                                      stored):
    """They made the row unread ('phải là 0 hoặc 1') and the month was refused."""
    path = write_csv(tmp_path / "tinh.csv", FLAGS_HEADER, [national() + [documents, result]])
    imported = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert imported.ok and imported.added == 1, imported.errors
    assert _flags(catalog, "XTD-250102-0001") == stored


def test_a_flag_that_is_no_flag_is_still_named(catalog, tmp_path):
    path = write_csv(tmp_path / "tinh.csv", FLAGS_HEADER,
                     [national() + ["Đã số hóa một phần", "1"]])
    imported = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert not imported.ok
    error = imported.errors[0]
    assert error.column.startswith("DaSoHoaThanhPhan") and "Đã số hóa / Chưa số hóa" in error.reason
