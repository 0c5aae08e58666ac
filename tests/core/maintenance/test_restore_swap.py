"""What restore is given that is no backup, or cannot finish: a pipe or a device is refused
at once, and a swap the system refuses names the clerk's database, not the hidden copy."""
from __future__ import annotations

import errno
import os
import threading

import pytest

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


@pytest.mark.skipif(os.name != "posix", reason="named pipes and /dev/zero are POSIX")
@pytest.mark.parametrize("kind", ["pipe", "device"])
def test_a_pipe_or_a_device_is_refused_as_a_backup_without_waiting(filled, tmp_path, capsys,
                                                                  kind):
    """`restore` of a named pipe waited for ever for a writer (reading whether it was an
    encrypted backup); a link to /dev/zero was called a folder."""
    source = tmp_path / "sao-luu.db"
    if kind == "pipe":
        os.mkfifo(source)
    else:
        source.symlink_to("/dev/zero")
    done: list[int] = []
    worker = threading.Thread(target=lambda: done.append(
        main(["--db", str(filled), "restore", str(source)])), daemon=True)
    worker.start()
    worker.join(20)
    if not done:  # let the stuck thread go: a writer that closes at once ends its wait
        with open(source, "wb"):
            pass
        worker.join(5)
    assert done == [2]
    err = capsys.readouterr().err
    assert "không phải một tệp thông thường" in err and "thư mục" not in err, err
    assert count(filled) == 40
