"""Copies of files a module built once (`built_once` in tests/core/exchange/conftest.py and
tests/gui/conftest.py), one for each test that changes them."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

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
