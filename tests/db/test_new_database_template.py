"""The tests' new databases are copies of a template made once per test process
(tests/new_database.py): a copy must equal, in everything but its own id and place, a file made
the real way, and two new files must never share an installation id."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from core import database, installation
from core.database import open_database
from core.new_file_rows import _rows
from db import structure
from tests import new_database

PRAGMAS = ("user_version", "application_id", "page_size", "journal_mode", "freelist_count",
           "page_count", "auto_vacuum", "encoding")


def described(path: Path) -> dict:
    """Everything a new file holds, the same in any two: its schema, its pragmas, its settings'
    keys, every table's rows (the settings but the file's own), its own id and place apart."""
    db = open_database(path, create=False)
    try:
        conn = db.conn
        own = dict(conn.execute("SELECT key, value FROM settings WHERE key IN (?, ?)",
                                [installation.ID_KEY, installation.HOME_KEY]).fetchall())
        return {"differences": structure.differences(conn),
                "schema": structure.describe(conn),
                "pragmas": {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in PRAGMAS},
                "settings keys": [row[0] for row in conn.execute(
                    "SELECT key FROM settings ORDER BY rowid")],
                "rows": _rows(conn),
                "own": {key: json.loads(value) for key, value in own.items()}}
    finally:
        db.close()


def made_by_copy(tmp_path_factory, monkeypatch, path: Path) -> Path:
    """`path` made as every unmarked test makes its new files (tests/conftest.py)."""
    with monkeypatch.context() as inside:
        inside.setattr(database, "new_contents", new_database.copying(
            tmp_path_factory.getbasetemp(), database.new_contents))
        open_database(path).close()
    return path


def copy_equals_real(tmp_path, tmp_path_factory, monkeypatch, confirms_slot: bool) -> list:
    """A file made by a copy of this way's template and one made the real way: equal but for
    their own id and place. Returns the settings' keys."""
    real = tmp_path / "real.db"
    open_database(real).close()
    copied = made_by_copy(tmp_path_factory, monkeypatch, tmp_path / "copied.db")
    template = tmp_path_factory.getbasetemp() / new_database.TEMPLATES[confirms_slot]
    assert template.is_file() and new_database._made[confirms_slot]["path"] == template  # copied
    made_real, made_copied = described(real), described(copied)
    assert made_real["differences"] == [] and made_copied["differences"] == []
    own_real, own_copied = made_real.pop("own"), made_copied.pop("own")
    assert made_copied == made_real
    assert made_real["rows"]["calendar"]
    assert {"audit.rows.payments", "audit.rows.votes"} <= set(made_real["settings keys"])
    # each its own: a new installation id, the place it is at, known as made by this process
    assert own_copied[installation.ID_KEY] != own_real[installation.ID_KEY]
    assert own_copied[installation.HOME_KEY] == installation.place_of(str(copied))
    assert own_real[installation.HOME_KEY] == installation.place_of(str(real))
    assert database.fresh_and_made_here(copied) and database.fresh_and_made_here(real)
    return made_real["settings keys"]


@pytest.mark.real_new_database
def test_a_copy_of_the_template_equals_a_file_made_the_real_way(tmp_path, tmp_path_factory,
                                                                 monkeypatch):
    keys = copy_equals_real(tmp_path, tmp_path_factory, monkeypatch, confirms_slot=True)
    assert "code_slot" in keys


@pytest.mark.real_new_database
@pytest.mark.slot_unconfirmed
def test_a_copy_of_the_unconfirmed_template_equals_a_file_made_the_real_way(
        tmp_path, tmp_path_factory, monkeypatch):
    """A slot_unconfirmed test's files: copies of a template of their own, with no slot."""
    keys = copy_equals_real(tmp_path, tmp_path_factory, monkeypatch, confirms_slot=False)
    assert "code_slot" not in keys


def test_every_new_database_of_a_test_is_a_copy_with_an_id_of_its_own(tmp_path, db):
    """The `db` fixture and any other new file of an unmarked test: copies, never one id twice."""
    assert database.new_contents.__qualname__.startswith("copying.")
    other = open_database(tmp_path / "other.db")
    try:
        ids = {installation.installation_id(one) for one in (db, other)}
    finally:
        other.close()
    assert len(ids) == 2


def test_a_builder_replaced_by_the_test_makes_the_file_the_real_way(tmp_path, monkeypatch):
    """A test that replaces a step of the creation sees it run (no copy passes it by)."""
    ran = []
    first_contents = database._first_contents
    monkeypatch.setattr(database, "_first_contents",
                        lambda db: ran.append(1) or first_contents(db))
    open_database(tmp_path / "new.db").close()
    assert ran == [1]


@pytest.mark.slot_unconfirmed
def test_an_unconfirmed_test_gets_no_slot_from_the_template(tmp_path):
    assert database.new_contents.__qualname__.startswith("copying.")  # a copy, of its template
    db = open_database(tmp_path / "new.db")
    try:
        assert not db.execute("SELECT 1 FROM settings WHERE key = ?",
                              [installation.SLOT_KEY]).fetchone()
    finally:
        db.close()


def test_the_template_is_never_opened_in_place(tmp_path):
    """The template stays as `new_contents` left it: nothing but copies are opened."""
    open_database(tmp_path / "a.db").close()
    template = new_database._made[True]["path"]
    conn = sqlite3.connect(f"{Path(template).resolve().as_uri()}?mode=ro", uri=True)
    try:
        keys = {row[0] for row in conn.execute("SELECT key FROM settings")}
    finally:
        conn.close()
    assert installation.ID_KEY not in keys and installation.HOME_KEY not in keys
