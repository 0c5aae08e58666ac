"""The check before the tests: a machine without Qt's system libraries gets one line to act on."""
from __future__ import annotations

import subprocess
from pathlib import Path

from tests import qtcheck

ROOT = Path(__file__).resolve().parent.parent


def test_missing_libraries_name_the_debian_packages_in_one_line():
    line = qtcheck.missing_message(["libEGL.so.1", "libxkbcommon.so.0", "libgthread-2.0.so.0"])
    assert line == ("Thiếu thư viện hệ thống của Qt: libEGL.so.1, libxkbcommon.so.0, "
                    "libgthread-2.0.so.0 / Qt system libraries missing: "
                    "apt-get install libegl1 libglib2.0-0 libxkbcommon0")


def test_a_library_without_a_known_package_is_still_named():
    line = qtcheck.missing_message(["libfoo.so.2"])
    assert "\n" not in line and "libfoo.so.2" in line.split(" / ")[1]


def test_a_loader_error_from_the_child_names_the_library(monkeypatch):
    error = ("ImportError: libEGL.so.1: cannot open shared object file: No such file or "
             "directory\n")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(
        a, 1, stdout="", stderr="Traceback (most recent call last):\n" + error))
    assert qtcheck.problem().endswith("apt-get install libegl1")


def test_the_readme_gives_the_same_apt_get_line():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "apt-get install " + " ".join(qtcheck.debian_packages()) + "\n" in readme
