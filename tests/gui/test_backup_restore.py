"""Backups from the window: the daily start-up copy, "Sao lưu ngay" and "Khôi phục…"."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core import dossiers, maintenance, paths
from core.errors import OperationError
from gui import backup_restore, errors, file_dialogs, worker
from gui.main_window import MainWindow
from tests.gui.clicks import click, shortcut


@pytest.fixture
def shown_errors(monkeypatch):
    """errors.show_error opens its own modal box: record it instead."""
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, *_: shown.append(exc))
    return shown


def backups(auto: bool | None = None):
    from core.maintenance.backup import backups_in
    root = paths.backup_dir()  # a test database's own folder is inside it (paths.backup_dir)
    folders = [root, *(f for f in root.iterdir() if f.is_dir())] if root.is_dir() else []
    return [path for folder in folders for _, path in backups_in(folder, auto=auto)]


def open_window(qtbot, db, db_path, **kwargs) -> MainWindow:
    window = MainWindow(db, str(db_path), **kwargs)
    qtbot.addWidget(window)
    return window


def test_start_up_makes_one_backup_a_day(qtbot, db, db_path, office, shown_errors):
    window = open_window(qtbot, db, db_path)
    worker.wait_all()
    qtbot.waitUntil(lambda: window.backup_label.text() != "", timeout=5000)
    assert window.backup_label.text() == "Đã sao lưu tự động lúc 09:30"
    assert [p.name for p in backups(auto=True)] == ["motcua-20250611-093000-auto.db"]
    again = open_window(qtbot, db, db_path)  # same day: no second copy
    worker.wait_all()
    qtbot.wait(20)
    assert len(backups(auto=True)) == 1 and again.backup_label.text() == ""
    assert shown_errors == []


@pytest.mark.parametrize("failure", [OperationError("Ổ đĩa chứa thư mục X đã đầy, không ghi được "
                                                    "bản sao lưu."), ValueError("a bug")])
def test_a_failed_start_up_backup_is_a_note_never_a_dialog(qtbot, db, db_path, office, monkeypatch,
                                                            shown_errors, message_boxes, failure,
                                                            data_dir):
    def fail(path):
        raise failure
    monkeypatch.setattr(maintenance, "auto_backup", fail)
    window = open_window(qtbot, db, db_path)
    worker.wait_all()
    qtbot.waitUntil(lambda: window.backup_label.text() != "", timeout=5000)
    assert window.backup_label.text() == "Chưa sao lưu tự động được"
    assert "Chưa sao lưu tự động được: " in window.statusBar().currentMessage()
    if isinstance(failure, OperationError):
        assert "đã đầy" in window.backup_label.toolTip()
    else:  # a bug: logged, and the note says where
        log = next((data_dir / "logs").iterdir())
        assert f"Chi tiết đã được ghi vào: {log}" in window.backup_label.toolTip()
    assert shown_errors == [] and message_boxes == []


def test_backup_now_from_the_settings(qtbot, db, db_path, office, message_boxes):
    window = open_window(qtbot, db, db_path, auto_backup=False)
    settings = window.show_screen("settings")
    click(qtbot, settings.backup_button)
    dialog = window.backup_dialog  # plain unless "Mã hoá bằng mật khẩu" is ticked
    assert dialog.isVisible() and not dialog.secret.isVisible()
    click(qtbot, dialog.ok_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=5000)
    made = backups(auto=False)
    assert len(made) == 1
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("information", "Sao lưu") and str(made[0]) in text


def test_restore_replaces_the_data_and_the_window_carries_on(qtbot, db, db_path, office,
                                                             monkeypatch, message_boxes,
                                                             shown_errors):
    copy = maintenance.make_backup(db_path)  # six dossiers
    window = open_window(qtbot, db, db_path, auto_backup=False)
    dossiers.create_dossier(db, unit_code="X01", procedure_code="1.004227", applicant_name="Vũ Nam")
    kiosk_window = _open_kiosk(qtbot, window, monkeypatch)
    settings = window.show_screen("settings")
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(copy))
    message_boxes.answer = QMessageBox.StandardButton.Yes
    click(qtbot, settings.restore_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: any(m[1] == "Khôi phục dữ liệu" and m[0] == "information"
                                for m in message_boxes), timeout=5000)
    assert shown_errors == []
    assert not kiosk_window.isVisible()  # its connection had to go too
    assert window.db is not db
    assert window.db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 6
    assert window.current_key() == "settings" and window.stack.currentWidget() is window.screens["settings"]
    assert "Dữ liệu trước khi khôi phục được giữ ở" in message_boxes[-1][2]
    register = window.show_screen("dossiers")  # every screen works on the restored database
    assert register.model.rowCount() == 6
    assert "quá hạn 3" in window.counts_label.text()


def test_restore_of_a_wrong_file_changes_nothing(qtbot, db, db_path, office, tmp_path,
                                                 monkeypatch, message_boxes, shown_errors):
    wrong = tmp_path / "notes.db"
    wrong.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    window = open_window(qtbot, db, db_path, auto_backup=False)
    window.show_screen("dossiers")
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(wrong))
    message_boxes.answer = QMessageBox.StandardButton.Yes
    backup_restore.restore_dialog(window)
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=5000)
    assert "không phải là cơ sở dữ liệu MotCua" in shown_errors[0].message
    assert window.db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 6
    assert window.screens["dossiers"].model.rowCount() == 6


def test_restore_asks_first(qtbot, db, db_path, office, monkeypatch, message_boxes):
    copy = maintenance.make_backup(db_path)
    window = open_window(qtbot, db, db_path, auto_backup=False)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(copy))
    backup_restore.restore_dialog(window)  # the file is examined first, then the question
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=5000)
    assert window.db is db and message_boxes[-1][0] == "question"  # answered "No"


def _open_kiosk(qtbot, window, monkeypatch):
    from gui import widgets
    monkeypatch.setattr(widgets, "choose", lambda parent, title, label, items, *a:
                        next(i for i in items if i.endswith("(X01)")))
    shortcut(qtbot, window, Qt.Key.Key_F9)
    return window.kiosk_link.open_kiosks()[0]

