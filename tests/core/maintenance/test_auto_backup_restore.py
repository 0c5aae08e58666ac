"""The automatic daily backup (docs/reliability.md, "Automatic backups stay unencrypted"): it is
written in the data folder's backups/ (where the usual database itself lies in clear; another
database's in a folder of its own inside it), and it restores like any other backup, citizens'
data and history whole."""
from __future__ import annotations

import datetime as dt
import shutil

from core import paths
from core.database import open_database
from core.maintenance import backup as backups
from core.maintenance import check_database
from main import main
from tests.core.maintenance.test_maintenance import count, fill

MOMENT = dt.datetime(2025, 3, 14, 9, 30, 5)


def test_the_automatic_backup_lies_beside_the_database_and_restores_whole(data_dir, capsys):
    database = paths.default_db_path()
    db = open_database(database)
    fill(db)
    db.close()
    made = backups.auto_backup(database, moment=MOMENT)
    # no other place than the database's own folder holds the copy in clear
    assert made is not None and made.parent == database.parent / "backups"
    assert made.name == "motcua-20250314-093005-auto.db"
    before = count(database, "SELECT group_concat(applicant_name || status, ',') FROM dossiers")
    db = open_database(database)
    fill(db, dossiers=8, unit="X02")  # work done after the copy, then lost on the disk
    db.close()
    assert main(["--db", str(database), "restore", str(made)]) == 0
    assert "Đã khôi phục" in capsys.readouterr().out
    assert count(database) == 40
    assert count(database, "SELECT group_concat(applicant_name || status, ',') FROM dossiers") \
        == before
    assert all(f.ok for f in check_database(database))  # the history chain checks whole


def test_an_automatic_backup_carried_to_a_new_pc_restores_there(data_dir, tmp_path, capsys):
    source = tmp_path / "old-pc.db"
    db = open_database(source)
    fill(db)
    db.close()
    made = backups.auto_backup(source, tmp_path / "old-backups", moment=MOMENT)
    carried = shutil.copy(made, tmp_path / "usb-copy-auto.db")
    target = data_dir / "motcua.db"
    assert main(["--db", str(target), "restore", str(carried)]) == 0
    assert count(target) == 40 and all(f.ok for f in check_database(target))


def test_each_database_has_its_own_daily_copy_and_thinning(data_dir, tmp_path):
    """The demo (or a second office's file opened with --db) and the usual database both get
    today's automatic copy, each in its own folder: one's copy no longer stands for the other's,
    and thinning one never removes the other's copies."""
    usual, demo = paths.default_db_path(), paths.demo_db_path()
    other = tmp_path / "elsewhere" / "xa-tri-le.db"
    other.parent.mkdir()
    for database in (usual, demo, other):
        db = open_database(database)
        fill(db)
        db.close()
    made = [backups.auto_backup(database, moment=MOMENT) for database in (demo, usual, other)]
    assert all(copy is not None for copy in made)
    assert made[1].parent == data_dir / "backups"  # the usual database's, where it always was
    assert len({copy.parent for copy in made}) == 3
    assert made[0].parent.name.startswith("motcua-demo-")
    for day in range(1, 40):  # the demo opened every day for weeks: its copies thinned
        backups.auto_backup(demo, moment=MOMENT + dt.timedelta(days=day))
    assert made[1].exists() and made[2].exists()
    assert paths.backup_dir(usual) == paths.backup_dir() == data_dir / "backups"
    assert paths.backup_dir(other) == paths.backup_dir(str(other.parent / "." / other.name))
