"""Dữ liệu › Nhập gói with real clicks: a package whose new units make a loop (each the other's
parent) is refused in the preview with the import's words (core.exchange.catalogue.
check_new_unit, the catalogue's one rule), no preview to confirm, nothing written (issue 16)."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication

from core.database import open_database
from core.errors import InputError
from core.exchange import export_package
from core.exchange.merge import import_packages
from db.connection import transaction
from gui import file_dialogs, worker
from gui.main_window import MainWindow
from gui.packages import PreviewDialog
from tests.gui.clicks import menu_pick
from tests.gui.conftest import add_catalogue


@pytest.fixture
def window(qtbot, db, db_path, office):
    win = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(win)
    return win


def test_the_preview_refuses_new_units_in_a_loop_as_the_import_does(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes):
    package = _looping_package(tmp_path)
    before = [line for line in db.conn.iterdump() if line.startswith("INSERT")]
    with pytest.raises(InputError) as imported:
        import_packages(db, [package])
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    kind, _title, text = message_boxes[-1]
    assert kind == "warning" and text == str(imported.value)
    assert text.startswith("Gói xa_vong.zip không dùng được: ")
    assert "đơn vị Z1 (Xã Vòng Một) gói thêm vào danh mục trái quy tắc của danh mục: Cấp trên " \
        "tạo thành vòng lặp: Z1 → Z2 → Z1." in text
    assert text.endswith("Chưa ghi gì vào cơ sở dữ liệu.")
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, PreviewDialog) and w.isVisible()]
    assert [line for line in db.conn.iterdump() if line.startswith("INSERT")] == before


def _looping_package(tmp_path):
    """A commune's package, its catalogue holding two units each the other's parent."""
    other = open_database(tmp_path / "xa_vong.db")
    try:
        add_catalogue(other)
        with transaction(other) as conn:
            conn.execute("INSERT INTO units(code, name, level) VALUES "
                         "('Z1', 'Xã Vòng Một', 'commune'), ('Z2', 'Xã Vòng Hai', 'commune')")
            conn.execute("UPDATE units SET parent_code = 'Z2' WHERE code = 'Z1'")
            conn.execute("UPDATE units SET parent_code = 'Z1' WHERE code = 'Z2'")
        package = tmp_path / "xa_vong.zip"
        export_package(other, package, dt.date(2025, 1, 1))
    finally:
        other.close()
    return package
