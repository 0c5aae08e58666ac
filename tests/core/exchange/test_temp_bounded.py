"""The temporary folder of an operation of many packages stays bounded (issue 16 §3, sixteenth
round): each part's extracted file is removed as soon as nothing needs it any more (its merge
done, the copier's jobs on it ended), not at the operation's end; a file the system will not
remove yet (Windows: still open somewhere) is tried again, at last left to sweep_stale_parts."""
from __future__ import annotations

import multiprocessing
import pathlib
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from core.database import open_database
from core.exchange import fastcopy, merge, package, space
from core.exchange.merge import import_packages
from core.exchange.package import PART_PREFIX, PART_SUFFIX, remove_part, sweep_stale_parts
from db.errors import FULL, DatabaseEnvironmentError
from tests.core.exchange.test_many_parts import PACKAGES, packages  # noqa: F401 (a fixture)

MOST = merge.opening.AHEAD + 2 + merge.room.HELD_MAX  # the one merging, those verified ahead, those held


def _parts(folder: Path) -> list[Path]:
    """The rows parts extracted in the temporary folder (not the copier's keys' files)."""
    return [p for p in folder.glob(f"{PART_PREFIX}*{PART_SUFFIX}") if "khoa" not in p.name]


@pytest.fixture
def seen(monkeypatch) -> list[int]:
    """How many rows parts are on disk as each package's merge begins, and as each is
    extracted."""
    counts: list[int] = []
    run, extract = merge._Merger.run, package.PackageReader._extract

    def running(self, conn):
        counts.append(len(_parts(Path(tempfile.gettempdir()))))
        return run(self, conn)

    def extracting(self, info):
        made = extract(self, info)
        counts.append(len(_parts(Path(tempfile.gettempdir()))))
        return made

    monkeypatch.setattr(merge._Merger, "run", running)
    monkeypatch.setattr(package.PackageReader, "_extract", extracting)
    return counts


def _just_enough(monkeypatch, paths) -> None:
    """The disk (one for the centre and the temporary folder) has just the room the estimate
    asks (space.check_room), no more: the bound on the parts held applies."""
    sizes = []
    for path in paths:
        with zipfile.ZipFile(path) as archive:
            sizes.append((archive.getinfo(package.ROWS_PART).file_size, True))
    centre, temp = space.estimate(sizes, MOST)
    sqlite = space.sqlite_need(sizes)  # SQLite's own files (its folder: on this disk or not)
    monkeypatch.setattr(space, "free_bytes", lambda folder: centre + temp + sqlite + space.SPARE)


@pytest.mark.parametrize("second_process", [False, True], ids=["one process", "two processes"])
def test_twelve_parts_never_all_on_disk(packages, tmp_path, own_temp, monkeypatch, seen,  # noqa: F811
                                        second_process):
    """12 packages merged in one operation on a disk with just the room the estimate asks: at
    no moment more than a few parts' files in the temporary folder (before: all 12 till the
    end), every one gone after."""
    if second_process:
        monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    _just_enough(monkeypatch, packages[3])
    centre = open_database(tmp_path / "centre.db")
    batch = import_packages(centre, packages[3])
    assert batch.written and batch.total("dossiers")["new"] > 0
    assert len(seen) == 2 * PACKAGES
    assert max(seen) <= MOST < PACKAGES
    assert _parts(own_temp) == []
    centre.close()


def test_a_file_still_open_is_tried_again_then_left_to_the_sweep(packages, tmp_path,  # noqa: F811
                                                                  own_temp, monkeypatch):
    """On Windows a file open in some process cannot be removed: simulated by a
    PermissionError for every part's first removal, and for one part's every removal.
    The operation is not disturbed (everything written), each part is tried again at the
    next sweep, and the one never removable is left, held by this process, to the next
    sweep_stale_parts (before: only after a day)."""
    monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    _just_enough(monkeypatch, packages[3])
    refused: dict[str, int] = {}
    stuck: list[str] = []
    unlink = pathlib.Path.unlink

    def refusing(self, missing_ok=False):
        if self.name.startswith(PART_PREFIX) and self.name.endswith(PART_SUFFIX) \
                and "khoa" not in self.name:  # (a part, not one being made: .moi, Linux)
            if not stuck:
                stuck.append(self.name)
            refused[self.name] = refused.get(self.name, 0) + 1
            if self.name == stuck[0] or refused[self.name] == 1:
                raise PermissionError(13, "The process cannot access the file", str(self))
        return unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(pathlib.Path, "unlink", refusing)
    centre = open_database(tmp_path / "centre.db")
    batch = import_packages(centre, packages[3])
    assert batch.written
    assert len(refused) == PACKAGES and all(n >= 2 for n in refused.values())
    assert [p.name for p in _parts(own_temp)] == stuck  # left, as a crashed import's
    monkeypatch.setattr(pathlib.Path, "unlink", unlink)
    assert sweep_stale_parts(own_temp) == 1  # ours, done with: tried again at once
    assert _parts(own_temp) == []
    centre.close()


def test_with_room_for_every_part_the_jobs_keep_their_order(packages, tmp_path,  # noqa: F811
                                                              own_temp, monkeypatch):
    """A disk with room for every part: no job is moved ahead nor waited for (the merge as
    fast as before), each file still removed once its jobs end, none left."""
    monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    monkeypatch.setattr(space, "free_bytes", lambda folder: 10**15)
    given: list[str] = []
    monkeypatch.setattr(fastcopy.Copier, "give", lambda self, path: given.append(path))
    centre = open_database(tmp_path / "centre.db")
    assert import_packages(centre, packages[3]).written
    assert given == [] and _parts(own_temp) == []
    centre.close()


def test_the_parts_held_grow_with_the_room_left(packages):  # noqa: F811
    readers = [package.PackageReader(p, verify=False) for p in packages[3][:3]]
    try:
        largest = max(r.members[package.ROWS_PART].file_size for r in readers)
        assert merge.room._held_max(None, readers) == merge.room.HELD_MAX
        assert merge.room._held_max(0, readers) == merge.room.HELD_MAX
        assert merge.room._held_max(largest * 5 + 1, readers) == merge.room.HELD_MAX + 5
    finally:
        for reader in readers:
            reader.close()


def test_remove_part_says_when_the_system_refuses(tmp_path, monkeypatch):
    part = tmp_path / f"{PART_PREFIX}x{PART_SUFFIX}"
    part.write_bytes(b"x")

    def refuse(self, missing_ok=False):
        raise PermissionError(13, "in use", str(self))

    with monkeypatch.context() as patched:
        patched.setattr(pathlib.Path, "unlink", refuse)
        assert remove_part(part) is False
    assert part.exists()
    assert remove_part(part) is True and not part.exists()
    assert remove_part(part) is True  # gone already: nothing to do


def test_the_copier_counts_a_part_busy_till_its_jobs_end(tmp_path):
    """Copier.busy: a job kept for later needs its file till given and ended (`give`)."""
    with fastcopy.Copier(None, delta=Counter(), refresh=[], processes=False) as copier:
        ran: list[str] = []
        job = copier.later(lambda path: ran.append(path), "a.part")
        copier.use("a.part", job)
        assert copier.busy("a.part") and not copier.busy("b.part")
        copier.done_with("a.part")
        assert copier.busy("a.part")  # kept for later: still to run
        copier.give("a.part")
        assert ran == ["a.part"] and not copier.busy("a.part")
        assert copier.waiting == []


def test_a_disk_filled_mid_way_rolls_it_all_back(packages, tmp_path, own_temp,  # noqa: F811
                                                 monkeypatch):
    """The centre's disk fills from the second package on (SQLite's own SQLITE_FULL, made
    real by a page limit set as it begins): the clerk reads the disk-full message naming the
    database, nothing of the first package stays, no part file nor process is left."""
    monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)  # the second process too
    centre = open_database(tmp_path / "centre.db")
    before = centre.execute("SELECT (SELECT COUNT(*) FROM dossiers), (SELECT COUNT(*) FROM "
                            "events)").fetchone()
    run = merge._Merger.run
    merged: list[str] = []

    def filling(self, conn):
        merged.append(Path(self.result.path).name)
        if len(merged) == 2:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return run(self, conn)

    monkeypatch.setattr(merge._Merger, "run", filling)
    with pytest.raises(DatabaseEnvironmentError) as error:
        import_packages(centre, packages[3][:3])
    assert error.value.message == FULL.format(path=centre.path)
    assert merged[:2] == [p.name for p in packages[3][:2]]  # full from the second on
    centre.execute("PRAGMA max_page_count = 1073741823")
    assert centre.execute("SELECT (SELECT COUNT(*) FROM dossiers), (SELECT COUNT(*) FROM "
                          "events)").fetchone() == before
    assert not multiprocessing.active_children()
    assert _parts(own_temp) == [] and not list(own_temp.glob(f"{PART_PREFIX}*"))
    centre.close()


def test_a_job_given_but_not_yet_run_here_is_run_when_its_part_is_given():
    """With no second process a job given (`flush`, `spare`) runs only when its result is
    asked for: `give` runs it, so a part held for it is not waited for forever."""
    with fastcopy.Copier(None, delta=Counter(), refresh=[], processes=False) as copier:
        ran: list[str] = []
        job = copier.later(lambda path: ran.append(path), "a.part")
        copier.use("a.part", job)
        copier.flush()
        assert copier.busy("a.part") and ran == []
        copier.give("a.part")
        assert ran == ["a.part"] and not copier.busy("a.part")
