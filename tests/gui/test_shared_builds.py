"""tests/gui's `built_once` is tests/copies.BuiltOnce, as tests/core/exchange's: a GUI test that
opens the module's shared build itself, not its own copy (`copied`), fails the next test that
asks for it, naming the files it changed."""
from __future__ import annotations

import pytest

from core.database import open_database
from gui.main_window import MainWindow
from tests.gui.conftest import add_catalogue


def _office(folder):
    db = open_database(folder / "office.db")
    add_catalogue(db)
    db.close()
    return folder / "office.db"


def test_a_window_opened_on_the_shared_build_is_caught(qtbot, built_once):
    shared = built_once("office", _office)
    as_built = shared.read_bytes()
    db = open_database(shared)  # the build itself, not this test's copy of it
    window = MainWindow(db, str(shared), auto_backup=False)  # signs in: writes the account
    qtbot.addWidget(window)
    window.close()
    db.close()
    with pytest.raises(AssertionError, match=r"not to its copy: \['office.db'\]"):
        built_once("office", _office)
    shared.write_bytes(as_built)  # the build as it was: the module's own end check passes
    assert built_once("office", _office) == shared
