"""The main window opens signed in for the tests written before the sign-in existed (issue 15):
an account with all three roles, made in the test's database when it has none. A test of the
gate itself is marked `@pytest.mark.signed_out`. Used by tests/gui and tests/reliability."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

TESTER = ("kiemthu", "Người kiểm thử", "kiemthu123", "2468")  # login, name, password, PIN


def tester_account(db):
    """The account with all three roles a test's main window opens for: made in the database
    when it has none yet (and can be written), else signed in as it is (issue 15 §1)."""
    import sqlite3

    from core import accounts
    from core.errors import MotCuaError
    from db.actor import Actor
    from db.connection import DatabaseEnvironmentError
    from db.schema import ROLES
    login, name, password, pin = TESTER
    try:
        if accounts.needs_first_admin(db) and not getattr(db, "read_only", False):
            with hashed_once(accounts, TESTER[2:]):
                made = accounts.create_account(db, login, name, ROLES, password, pin=pin)
            return made.as_actor()
    except (sqlite3.Error, DatabaseEnvironmentError, MotCuaError):
        pass  # a damaged or read-only file under test: no row, the same rights
    return Actor(login, name, frozenset(ROLES))


# The tests' own secrets hashed once per test process (scrypt: ~0.09 s of CPU each): the
# tester's password and PIN (twice per main window built), tests/gui/accounts_setup's (six per
# office of sign-in tests), then stored as the product stores any hash; only the salt is shared
# between the test databases of one process. Every other secret is hashed as ever.
_HASHED: dict[str, str] = {}


@contextlib.contextmanager
def hashed_once(accounts, secrets) -> Iterator[None]:
    """Meanwhile `accounts.hash_secret` of one of `secrets` is the one this process made."""
    real = accounts.hash_secret

    def hashed(secret: str) -> str:
        if secret not in secrets:
            return real(secret)
        if secret not in _HASHED:
            _HASHED[secret] = real(secret)
        return _HASHED[secret]
    accounts.hash_secret = hashed
    try:
        yield
    finally:
        accounts.hash_secret = real


@pytest.fixture(autouse=True)
def signed_in_main_window(request, monkeypatch):
    """A test that builds the main window finds it signed in with every role, as before the
    sign-in existed; `@pytest.mark.signed_out` tests the gate itself."""
    if request.node.get_closest_marker("signed_out"):
        return
    from db import actor
    from gui import main_window
    original = main_window.MainWindow.__init__

    def init(self, db, *args, **kwargs):
        if actor.signed_in() is None:
            actor.sign_in(tester_account(db))
        original(self, db, *args, **kwargs)
    monkeypatch.setattr(main_window.MainWindow, "__init__", init)
