"""A killed import's extracted part is removed at the next import's sweep, not a day later
(round 18): each part is held by its process's lock (package.new_part) till removed, and the
sweep removes a part exactly when its lock is free — its owner gone, however it ended —
never a running import's, another process's or this one's."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from core.exchange import import_package
from core.exchange.package import (
    HELD_PREFIX,
    PART_SUFFIX,
    PackageReader,
    sweep_stale_parts,
    temp_parts,
)
from tests.core.exchange.test_format3 import sent  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[3]

# another MotCua process extracting a package's rows part (PackageReader, as an import does),
# then waiting till its input is closed
CHILD = """
import sys, tempfile
tempfile.tempdir = sys.argv[2]
from core.exchange.package import PackageReader
reader = PackageReader(sys.argv[1])
print(reader.part_path, flush=True)
sys.stdin.read()
reader.close()
"""


def _importing(path: Path, folder: Path) -> tuple[subprocess.Popen, Path]:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(folder)], cwd=ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    part = Path(child.stdout.readline().strip())
    assert part.parent == folder and part.stat().st_size > 0
    return child, part


def test_a_killed_imports_part_is_removed_by_the_next_import(sent, db, own_temp):  # noqa: F811
    """kill -9 while the part is on disk: the next import's sweep removes it at once (before:
    kept a day, ~17 MB a 20,000-dossier package)."""
    _two, three = sent
    child, part = _importing(three, own_temp)
    child.kill()  # SIGKILL: nothing of the child's own runs
    child.wait()
    assert child.stdin is not None and child.stdout is not None
    child.stdin.close()
    child.stdout.close()
    assert part.exists()
    assert import_package(db, three).dossiers["new"] == 3
    assert not part.exists()


def test_another_running_imports_part_is_kept(sent, db, own_temp):  # noqa: F811
    _two, three = sent
    child, part = _importing(three, own_temp)
    try:
        assert import_package(db, three).dossiers["new"] == 3
        assert sweep_stale_parts(own_temp, now=time.time() + temp_parts.STALE_SECONDS + 60) == 0
        assert part.exists()
    finally:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.close()  # its import ends: it removes its own part
        assert child.wait(timeout=60) == 0
        child.stdout.close()
    assert not part.exists()


def _open_descriptors() -> dict[str, str]:
    """This process's open descriptors and what each is open on."""
    found = {}
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # (the listing's own, closed already)
            found[fd] = os.readlink(f"/proc/self/fd/{fd}")
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(),
                    reason="reads this process's open descriptors from /proc (Linux)")
def test_imports_beside_another_running_import_keep_no_descriptor_open(sent, db,  # noqa: F811
                                                                       own_temp):
    """Another MotCua's import holds its part while this one previews, is cancelled and imports,
    20 times: each sweep looks at that part, finds its lock taken and leaves it, and this
    process has no more descriptors open than before. Before: each sweep kept the descriptor it
    opened to try the lock, one per running part, never closed (a test worker beside another
    reached 1,519 on six parts; at the system's limit nothing more opens, neither a package
    nor the database)."""
    _two, three = sent
    child, part = _importing(three, own_temp)
    try:
        import_package(db, three, dry_run=True)  # what opens once and stays (modules, caches)
        before = _open_descriptors()
        for round_ in range(20):
            assert import_package(db, three, dry_run=True).dossiers["new"] == (round_ == 0) * 3
            with pytest.raises(InterruptedError):
                import_package(db, three, progress=lambda done, total: False)
            assert import_package(db, three).dossiers["new"] == (round_ == 0) * 3
        kept = sorted(set(_open_descriptors().items()) - set(before.items()))
        assert not kept, f"{len(kept)} descriptors left open, e.g. {kept[:3]}"
        assert part.exists()  # the other import's part, never taken
    finally:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.close()
        assert child.wait(timeout=60) == 0
        child.stdout.close()
    assert not part.exists()


def test_this_processs_running_import_keeps_its_part(sent, db, own_temp):  # noqa: F811
    """A reader of this process waiting its turn (its part at rest, no connection open) while
    another import sweeps, even a day later: its part kept and still read."""
    _two, three = sent
    with PackageReader(three) as reader:
        part = reader.part_path
        assert part is not None and part.name.startswith(HELD_PREFIX)
        assert import_package(db, three).dossiers["new"] == 3
        assert sweep_stale_parts(own_temp, now=time.time() + temp_parts.STALE_SECONDS + 60) == 0
        assert part.exists()
        assert len(list(reader.records("dossiers.jsonl"))) == 3
    assert not part.exists()


def test_a_part_is_held_from_its_first_moment(own_temp, monkeypatch):
    """Linux: made under another name, locked, then named (a hard link): the sweep never sees
    a part whose lock is not taken yet; never linked over an existing part's name."""
    seen: list[int] = []
    hold = temp_parts._hold

    def holding(path):
        seen.append(sweep_stale_parts(own_temp))  # another process sweeping at that moment
        return hold(path)

    monkeypatch.setattr(temp_parts, "_hold", holding)
    taken = own_temp / f"{HELD_PREFIX}abc{PART_SUFFIX}"  # another running import's part
    taken.write_bytes(b"x")
    other = hold(taken)
    assert other is not None
    names = iter([str(own_temp / f"{HELD_PREFIX}abc{temp_parts.BEING_MADE}"),
                  str(own_temp / f"{HELD_PREFIX}def{temp_parts.BEING_MADE}")])

    def made(prefix, suffix, dir):  # noqa: A002 (mkstemp's own name)
        name = next(names)
        return os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL), name

    monkeypatch.setattr(temp_parts.tempfile, "mkstemp", made)
    taken_before = os.stat(taken).st_ino
    handle, part = temp_parts.new_part(folder=own_temp)
    os.close(handle)
    assert part.name == f"{HELD_PREFIX}def{PART_SUFFIX}" and os.stat(taken).st_ino == taken_before
    assert seen == [0, 0]  # neither the other's part nor the one being made
    assert sorted(p.name for p in own_temp.iterdir()) == sorted([taken.name, part.name])
    assert temp_parts.remove_part(part) and not part.exists()
    os.close(other)  # the other import killed
    assert sweep_stale_parts(own_temp) == 1 and not taken.exists()


@pytest.fixture
def windows(monkeypatch):
    """The Windows branch on this system: msvcrt.locking's byte locks, per handle and
    mandatory, stood in for by a table of this process's locks (a lock whose handle is closed
    is gone, as Windows drops it)."""
    held: dict[tuple[int, int, int], int] = {}
    taken: list[int] = []

    def identity(fd: int) -> tuple[int, int]:
        info = os.fstat(fd)
        return info.st_dev, info.st_ino

    def locking(fd: int, mode: int, nbytes: int) -> None:
        assert nbytes == 1
        key = (*identity(fd), os.lseek(fd, 0, os.SEEK_CUR))
        owner = held.get(key)
        if owner is not None and owner != fd:
            try:
                alive = identity(owner) == key[:2]
            except OSError:
                alive = False
            if alive:
                if mode == fake.LK_UNLCK:
                    raise PermissionError(13, "not this handle's lock")
                raise PermissionError(13, "locked by another handle")
        if mode == fake.LK_UNLCK:
            held.pop(key, None)
        else:
            held[key] = fd
            taken.append(key[2])

    fake = types.SimpleNamespace(LK_UNLCK=0, LK_NBLCK=2, locking=locking)
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(temp_parts, "WINDOWS", True)
    return taken


def test_the_windows_branch_holds_and_sweeps_alike(own_temp, windows):
    handle, part = temp_parts.new_part(folder=own_temp)
    with os.fdopen(handle, "wb") as out:
        out.write(b"rows")
    assert windows == [temp_parts.HOLD_BYTE]  # past any part's data: SQLite reads it unhindered
    assert temp_parts._hold(part) is None  # held: another handle cannot take it
    assert sweep_stale_parts(own_temp) == 0 and part.exists()
    # its owner gone (the handle closed without letting go, as a killed process's)
    os.close(temp_parts._holds.pop(part.name))
    assert sweep_stale_parts(own_temp) == 1 and not part.exists()
    handle, part = temp_parts.new_part(folder=own_temp)
    os.close(handle)
    assert temp_parts.remove_part(part) and not part.exists()  # let go first, then removed
    assert temp_parts._holds == {}


def test_a_temporary_folder_without_locks_gets_an_older_versions_part(own_temp, monkeypatch):
    """flock refused by the file system (some network disks): the import goes on, its part
    named as an older version's (no lock), removed by the sweep only a day after a crash."""
    import errno

    def unsupported(fd):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(temp_parts, "_lock", unsupported)
    handle, part = temp_parts.new_part(folder=own_temp)
    os.close(handle)
    assert part.name.startswith(temp_parts.PART_PREFIX) and not part.name.startswith(HELD_PREFIX)
    assert [p.name for p in own_temp.iterdir()] == [part.name] and part.name not in temp_parts._holds
    assert sweep_stale_parts(own_temp) == 0
    assert sweep_stale_parts(own_temp, now=time.time() + temp_parts.STALE_SECONDS + 60) == 1


@pytest.mark.parametrize("refusal", [OSError(22, "Invalid argument"), OSError(5, "I/O error")])
def test_a_lock_the_windows_runtime_refuses_gets_an_older_versions_part(own_temp, windows,
                                                                       monkeypatch, refusal):
    """msvcrt.locking refusing for another reason than another handle's lock (a runtime that
    cannot seek so far, a disk without locks): the import goes on with an unheld part."""
    import msvcrt  # the fake

    def refuse(fd, mode, nbytes):
        raise refusal
    monkeypatch.setattr(msvcrt, "locking", refuse)
    handle, part = temp_parts.new_part(folder=own_temp)
    os.close(handle)
    assert part.exists() and not part.name.startswith(HELD_PREFIX)
    assert part.name not in temp_parts._holds
    assert temp_parts.remove_part(part) and not part.exists()


def test_a_part_left_under_its_name_of_making_is_removed_by_the_next_import(sent, db, own_temp):  # noqa: F811
    """Issue 16 §3, round 19: an import killed between the creation of its part's file and its
    link (Linux) left a 0-byte `.moi` file, which no sweep looked at. The next import removes
    it once its lock is free and it is older than a part bears that name; never one another
    process holds, nor one being made this moment (its lock not taken yet)."""
    _two, three = sent
    old = time.time() - 3600  # (a part bears that name for microseconds)
    killed = own_temp / f"{HELD_PREFIX}abc{temp_parts.BEING_MADE}"
    killed.write_bytes(b"")
    held = own_temp / f"{HELD_PREFIX}def{temp_parts.BEING_MADE}"  # a live import's, held
    held.write_bytes(b"")
    for path in (killed, held):
        os.utime(path, (old, old))
    fresh = own_temp / f"{HELD_PREFIX}ghi{temp_parts.BEING_MADE}"  # being made: no lock yet
    fresh.write_bytes(b"")
    other = temp_parts._hold(held)
    assert other is not None
    try:
        assert import_package(db, three).dossiers["new"] == 3
        assert not killed.exists()
        assert held.exists() and fresh.exists()
    finally:
        os.close(other)  # that import killed too
    assert sweep_stale_parts(own_temp) == 1 and not held.exists()
    assert fresh.exists()  # its maker may still be between creation and lock
    assert sweep_stale_parts(own_temp, now=time.time() + 3600) == 1
    assert list(own_temp.iterdir()) == []
