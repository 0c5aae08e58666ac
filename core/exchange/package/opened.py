"""What every piece of a package's reader shares (core.exchange.package.reader.PackageReader):
the package's file, zip, members and manifest, the rows part's state, how a member is read,
how a stop is seen and how the package is refused."""
from __future__ import annotations

import sqlite3
import threading
import zipfile
from pathlib import Path
from typing import IO

from core.errors import InputError
from core.exchange.package.inflate import _inflated_by
from core.exchange.package.manifest import Manifest
from core.exchange.package.refused import _bad
from core.exchange.package.signature import Signed


class _Opened:
    """The reader's state (set by PackageReader.__init__ and `verify`) and its small tools."""

    path: Path
    zip: zipfile.ZipFile
    members: dict[str, zipfile.ZipInfo]
    manifest: Manifest
    _part: sqlite3.Connection | None
    rows: bool
    part_path: Path | None
    discarded: bool
    verified: bool
    stop: threading.Event | None
    records_in: dict[str, int]
    signed: Signed | None  # who signed the package (its signature verified), None: unsigned

    def _stopped(self) -> None:
        if self.stop is not None and self.stop.is_set():
            raise InterruptedError("package verification stopped")

    def _member(self, which: str | zipfile.ZipInfo) -> IO[bytes]:
        """A member opened to read, inflated by INFLATE (`_inflated_by`): the one way this
        reader reads a part, whichever format."""
        member = self.zip.open(which)
        _inflated_by(member)
        return member

    def bad(self, why: str) -> InputError:
        return _bad(self.path, why)
