"""The packages of an operation verified in threads a few ahead of the merge (merge._Opening):
the first verified before the transaction, the others while the ones before them are merged.
A package that fails its verification inside the transaction fails it all with its own
message, nothing written and no part file left; a cancel stops the verifications running; and
the package named is the first in the order given, whatever the threads' timing."""
from __future__ import annotations

import datetime as dt
import json
import threading
import zipfile
from pathlib import Path

import pytest

from core.errors import InputError
from core.exchange import export_package, merge, phases
from core.exchange.merge.units_first import _UnitsFirst
from core.exchange.package import MANIFEST, ROWS_PART, PackageReader
from tests.core.exchange.conftest import busy_day, package_members, repack, rewrite_rows

SINCE = dt.date(2025, 10, 1)
WAIT = 60  # seconds a test waits for a thread at most (never reached when it works)


@pytest.fixture(autouse=True)
def no_thread_left(own_temp):
    """Every extracted part gone after (`own_temp`) and no opening thread left."""
    yield own_temp
    assert not [t for t in threading.enumerate() if t.name.startswith("motcua-open")]


@pytest.fixture
def good(counter, tmp_path) -> Path:
    busy_day(counter)
    path = tmp_path / "tot.zip"
    export_package(counter, path, SINCE, format_version=3)
    return path


def _members(path) -> dict:
    return package_members(path)  # the signature kept (as the member round 28 wrote)


def _bad_checksum(good: Path, target: Path) -> Path:
    """The package with a byte of its rows part changed after its checksum was made."""
    members = _members(good)
    data = bytearray(members[ROWS_PART])
    data[len(data) // 2] ^= 0xFF
    members[ROWS_PART] = bytes(data)
    with zipfile.ZipFile(target, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return target


def _bad_record(good: Path, target: Path) -> Path:
    """A package that verifies (checksums made to match) with a dossier the merge refuses."""
    rewrite_rows(good, target, lambda conn: conn.execute(
        "UPDATE dossier_rows SET status = 'lost' WHERE id = (SELECT MAX(id) FROM dossier_rows)"))
    return target


@pytest.fixture
def merged(monkeypatch) -> list[str]:
    """The packages whose merge began (inside the transaction), by name."""
    seen: list[str] = []
    run = merge._Merger.run

    def running(self, conn):
        seen.append(Path(self.result.path).name)
        return run(self, conn)

    monkeypatch.setattr(merge._Merger, "run", running)
    return seen


@pytest.fixture
def openings(monkeypatch) -> list[merge._Opening]:
    made: list[merge._Opening] = []
    init = merge._Opening.__init__

    def making(self, *args, **kwargs):
        init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(merge._Opening, "__init__", making)
    return made


def _future(opening: merge._Opening, index: int):
    """Package `index`'s verification, once submitted (the main thread submits them)."""
    ready = threading.Event()
    while opening.verifying[index] is None:
        ready.wait(0.01)
    return opening.verifying[index]


def _written(db) -> tuple:
    return tuple(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                 for t in ("dossiers", "events", "votes", "units"))


def test_a_bad_checksum_after_the_first_packages_fails_it_all_in_its_own_words(
        good, db, tmp_path, merged):
    """The third package's part was changed: it is verified while the first ones are merged,
    so the merge had begun (the first package's dossiers copied); the operation fails with the
    third's message, nothing is written, and every part file is removed (`own_temp`)."""
    bad = _bad_checksum(good, tmp_path / "sua.zip")
    before = _written(db)
    with pytest.raises(InputError, match=r"Gói sua\.zip không dùng được: mã kiểm tra SHA-256 "
                                         r"của phần rows\.motcua không khớp"):
        merge.import_packages(db, [good, good, bad, good])
    assert merged[:2] == ["tot.zip", "tot.zip"]  # verified ahead, failed inside the transaction
    assert "sua.zip" not in merged
    assert _written(db) == before
    assert merge.import_packages(db, [good, good]).total("dossiers") == {"new": 3}  # once


def test_a_dry_run_meets_the_same_error(good, db, tmp_path, merged):
    bad = _bad_checksum(good, tmp_path / "sua.zip")
    with pytest.raises(InputError, match=r"sua\.zip.*SHA-256"):
        merge.import_packages(db, [good, bad], dry_run=True)
    assert merged == ["tot.zip"] and _written(db) == (0, 0, 0, 0)


def test_a_cancel_while_a_package_verifies_in_a_thread_stops_it(good, db, tmp_path,
                                                                monkeypatch, merged):
    """The clerk's Huỷ while the merge waits for the third package's verification (held in
    its thread): the wait asks the progress and hears it, the verification is stopped (the real one, which ends at
    its first chunk once told), nothing is written, no part file or thread is left."""
    slow = tmp_path / "cham.zip"
    slow.write_bytes(good.read_bytes())
    verify = PackageReader.verify
    started, outcome = threading.Event(), []

    def verifying(self, stop=None):
        if self.path.name == slow.name:
            started.set()
            assert stop is not None and stop.wait(WAIT)  # told to stop (the cancel)
            try:
                verify(self, stop)
            except BaseException as exc:
                outcome.append(exc)
                raise
            return
        verify(self, stop)

    monkeypatch.setattr(PackageReader, "verify", verifying)
    # (a wait in the merge: each package's units in its turn, as without the room for every
    # part at once; else every package is verified before any is merged, merge.units_first)
    monkeypatch.setattr(_UnitsFirst, "units_first", lambda self, conn: False)
    waiting, asked = [], []
    polled = merge._Opening._asked

    def polling(self):  # a wait for a package's verification asks the progress
        waiting.append(len(merged))
        polled(self)

    monkeypatch.setattr(merge._Opening, "_asked", polling)

    def progress(done, total):
        asked.append((done, total))
        # Huỷ, heard by a wait once the second package's merge has begun
        return not (waiting and waiting[-1] >= 2)

    with pytest.raises(InterruptedError):
        merge.import_packages(db, [good, good, slow, good], progress=progress)
    assert started.is_set() and merged == ["tot.zip", "tot.zip"]
    assert len(outcome) == 1 and isinstance(outcome[0], InterruptedError)  # stopped, in time
    # asked while waiting (as the second part's copy asked for the next part to screen, or
    # before the third's merge), the operation's total the manifests' 4 × 3; never below the
    # furthest shown before (core.exchange.passes: a wait re-asks 3 after 4 was shown); the
    # bar in thousandths of the whole operation, the rows its first part (core.exchange.phases)
    fill = asked[-1][0] / asked[-1][1]
    assert waiting[-1] == 2 and 0.15 < fill < 0.6, asked[-1]
    assert [done for done, _ in asked] == sorted(done for done, _ in asked)
    assert _written(db) == (0, 0, 0, 0)


def _made_at(path: Path, moment: str) -> Path:
    """The package as if made at `moment` (its manifest's created_at, the checksums made to
    match): merged before or after the others made at NOW (merge.merge_order)."""
    members = _members(path)
    manifest = json.loads(members[MANIFEST])
    manifest["created_at"] = moment
    members[MANIFEST] = json.dumps(manifest).encode()
    repack(members, path)
    return path


def test_an_earlier_package_s_bad_record_is_named_before_a_later_one_s_damage(
        good, db, tmp_path, monkeypatch, merged, openings):
    """A package merged before a damaged one holds a bad record (made earlier: merged first
    wherever it is given). The damaged one's verification has failed (in its thread) before
    the first's merge meets the bad record: the first is named all the same, as it comes
    first in the operation's order."""
    wrong = _made_at(_bad_record(good, tmp_path / "sai.zip"), "2025-10-20 15:00:00")
    bad = _bad_checksum(good, tmp_path / "sua.zip")
    run = merge._Merger.run
    failed = []

    def after_the_third(self, conn):
        if Path(self.result.path).name == "sai.zip":
            failed.append(_future(openings[-1], 2).exception(timeout=WAIT))
        return run(self, conn)

    monkeypatch.setattr(merge._Merger, "run", after_the_third)
    with pytest.raises(InputError, match=r"Gói sai\.zip không dùng được: .*hồ sơ"):
        merge.import_packages(db, [good, wrong, bad, good])
    assert len(failed) == 1 and "sua.zip" in str(failed[0]) and "SHA-256" in str(failed[0])
    assert _written(db) == (0, 0, 0, 0)
    # made after the damaged one, it is merged after it in any order given: the damaged one
    # is named, the bad record's merge never reached
    _made_at(wrong, "2025-10-20 17:00:00")
    for order in ([good, bad, wrong], [wrong, good, bad]):
        merged.clear()
        with pytest.raises(InputError, match=r"sua\.zip.*SHA-256"):
            merge.import_packages(db, order)
        assert "sai.zip" not in merged, order


def test_of_two_damaged_packages_the_first_in_order_is_named_whichever_fails_first(
        good, db, tmp_path, monkeypatch, openings):
    """The second and third packages are damaged; the third's verification fails first (the
    second's is held until it has): the second is named."""
    second = _bad_checksum(good, tmp_path / "hai.zip")
    third = _bad_checksum(good, tmp_path / "ba.zip")
    verify = PackageReader.verify
    order = []

    def verifying(self, stop=None):
        if self.path.name == "hai.zip":
            _future(openings[-1], 2).exception(timeout=WAIT)
        try:
            verify(self, stop)
        except InputError:
            order.append(self.path.name)
            raise

    monkeypatch.setattr(PackageReader, "verify", verifying)
    with pytest.raises(InputError, match=r"Gói hai\.zip không dùng được"):
        merge.import_packages(db, [good, second, third, good])
    assert order == ["ba.zip", "hai.zip"]
    assert _written(db) == (0, 0, 0, 0)


def test_a_package_whose_cheap_half_fails_is_named_after_the_ones_before_are_verified(
        good, db, tmp_path, merged):
    """The fourth file is no package (its cheap half fails before the transaction): the
    packages before it are verified first, and the damaged second is named, as when each was
    opened whole in turn; nothing was merged."""
    bad = _bad_checksum(good, tmp_path / "sua.zip")
    junk = tmp_path / "rac.zip"
    junk.write_bytes(b"rac")
    with pytest.raises(InputError, match=r"sua\.zip.*SHA-256"):
        merge.import_packages(db, [good, bad, good, junk])
    with pytest.raises(InputError, match=r"Gói rac\.zip không dùng được"):
        merge.import_packages(db, [good, good, junk, bad])
    assert merged == []


def test_a_package_that_says_no_count_is_verified_before_the_transaction(good, db, tmp_path,
                                                                         merged, monkeypatch):
    """The operation is sized by the manifests' counts (the progress, the bulk path): a
    package whose manifest says none is verified, with those before it, before anything."""
    members = _members(good)
    manifest = json.loads(members[MANIFEST])
    del manifest["counts"]
    members[MANIFEST] = json.dumps(manifest).encode()
    silent = tmp_path / "im.zip"
    repack(members, silent)
    with PackageReader(silent, verify=False) as reader:
        assert reader.declared() is None and not reader.verified
    damaged = _bad_checksum(silent, tmp_path / "sua.zip")
    with pytest.raises(InputError, match=r"sua\.zip.*SHA-256"):
        merge.import_packages(db, [good, good, damaged, good])
    assert merged == []  # found before the transaction
    planned = []  # the operation's size, as the merge counts it (its bar: core.exchange.phases)
    monkeypatch.setattr(phases.Phases, "plan",
                        lambda self, bulk, dossiers: planned.append(dossiers))
    batch = merge.import_packages(db, [good, silent, good], progress=lambda done, total: True)
    # the second `good` is the first given again: merged (nothing more written), counted once
    assert batch.total("dossiers") == {"new": 3, "identical": 3}
    assert planned == [9]
