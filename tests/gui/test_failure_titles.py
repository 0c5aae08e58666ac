"""Round 31: no box in front of the clerk is titled just "MotCua" when its caller knows what
failed — a damaged backup to restore, the reconciliation import's bad rows, the database that
cannot be opened, a dossier code not found in Thu phí… Each is titled by one rule,
gui.errors.failure_title ("Không thể đọc bản sao lưu"), as failed jobs and saves are."""
from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtWidgets import QPushButton

from core import maintenance
from db.connection import DatabaseEnvironmentError
from gui import backup_restore, file_dialogs
from gui.backup_dialog import PassphraseDialog
from gui.main_window import MainWindow
from gui.payments import PaymentsScreen
from tests.gui.clicks import click

GUI = Path(__file__).resolve().parents[2] / "gui"
# where the caller cannot know what failed: an exception escaping any slot
UNKNOWN = {("errors.py", "excepthook")}


def _untitled_calls() -> list[str]:
    """Every errors.show_error(...) without a title, every QMessageBox titled "MotCua"."""
    found = []
    for path in sorted(GUI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            name = getattr(function, "name", "")
            for call in ast.walk(function):
                if not isinstance(call, ast.Call):
                    continue
                callee = ast.unparse(call.func)
                untitled = callee in ("errors.show_error", "show_error") and len(call.args) < 3 \
                    and not any(k.arg == "title" for k in call.keywords)
                generic = callee.split(".")[-1] in ("QMessageBox", "inform", "warn", "confirm") \
                    and any(ast.unparse(a) in ("'MotCua'", "errors.TITLE") for a in call.args)
                if (untitled or generic) and (path.name, name) not in UNKNOWN:
                    found.append(f"{path.relative_to(GUI)}:{call.lineno}")
    return sorted(set(found))


def test_no_box_of_a_known_failure_is_titled_motcua():
    assert _untitled_calls() == []


def test_a_damaged_encrypted_backup_to_restore_names_what_failed(qtbot, db, db_path, office,
                                                                  monkeypatch, message_boxes):
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    copy = maintenance.make_backup(db_path, passphrase="Trong dong Ngoc Lu 1893")
    data = bytearray(copy.read_bytes())
    data[30] ^= 0x10  # its header: refused before the passphrase is asked
    copy.write_bytes(bytes(data))
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(copy))
    click(qtbot, window.show_screen("settings").restore_button)
    assert window.findChild(PassphraseDialog) is None and window.db is db
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("warning", "Không thể đọc bản sao lưu")
    assert "bị hỏng ở phần đầu tệp" in text


def test_a_code_not_found_in_thu_phi_names_what_failed(qtbot, db, office, monkeypatch,
                                                        message_boxes):
    from gui import widgets
    screen = PaymentsScreen(db)
    qtbot.addWidget(screen)
    monkeypatch.setattr(widgets, "ask_text", lambda *a, **k: "KHONG-CO-0001")
    button = next(b for b in screen.findChildren(QPushButton)
                  if b.text() == "Ghi nhận thanh toán…")
    click(qtbot, button)
    assert message_boxes[-1][:2] == ("warning", "Không thể tìm hồ sơ theo mã")
    assert "KHONG-CO-0001" in message_boxes[-1][2]


def test_a_database_refused_at_start_names_what_failed(tmp_path, monkeypatch, message_boxes):
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: "")  # then cancelled
    refused = DatabaseEnvironmentError("Tệp dữ liệu bị hỏng.", kind="damaged")
    path = tmp_path / "motcua.db"
    assert backup_restore.refused_at_start(path, refused, path) is False
    assert message_boxes[-1][:2] == ("critical", "Không thể mở cơ sở dữ liệu")


def test_the_rule_names_them(qtbot):
    from gui import errors
    assert errors.failure_title(errors.OPENING_DATABASE) == "Không thể mở cơ sở dữ liệu"
    assert errors.failure_title("Đang lập Biểu 06…") == "Không thể lập Biểu 06"
