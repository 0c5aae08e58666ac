"""Room on the disks checked before an operation of packages begins, and a disk that fills
mid-way (issue 16 §3, sixteenth round): refused up front with a clear Vietnamese message
naming the disk, what is free and what is needed, nothing written and nothing extracted; the
command line exits 1 (spec 6: not bad input); a disk another program fills meanwhile gives the
clerk the disk-full message, and the whole operation is rolled back."""
from __future__ import annotations

import datetime as dt
import errno
import tempfile
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

import main
from core.exchange import export_package, merge, package, space
from core.exchange.merge import import_packages
from core.exchange.package import rows
from db.errors import DatabaseEnvironmentError
from tests.core.exchange.conftest import busy_day, clock_at, office, receive

SINCE = dt.date(2025, 10, 1)
MB = 1_000_000

pytestmark = pytest.mark.usefixtures("own_temp")


@pytest.fixture
def sent(tmp_path) -> list[Path]:
    """Two counters' format-3 packages (slots 1 and 2 of 3; the centre is 3), three dossiers
    each."""
    made = []
    for slot in (1, 2):
        counter = office(tmp_path / f"quay{slot}.db", (slot, 3))
        busy_day(counter)
        made.append(tmp_path / f"quay{slot}.zip")
        with clock_at(slot):  # one after the other: merged (and opened) in this order
            export_package(counter, made[-1], SINCE, format_version=3)
        counter.close()
    return made


@pytest.fixture
def centre(tmp_path):
    db = office(tmp_path / "trungtam.db", (3, 3))
    receive(db, "Người Ở Trung Tâm")
    yield db
    db.close()


def _held(db) -> tuple:
    return db.execute("SELECT (SELECT COUNT(*) FROM dossiers), (SELECT COUNT(*) FROM events), "
                      "(SELECT COUNT(*) FROM votes)").fetchone()


@pytest.fixture
def extracted(monkeypatch) -> list[str]:
    """The packages whose rows part was extracted, by name."""
    names: list[str] = []
    extract = package.PackageReader._extract

    def extracting(self, info):
        names.append(self.path.name)
        return extract(self, info)

    monkeypatch.setattr(package.PackageReader, "_extract", extracting)
    return names


def _free(monkeypatch, mb: int, disks: dict[str, object] | None = None) -> list[Path]:
    """The free space every disk says (a fake), and which disk each folder is on; returns
    the folders asked."""
    asked: list[Path] = []

    def free(folder: Path) -> int:
        asked.append(folder)
        return mb * MB

    monkeypatch.setattr(space, "free_bytes", free)
    if disks is not None:
        monkeypatch.setattr(space, "disk_of", lambda folder: next(
            (disk for start, disk in disks.items() if str(folder).startswith(start)), "other"))
    return asked


def test_too_little_room_is_refused_before_anything(centre, sent, monkeypatch, extracted):
    """One disk for the centre and the temporary folder, 50 MB free: refused before a part is
    extracted or a row written, the message naming the disk, what is free and needed."""
    before = _held(centre)
    _free(monkeypatch, 50)
    with pytest.raises(DatabaseEnvironmentError) as error:
        import_packages(centre, sent)
    said = error.value.message
    assert error.value.kind == "full"
    assert said.startswith("Ổ đĩa chứa thư mục ") and "còn trống 50 MB, cần khoảng " in said
    assert "MB để nhập 2 gói" in said and "Chưa ghi gì" in said, said
    assert str(Path(centre.path)) in said and "giải phóng ổ đĩa" in said
    needed = int(said.split("cần khoảng ")[1].split(" MB")[0].replace(".", ""))
    assert needed >= space.SPARE // MB  # the estimate and the spare
    assert extracted == [] and _held(centre) == before


def test_enough_room_goes_on(centre, sent, monkeypatch):
    asked = _free(monkeypatch, 1_000_000)
    batch = import_packages(centre, sent)
    assert batch.written and batch.total("dossiers")["new"] == 6
    assert asked  # the disks were asked


def test_the_disk_short_of_room_is_the_one_named(centre, sent, monkeypatch, tmp_path):
    """The centre on one disk, the temporary folder on another with room: the centre's disk
    is given only its own need, and the message names it and what it is for."""
    temp = tempfile.gettempdir()
    monkeypatch.setattr(space, "disk_of", lambda folder: "D" if str(folder) == temp else "C")
    monkeypatch.setattr(space, "free_bytes", lambda folder: (
        10**12 if str(folder) == temp else space.SPARE + 1))
    with pytest.raises(DatabaseEnvironmentError) as error:
        import_packages(centre, sent)
    said = error.value.message
    assert "cơ sở dữ liệu" in said and "thư mục tạm" not in said, said
    monkeypatch.setattr(space, "free_bytes", lambda folder: (
        space.SPARE + 1 if str(folder) == temp else 10**12))
    with pytest.raises(DatabaseEnvironmentError) as error:
        import_packages(centre, sent)
    said = error.value.message
    assert f"thư mục tạm {temp} cần khoảng" in said and "cơ sở dữ liệu " not in said, said


def test_a_windows_drive_is_named_by_its_letter():
    assert space.disk_name(PureWindowsPath(r"C:\Users\Mot Cua\AppData\Local\Temp")) == "Ổ đĩa C:"
    assert space.disk_name(PureWindowsPath(r"D:\MotCua\motcua.db").parent) == "Ổ đĩa D:"
    assert space.disk_name(PurePosixPath("/home/motcua")) == "Ổ đĩa chứa thư mục /home/motcua"


def test_the_estimate_takes_the_sizes_the_zip_declares():
    centre_needs, temp_needs = space.estimate([(20 * MB, True), (10 * MB, False)], 1)
    assert centre_needs == 20 * MB * space.CENTRE_RATIO + 10 * MB * space.JSON_RATIO
    assert temp_needs == 20 * MB + 20 * MB * space.KEYS_RATIO  # JSON Lines: read in place
    # at most `held` rows parts on disk at once: the largest ones, and every part's keys
    assert space.estimate([(50, True), (90, True), (70, True)], 2)[1] == 160 + 9


def test_the_command_line_exits_1_with_the_message(tmp_path, sent, capsys, monkeypatch):
    db = office(tmp_path / "cli.db")
    db.close()
    _free(monkeypatch, 20)
    code = main.main(["--db", str(tmp_path / "cli.db"), "exchange", "import", *map(str, sent)])
    _out, err = capsys.readouterr()
    assert code == 1
    assert "còn trống 20 MB, cần khoảng" in err and "để nhập 2 gói" in err, err
    assert "Traceback" not in err


def test_the_temporary_folder_filled_mid_way_is_said_so(centre, sent, monkeypatch):
    """The temporary folder's disk fills while the second package's part is extracted (an
    OSError ENOSPC from the write): the machine's problem named with the folder, not "the
    package is unusable"; nothing written."""
    before = _held(centre)
    fdopen = rows.os.fdopen
    opened: list[int] = []

    class Full:
        def __init__(self, file):
            self.file = file

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    def filling(handle, mode="r", *args, **kwargs):
        opened.append(handle)
        file = fdopen(handle, mode, *args, **kwargs)
        return Full(file) if len(opened) == 2 else file

    monkeypatch.setattr(rows.os, "fdopen", filling)
    monkeypatch.setattr(merge.opening, "OPENERS", 1)  # in turn: the second is the second opened
    with pytest.raises(DatabaseEnvironmentError) as error:
        import_packages(centre, sent)
    said = error.value.message
    assert error.value.kind == "full" and sent[1].name in said, said
    assert f"thư mục tạm {tempfile.gettempdir()}" in said and "Chưa ghi gì" in said
    assert _held(centre) == before
