"""The exchange tests' copies of what a module built once (conftest.built_once, copied): a plain
copy is a twin of the built file, which the product refuses a new code; a copy made with
`issues=True` is the installation at its new place, as the file a test made itself was."""
from __future__ import annotations

import pytest

from core import installation
from core.database import open_database
from core.errors import OperationError
from tests.copies import fingerprint, unchanged
from tests.core.exchange.conftest import copied, office, receive


@pytest.fixture
def built(tmp_path):
    """A counter's database that issued a code, closed (a file only)."""
    folder = tmp_path / "built"
    folder.mkdir()
    db = office(folder / "counter.db", (1, 2))
    receive(db, "Người A")
    db.close()
    return folder / "counter.db"


def _own_folder(tmp_path):
    folder = tmp_path / "own"
    folder.mkdir()
    return folder


def test_a_plain_copy_is_refused_a_code_beside_the_built_file(built, tmp_path):
    db = open_database(copied(built, _own_folder(tmp_path)))
    try:
        assert installation.home(db).state == "twin"
        with pytest.raises(OperationError, match="bản chép của tệp"):
            receive(db, "Người B")
    finally:
        db.close()


def test_a_copy_that_issues_is_the_installation_at_its_new_place(built, tmp_path):
    source = open_database(built)
    made_for, first = installation.home(source), installation.installation_id(source)
    source.close()
    target = copied(built, _own_folder(tmp_path), issues=True)
    db = open_database(target)
    try:
        assert installation.home(db).state == "here"
        assert installation.installation_id(db) == first  # the same installation, moved
        assert receive(db, "Người B")[1] == "U1-251020-0003"  # slot 1 of 2: its next code
    finally:
        db.close()
    source = open_database(built)  # the built file still knows its own place
    assert installation.home(source) == made_for
    source.close()


def test_a_test_writing_to_the_built_file_and_not_its_copy_is_caught(built, tmp_path):
    """built_once compares a build's files with what its build left (tests/copies.unchanged)
    each time it gives them again and at the module's end: a copy's changes pass, a change
    to the shared file fails, naming it."""
    made = fingerprint(built.parent)
    db = open_database(copied(built, _own_folder(tmp_path), issues=True))
    receive(db, "Người B")
    db.close()
    unchanged(built.parent, made)
    db = open_database(built)
    receive(db, "Người C")
    db.close()
    with pytest.raises(AssertionError, match=r"not to its copy: \['counter.db'\]"):
        unchanged(built.parent, made)
