"""The import in the Dữ liệu menu (round 31, a clerk's walk): "Nhập dữ liệu…" was only a button
of the Báo cáo screen and of the welcome screen; a clerk looking for it under Dữ liệu, beside
the exchange packages and the reconciliation, found nothing."""
from __future__ import annotations

import pytest

from gui import file_dialogs, widgets
from gui.main_window import MainWindow
from tests.core.transfer.conftest import write_csv
from tests.gui.clicks import menu_pick


@pytest.fixture
def window(qtbot, db, db_path, office):
    win = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_the_data_menu_imports_a_file(qtbot, window, db, tmp_path, monkeypatch, message_boxes):
    source = write_csv(tmp_path / "don_vi.csv", ["code", "name", "level", "parent_code"],
                       [["000.99.01.H37", "UBND xã Thử Nghiệm", "commune", ""]])
    asked = []
    monkeypatch.setattr(widgets, "choose",
                        lambda *a, **k: asked.append(a) or "Đơn vị")
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    menu = window.import_action.associatedObjects()
    assert any(getattr(m, "title", lambda: "")() == "&Dữ liệu" for m in menu)
    menu_pick(qtbot, window, window.import_action)
    qtbot.waitUntil(lambda: db.execute("SELECT 1 FROM units WHERE code = '000.99.01.H37'")
                    .fetchone() is not None, timeout=10000)
    assert asked
