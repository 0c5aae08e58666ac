"""A file's columns named as the file spells them (round 13 review): the mapping step and the
messages of the provincial import and reconciliation showed them lower-cased ("số hồ sơ,
matthc, sodienthoai"), the form they are matched in. Matching stays case-insensitive, by one
rule (core.transfer.layout.column_key); what is shown is the file's spelling
(core.transfer.files.Table.spelt)."""
from __future__ import annotations

import pytest

from core.errors import InputError
from core.transfer.files import open_table
from core.transfer.layout import column_key
from core.transfer.mapped import import_mapped
from core.transfer.profiles import NATIONAL_PROFILE, Profile, refuse_shared
from tests.core.transfer.conftest import write_csv
from tests.core.transfer.test_profiles import NATIONAL_HEADER, national

VENDOR = {"MaHoSo": "Số Hồ Sơ", "MaTTHC": "Mã TTHC", "KenhThucHien": "KenhNop",
          "ChuHoSo": "ChuHoSo", "NgayTiepNhan": "NgayTiepNhan", "TrangThaiHoSo": "TrangThai",
          "NgayKetThucXuLy": "NgayXong"}


def _vendor_file(tmp_path, **values):
    keep = [NATIONAL_HEADER.index(n) for n in VENDOR]
    row = national(**values)
    return write_csv(tmp_path / "igate.csv", list(VENDOR.values()), [[row[i] for i in keep]])


def test_one_rule_of_matching():
    assert column_key(" MaHoSo ") == column_key("MAHOSO") == column_key("\ufeffmahoso") == "mahoso"


def test_the_table_tells_a_column_as_the_file_spells_it(tmp_path):
    table = open_table(_vendor_file(tmp_path))
    assert table.spelt("số hồ sơ") == "Số Hồ Sơ" and table.spelt("KENHNOP") == "KenhNop"
    assert table.spelt("NotThere") == "NotThere"
    assert table.shown_columns() == list(VENDOR.values())
    table.close()


def test_a_missing_column_lists_the_files_columns_as_it_spells_them(catalog, tmp_path):
    with pytest.raises(InputError) as caught:
        import_mapped(catalog, _vendor_file(tmp_path), NATIONAL_PROFILE)
    said = str(caught.value)
    assert ("Các cột của tệp (dòng 1): Số Hồ Sơ, Mã TTHC, KenhNop, ChuHoSo, NgayTiepNhan, "
            "TrangThai, NgayXong.") in said
    assert "số hồ sơ" not in said and "matthc" not in said


def test_a_profile_saved_lower_cased_names_a_bad_cell_as_the_file_does(catalog, tmp_path):
    """A profile saved by an older version kept the columns lower-cased: a bad cell's column
    is named as the file spells it all the same."""
    lower = Profile("iGate", {field: column_key(VENDOR[national_name])
                              for field, national_name in (
                                  ("code", "MaHoSo"), ("procedure_code", "MaTTHC"),
                                  ("channel", "KenhThucHien"), ("applicant_name", "ChuHoSo"),
                                  ("received_at", "NgayTiepNhan"), ("status", "TrangThaiHoSo"),
                                  ("finished_at", "NgayKetThucXuLy"))})
    result = import_mapped(catalog, _vendor_file(tmp_path, KenhThucHien="8"), lower,
                           dry_run=True)
    assert [e.column for e in result.errors] == ["KenhNop (Kênh thực hiện)"]


def test_one_column_for_two_fields_is_named_as_given():
    with pytest.raises(InputError, match="Cột 'KenhNop' được chọn cho cả"):
        refuse_shared({"channel": "KenhNop", "status": "kenhnop"})
