"""An unreadable row's reason names its status as the row wrote it (round 18): MotCua's own
export has the column TrangThaiMotCua, empty on a row whose status was changed to the portal's
code; its reason said "trạng thái 'processing'", a word the row does not hold, and a clerk
searching the file for it found nothing."""
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


def test_the_status_is_named_as_the_row_wrote_it(office, tmp_path):  # noqa: F811
    rows = [r + [""] for r in province_rows()]
    status = PROVINCE_HEADER.index("TrangThaiHoSo")
    rows[0][status] = "4"                      # the portal's code, TrangThaiMotCua empty
    rows[1][status], rows[1][-1] = "4", "processing"  # MotCua's own word
    rows[1][PROVINCE_HEADER.index("NgayKetThucXuLy")] = "20250107100000"
    path = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER + ["TrangThaiMotCua"], rows)
    result = reconcile(office, path, FIRST, LAST)
    reasons = {e.row: e.reason for e in result.errors}
    assert set(reasons) == {2, 3}
    assert "trạng thái '4'" in reasons[2] and "processing" not in reasons[2]
    assert "trạng thái 'processing'" in reasons[3]
