"""A package file replaced between the preview and "Nhập gói" is not imported in the previewed
one's place (core.exchange.merge.import_packages, `expected`): the clerk is told, nothing
written. Real clicks."""
from __future__ import annotations

import shutil

from gui import file_dialogs, worker
from gui.packages import PreviewDialog
from tests.gui.clicks import click, menu_pick
from tests.gui.test_packages import counter_package, open_dialog, second_package, window  # noqa: F401


def test_a_package_replaced_while_its_preview_is_open_writes_nothing(
        window, db, qtbot, monkeypatch, message_boxes, tmp_path, counter_package,  # noqa: F811
        second_package):  # noqa: F811
    usb = tmp_path / "usb" / "goi.zip"
    usb.parent.mkdir()
    shutil.copy(counter_package[0], usb)
    before = db.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM events) FROM dossiers").fetchone()
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(usb)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    shutil.copy(second_package[0], usb)  # another package copied over it meanwhile
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    kind, _title, text = message_boxes[-1][:3]
    assert kind == "warning" and "goi.zip đã thay đổi sau khi xem trước" in text, message_boxes
    assert "Chưa ghi gì" in text
    assert db.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM events) FROM dossiers").fetchone() \
        == before
