"""A provincial file's moment given as a day only, and a unit column it lacks, are no
difference (round 20, a commune official's pass over a VNPT-style export): the day-only finish
"02/10/2026" was read at 16:37 (day_only's rule: not after the return that day) and listed as
"Kết thúc xử lý 16:12 ↔ 16:37", and a file without MaDonViGiaiQuyet listed every dossier
received at the commune for another unit as "Đơn vị giải quyết" differing. A clerk then
"corrects" the provincial system where nothing is wrong."""
from __future__ import annotations

import datetime as dt

from core.reconcile import reconcile
from core.transfer import import_file
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (fixtures)
    FIRST,
    LAST,
    PROVINCE_HEADER,
    office,
    ours_rows,
    province_rows,
)
from tests.core.transfer.conftest import DOSSIERS_HEADER, write_csv


def _file(tmp_path, change: dict, extra: dict | None = None):
    header = PROVINCE_HEADER + list(extra or {})
    row = province_rows()[1]  # XTD-250106-0001: ours finished 07/01 10:00, returned 15:00
    for column, value in change.items():
        row[PROVINCE_HEADER.index(column)] = value
    return write_csv(tmp_path / "tinh.csv", header, [row + list((extra or {}).values())])


def _found(result) -> dict:
    return {(d.pair.ours.code, d.field): (d.ours, d.theirs) for d in result.differences}


def test_a_day_only_finish_on_the_same_day_is_no_difference(office, tmp_path):  # noqa: F811
    path = _file(tmp_path, {"NgayKetThucXuLy": "07/01/2025", "NgayTra": "07/01/2025 15:00",
                            "TrangThaiHoSo": "10"})
    result = reconcile(office, path, FIRST, LAST)
    assert ("XTD-250106-0001", "Kết thúc xử lý") not in _found(result)


def test_a_day_only_finish_on_another_day_shows_the_day_as_written(office, tmp_path):  # noqa: F811
    path = _file(tmp_path, {"NgayKetThucXuLy": "08/01/2025", "NgayTra": "",
                            "TrangThaiHoSo": "9"})
    result = reconcile(office, path, FIRST, LAST)
    assert _found(result)[("XTD-250106-0001", "Kết thúc xử lý")] == (
        "10:00 07/01/2025", "08/01/2025 (chỉ có ngày)")


def test_a_day_only_due_is_compared_by_its_day(office, tmp_path):  # noqa: F811
    ours = office.execute("SELECT COALESCE(due_at, calc_due_at) FROM dossiers "
                          "WHERE code = 'XTD-250106-0001'").fetchone()[0]
    day = dt.date.fromisoformat(ours[:10])
    path = _file(tmp_path, {"NgayHenTra": day.strftime("%d/%m/%Y")})
    assert ("XTD-250106-0001", "Hạn trả") not in _found(reconcile(office, path, FIRST, LAST))


def test_no_competent_unit_column_compares_no_competent_unit(office, tmp_path):  # noqa: F811
    row = ours_rows()[2]  # XTD-250106-0001, resolved by XVQ
    header = DOSSIERS_HEADER + ["competent_unit_code"]
    assert import_file(office, "dossiers",
                       write_csv(tmp_path / "d.csv", header, [row + ["XVQ"]])).ok
    path = _file(tmp_path, {}, {"MaDonViTiepNhan": "XTD"})
    found = _found(reconcile(office, path, FIRST, LAST))
    assert ("XTD-250106-0001", "Đơn vị giải quyết") not in found
    both = _file(tmp_path, {}, {"MaDonViTiepNhan": "XTD", "MaDonViGiaiQuyet": "XTD"})
    assert ("XTD-250106-0001", "Đơn vị giải quyết") in _found(reconcile(office, both, FIRST, LAST))
