"""Demo data in its own file, switched with one menu item; a new real office's first start."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from core import office_setup, paths
from core.database import open_database
from db import settings
from gui import first_start, worker
from gui.main_window import MainWindow
from tests.gui.clicks import menu_pick

NOW = dt.datetime(2026, 11, 2, 9, 0)


def window_on(qtbot, db, db_path):
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_new_real_database_has_no_district_header(db):
    header = settings.get(db, "report_header")
    assert "VĂN QUAN" not in header["agency"] and header["agency"] == "" and header["place"] == ""
    assert office_setup.needs_first_start(db) and not office_setup.is_demo(db)


def test_the_welcome_demo_button_fills_the_demo_file_not_the_real_one(qtbot, db, db_path):
    window = window_on(qtbot, db, db_path)
    window.show_screen("dashboard")
    page = window.screens["welcome"]
    page.demo_count.setValue(300)
    qtbot.mouseClick(page.demo_button, Qt.MouseButton.LeftButton)
    worker.wait_all()
    qtbot.waitUntil(lambda: window.db_path == str(paths.demo_db_path()), timeout=20000)
    assert window.windowTitle().endswith("DỮ LIỆU MẪU")
    assert window.demo_action.text() == "Về dữ liệu thật"
    assert window.db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 300
    real = open_database(db_path)
    try:  # the office's database is untouched
        assert real.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
        assert real.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0
    finally:
        real.close()
    menu_pick(qtbot, window, window.demo_action)  # "Về dữ liệu thật"
    assert window.db_path == str(db_path)
    assert "DỮ LIỆU MẪU" not in window.windowTitle()
    assert window.demo_action.text() == "Mở dữ liệu mẫu"
    menu_pick(qtbot, window, window.demo_action)  # back to the demo: it exists, nothing is generated again
    assert window.db_path == str(paths.demo_db_path()) and not worker._running
    window.first_start_dialog = None


def test_the_first_start_dialog_stores_unit_header_and_targets(qtbot, db, db_path, monkeypatch):
    from core import timefmt
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    window = window_on(qtbot, db, db_path)
    dialog = first_start.offer(window)
    assert dialog is not None and dialog.isVisible()
    from PySide6.QtWidgets import QLabel
    assert any("71/NQ-CP" in label.text() and "2629/QĐ-TTg" in label.text()
               for label in dialog.findChildren(QLabel))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # nothing chosen yet
    assert dialog.isVisible() and "chọn hoặc nhập tên đơn vị" in dialog.form.errors["unit_name"].text()
    dialog.unit.setCurrentIndex(dialog.unit.findText("UBND xã Văn Quan"))
    assert dialog.header["agency"].text() == "ỦY BAN NHÂN DÂN XÃ VĂN QUAN"
    qtbot.keyClicks(dialog.code, "000.31.27.H37")
    dialog.header["signer_name"].insert("Hoàng Văn Thụ")  # QTest cannot type non-Latin-1 keys
    dialog.targets["online_full"].selectAll()
    qtbot.keyClicks(dialog.targets["online_full"], "80")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert db.execute("SELECT code, name, level FROM units").fetchall() == [
        ("000.31.27.H37", "UBND xã Văn Quan", "commune")]
    header = settings.get(db, "report_header")
    assert (header["agency"], header["place"], header["signer_name"]) == (
        "ỦY BAN NHÂN DÂN XÃ VĂN QUAN", "Văn Quan", "Hoàng Văn Thụ")
    assert settings.targets_for_year(db, 2026)["online_full"] == 0.8
    assert first_start.offer(window) is None  # asked once


def test_a_unit_not_in_the_list_can_be_typed_and_later_means_never_asked_again(qtbot, db,
                                                                              db_path):
    window = window_on(qtbot, db, db_path)
    dialog = first_start.offer(window)
    dialog.unit.lineEdit().insert("Điểm tiếp nhận Na Sầm")
    qtbot.keyClicks(dialog.code, "000.31.99.H37")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert db.execute("SELECT name FROM units").fetchall() == [("Điểm tiếp nhận Na Sầm",)]
    other = open_database(db_path.parent / "other.db")
    try:
        window2 = window_on(qtbot, other, db_path.parent / "other.db")
        later = first_start.offer(window2)
        qtbot.mouseClick(later.later_button, Qt.MouseButton.LeftButton)
        assert not later.isVisible() and first_start.offer(window2) is None
    finally:
        window2.close_database()


def test_the_demo_command_without_db_writes_the_demo_file(tmp_path, capsys):
    import main
    assert main.main(["demo", "--dossiers", "50", "--today", "2026-11-02"]) == 0
    demo = open_database(paths.demo_db_path())
    try:
        assert office_setup.is_demo(demo)
        assert demo.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 50
    finally:
        demo.close()
    assert not paths.default_db_path().exists()
