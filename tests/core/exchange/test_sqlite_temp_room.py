"""SQLite's own temporary folder checked for room before a merge (issue 16 §3, 24th round).

The merge runs with SQLite's temporary store in a file (core.exchange.bulk `big_cache`), and
SQLite picks that file's folder by its own rules: on Linux without TMPDIR it is /var/tmp, while
Python's temporary folder (the parts' files) is /tmp. An office whose /var/tmp sits on a small
full disk would fail late in the merge; the room check now asks that folder's disk too, and
names it when it is the one short of room."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core.exchange import space
from core.exchange.merge import import_packages
from db.errors import DatabaseEnvironmentError
from tests.core.exchange.test_space import _held, centre, extracted, sent  # noqa: F401

MB = 1_000_000

pytestmark = pytest.mark.usefixtures("own_temp")


def test_the_folder_is_chosen_as_sqlite_chooses_it_on_unix(tmp_path, monkeypatch):
    mine, other = tmp_path / "sqlite", tmp_path / "tmpdir"
    mine.mkdir()
    other.mkdir()
    assert space.sqlite_temp_folder({"SQLITE_TMPDIR": str(mine), "TMPDIR": str(other)},
                                    windows=False) == mine
    # a variable naming no folder is passed over, as SQLite passes it over
    assert space.sqlite_temp_folder({"SQLITE_TMPDIR": str(tmp_path / "khong-co"),
                                     "TMPDIR": str(other)}, windows=False) == other
    # neither set: /var/tmp, then /usr/tmp, then /tmp, the first SQLite may write in
    assert space.sqlite_temp_folder({}, windows=False) == Path("/var/tmp")
    access = os.access
    monkeypatch.setattr(space.os, "access", lambda path, mode: (
        str(path) not in ("/var/tmp", "/usr/tmp") and access(path, mode)))
    assert space.sqlite_temp_folder({}, windows=False) == Path("/tmp")
    # by default the process's own environment
    monkeypatch.setenv("SQLITE_TMPDIR", str(mine))
    assert space.sqlite_temp_folder(windows=False) == mine


def test_the_folder_is_chosen_as_sqlite_chooses_it_on_windows():
    """GetTempPathW's order, which SQLite asks on Windows: TMP, TEMP, USERPROFILE, Windows."""
    every = {"TMP": r"D:\Tam", "TEMP": r"C:\Users\motcua\AppData\Local\Temp",
             "USERPROFILE": r"C:\Users\motcua", "SystemRoot": r"C:\WINDOWS"}
    chosen = []
    for left_out in ((), ("TMP",), ("TMP", "TEMP"), ("TMP", "TEMP", "USERPROFILE")):
        environ = {k: v for k, v in every.items() if k not in left_out}
        chosen.append(str(space.sqlite_temp_folder(environ, windows=True)))
    assert chosen == [r"D:\Tam", r"C:\Users\motcua\AppData\Local\Temp", r"C:\Users\motcua",
                      r"C:\WINDOWS"]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("variables", [("SQLITE_TMPDIR", "TMPDIR"), ("TMPDIR",)])
def test_sqlite_itself_writes_where_the_check_looks(tmp_path, variables):
    """The rules above are SQLite's own: a process whose sort spills to a temporary file (a
    tiny cache, the store in a file) opens it in the folder `sqlite_temp_folder` names for
    that environment (SQLite unlinks the file as it opens it: /proc shows it)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("SQLITE_TMPDIR", "TMPDIR")}
    for name in variables:
        (tmp_path / name).mkdir()
        environ[name] = str(tmp_path / name)
    script = textwrap.dedent("""
        import os, sqlite3
        conn = sqlite3.connect(":memory:")
        conn.execute("PRAGMA temp_store = FILE")
        conn.execute("PRAGMA cache_size = 10")
        seen = set()
        rows = conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                            "WHERE i < 200000) SELECT i, hex(randomblob(40)) FROM n ORDER BY 2")
        for i, _ in enumerate(rows):
            if i % 1000 == 0:
                for fd in os.listdir("/proc/self/fd"):
                    try:
                        target = os.readlink(f"/proc/self/fd/{fd}")
                    except OSError:  # the listing's own descriptor, closed since
                        continue
                    if "(deleted)" in target:
                        seen.add(os.path.dirname(target))
        print("\\n".join(sorted(seen)))
    """)
    out = subprocess.run([sys.executable, "-c", script], env=environ, capture_output=True,
                         text=True, check=True).stdout.split()
    expected = space.sqlite_temp_folder(environ, windows=False)
    assert out == [str(expected)] and expected == tmp_path / variables[0]


def _disks(monkeypatch, free: dict[str, int]) -> list[Path]:
    """Each folder's disk by the start of its path (the first that fits), its free bytes a
    fake; returns the folders asked."""
    asked: list[Path] = []

    def disk(folder) -> str:
        return next(start for start in free if str(folder).startswith(start))

    def room(folder: Path) -> int:
        asked.append(folder)
        return free[disk(folder)]

    monkeypatch.setattr(space, "disk_of", disk)
    monkeypatch.setattr(space, "free_bytes", room)
    return asked


def test_a_full_var_tmp_refuses_the_merge_naming_it(centre, sent, monkeypatch, extracted):  # noqa: F811
    """Linux without TMPDIR: SQLite's files go to /var/tmp. Its disk has only the spare left
    (the centre's and Python's temporary folder's disk plenty): refused before a part is
    extracted or a row written, the message naming /var/tmp and what SQLite's files need."""
    monkeypatch.delenv("SQLITE_TMPDIR", raising=False)
    monkeypatch.delenv("TMPDIR", raising=False)
    before = _held(centre)
    asked = _disks(monkeypatch, {"/var/tmp": space.SPARE, "": 10**12})
    with pytest.raises(DatabaseEnvironmentError) as error:
        import_packages(centre, sent)
    said = error.value.message
    assert error.value.kind == "full"
    assert said.startswith("Ổ đĩa chứa thư mục /var/tmp còn trống 100 MB, cần khoảng "), said
    assert "tệp tạm của SQLite trong thư mục /var/tmp cần khoảng 1 MB" in said, said
    assert "để nhập 2 gói" in said and "Chưa ghi gì" in said, said
    assert str(centre.path) not in said and "thư mục tạm " not in said, said
    assert Path("/var/tmp") in asked
    assert extracted == [] and _held(centre) == before


def test_with_room_on_var_tmp_the_merge_goes_on(centre, sent, monkeypatch):  # noqa: F811
    monkeypatch.delenv("SQLITE_TMPDIR", raising=False)
    monkeypatch.delenv("TMPDIR", raising=False)
    asked = _disks(monkeypatch, {"/var/tmp": space.SPARE + 10 * MB, "": 10**12})
    batch = import_packages(centre, sent)
    assert batch.written and batch.total("dossiers")["new"] == 6
    assert Path("/var/tmp") in asked


def test_one_disk_for_both_temporary_folders_counts_both(tmp_path, monkeypatch):
    """SQLITE_TMPDIR on the same disk as Python's temporary folder: the parts' files and
    SQLite's own are added up on it (100 MB part: 104 MB of parts and keys, 8 MB SQLite's,
    100 MB spare)."""
    monkeypatch.setenv("SQLITE_TMPDIR", str(tmp_path))
    monkeypatch.setattr(space, "disk_of", lambda folder: "T")
    monkeypatch.setattr(space, "free_bytes", lambda folder: 210 * MB)
    with pytest.raises(DatabaseEnvironmentError) as error:
        space.check_room(None, tmp_path / "tam", [(100 * MB, True)], 1, "nhập 1 gói")
    said = error.value.message
    assert "còn trống 210 MB, cần khoảng 212 MB để nhập 1 gói" in said, said
    assert f"thư mục tạm {tmp_path / 'tam'} cần khoảng 104 MB" in said, said
    assert f"tệp tạm của SQLite trong thư mục {tmp_path} cần khoảng 8 MB" in said, said
    monkeypatch.setattr(space, "free_bytes", lambda folder: 213 * MB)
    assert space.check_room(None, tmp_path / "tam", [(100 * MB, True)], 1, "x") == 1 * MB
