"""What the export proposes before the clerk changes anything: the day a package starts from
and the file's name (core.exchange.export.default_since, suggested_name)."""
from __future__ import annotations

import datetime as dt

from core import installation, timefmt
from core.database import open_database
from core.exchange.export import default_since, export_package, last_export, suggested_name
from tests.gui.conftest import add_catalogue

TODAY = dt.date(2025, 12, 1)


def _office(path):
    db = open_database(path)
    add_catalogue(db)
    return db


def test_before_any_package_everything_is_sent(tmp_path):
    from core import dossiers as D
    db = _office(tmp_path / "a.db")
    assert default_since(db, None, TODAY) == TODAY  # nothing yet: nothing to go back to
    D.create_dossier(db, unit_code="X01", procedure_code="1.004227", applicant_name="Người Một",
                     received_at=dt.datetime(2025, 3, 4, 9, 0))
    assert default_since(db, None, TODAY) == dt.date(2025, 3, 4)
    db.close()


def test_the_next_package_starts_on_the_day_of_the_last_one_of_that_scope(tmp_path, monkeypatch):
    db = _office(tmp_path / "a.db")
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2025, 11, 27, 16, 30))
    export_package(db, tmp_path / "x01.zip", dt.date(2025, 11, 1), "X01")
    # on the 1st of the month the old default (the 1st) left 27/11 .. 30/11 out
    assert default_since(db, "X01", TODAY) == dt.date(2025, 11, 27)
    assert last_export(db, "X01").since == dt.date(2025, 11, 1)
    # a package of X01 alone does not cover all units; one of all units covers X01
    assert last_export(db, None) is None
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2025, 11, 29, 8, 0))
    export_package(db, tmp_path / "all.zip", dt.date(2025, 11, 20))
    assert default_since(db, "X01", TODAY) == dt.date(2025, 11, 29)
    assert default_since(db, None, TODAY) == dt.date(2025, 11, 29)
    db.close()


def test_two_counters_never_propose_the_same_file_name(tmp_path):
    """Both saved into one shared folder or USB stick: the second must not write over the
    first (the same name made the clerk answer 'replace?' and lose the first PC's package)."""
    names = []
    for number, of in ((1, 2), (2, 2), (1, 1), (1, 1)):
        db = _office(tmp_path / f"pc{len(names)}.db")
        installation.set_slot(db, number, of)
        names.append(suggested_name(db, None, dt.date(2025, 11, 1), TODAY))
        db.close()
    assert len(set(names)) == 4, names  # even two PCs both left in slot 1 of 1
    assert names[1].startswith("goi-tat-ca-may2-") and names[1].endswith("-tu20251101-20251201.zip")


def test_an_export_cancelled_at_its_end_leaves_no_file_and_no_record(tmp_path):
    import pytest

    from core import dossiers as D
    db = _office(tmp_path / "a.db")
    D.create_dossier(db, unit_code="X01", procedure_code="1.004227", applicant_name="Người Một",
                     received_at=dt.datetime(2025, 3, 4, 9, 0))
    target = tmp_path / "goi.zip"
    with pytest.raises(InterruptedError):
        export_package(db, target, dt.date(2025, 3, 1), progress=lambda done, total: False)
    assert not target.exists()
    assert last_export(db, None) is None  # the next package still starts before it
    db.close()


def test_a_full_disk_under_the_package_names_the_package_not_the_database(tmp_path, monkeypatch,
                                                                          capsys):
    """zipfile's ENOSPC names no file: the command line said "Ổ đĩa đầy: không ghi được vào
    <the database>", sending the clerk to free space on the wrong disk. And a zip whose closing
    failed too (its directory is written last) must still leave no file."""
    import errno

    import main
    from core import dossiers as D
    from core.exchange import package
    from core.exchange.package import writer

    db_path = tmp_path / "a.db"
    db = _office(db_path)
    D.create_dossier(db, unit_code="X01", procedure_code="1.004227", applicant_name="Người Một",
                     received_at=dt.datetime(2025, 3, 4, 9, 0))
    db.close()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(package.PackageWriter, "file_part", full)
    monkeypatch.setattr(package.PackageWriter, "part", full)
    closing = writer.zipfile.ZipFile.close

    def close_fails(self):
        was_open = self.fp is not None
        closing(self)
        if was_open:  # once: the garbage collector closes it again, quietly
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer.zipfile.ZipFile, "close", close_fails)
    usb = tmp_path / "usb"
    usb.mkdir()
    target = usb / "goi.zip"
    code = main.main(["--db", str(db_path), "exchange", "export", "--since", "2025-03-01",
                      "--out", str(target)])
    err = capsys.readouterr().err
    assert code != 0
    assert str(target) in err and "a.db" not in err, err
    assert "đầy" in err
    assert not target.exists()


def test_a_units_code_cannot_take_the_suggested_file_name_out_of_the_folder(tmp_path):
    """A unit's code may hold '/', '\\', ':' (the desk, `import units` and a package keep them:
    core.unit_text refuses only control and invisible characters): the save dialog's suggestion
    'goi-../../X-…zip' opened another folder, 'goi-A:B-…' named a Windows stream or device. The
    name stays one plain file name (core.paths.file_name_part), as a slip's does."""
    db = _office(tmp_path / "a.db")
    try:
        for code in ("../../X01", "..\\..\\X01", "C:X01", "A|B?*"):
            name = suggested_name(db, code, dt.date(2025, 11, 1), TODAY)
            assert not set(name) & set('/\\:|?*<>"'), name
            assert name.startswith("goi-") and name.endswith("-tu20251101-20251201.zip"), name
        assert suggested_name(db, "X01", dt.date(2025, 11, 1), TODAY).startswith("goi-X01-may")
    finally:
        db.close()
