"""An SQLite too old for the schema (unixepoch(), ->>: 3.38) is named before anything is opened:
on Linux, Python uses the system's SQLite (Ubuntu 22.04 has 3.37.2)."""
from __future__ import annotations

import sqlite3

import pytest

import main
from db import connection
from db.errors import DatabaseEnvironmentError


def test_the_oldest_sqlite_the_schema_runs_on():
    assert connection.sqlite_too_old((3, 38, 0)) is None
    assert connection.sqlite_too_old((3, 45, 1)) is None
    assert connection.sqlite_too_old() is None  # this machine's
    said = connection.sqlite_too_old((3, 37, 2))
    assert said is not None and "SQLite 3.37.2" in said and "3.38.0 trở lên" in said


def test_an_old_sqlite_opens_nothing_and_creates_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 37, 2))
    with pytest.raises(DatabaseEnvironmentError, match="SQLite 3.37.2"):
        connection.connect(tmp_path / "motcua.db")
    assert list(tmp_path.glob("motcua.db*")) == []


def test_the_command_line_says_so_without_a_traceback(tmp_path, monkeypatch, capsys, data_dir):
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 37, 2))
    assert main.main(["--db", str(tmp_path / "motcua.db"), "demo", "--dossiers", "10"]) == 1
    err = capsys.readouterr().err
    assert "SQLite 3.37.2" in err and "Traceback" not in err
    assert list(tmp_path.glob("motcua.db*")) == []
