"""Going back to the previous program after an update (docs/updating.md §6): restoring the backup
over the file the newer program already upgraded. The previous release kept that file as
«motcua-…-damaged.db» and said nothing more (round 34's walk), and so did this one for a file of
a newer schema than its own: the IT officer reads that the updated data is damaged. It is kept
whole, named for what it is (`…-v26-newer.db`), and the command and the window say so."""
from __future__ import annotations

import sqlite3

from core.maintenance import backup as backups
from core.maintenance import restore
from db.schema import SCHEMA_VERSION
from main import main
from tests.core.maintenance.test_maintenance import MOMENT, count, filled  # noqa: F401

NEWER = SCHEMA_VERSION + 1


def _made_newer(path) -> None:
    """The file as a newer MotCua would leave it: its header's schema ahead of this program."""
    conn = sqlite3.connect(str(path))
    conn.execute(f"PRAGMA user_version = {NEWER}")
    conn.close()


def test_a_newer_programs_file_is_kept_whole_and_named_for_it(filled, tmp_path):  # noqa: F811
    saved = backups.make_backup(filled, tmp_path / "usb", moment=MOMENT)
    _made_newer(filled)
    result = restore(saved, filled, backup_folder=tmp_path / "b", moment=MOMENT)
    assert result.previous_backup.name == f"motcua-20250314-093005-v{NEWER}-newer.db"
    kept = result.previous_backup
    assert count(kept, "PRAGMA user_version") == NEWER and count(kept) == 40  # whole
    assert result.newer == NEWER
    assert f"bản MotCua mới hơn (lược đồ {NEWER}), không hỏng" in result.kept_text()
    assert count(filled) == 40 and count(filled, "PRAGMA user_version") == SCHEMA_VERSION


def test_a_damaged_file_is_still_damaged(filled, tmp_path):  # noqa: F811
    saved = backups.make_backup(filled, tmp_path / "usb", moment=MOMENT)
    filled.write_bytes(b"hong" * 1000)
    result = restore(saved, filled, backup_folder=tmp_path / "b", moment=MOMENT)
    assert result.previous_backup.name.endswith("-damaged.db")
    assert result.newer == 0 and result.kept_text() == ""


def test_the_command_says_it(filled, tmp_path, capsys):  # noqa: F811
    saved = backups.make_backup(filled, tmp_path / "usb", moment=MOMENT)
    _made_newer(filled)
    assert main(["--db", str(filled), "restore", str(saved)]) == 0
    out = capsys.readouterr().out
    assert f"-v{NEWER}-newer.db" in out
    assert f"Tệp ấy là dữ liệu của bản MotCua mới hơn (lược đồ {NEWER}), không hỏng" in out
