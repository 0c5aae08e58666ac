"""A national status code that covers several MotCua statuses (TrangThaiHoSo 9: "đã xử lý xong"
and "từ chối giải quyết", brief 1.1) never overwrites a stored status it also covers (walk33:
a vendor's file without TrangThaiMotCua turned 3 refused dossiers into completed ones, while
the reconciliation counted them equal). The import and the reconciliation share the rule."""
from __future__ import annotations

import pytest

from core.transfer import import_file
from core.transfer.mapped import import_mapped
from core.transfer.portal_cells import CODE_BY_STATUS, kept_status, same_status
from core.transfer.profiles import NATIONAL_PROFILE
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv
from tests.core.transfer.test_profiles import NATIONAL_HEADER, national

CODE = "XTD-250102-0001"


def _status(db):
    return db.execute("SELECT status FROM dossiers WHERE code = ?", [CODE]).fetchone()[0]


def _store(db, tmp_path, status):
    path = write_csv(tmp_path / "ours.csv", DOSSIERS_HEADER,
                     [dossier_row(CODE, status=status, returned_at="")])
    assert import_file(db, "dossiers", path).ok


def _events(db):
    return db.execute("SELECT COUNT(*) FROM events e JOIN dossiers d "
                      "ON d.id = e.dossier_id WHERE d.code = ?", [CODE]).fetchone()[0]


@pytest.mark.parametrize("cell", ["9", "Đã xử lý xong", "9.0"])
def test_a_refusal_stays_a_refusal_when_the_file_gives_the_shared_code(catalog, tmp_path, cell):
    _store(catalog, tmp_path, "rejected")
    events = _events(catalog)
    path = write_csv(tmp_path / "tinh.csv", NATIONAL_HEADER,
                     [national(CODE, TrangThaiHoSo=cell, NgayTra="")])
    result = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert result.ok, result.errors
    assert _status(catalog) == "rejected"
    assert result.updated == 0 and result.unchanged == 1
    assert _events(catalog) == events


def test_motcuas_own_status_column_still_decides(catalog, tmp_path):
    _store(catalog, tmp_path, "rejected")
    header = NATIONAL_HEADER + ["TrangThaiMotCua"]
    path = write_csv(tmp_path / "tinh.csv", header,
                     [national(CODE, TrangThaiHoSo="9", NgayTra="") + ["done"]])
    assert import_mapped(catalog, path, NATIONAL_PROFILE).ok
    assert _status(catalog) == "done"


def test_a_code_of_another_status_still_changes_it(catalog, tmp_path):
    _store(catalog, tmp_path, "rejected")
    path = write_csv(tmp_path / "tinh.csv", NATIONAL_HEADER, [national(CODE)])  # 10
    assert import_mapped(catalog, path, NATIONAL_PROFILE).updated == 1
    assert _status(catalog) == "returned"


def test_every_status_a_code_shares_is_kept_and_counted_equal():
    for stored, code in CODE_BY_STATUS.items():
        for given, other in CODE_BY_STATUS.items():
            assert same_status(stored, given) == (code == other)
            assert kept_status(stored, given) == (stored if code == other else given)
    assert kept_status(None, "done") == "done"
