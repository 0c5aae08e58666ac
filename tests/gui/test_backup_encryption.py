"""Encrypted backups from the window (issue 15 §3): the backup dialog's passphrase, and a restore
that asks for it — clicked and typed as a clerk would."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core import dossiers, maintenance, paths
from gui import errors, file_dialogs, worker
from gui.backup_dialog import PassphraseDialog
from gui.main_window import MainWindow
from tests.gui.clicks import click

SECRET = "Trong dong Ngoc Lu 1893"  # QTest types ASCII only (NFC: core tests)


@pytest.fixture
def shown_errors(monkeypatch):
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, *_: shown.append(exc))
    return shown


@pytest.fixture
def window(qtbot, db, db_path, office):
    main = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(main)
    return main


def type_into(qtbot, edit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def test_an_encrypted_backup_from_the_settings(qtbot, window, message_boxes):
    settings = window.show_screen("settings")
    click(qtbot, settings.backup_button)
    dialog = window.backup_dialog
    click(qtbot, dialog.encrypt)
    assert dialog.secret.isVisible() and dialog.secret.echoMode() == dialog.secret.EchoMode.Password
    type_into(qtbot, dialog.secret, "ngan")
    click(qtbot, dialog.ok_button)
    assert "ít nhất 10 ký tự" in dialog.form.errors["passphrase"].text() and dialog.isVisible()
    type_into(qtbot, dialog.secret, SECRET)
    type_into(qtbot, dialog.again, SECRET + ".")
    click(qtbot, dialog.ok_button)
    assert "không khớp" in dialog.form.errors["confirmation"].text() and dialog.isVisible()
    type_into(qtbot, dialog.again, SECRET)
    click(qtbot, dialog.ok_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10000)
    made = [f for f in paths.backup_dir(window.db_path).iterdir() if not f.name.startswith(".")]
    assert len(made) == 1 and made[0].name.endswith(".db.enc")
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("information", "Sao lưu") and str(made[0]) in text
    assert "được mã hoá" in text and SECRET not in text


def test_an_empty_passphrase_is_refused_in_the_dialog(qtbot, window, message_boxes):
    settings = window.show_screen("settings")
    click(qtbot, settings.backup_button)
    dialog = window.backup_dialog
    click(qtbot, dialog.encrypt)
    click(qtbot, dialog.ok_button)
    assert dialog.form.errors["passphrase"].text() == "Chưa nhập mật khẩu."
    assert dialog.isVisible() and not paths.backup_dir(window.db_path).exists()


def test_restore_asks_the_passphrase_and_a_wrong_one_can_be_typed_again(
        qtbot, window, db, db_path, monkeypatch, message_boxes, shown_errors):
    copy = maintenance.make_backup(db_path, passphrase=SECRET)  # six dossiers
    dossiers.create_dossier(db, unit_code="X01", procedure_code="1.004227", applicant_name="Vũ Nam")
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(copy))
    message_boxes.answer = QMessageBox.StandardButton.Yes
    settings = window.show_screen("settings")
    click(qtbot, settings.restore_button)
    dialog = window.findChild(PassphraseDialog)
    assert dialog is not None and dialog.isVisible() and copy.name in dialog.intro.text()
    type_into(qtbot, dialog.secret, "mat khau khong dung")
    click(qtbot, dialog.ok_button)
    assert "Mật khẩu không đúng" in dialog.form.errors["passphrase"].text()
    assert dialog.isVisible() and window.db is db  # nothing examined, nothing replaced
    type_into(qtbot, dialog.secret, SECRET)
    click(qtbot, dialog.ok_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: any(m[1] == "Khôi phục dữ liệu" and m[0] == "information"
                                for m in message_boxes), timeout=10000)
    assert shown_errors == [] and window.db is not db
    assert window.db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 6
    assert [m[0] for m in message_boxes] == ["question", "information"]


def test_a_damaged_encrypted_backup_is_refused_before_the_passphrase(
        qtbot, window, db, db_path, monkeypatch, message_boxes, shown_errors):
    copy = maintenance.make_backup(db_path, passphrase=SECRET)
    data = bytearray(copy.read_bytes())
    data[30] ^= 0x10
    copy.write_bytes(bytes(data))
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(copy))
    click(qtbot, window.show_screen("settings").restore_button)
    assert window.findChild(PassphraseDialog) is None
    assert f"{copy} bị hỏng ở phần đầu tệp" in shown_errors[0].message
    assert window.db is db and message_boxes == []


def test_a_damaged_chunk_is_refused_and_the_data_stays(qtbot, window, db, db_path, monkeypatch,
                                                       message_boxes, shown_errors):
    copy = maintenance.make_backup(db_path, passphrase=SECRET)
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0x01
    copy.write_bytes(bytes(data))
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(copy))
    message_boxes.answer = QMessageBox.StandardButton.Yes
    click(qtbot, window.show_screen("settings").restore_button)
    dialog = window.findChild(PassphraseDialog)
    type_into(qtbot, dialog.secret, SECRET)
    click(qtbot, dialog.ok_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=10000)
    assert "bị hỏng hoặc bị" in shown_errors[0].message and str(copy) in shown_errors[0].message
    assert window.db is db and message_boxes == []  # refused before the question
    assert [f.name for f in db_path.parent.iterdir() if f.name.startswith(".")] == []


def test_a_database_refused_at_start_is_replaced_from_an_encrypted_backup(
        qtbot, db, db_path, office, tmp_path, monkeypatch, message_boxes, shown_errors):
    """Before the main window exists: the passphrase dialog waits for its answer (exec)."""
    import types

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from gui import backup_restore
    copy = maintenance.make_backup(db_path, tmp_path / "usb", passphrase=SECRET)
    db.close()
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"\0" * 4096)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(copy))
    typed = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog):
            QTimer.singleShot(50, answer)
            return
        type_into(qtbot, dialog.secret, SECRET)
        typed.append(True)
        click(qtbot, dialog.ok_button)
    QTimer.singleShot(50, answer)
    refused = types.SimpleNamespace(kind="damaged", message=f"Tệp {broken} đã bị hỏng.")
    assert backup_restore.refused_at_start(broken, refused, broken) is True
    assert typed and shown_errors == []
    assert message_boxes[0][0] == "critical" and message_boxes[-1][1] == "Khôi phục dữ liệu"
    from tests.core.maintenance.test_maintenance import count
    assert count(broken) == 6


def test_a_bug_while_encrypting_from_the_window_logs_no_passphrase(qtbot, window, monkeypatch,
                                                                   message_boxes, data_dir):
    from core.maintenance import encryption

    def broken(*args, **kwargs):
        raise RuntimeError("lỗi lập trình giả định")
    monkeypatch.setattr(encryption.AESGCM, "encrypt", broken)
    click(qtbot, window.show_screen("settings").backup_button)
    dialog = window.backup_dialog
    click(qtbot, dialog.encrypt)
    type_into(qtbot, dialog.secret, SECRET)
    type_into(qtbot, dialog.again, SECRET)
    click(qtbot, dialog.ok_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10000)
    kind, _title, text = message_boxes[-1]
    assert kind == "critical" and SECRET not in text
    logs = list((data_dir / "logs").iterdir())
    assert logs and all(SECRET not in log.read_text(encoding="utf-8") for log in logs)
    assert "encrypt_file" in logs[0].read_text(encoding="utf-8")
    assert not [f for f in paths.backup_dir(window.db_path).iterdir()]  # nothing that looks like a backup


def test_round_trip_through_the_window(qtbot, window, db, monkeypatch, message_boxes,
                                       shown_errors):
    """Backed up encrypted with the dialog, a dossier added, restored with the passphrase."""
    settings = window.show_screen("settings")
    click(qtbot, settings.backup_button)
    dialog = window.backup_dialog
    click(qtbot, dialog.encrypt)
    type_into(qtbot, dialog.secret, SECRET)
    type_into(qtbot, dialog.again, SECRET)
    click(qtbot, dialog.ok_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10000)
    copy = next(paths.backup_dir(window.db_path).glob("*.db.enc"))
    dossiers.create_dossier(db, unit_code="X01", procedure_code="1.004227", applicant_name="Vũ Nam")
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 7
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(copy))
    message_boxes.answer = QMessageBox.StandardButton.Yes
    click(qtbot, settings.restore_button)
    asked = window.findChild(PassphraseDialog)
    type_into(qtbot, asked.secret, SECRET)
    click(qtbot, asked.ok_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: message_boxes[-1][1] == "Khôi phục dữ liệu"
                    and message_boxes[-1][0] == "information", timeout=10000)
    assert shown_errors == []
    assert window.db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 6
    kept = [f.name for f in paths.backup_dir(window.db_path).iterdir() if f.name.endswith(".db")]
    assert len(kept) == 1  # the data replaced is kept as a plain backup in the data folder
