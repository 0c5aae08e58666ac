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
import threading
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
# A background job keeps acting for the person who started it, even if the window locks or
# another clerk signs in before it ends (gui.worker sets this in the job's thread).
_thread = threading.local()


def current() -> Actor:
    """Who the running code writes for: the job's starter in a worker thread, else the
    signed-in account, else the operating-system user."""
    started_by = getattr(_thread, "actor", None)
    if started_by is not None:
        return started_by
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


@contextlib.contextmanager
def in_this_thread(actor: Actor) -> Iterator[None]:
    """Run a block of this thread as `actor`, whatever the window's account becomes meanwhile."""
    before = getattr(_thread, "actor", None)
    _thread.actor = actor
    try:
        yield
    finally:
        _thread.actor = before
