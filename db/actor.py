"""Who is writing: the account signed in to the window, or the operating-system user.

Spec 10: every write is made by a signed-in account or by the command line on behalf of the
operating-system user, and every event, payment, vote, correction and setting change records
who. The window sets the signed-in account here when a clerk signs in and clears it when the
window locks; every writer in core/ and db/ reads it through `current()`, so no caller can forget
to pass it. It is one value per process on purpose: the window has one person at its keyboard,
and its workers act for that person.
"""
from __future__ import annotations

import contextlib
import getpass
from collections.abc import Iterator
from dataclasses import dataclass

OS_PREFIX = "os:"
SYSTEM_ROLE = "system"


@dataclass(frozen=True)
class Actor:
    """The account behind a write. `login` is what the tables record; `roles` what it may do."""

    login: str
    full_name: str
    roles: frozenset[str]

    @property
    def is_system(self) -> bool:
        return SYSTEM_ROLE in self.roles


def os_user() -> Actor:
    """The command line (or a script) writing on behalf of the operating-system user."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):   # no user name in the environment (a service)
        name = "unknown"
    return Actor(OS_PREFIX + name, name, frozenset({SYSTEM_ROLE}))


_current: Actor | None = None


def current() -> Actor:
    """The signed-in account, or the operating-system user when nobody signed in."""
    return _current if _current is not None else os_user()


def login() -> str:
    """What `actor` columns record for the current writer."""
    return current().login


def sign_in(actor: Actor) -> None:
    global _current
    _current = actor


def sign_out() -> None:
    global _current
    _current = None


def signed_in() -> Actor | None:
    """The account signed in to the window, None when none is (command line, locked window)."""
    return _current


@contextlib.contextmanager
def acting_as(actor: Actor | None) -> Iterator[None]:
    """Run a block as `actor` (None: the operating-system user), restoring the previous one."""
    global _current
    before = _current
    _current = actor
    try:
        yield
    finally:
        _current = before
