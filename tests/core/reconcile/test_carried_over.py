"""walk29: a provincial file of one month lacks the dossiers MotCua carries over from before it.
The side-by-side table showed "Hồ sơ tiếp nhận" 3 | 2 | 2 with nothing to enter and no word
why; the note now names how many, and the difference it explains is exactly theirs."""
from __future__ import annotations

import datetime as dt

from core.reconcile import reconcile
from core.transfer import import_file
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv

FIRST, LAST = dt.date(2025, 1, 1), dt.date(2025, 1, 31)
# received in December, still open on 01/01 (carried over), then finished in January
CARRIED = dossier_row("XTD-241230-0001", received_at="2024-12-30 08:00",
                      finished_at="2025-01-03 10:00", returned_at="2025-01-03 15:00")


def _office(catalog, tmp_path):
    rows = [dossier_row("XTD-250102-0001"), CARRIED]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER,
                                                      rows)).ok
    return catalog


def _received(result) -> list[int]:
    """The "Hồ sơ tiếp nhận" row: MotCua, the province, the province once entered."""
    row = next(r for r in result.indicators if r.key == "received.total")
    return [cell.num for cell in row.cells]


def test_the_carried_over_missing_from_the_file_are_said_and_explain_the_gap(catalog, tmp_path):
    office = _office(catalog, tmp_path)
    month = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows()[:1])
    result = reconcile(office, month, FIRST, LAST)
    assert [code for code, _ in result.carried_missing] == ["XTD-241230-0001"]
    ours, _, entered = _received(result)
    assert ours - entered == len(result.carried_missing) == 1
    note = [n for n in result.notes() if "chuyển từ kỳ trước" in n]
    assert len(note) == 1 and note[0].startswith("1 hồ sơ MotCua chuyển từ kỳ trước")
    assert "xuất tệp của hệ thống tỉnh từ ngày 30/12/2024" in note[0]
    # the file holding it too: nothing missing, no note, the same figure on both sides
    december = province_rows()[0][:]
    december[PROVINCE_HEADER.index("MaHoSo")] = "XTD-241230-0001"
    december[PROVINCE_HEADER.index("NgayTiepNhan")] = "20241230080000"
    whole = write_csv(tmp_path / "tinh2.csv", PROVINCE_HEADER, province_rows()[:1] + [december])
    again = reconcile(office, whole, FIRST, LAST)
    assert again.carried_missing == []
    assert not any("chuyển từ kỳ trước" in n for n in again.notes())
    ours, province, _ = _received(again)
    assert ours == province
