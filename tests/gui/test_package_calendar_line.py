"""A package's calendar day that differs from this installation's, in the preview's «Danh
mục» column: the day as the clerk reads dates, «Lịch làm việc 24/10/2025 (Thứ Sáu)», not the
ISO key «2025-10-24» the command line chooses it by (`--catalogue-item calendar:2025-10-24`).
Ticked by a click, the package's day is taken."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt

from core import catalogue, installation
from core.database import open_database
from core.exchange import export_package
from gui import file_dialogs, worker
from gui.packages import PreviewDialog
from tests.gui.clicks import click, menu_pick
from tests.gui.conftest import add_catalogue
from tests.gui.test_packages import open_dialog, window  # noqa: F401


def test_a_differing_day_reads_as_a_date_and_is_taken_when_ticked(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes):  # noqa: F811 (the fixture)
    catalogue.set_calendar_day(db, dt.date(2025, 10, 24), "holiday", "Nghỉ bù")
    other = open_database(tmp_path / "xa.db")
    add_catalogue(other)
    installation.set_slot(other, 3, 3)
    catalogue.set_calendar_day(other, dt.date(2025, 10, 24), "holiday", "Nghỉ lễ địa phương")
    package = tmp_path / "xa.zip"
    export_package(other, package, dt.date(2025, 1, 1))
    other.close()
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert preview.catalogue.rowCount() == 1
    assert preview.catalogue.item(0, 1).text() == "Lịch làm việc 24/10/2025 (Thứ Sáu)"
    assert preview.catalogue.item(0, 2).text() == "Tên: Nghỉ bù"
    assert preview.catalogue.item(0, 3).text() == "Tên: Nghỉ lễ địa phương"
    box = preview.catalogue.cellWidget(0, 0)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert "danh mục lấy theo gói 1 dòng" in message_boxes[-1][2], message_boxes[-1]
    assert db.execute("SELECT name FROM calendar WHERE date = '2025-10-24'"
                      ).fetchone()[0] == "Nghỉ lễ địa phương"
