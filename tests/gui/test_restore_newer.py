"""Going back to this version after a newer one upgraded the file (docs/updating.md §6), from the
window: this version cannot open a newer program's file, so the window never opens on it and
«Dữ liệu → Khôi phục từ bản sao lưu…» is out of reach. Round 34's walk wrote the step with that
menu, and the window's «…-v26-newer.db» note (gui.backup_restore) was never shown: the start-up
box said «Hãy cập nhật MotCua.» with only «Đóng» (review34a). Now the start-up box offers the
restore for such a file as for a damaged one; the newer file is kept whole, named for what it
is, and the clerk is told it is not damaged."""
from __future__ import annotations

import sqlite3

import pytest

from core import maintenance
from db.errors import DatabaseEnvironmentError
from db.schema import SCHEMA_VERSION
from gui import backup_restore, errors, file_dialogs
from tests.core.maintenance.test_maintenance import count

NEWER = SCHEMA_VERSION + 1


@pytest.fixture
def shown_errors(monkeypatch):
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, *_: shown.append(exc))
    return shown


def _upgraded_by_a_newer_program(path) -> None:
    conn = sqlite3.connect(str(path))
    conn.execute(f"PRAGMA user_version = {NEWER}")
    conn.close()


def test_the_start_up_box_offers_the_restore_and_says_the_kept_file_is_a_newer_ones(
        qtbot, db, db_path, office, tmp_path, monkeypatch, message_boxes, shown_errors):
    from gui.app import _open_window
    saved = maintenance.make_backup(db_path, tmp_path / "usb")  # step 1, before the update
    db.close()
    _upgraded_by_a_newer_program(db_path)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(saved))
    window = _open_window(db_path)  # the start-up box's «Khôi phục từ bản sao lưu…» clicked
    assert window is not None and shown_errors == []
    qtbot.addWidget(window)
    (kind, title, text), *_ = message_boxes
    assert (kind, title) == ("critical", "Không thể mở cơ sở dữ liệu")
    assert f"phiên bản MotCua mới hơn (lược đồ {NEWER}" in text
    assert f"bấm «{backup_restore.RESTORE_BUTTON}»" in text  # what the button does
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("information", "Khôi phục dữ liệu")
    [kept] = [line for line in text.splitlines() if line.endswith(f"-v{NEWER}-newer.db")]
    assert f"Tệp ấy là dữ liệu của bản MotCua mới hơn (lược đồ {NEWER}), không hỏng" in text
    assert count(kept, "PRAGMA user_version") == NEWER  # kept whole
    assert window.db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 6
    window.db.close()


def test_a_newer_programs_file_is_refused_as_such(tmp_path):
    """The kind the start-up box reads (db.schema.check_compatible)."""
    from core.database import open_database
    path = tmp_path / "motcua.db"
    open_database(path).close()
    _upgraded_by_a_newer_program(path)
    with pytest.raises(DatabaseEnvironmentError) as refused:
        open_database(path)
    assert refused.value.kind == "newer"
