"""A restore whose last step, the swap, is refused by the system (the database file marked
read-only): the message names the clerk's database, not the hidden staged copy, and nothing
is left behind."""
from __future__ import annotations

import errno
import os

from core.database import open_database
from core.maintenance import backup as backups
from main import main
from tests.core.maintenance.test_maintenance import count, fill


def test_a_refused_swap_names_the_database_not_the_staged_copy(filled, tmp_path, capsys,
                                                               monkeypatch):
    saved = backups.make_backup(filled, tmp_path / "usb")
    db = open_database(filled)
    fill(db, dossiers=8, unit="X02")  # work done after the backup, to be kept
    db.close()
    real_replace = os.replace

    def refuse(src, dst):
        if str(dst) == str(filled):
            raise PermissionError(errno.EACCES, "Access is denied", str(src), None, str(dst))
        return real_replace(src, dst)
    monkeypatch.setattr(os, "replace", refuse)
    assert main(["--db", str(filled), "restore", str(saved)]) == 1
    err = capsys.readouterr().err
    assert f"Không thay được tệp dữ liệu {filled}" in err, err
    assert ".motcua-restore" not in err and "không mong muốn" not in err, err
    assert count(filled) == 48
    assert not [p for p in filled.parent.iterdir() if p.name.startswith(".motcua-restore")]
