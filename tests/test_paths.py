"""core.paths: resources found the same way from source and from the built program; data in the
user's profile (%LOCALAPPDATA%\\MotCua on Windows), never inside the program folder."""
from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest

from core import paths
from core.paths import file_name_part

ROOT = Path(__file__).resolve().parent.parent


def test_from_source_resources_are_in_the_repository(monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert not paths.is_frozen()
    assert paths.resource_path("icons", "motcua.png") == ROOT / "resources" / "icons" / "motcua.png"
    assert paths.resource_path("icons", "motcua.png").is_file()


def test_frozen_resources_are_in_the_bundle_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    assert paths.is_frozen()
    assert paths.resource_path("fonts", "LiberationSerif-Regular.ttf") == (
        tmp_path / "_internal" / "resources" / "fonts" / "LiberationSerif-Regular.ttf")


def test_frozen_without_bundle_folder_falls_back_to_the_program_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "MotCua.exe"))
    assert paths.resource_path("demo") == tmp_path / "resources" / "demo"


def test_windows_data_folder_is_in_local_appdata_frozen_or_not(monkeypatch):
    env = {"LOCALAPPDATA": r"C:\Users\lan\AppData\Local"}
    expected = Path(r"C:\Users\lan\AppData\Local") / "MotCua"
    assert paths.data_dir(env=env, platform="win32") == expected
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", r"C:\Program Files\MotCua\_internal", raising=False)
    assert paths.data_dir(env=env, platform="win32") == expected


def test_an_explicit_data_folder_wins(tmp_path):
    env = {"LOCALAPPDATA": r"C:\Users\lan\AppData\Local", "MOTCUA_DATA_DIR": str(tmp_path)}
    assert paths.data_dir(env=env, platform="win32") == tmp_path


def test_database_and_backups_live_in_the_data_folder(data_dir):
    assert paths.default_db_path() == data_dir / "motcua.db"
    assert paths.backup_dir() == data_dir / "backups"
    assert paths.log_dir() == data_dir / "logs"


def test_app_icon_files_are_valid():
    png = paths.resource_path("icons", "motcua.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == (256, 256)
    ico = paths.resource_path("icons", "motcua.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for n in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack("<BBBBHHII", ico[6 + 16 * n:22 + 16 * n])
        assert ico[offset:offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + length <= len(ico)
        sizes.add(width or 256)
    assert {16, 32, 48, 256} <= sizes

@pytest.mark.parametrize("text, name", [
    ("TL-261127-0001", "TL-261127-0001"),
    ("../../etc/passwd", ".._.._etc_passwd"),
    ("A:B\\C*?\"<>|", "A_B_C______"),
    ("a\x01b\x7f", "a_b_"),
    ("x. ", "x"),
    ("...", "_"),
    ("", "_"),
    ("con", "_con"),
    ("LPT1.pdf", "_LPT1.pdf"),
    ("Phường Hà Đông", "Phường Hà Đông"),
])
def test_file_name_part_is_a_plain_name_on_every_system(text, name):
    assert file_name_part(text) == name


def test_a_folder_that_is_a_file_is_named_a_file_not_missing(tmp_path):
    """`--out bao-cao.csv/r.pdf` (a file typed where its folder goes) was told "Thư mục
    bao-cao.csv không tồn tại", while the clerk sees it right there."""
    from core.errors import InputError
    from core.paths import require_folder
    (tmp_path / "bao-cao.csv").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="bao-cao.csv là một tệp, không phải thư mục") as caught:
        require_folder(tmp_path / "bao-cao.csv" / "r.pdf")
    assert "không tồn tại" not in str(caught.value) and caught.value.exit_code == 2
