"""`--out` naming a folder that exists is a name typed wrong, as a folder that does not exist
is: bad input (spec 6: exit 2), said before anything is written, no crash."""
from __future__ import annotations

import pytest

import main
from core.database import open_database
from tests.core.factories import add_units


@pytest.mark.parametrize("command", [
    ["report", "monthly", "--month", "2026-01", "--out", "{folder}"],
    ["report", "book", "--from", "2026-01-01", "--to", "2026-01-31", "--out", "{folder}"],
])
def test_out_naming_an_existing_folder_is_bad_input(tmp_path, capsys, command):
    db_path = tmp_path / "a.db"
    db = open_database(db_path)
    add_units(db)
    db.close()
    folder = tmp_path / "ra"
    folder.mkdir()
    code = main.main(["--db", str(db_path), *[p.format(folder=folder) for p in command]])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "đây là một thư mục" in err and "tên tệp" in err and "không mong muốn" not in err
    assert list(folder.iterdir()) == []
