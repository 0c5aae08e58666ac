"""The preview's table of versions (two packages bring crossing versions of a dossier the
centre holds): the version that moves it out of its unit's dates says so on its row before
the clerk picks it (core.exchange.held_absent.version_refused, round 31)."""
from __future__ import annotations

from core.exchange.merge import import_packages
from gui.packages import PreviewDialog
from tests.core.exchange.test_held_moved_crossed import crossed  # noqa: F401


def test_the_versions_row_says_that_picking_it_refuses_the_package(qtbot, db,
                                                                    crossed):  # noqa: F811
    _code, pa, pb = crossed
    batch = import_packages(db, [pa, pb], dry_run=True)
    preview = PreviewDialog(batch.combined(), None, batch.results, batch.crossed)
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitExposed(preview)
    table = preview.versions_table
    rows = {table.item(row, 2).text(): table.item(row, 4).text()
            for row in range(table.rowCount())}
    [a] = [text for title, text in rows.items() if title.startswith("quay-a.zip")]
    assert a.endswith("\n⚠ CHỌN BẢN NÀY BỊ TỪ CHỐI: bản này đưa hồ sơ ra ngoài thời gian hoạt "
                      "động của đơn vị (đơn vị Xã Hòa Bình không hoạt động vào ngày 20/10/2025 "
                      "(đã giải thể, sáp nhập hoặc chưa thành lập)): chọn bản này thì gói bị từ "
                      "chối.")
    assert sum("TỪ CHỐI" in text for text in rows.values()) == 1
