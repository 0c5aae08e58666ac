"""The rows of the provincial file that cannot be read are listed, and the figures said to lack
them, only when they may belong to the reconciliation (round 18): a province's export of a year
reconciled for one commune's month listed the bad rows of other communes and other months,
and every figure of the month "lacked" them. A bad row received after the period, or at and for
units outside the units compared, is left out silently, as a good one would be (counted among
the rows outside the period or the unit); one whose reception or unit cannot be read, or whose
code is one of MotCua's compared, is still listed."""
from __future__ import annotations

from core.reconcile import reconcile
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (fixtures)
    FIRST,
    LAST,
    PROVINCE_HEADER,
    office,
    province_rows,
)
from tests.core.transfer.conftest import write_csv

HEADER = PROVINCE_HEADER + ["MaDonViTiepNhan"]


def _bad(code: str, unit: str, received: str) -> list:
    """A row the import refuses: in progress ('4') with an end of processing."""
    base = dict(zip(PROVINCE_HEADER, province_rows()[0], strict=True))
    base.update(MaHoSo=code, ChuHoSo="Vi Văn Sáng", NgayTiepNhan=received, TrangThaiHoSo="4",
                NgayKetThucXuLy="20250221100000", NgayTra="")
    return [base[c] for c in PROVINCE_HEADER] + [unit]


def test_only_the_bad_rows_that_may_belong_to_the_reconciliation_are_listed(office,  # noqa: F811
                                                                           tmp_path):
    rows = [r + [r[0][:3]] for r in province_rows()]
    rows += [_bad("XTD-250110-0001", "XTD", "20250110080000"),   # the commune's, in January
             _bad("XVQ-250110-0001", "XVQ", "20250110090000"),   # another commune's
             _bad("XTD-250203-0001", "XTD", "20250203080000"),   # after the period
             _bad("XTD-250111-0001", "XTD", "32/01/2025 08:00")]  # reception unreadable
    path = write_csv(tmp_path / "tinh.csv", HEADER, rows)
    commune = reconcile(office, path, FIRST, LAST, unit="XTD")
    assert commune.ok and commune.unread_rows == 2
    assert sorted({e.row for e in commune.errors}) == [7, 10]
    assert "2 dòng của tệp hệ thống tỉnh không đọc được" in commune.unread_note()
    assert commune.outside == 3  # XVQ's two dossiers, good and bad, and February's row
    everything = reconcile(office, path, FIRST, LAST)
    assert everything.unread_rows == 3
    assert sorted({e.row for e in everything.errors}) == [7, 8, 10]
    # the figures are the same either way: the rows left out were never compared
    before = reconcile(office, write_csv(tmp_path / "t0.csv", HEADER, rows[:5] + rows[5:6]
                                         + rows[7:]), FIRST, LAST, unit="XTD")
    assert [r.texts for r in before.indicators] == [r.texts for r in commune.indicators]


def _closed_bad(code: str, received: str, finished: str, status: str = "10") -> list:
    """A row the import refuses for its applicant's name (a control character), closed."""
    base = dict(zip(PROVINCE_HEADER, province_rows()[0], strict=True))
    base.update(MaHoSo=code, ChuHoSo="Trần\x07Văn Bình", NgayTiepNhan=received,
                TrangThaiHoSo=status, NgayKetThucXuLy=finished, NgayTra=finished)
    return [base[c] for c in PROVINCE_HEADER] + ["XTD"]


def test_a_bad_row_closed_before_the_period_is_outside_it(office, tmp_path):  # noqa: F811
    """A row returned on 11/12/2024 was listed in January's reconciliation, the province's
    January figures said to lack it; one whose status or finish is the unreadable cell is
    still listed."""
    rows = [r + [r[0][:3]] for r in province_rows()]
    rows += [_closed_bad("XTD-241206-0001", "20241206080000", "20241211094614"),  # closed
             _closed_bad("XTD-241207-0001", "20241207080000", "20250105094614"),  # in January
             _closed_bad("XTD-241208-0001", "20241208080000", "32/12/2024 09:00"),  # finish?
             _closed_bad("XTD-241209-0001", "20241209080000", "20241211094614", "77")]  # status?
    path = write_csv(tmp_path / "tinh.csv", HEADER, rows)
    result = reconcile(office, path, FIRST, LAST, unit="XTD")
    assert result.ok
    assert sorted({e.row for e in result.errors}) == [8, 9, 10]
    assert result.unread_rows == 3
