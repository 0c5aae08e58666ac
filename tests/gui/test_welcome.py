"""The first start on an empty database: demo data and import from the welcome page."""
from __future__ import annotations

from core import paths
from gui import file_dialogs, widgets, worker
from gui.main_window import MainWindow
from tests.gui.clicks import click


def test_demo_button_fills_the_demo_file_then_shows_the_dashboard(qtbot, db, db_path):
    # real "now": the demo data ends today, and the dashboard opens on this month
    window = MainWindow(db, str(db_path))
    qtbot.addWidget(window)
    window.show_screen("dashboard")
    page = window.screens["welcome"]
    assert window.stack.currentWidget() is page
    page.demo_count.setValue(300)
    click(qtbot, page.demo_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: "dashboard" in window.screens, timeout=10000)
    assert window.db_path == str(paths.demo_db_path())  # the demo's own file (issue 14 §7)
    assert window.db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 300
    assert window.stack.currentWidget() is window.screens["dashboard"]
    assert window.screens["dashboard"].result["total"]["received"]["total"] > 0


def test_import_from_the_welcome_page(qtbot, db, db_path, frozen_now, tmp_path, monkeypatch,
                                      message_boxes):
    source = tmp_path / "donvi.csv"
    source.write_text("code,name,level,parent_code\nH01,UBND huyện Văn Quan,district,\n"
                      "X01,UBND xã Đồng Giáp,commune,H01\n", encoding="utf-8")
    monkeypatch.setattr(widgets, "choose", lambda *a, **k: "Đơn vị")
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    window = MainWindow(db, str(db_path))
    qtbot.addWidget(window)
    window.show_screen("dashboard")
    click(qtbot, window.screens["welcome"].import_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=5000)
    assert message_boxes[-1][:2] == ("information", "Đã nhập")
    assert db.execute("SELECT code FROM units ORDER BY code").fetchall() == [("H01",), ("X01",)]
