"""Where a package is written (issue 16 §3, round 20 follow-up): never over a file that is there
unless the clerk said so, never into a folder that is not, and nothing half-written — neither a
partial zip nor the loss of the file the name held (core.exchange.export.refuse_target,
core.exchange.package.PackageWriter)."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core.errors import InputError
from core.exchange.export import export_package
from core.exchange.package import PackageReader
from core.paths import SAVE_AGAIN
from tests.core.exchange.conftest import busy_day, office


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sender(tmp_path):
    db = office(tmp_path / "a.db")
    busy_day(db)
    db.close()
    return str(tmp_path / "a.db")


def export(capsys, db: str, out) -> tuple[int, str, str]:
    return run(capsys, "--db", db, "exchange", "export", "--since", "01/10/2025", "--out", str(out))


def test_the_command_never_writes_over_last_months_package(tmp_path, capsys, sender):
    """A clerk exporting this month's package under last month's name on the USB stick lost
    last month's (not yet taken to the centre): the command wrote over it without a word."""
    usb = tmp_path / "usb"
    usb.mkdir()
    package = usb / "goi-xa.zip"
    assert export(capsys, sender, package)[0] == 0
    last_month, kept = package.read_bytes(), package.stat().st_ino
    code, out, err = export(capsys, sender, package)
    assert code == 2 and out == ""
    # the rule of every file written from the command line (core.paths.refuse_existing)
    assert f"Tệp '{package}' đã có. Chưa ghi gì. Muốn thay tệp ấy, thêm --overwrite." in err, err
    assert "Traceback" not in err
    assert package.read_bytes() == last_month  # untouched
    assert sorted(p.name for p in usb.iterdir()) == ["goi-xa.zip"]  # nothing beside it
    code, out, _ = export(capsys, sender, usb / "goi-xa-thang-sau.zip")  # another name: written
    assert code == 0 and "Đã xuất gói" in out
    code, out, _ = run(capsys, "--db", sender, "exchange", "export", "--since", "01/10/2025",
                       "--out", str(package), "--overwrite")  # replaced, deliberately
    assert code == 0 and "Đã xuất gói" in out and package.stat().st_ino != kept
    assert sorted(p.name for p in usb.iterdir()) == ["goi-xa-thang-sau.zip", "goi-xa.zip"]


def test_a_folder_that_is_not_there_is_named_and_nothing_is_made(tmp_path, capsys, sender):
    missing = tmp_path / "E-usb-chua-cam" / "goi.zip"
    code, out, err = export(capsys, sender, missing)
    assert code == 2 and out == "", err  # the typed path's fault (spec 6), not the machine's
    assert f"Thư mục {missing.parent} không tồn tại" in err and "goi.zip" in err, err
    assert "Chưa ghi gì" in err and "Traceback" not in err
    assert not missing.parent.exists()
    (tmp_path / "goi.zip").mkdir()  # a folder where the file goes
    code, _, err = export(capsys, sender, tmp_path / "goi.zip")
    assert code == 2 and "là một thư mục" in err and "Traceback" not in err, err


def test_a_failed_export_leaves_the_file_it_was_to_replace_and_no_partial_zip(tmp_path):
    """The window replaces a file once its save dialog has asked (replace=True); a Huỷ or a
    failure after that removed the old file and left nothing (the zip was written in place)."""
    db = office(tmp_path / "a.db")
    busy_day(db)
    usb = tmp_path / "usb"
    usb.mkdir()
    target = usb / "goi.zip"
    export_package(db, target, dt.date(2025, 10, 1))
    before = target.read_bytes()
    with pytest.raises(InterruptedError):
        export_package(db, target, dt.date(2025, 10, 1), progress=lambda done, total: False,
                       replace=True)
    assert target.read_bytes() == before
    assert sorted(p.name for p in usb.iterdir()) == ["goi.zip"]

    def failing(done, total):
        raise OSError(5, "Input/output error")  # the stick pulled out half-way
    with pytest.raises(Exception, match="Không ghi được tệp gói"):
        export_package(db, target, dt.date(2025, 10, 1), progress=failing, replace=True)
    assert target.read_bytes() == before
    assert sorted(p.name for p in usb.iterdir()) == ["goi.zip"]
    # replaced when told to: a whole new package, readable
    export_package(db, target, dt.date(2025, 10, 2), replace=True)
    with PackageReader(target) as reader:
        assert reader.manifest.data["period"]["since"] == "2025-10-02"
    assert sorted(p.name for p in usb.iterdir()) == ["goi.zip"]
    # and never without being told
    with pytest.raises(InputError, match="đã có"):
        export_package(db, target, dt.date(2025, 10, 1))
    db.close()


def test_a_file_appearing_while_the_package_is_written_is_not_written_over(tmp_path, monkeypatch):
    """Checked before anything is written, and again when the package takes its name."""
    from core.exchange import export as export_module
    db = office(tmp_path / "a.db")
    busy_day(db)
    usb = tmp_path / "usb"
    usb.mkdir()
    target = usb / "goi.zip"
    writing = export_module._write_rows_part

    def meanwhile(*args, **kwargs):
        counts = writing(*args, **kwargs)
        target.write_bytes(b"another clerk's package")
        return counts
    monkeypatch.setattr(export_module, "_write_rows_part", meanwhile)
    with pytest.raises(InputError, match="đã có") as refused:
        export_package(db, target, dt.date(2025, 10, 1))
    # said in the window's words: its save dialog asked, this file came after (no --overwrite)
    assert refused.value.message.endswith(SAVE_AGAIN) and "--overwrite" not in refused.value.message
    assert target.read_bytes() == b"another clerk's package"
    assert sorted(p.name for p in usb.iterdir()) == ["goi.zip"]
    db.close()
