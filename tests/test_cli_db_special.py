"""`--db` naming a pipe or a device: the caller's mistake, said as such (exit 2), without
waiting on the pipe; it was called "rỗng (0 byte)", or an I/O error of the disk by restore."""
from __future__ import annotations

import os

import pytest

import main
from core.database import open_database
from core.maintenance import backup as backups
from tests.core.factories import add_units

pytestmark = pytest.mark.skipif(os.name != "posix", reason="named pipes and /dev/zero are POSIX")


@pytest.fixture(params=["pipe", "device"])
def odd_db(request, tmp_path):
    path = tmp_path / "motcua.db"
    if request.param == "pipe":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    return path


@pytest.mark.parametrize("command", [["kpi", "--from", "2026-01-01", "--to", "2026-01-31"],
                                     ["check"], ["restore", "{backup}"],
                                     ["backup", "--to", "{usb}"]])  # was "Không tìm thấy" (exit 1)
def test_a_pipe_or_a_device_as_the_database_is_bad_input(odd_db, tmp_path, capsys, command):
    good = tmp_path / "good.db"
    db = open_database(good)
    add_units(db)
    db.close()
    backup = backups.make_backup(good, tmp_path / "usb")
    code = main.main(["--db", str(odd_db), *[p.format(backup=backup, usb=tmp_path / "usb2")
                                                   for p in command]])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "không phải một tệp thông thường" in err and "rỗng" not in err, err
    assert "không mong muốn" not in err
