"""Keep another process from deleting the write-ahead log this process still uses.

SQLite guards a WAL database on Linux with fcntl() record locks: a read lock on the database's
SHARED byte range and one on the "dead man switch" byte of the -shm file. Such locks belong to
the *process*, and the kernel drops all of them the moment the process closes *any* descriptor
on the file — a file dialog sniffing a file type, a header check with open(), a copy. A second
MotCua process that then connects and disconnects believes it is the last user: it checkpoints,
deletes the -wal and -shm, and everything this process writes afterwards goes to deleted files
and is lost (docs/reliability.md).

The first defence is that nothing in the program opens those files except SQLite. This module
is the second: while a connection of this process is open on a WAL database, it holds the same
two read locks as *open file description* locks (F_OFD_SETLK) on a descriptor of its own. OFD
locks belong to that descriptor, so closing another descriptor never drops them, and they
conflict with other processes' locks exactly like SQLite's own: the other process's EXCLUSIVE
lock at close fails, so it leaves the files alone, and it sees the -shm in use, so it never
resets it. Our own descriptor is closed only once no other descriptor of this process is open
on the file, so closing it cannot drop anybody's locks either.

Elsewhere (no OFD locks: Windows locks per handle and has no such problem) this is a no-op.
"""
from __future__ import annotations

import os
import struct
import threading
from dataclasses import dataclass, field
from typing import cast

try:
    import fcntl
    OFD_SETLK = getattr(fcntl, "F_OFD_SETLK", None)
except ImportError:  # Windows
    fcntl, OFD_SETLK = None, None  # type: ignore[assignment]

# SQLite's lock layout (os_unix.c): the database's SHARED range and the -shm's DMS byte.
SHARED_FIRST, SHARED_SIZE = 0x40000000 + 2, 510
SHM_DMS = 128
SIDECARS = ("-wal", "-shm", "-journal")

_lock = threading.Lock()
_guards: dict[tuple[int, int], _Guard] = {}


@dataclass
class _Guard:
    path: str
    fds: list[int] = field(default_factory=list)
    users: int = 0
    held: bool = False


def supported() -> bool:
    return OFD_SETLK is not None


def identity(path: str | os.PathLike) -> tuple[int, int] | None:
    """(device, inode) of a file, found with stat() — which, unlike open(), costs no lock."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def files_of(path: str | os.PathLike) -> tuple[tuple[int, int] | None, ...]:
    """The identities of the database, its -wal and its -shm (None for a missing one)."""
    return tuple(identity(f"{path}{suffix}") for suffix in ("", "-wal", "-shm"))


def hold(path: str | os.PathLike) -> tuple[int, int] | None:
    """Register one more connection to the WAL database at `path` and guard it; its key.

    Call it once the connection has read the file (so the -shm exists) and is in WAL mode.
    Where OFD locks do not exist the connection is only registered (see `is_live`).
    """
    key = identity(path)
    if key is None or identity(f"{path}-shm") is None:
        return None
    with _lock:
        guard = _guards.setdefault(key, _Guard(str(path)))
        guard.users += 1
        if supported():
            _lock_guard(guard)
    return key


def ensure(key: tuple[int, int] | None) -> None:
    """Take the locks again if they could not be taken before (another process held them)."""
    if key is None or not supported():
        return
    with _lock:
        guard = _guards.get(key)
        if guard is not None and guard.users and not guard.held:
            _lock_guard(guard)


def let_go(key: tuple[int, int] | None) -> None:
    """One connection fewer; the last one unlocks, so that its own close can clean up."""
    if key is None:
        return
    with _lock:
        guard = _guards.get(key)
        if guard is None or guard.users == 0:
            return
        guard.users -= 1
        if guard.users == 0 and guard.held:
            _set(guard, fcntl.F_UNLCK)
            guard.held = False


def sweep() -> None:
    """Close the descriptors of guards nobody uses, once no other descriptor of this process is
    open on their file (closing ours earlier would drop that descriptor's process locks)."""
    with _lock:
        idle = {key: guard for key, guard in _guards.items() if guard.users == 0}
        if not idle:
            return
        busy = _files_open_elsewhere(idle) if any(g.fds for g in idle.values()) else set()
        for key, guard in idle.items():
            if key in busy:
                continue
            for fd in guard.fds:
                os.close(fd)
            del _guards[key]


def held_paths() -> list[str]:
    """The databases this process has open (for the file dialogs, which must never list them)."""
    with _lock:
        return [guard.path for guard in _guards.values() if guard.users]


def is_live(path: str | os.PathLike) -> bool:
    """Is `path` a database a connection of this process has open, or one of its -wal, -shm or
    -journal files? Such a file must never be opened, copied or replaced as an ordinary file."""
    text = os.fspath(path)
    for suffix in SIDECARS:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    key = identity(text)
    with _lock:
        guard = _guards.get(key) if key else None
        return guard is not None and guard.users > 0


def _lock_guard(guard: _Guard) -> None:
    _open_pair(guard)
    guard.held = _set(guard, fcntl.F_RDLCK)


def _open_pair(guard: _Guard) -> None:
    """Our own descriptors on the database and its -shm. One opened before a failure stays:
    SQLite holds that file, so it is closed by sweep() once that is safe, never here."""
    for suffix in ("", "-shm")[len(guard.fds):]:
        try:
            guard.fds.append(os.open(f"{guard.path}{suffix}", os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)))
        except OSError:
            return


def _set(guard: _Guard, kind: int) -> bool:
    """Set (read) or clear the OFD locks; False when another process holds a write lock."""
    if len(guard.fds) != 2:
        return False
    ranges = ((guard.fds[0], SHARED_FIRST, SHARED_SIZE), (guard.fds[1], SHM_DMS, 1))
    try:
        for fd, start, length in ranges:
            # struct flock: l_type, l_whence, l_start, l_len, l_pid (0 for OFD locks)
            fcntl.fcntl(fd, cast(int, OFD_SETLK), struct.pack("hhqqixxxx", kind, os.SEEK_SET, start, length, 0))
    except OSError:
        if kind != fcntl.F_UNLCK:
            _set(guard, fcntl.F_UNLCK)
        return False
    return True


def _files_open_elsewhere(guards: dict[tuple[int, int], _Guard]) -> set[tuple[int, int]]:
    """Which of these files another descriptor of this process has open (/proc/self/fd)."""
    ours = {fd for guard in guards.values() for fd in guard.fds}
    found: set[tuple[int, int]] = set()
    try:
        entries = os.listdir("/proc/self/fd")
    except OSError:
        return set(guards)  # cannot tell: keep every descriptor open
    for entry in entries:
        if not entry.isdigit() or int(entry) in ours:
            continue
        key = identity(f"/proc/self/fd/{entry}")  # stat() through the link: no open, no close
        if key in guards:
            found.add(key)
    return found
