"""Pairs made without a code stay within one unit (round 18): the fallback match (procedure +
applicant + reception time) ignored the unit, so a commune's dossier the province lacked was
"found" there as another commune's dossier of a citizen of the same name received the same
morning — one missing dossier hidden, the other commune's called "khác nhau". The unit both sides
share is now part of the match, as the file lets both sides say it (receiving unit with
MaDonViTiepNhan, otherwise the code's resolving unit), and the pair's explanation names it."""
from __future__ import annotations

from core import catalogue
from core.reconcile import reconcile
from core.transfer import import_file
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (fixtures)
    FIRST,
    LAST,
    PROVINCE_HEADER,
    office,
    province_rows,
)
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv

# Trần Thị Bình's birth registration, received at Tân Đoàn at 09:00 on 02/01 (XTD-250102-0002)
# and missing from the province; the province has another Trần Thị Bình's, received at Văn
# Quan at 09:05 and coded by the province's own numbering.
OTHER_COMMUNE = {"MaHoSo": "XVQ-250102-9001", "ChuHoSo": "Trần Thị Bình",
                 "NgayTiepNhan": "20250102090500", "NgayKetThucXuLy": "", "NgayTra": "",
                 "TrangThaiHoSo": "4"}


def _row(values: dict) -> list:
    base = dict(zip(PROVINCE_HEADER, province_rows()[0], strict=True))
    base.update(values)
    return [base[c] for c in PROVINCE_HEADER]


def _file(tmp_path, rows: list[list], units: list[str] | None = None):
    header = PROVINCE_HEADER + (["MaDonViTiepNhan"] if units else [])
    rows = [r + [u] for r, u in zip(rows, units, strict=True)] if units else rows
    return write_csv(tmp_path / "tinh.csv", header, rows)


def _units(rows: list[list]) -> list[str]:
    return [r[0].split("-")[0] for r in rows]


def test_two_communes_dossiers_are_not_paired(office, tmp_path):  # noqa: F811
    rows = province_rows() + [_row(OTHER_COMMUNE)]
    for units in (_units(rows), None):  # the receiving unit named, or read from the code
        result = reconcile(office, _file(tmp_path, rows, units), FIRST, LAST)
        assert "XTD-250102-0002" in [i.code for i in result.only_ours], units
        assert "XVQ-250102-9001" in [i.code for i in result.only_theirs], units
        assert all(p.theirs.code != "XVQ-250102-9001" for p in result.pairs)
        # the commune's own dossier coded differently is still paired, and says by which unit
        [near] = result.near_pairs
        assert (near.ours.code, near.theirs.code) == ("XTD-250106-0002", "XTD-250106-9042")
        basis = "đơn vị tiếp nhận" if units else "đơn vị giải quyết"
        assert near.how == f"thủ tục + chủ hồ sơ + giờ tiếp nhận (lệch 15 phút), cùng {basis}"
        assert f"lệch không quá 30 phút, cùng {basis}" in result.near_heading()
    # one commune's reconciliation: the other commune's row is outside it, not a match
    result = reconcile(office, _file(tmp_path, rows, _units(rows)), FIRST, LAST, unit="XTD")
    assert "XTD-250102-0002" in [i.code for i in result.only_ours]
    assert all(p.theirs.code != "XVQ-250102-9001" for p in result.pairs)


def test_a_reception_point_is_its_communes_unit(office, tmp_path):  # noqa: F811
    """A dossier a commune's reception point received is filed at the province under the
    commune: the pair is still made."""
    catalogue.save_unit(office, "XTD1", "Điểm tiếp nhận xã Tân Đoàn tại Bản Chu",
                        "reception_point", "XTD")
    point = dossier_row("XTD-250109-0001", unit_code="XTD1", applicant_name="Vi Thị Hoa",
                        received_at="2025-01-09 08:00", finished_at="2025-01-10 08:00",
                        returned_at="2025-01-10 09:00")
    imported = import_file(office, "dossiers", write_csv(tmp_path / "d2.csv", DOSSIERS_HEADER,
                                                         [point]))
    assert imported.ok, imported.errors
    rows = province_rows() + [_row({"MaHoSo": "XTD-250109-7777", "ChuHoSo": "VI THỊ HOA",
                                    "NgayTiepNhan": "20250109081000",
                                    "NgayKetThucXuLy": "20250110080000",
                                    "NgayTra": "20250110090000"})]
    result = reconcile(office, _file(tmp_path, rows, _units(rows)), FIRST, LAST)
    pairs = {p.ours.code: p.theirs.code for p in result.pairs}
    assert pairs["XTD-250109-0001"] == "XTD-250109-7777"
