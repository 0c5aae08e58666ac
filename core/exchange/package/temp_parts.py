"""The parts' files in the temporary folder (an extracted rows part, a copier's keys file):
made held by their process's lock, removed by it, and swept when a crashed or killed import
left them (core.exchange.package)."""
from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import threading
import time
from pathlib import Path

PART_PREFIX, PART_SUFFIX = "motcua-goi-", ".tmp"   # an extracted rows part's temporary file
STALE_SECONDS = 24 * 3600           # an unheld part this old is a crashed import's leftover
HELD_PREFIX = PART_PREFIX + "giu-"  # a part its import holds a lock on while it runs (new_part)
BEING_MADE = ".moi"                 # a held part's suffix till its lock is taken (Linux)
BEING_MADE_SECONDS = 60             # … a name it bears for microseconds: one this old, its lock
#                                     free, is a killed import's (sweep_stale_parts)
HOLD_BYTE = 1 << 40                 # Windows: the byte locked, past any part's data (LockFile
#                                     locks past the end of a file; a part is at most ROWS_MAX)
WINDOWS = os.name == "nt"


# A part (an extracted rows part, a copier's keys file) is held, from its creation to its
# removal, by a lock its process takes on a descriptor of its own opened on it: an exclusive
# flock() on Linux (it belongs to that open file description: closing another descriptor of
# the file, SQLite's own, drops no flock, unlike fcntl() record locks, db/filelocks.py), one
# byte far past the data locked with msvcrt.locking on Windows. The system drops it when the
# process ends however it ends (kill -9, crash, power cut), so the sweep before the next import
# removes a part exactly when its owner is known to be gone, never a running import's (another
# process's, or one of this process: its own parts are never even opened by the sweep). The
# lock is taken before the sweep can see the part (`_created`). A part of an older version
# (its name not HELD_PREFIX's: no lock) is still removed only once not touched for a day.
_holds: dict[str, int] = {}      # this process's parts (by name) -> the descriptor holding each
_abandoned: set[str] = set()     # of those, the ones done with that the system would not remove
_holds_lock = threading.Lock()


def new_part(kind: str = "", folder: str | Path | None = None) -> tuple[int, Path]:
    """A new part's file in the temporary folder (`folder`, else the system's), held by this
    process till `remove_part`: a descriptor open for writing it (the caller closes it) and
    its path. Held before the sweep can see it (`_created`)."""
    handle, path, hold = _created(HELD_PREFIX + kind, None if folder is None else str(folder))
    if hold is not None:
        with _holds_lock:
            _holds[path.name] = hold
    return handle, path


def _created(prefix: str, folder: str | None) -> tuple[int, Path, int | None]:
    """The part's file made and held: its writing descriptor, path and holding descriptor.
    Linux: made under a name the sweep does not look at, locked, then given its part's name
    (a hard link: never over an existing file), so a part the sweep sees is held from its
    first moment. Windows: made under its name; till its lock is taken the sweep may take
    it, but cannot remove it, open here (Python's handles do not share deletion). A temporary
    folder without locks (some network disks): a part as an older version's (no hold, None),
    removed a day after a crash."""
    while True:
        suffix = PART_SUFFIX if WINDOWS else BEING_MADE
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
        made, hold, path = Path(name), None, None
        try:
            hold = _hold(made)
            if hold is None:  # nobody else knows the name: never held elsewhere
                raise OSError(f"cannot lock {made.name}")
            if WINDOWS:
                return handle, made, hold
            path = made.with_name(made.name[:-len(BEING_MADE)] + PART_SUFFIX)
            try:
                os.link(made, path)
            except FileExistsError:
                path = None  # (a part of that name already: another name)
            except OSError:  # a file system without hard links
                if path.exists():
                    raise
                os.replace(made, path)
            made.unlink(missing_ok=True)
        except BaseException as exc:
            os.close(handle)
            if hold is not None:
                os.close(hold)
            made.unlink(missing_ok=True)
            if hold is None and isinstance(exc, OSError) and exc.errno is not None:
                break  # no lock could be taken here
            raise
        if path is not None:
            return handle, path, hold
        os.close(handle)
        os.close(hold)
    handle, name = tempfile.mkstemp(prefix=PART_PREFIX + prefix[len(HELD_PREFIX):],
                                    suffix=PART_SUFFIX, dir=folder)
    return handle, Path(name), None


def _hold(path: Path) -> int | None:
    """A descriptor of our own on the part, its lock taken; None when another holds it."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        if _lock(fd):
            return fd
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    return None


def _lock(fd: int) -> bool:
    """Take the part's lock on this descriptor without waiting; False when another holds it
    (another process, or another descriptor of this one)."""
    if WINDOWS:
        return _lock_windows(fd)
    import fcntl
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # (any other error: a file system without locks, raised)
    return True


def _unlock(fd: int) -> None:
    """Let go of the lock taken on this descriptor and close it."""
    try:
        if WINDOWS:
            _unlock_windows(fd)
    finally:
        os.close(fd)  # (Linux: the flock goes with its open file description's last descriptor)


# what msvcrt.locking raises when another handle holds the byte; any other error (a seek or
# lock the runtime or the disk refuses) is raised, and the part is made as an older version's
# (no hold, the one-day rule) rather than every import failing on that PC
_HELD_ELSEWHERE = frozenset({errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)})


def _lock_windows(fd: int) -> bool:
    import msvcrt
    os.lseek(fd, HOLD_BYTE, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    except OSError as exc:
        if exc.errno in _HELD_ELSEWHERE:
            return False
        raise
    return True


def _unlock_windows(fd: int) -> None:
    import msvcrt
    os.lseek(fd, HOLD_BYTE, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
    except OSError:
        pass  # (closing the handle lets go of it too)


def _owner_gone(path: Path) -> bool:
    """Is a held part's owner known to be gone: its lock free (taken and let go at once)?"""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        taken = _lock(fd)
    except OSError:
        taken = False
    if not taken:  # a running import's part: closed, or each sweep would keep one more open
        os.close(fd)
        return False
    _unlock(fd)
    return True


def remove_part(path: str | Path) -> bool:
    """An extracted rows part (or a copier's keys file) removed, its lock let go; False when
    the system refuses (on Windows a file still open in some process cannot be removed: it is
    held again, and the caller asks again later, or leaves it to sweep_stale_parts, which
    tries this process's own again each time, and another process's once its owner is gone).
    The one place such a file is removed."""
    path = Path(path)
    with _holds_lock:
        hold = _holds.pop(path.name, None)
        _abandoned.discard(path.name)
    if hold is not None:
        _unlock(hold)  # (Windows: our own descriptor would keep the file from going)
    try:
        path.unlink(missing_ok=True)
    except OSError:
        if hold is not None:
            with contextlib.suppress(OSError):
                again = _hold(path)
                if again is not None:
                    with _holds_lock:
                        _holds[path.name] = again
                        _abandoned.add(path.name)
        return False
    return True


def sweep_stale_parts(folder: Path, now: float | None = None) -> int:
    """Remove the parts a crashed or killed import left in the temporary folder (each ~17 MB a
    20,000-dossier package; a month of 50 packages ~0.9 GB): a held part whose owner is gone
    (its lock free), and this process's own that the system would not remove before; a part
    of an older version (no lock) once not touched for a day; a part's name of making that a
    killed import left (`_made_half`). Never a running import's part, another MotCua's or
    this one's. Returns how many were removed."""
    moment = time.time() if now is None else now
    limit = moment - STALE_SECONDS
    removed = sum(_made_half(path, moment)
                  for path in folder.glob(f"{HELD_PREFIX}*{BEING_MADE}"))
    for path in folder.glob(f"{PART_PREFIX}*{PART_SUFFIX}"):
        with _holds_lock:
            ours, done = path.name in _holds, path.name in _abandoned
        if ours:
            removed += done and remove_part(path)
            continue
        if path.name.startswith(HELD_PREFIX):
            removed += _owner_gone(path) and remove_part(path)
            continue
        try:
            stale = path.is_file() and path.stat().st_mtime < limit
        except OSError:
            continue
        removed += stale and remove_part(path)
    return removed


def _made_half(path: Path, now: float) -> bool:
    """A part's file a killed import left under its name of making (`_created`, Linux: killed
    between its creation and its lock, empty; or between its link and the removal of this
    name, the part's second name): removed when its lock is free and it is older than the
    microseconds a running import's bears that name (BEING_MADE_SECONDS: a sweep never takes
    one being made, whose lock is not taken yet). True when removed."""
    try:
        if path.stat().st_mtime > now - BEING_MADE_SECONDS or not path.is_file():
            return False
    except OSError:
        return False
    if not _owner_gone(path):
        return False
    try:
        path.unlink()
    except OSError:
        return False
    return True
