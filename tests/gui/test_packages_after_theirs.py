"""Issue 16 §3 (round 27), in the window: the clerk takes a counter PC's version of a
conflicting dossier («Lấy theo gói»); the counter's next package of it is previewed as a
change ("thay đổi"), no conflict row, nothing to tick, and imported with one click. Before,
it came back as a conflict to take again (core.exchange.taken)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt

from core import dossiers as D
from core.database import open_database
from core.exchange import export_package
from gui import file_dialogs, worker
from gui.packages import PreviewDialog
from tests.gui.clicks import click, menu_pick
from tests.gui.conftest import NOW
from tests.gui.test_packages import counter_package, open_dialog, shown, window  # noqa: F401


def _import(qtbot, window, monkeypatch, path) -> PreviewDialog:  # noqa: F811 (the fixture)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(path)])
    old = shown(PreviewDialog)
    menu_pick(qtbot, window, window.exchange_import_action)
    qtbot.waitUntil(lambda: any(p not in old for p in shown(PreviewDialog)), timeout=10000)
    return next(p for p in shown(PreviewDialog) if p not in old)


def test_the_counters_next_package_after_taking_its_version_is_previewed_as_a_change(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes, counter_package):  # noqa: F811
    package, codes = counter_package
    clash = D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                             applicant_name="Khách Của Máy Này",
                             received_at=NOW - dt.timedelta(hours=1))[1]
    assert clash == codes[0]
    preview = _import(qtbot, window, monkeypatch, package)
    box = preview.boxes()[0]  # «Lấy theo gói»
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert "lấy theo gói 1" in message_boxes[-1][2], message_boxes[-1]

    counter = open_database(tmp_path / "counter.db")  # the counter goes on with the dossier
    D.finish(counter, D.find_by_code(counter, clash), at=NOW - dt.timedelta(minutes=30))
    later = tmp_path / "quay2-sau.zip"
    export_package(counter, later, dt.date(2025, 1, 1))
    counter.close()
    message_boxes.clear()
    again = _import(qtbot, window, monkeypatch, later)
    assert again.result.dossiers["changed"] == 1, again.result.dossiers
    assert again.result.conflict_count == 0 and again.conflicts.rowCount() == 0
    assert again.boxes() == []
    counts = {again.counts.item(r, 0).text(): again.counts.item(r, 1).text()
              for r in range(again.counts.rowCount())}
    assert counts["Hồ sơ xung đột: cùng mã, khác nội dung (cần chọn)"] == "0", counts
    assert again.go.isEnabled()
    click(qtbot, again.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    assert db.execute("SELECT applicant_name, status FROM dossiers WHERE code = ?",
                      [clash]).fetchone() == ("Khách Quầy Hai", "done")
