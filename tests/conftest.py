"""Shared fixtures: headless Qt, a fresh temporary database and data folder for every test."""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The windows are tested on the office PC's screen: 1366×768 minus a 40 px taskbar (issue 14).
# Qt's offscreen platform takes its screens from a file; plain "offscreen" would be 800×600.
OFFICE_SCREEN = ROOT / "tests" / "office_screen.json"
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={OFFICE_SCREEN}"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402


@pytest.hookimpl(tryfirst=True)  # before pytest-qt imports Qt in its own pytest_configure
def pytest_configure(config):
    """Stop at once, saying what to install, when Qt cannot start here (see tests/qtcheck.py)."""
    if hasattr(config, "workerinput"):
        return  # a pytest-xdist worker: the main process has checked already
    from tests import qtcheck

    message = qtcheck.problem()
    if message:
        pytest.exit(message, returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    """Every test gets its own data folder, so nothing touches the user's real data."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def slot_confirmed(request, monkeypatch):
    """A database of a test is one PC alone, its code slot confirmed as 1 of 1 once its schema
    is made (spec 4: a real office's new file asks first, core.installation
    .unconfirmed_message), unless the test is marked `slot_unconfirmed` to see that question.
    Made in db.schema.migrate, the one step every way of making a test's file goes through
    (open_database, a scratch database, an older schema built by hand)."""
    if request.node.get_closest_marker("slot_unconfirmed"):
        return
    from core import installation
    from db import schema
    from db.connection import transaction

    migrate = schema.migrate

    def confirmed(db, *args, **kwargs):
        made = migrate(db, *args, **kwargs)
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'settings'").fetchone() and \
                not db.execute("SELECT 1 FROM settings WHERE key = ?",
                               [installation.SLOT_KEY]).fetchone():
            with transaction(db) as conn:
                conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)",
                             [installation.SLOT_KEY, '{"slot": 1, "of": 1}'])
        return made

    confirmed.confirms_slot = True  # type: ignore[attr-defined]  # tests/new_database.py
    confirmed.wraps = migrate  # type: ignore[attr-defined]  # compared there, being the same each test
    monkeypatch.setattr(schema, "migrate", confirmed)


@pytest.fixture(autouse=True)
def new_database_copied(request, monkeypatch, slot_confirmed, tmp_path_factory):
    """A new database of a test is a copy of one made once per test process by the product's
    own core.database.new_contents, then made the file's own by the product (its id, its place:
    tests/new_database.py): ~0.2 s of CPU less per file. A test of the creation itself is marked
    `real_new_database`. A slot_unconfirmed test copies a template of its own, made by the
    product's migration untouched (no code slot), as its files are made the real way."""
    if request.node.get_closest_marker("real_new_database"):
        return
    from core import database
    from tests import new_database

    monkeypatch.setattr(database, "new_contents", new_database.copying(
        tmp_path_factory.getbasetemp(), database.new_contents))


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def db(db_path):
    """A fresh, migrated, empty database."""
    from core.database import open_database

    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture(autouse=True)
def nobody_signed_in():
    """Each test starts as the operating-system user; a sign-in never leaks into the next test."""
    from db import actor

    actor.sign_out()
    yield
    actor.sign_out()
