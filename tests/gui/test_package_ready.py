"""Issue 16 §3, round 24 (F8), with real clicks: on a copied file nobody has answered for (no
code may be issued here), the preview of a package whose code is another citizen's dossier
here let the clerk press «Nhập gói» with "Giữ cả hai" ticked, its warning cut in a small box;
the import ran the whole pass, then refused. Now «Nhập gói» is disabled and the reason is
read whole above it (core.exchange.ready, the command's words); the clerk's choice opens it
and the import goes through."""
from __future__ import annotations

import html

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from core import dossiers as D
from core import installation
from core.exchange import ready
from gui import file_dialogs, worker
from gui.main_window import MainWindow
from gui.packages import HomeDialog, PreviewDialog
from tests.gui.clicks import click, menu_pick
from tests.gui.conftest import NOW
from tests.gui.test_packages import counter_package, open_dialog  # noqa: F401 (fixture)


def tick(qtbot, box) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def whole(panel) -> bool:
    """The reasons read whole: the panel inside its dialog, its text needing no scrolling."""
    area, label = panel.area, panel.label
    corner = panel.mapTo(panel.window(), QPoint(panel.width(), panel.height()))
    return (panel.isVisible() and panel.window().rect().contains(corner)
            and area.height() >= label.heightForWidth(area.viewport().width())
            and not area.verticalScrollBar().isVisible())


def preview_on_a_copy(qtbot, db, db_path, monkeypatch, counter_package):  # noqa: F811
    """This PC gave the counter's first code to another citizen; its file then opens on
    another PC (a copy, the question left «Để sau»: no code may be issued here) and the
    counter's package is previewed. Returns the preview and this PC's code."""
    package, codes = counter_package
    ours = D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                            applicant_name="Khách Của Máy Này", received_at=NOW)[1]
    assert ours == codes[0]  # the counter gave the same code to another citizen
    monkeypatch.setattr(installation, "machine_name", lambda: "QUAY2", raising=False)
    assert installation.home(db).ask  # the file now opens on another PC: a copy
    win = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(win)
    win.resize(1366, 728)
    home = open_dialog(qtbot, HomeDialog)
    later = home.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    assert later.text() == "Để sau"
    click(qtbot, later)  # as in round 23: the question left for later
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, win, win.exchange_import_action)
    return open_dialog(qtbot, PreviewDialog), ours


def test_the_preview_keeps_the_import_closed_with_its_reason_until_the_clerk_chooses(
        db, db_path, office, qtbot, monkeypatch, message_boxes, counter_package,  # noqa: F811
        window_font):
    codes = counter_package[1]
    preview, ours = preview_on_a_copy(qtbot, db, db_path, monkeypatch, counter_package)
    qtbot.waitExposed(preview)
    assert preview.width() <= 1366 and preview.height() <= 728
    panel, both = preview.ready_panel, preview.both_boxes[0]
    assert both.isChecked()  # "Giữ cả hai", as previewed
    assert not preview.go.isEnabled()
    [block] = panel.said.blocks
    assert block.kind == ready.CODES
    assert block.reason.startswith('"Giữ cả hai" (1 hồ sơ) cần máy này cấp mã mới')
    assert "nay đang mở trên máy «QUAY2»" in block.reason
    assert html.escape(block.reason) in panel.label.text()
    assert whole(panel), (panel.area.height(), panel.label.heightForWidth(panel.area.width()))
    # said once: the warnings beside the counts no longer carry it
    warned = [w.text() for w in preview.findChildren(QLabel) if w.text().startswith("⚠")]
    assert warned and not [w for w in warned if "cần máy này cấp mã mới" in w], warned
    qtbot.mouseClick(preview.go, Qt.MouseButton.LeftButton)  # a disabled button: nothing
    qtbot.wait(100)
    assert preview.isVisible() and not message_boxes
    # the clerk unticks "Giữ cả hai" (this PC's dossier kept): the import can start
    tick(qtbot, both)
    assert not both.isChecked() and preview.go.isEnabled() and not panel.isVisible()
    tick(qtbot, both)  # ticked again: closed again, the reason back
    assert both.isChecked() and not preview.go.isEnabled() and whole(panel)
    # the action the reason names, in the panel: every "Giữ cả hai" unticked
    assert panel.untick.isVisible() and ready.UNTICK_BOTH_VI in panel.untick.text()
    click(qtbot, panel.untick)
    assert not both.isChecked() and preview.go.isEnabled() and not panel.isVisible()
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    names = dict(db.execute("SELECT applicant_name, code FROM dossiers").fetchall())
    assert names["Khách Của Máy Này"] == ours and names["Người Thứ Hai"] == codes[1]
    assert "Khách Quầy Hai" not in names  # kept this PC's: no code issued on the copy
