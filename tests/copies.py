"""What a module builds once (`built_once`: the one fixture of tests/gui and, with the signing
keys its builds made, of tests/core/exchange) and the copies of its files, one for each test
that changes them (`copied`), checked untouched (`fingerprint`, `unchanged`)."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from core import installation
from db.connection import connect


def copied(source: Path, folder: Path, *, issues: bool = False) -> Path:
    """A copy of the file `source` in `folder` (a test's own), the same name: a database must
    have been closed (no -wal beside it: nothing of it left out of the copy).

    A database copied so is a twin of the built one (still there): the product refuses it a
    new dossier code (core.installation.check_home). `issues=True`: the copy is that
    installation at its new place, told so as a new file is once renamed into place
    (installation.remember_home(db, path), core.database._create_new), as the file the test
    made itself was: it may issue codes (a re-code when keeping both)."""
    assert not Path(f"{source}-wal").exists(), f"{source} still open: its log would be left out"
    target = folder / source.name
    shutil.copyfile(source, target)
    if issues:
        db = connect(target, create=False)
        try:
            installation.remember_home(db, target)
        finally:
            db.close()
    return target


def fingerprint(folder: Path) -> dict[str, str]:
    """Each file under `folder` (what a module built once) and its SHA-256: taken when the
    build is made and compared each time it is given again (`unchanged`)."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def unchanged(folder: Path, made: dict[str, str]) -> None:
    """Fail when a file of a build is not as the build left it, or one was added (a test that
    opened the shared database leaves its log or changed rows): a test must write to its own
    copy (`copied`); the test asking next, or the module's end, names the files."""
    now = fingerprint(folder)
    changed = sorted(name for name in made.keys() | now.keys() if made.get(name) != now.get(name))
    assert not changed, f"a test wrote to what the module built once, not to its copy: {changed}"


class BuiltOnce:
    """`built_once(key, build)`: `build(folder)` run the first time a module asks for `key`
    (a counter's database and package, a package format…), in a folder of its own, its result
    given back thereafter. What the build leaves must be files only (its databases closed, so
    their write-ahead logs are folded in: `copied` checks) that each test copies before it
    changes them: the tests stay independent and order-free, and the same inputs are not made
    again for every case. Each build's files are as it left them whenever it is given again
    and at the module's end (`unchanged`, `all_unchanged`): a test that wrote to them fails
    there, naming the files.

    `kept`/`recall` (nothing here) carry what else a build leaves that each test must find
    again (tests/core/exchange/conftest.py: the signing keys its installations made)."""

    def __init__(self, tmp_path_factory) -> None:
        self._folders = tmp_path_factory
        self._made: dict = {}

    def __call__(self, key, build):
        if key not in self._made:
            folder = self._folders.mktemp("built")
            result, kept = self.kept(build, folder)
            self._made[key] = (result, kept, folder, fingerprint(folder))
        result, kept, folder, files = self._made[key]
        unchanged(folder, files)
        self.recall(kept)
        return result

    def kept(self, build, folder: Path) -> tuple:
        """The build's result and what else it left beside its files (here nothing)."""
        return build(folder), None

    def recall(self, kept) -> None:
        """Give a test what `kept` took from the build (here nothing)."""

    def all_unchanged(self) -> None:
        for _result, _kept, folder, files in self._made.values():
            unchanged(folder, files)


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """The module's `BuiltOnce` (above), every build checked untouched at the module's end."""
    builds = BuiltOnce(tmp_path_factory)
    yield builds
    builds.all_unchanged()
