"""The packages of an operation opened and verified, a few ahead of the merge in threads, and
the order they are merged in (core.exchange.merge)."""
from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable
from pathlib import Path

from core.exchange.package import PackageReader, package_ident

# The packages of an operation are opened and verified this many at a time (threads: the
# checks run in zlib, hashlib and SQLite, outside Python's lock); the machines have 2 cores
OPENERS = 2
# … at most this many packages past the one being merged (each a ~18 MB part file extracted
# ahead of the copy for 20,000 dossiers, and its checks' memory while they run)
AHEAD = 3
POLL_SECONDS = 0.1  # a wait for a package's verification asks the progress (the clerk's Huỷ)


def merge_order(manifests: list[dict]) -> list[int]:
    """The order the packages of an operation are merged in (their places as given), the same
    whatever order the files were given in: by the moment each was made (its manifest's
    `created_at`), then by the installation that made it, then by its identity
    (package_ident), then as given (only the same package given twice ties, and merging it
    again adds nothing). A centre given the same packages in another order, or another centre
    given them, writes the same rows with the same ids and the events in the same order: the
    same chain head (issue 16 §3). The moment first makes a package that goes on from
    another's (a counter took another's package and went on) come after it, as if the centre
    had taken them one by one as they were made; the installation, not the identity, next,
    so an export's two formats (the same moment and machine) take the same place."""
    def key(given: int) -> tuple[str, str, str, int]:
        manifest = manifests[given]
        sender = manifest.get("installation") or {}
        return (str(manifest.get("created_at") or ""), str(sender.get("id") or ""),
                package_ident(manifest), given)
    return sorted(range(len(manifests)), key=key)


class _Opening:
    """The packages of an operation opened and verified (core.exchange.package.PackageReader),
    the expensive half a few packages ahead of the merge (docs/speed.md, fourteenth round).

    `open()`, before the transaction: every package's cheap half (its zip's members, its
    manifest: what the preview's warnings and the totals need), in the order given, then put
    in the operation's order (`merge_order`; `given()` gives them back as given), and the
    first package verified whole. Then, in the transaction, `verified(k)` before package k is
    merged: its verification (its rows part extracted with SHA-256 and checked as a hostile
    database, its records counted against the manifest) ran in OPENERS threads (zlib, hashlib
    and SQLite let other threads run), at most AHEAD packages past the one merging, so the
    temporary files and the memory ahead of the copy stay bounded.

    Which error is named (deterministic, whatever the threads' timing): a package whose
    cheap half fails, the first in the order given, named once the packages given before it
    are verified (none of them fails), as when each was opened whole in turn; else the first
    in the operation's order that fails its verification, and, once merging, the first in
    that order that fails at all: package k's verification is looked at only after the
    packages before it are merged, so their errors (a bad record) come first, and k's comes
    before its own merge's and before anything of the packages after it (their
    verifications, started ahead, are stopped and forgotten). A package whose manifest does
    not say how many dossiers it holds is verified before the transaction with every package
    merged before it (the operation is sized by the counts: `total`). Leaving (`close`, the
    ExitStack's): the verifications still running stopped (within a MB or SQLite's next
    progress call), waited for, and every reader closed, its extracted part removed."""

    def __init__(self, paths: list[Path], poll: Callable[[], object] | None = None,
                 heard: threading.Event | None = None):
        self.paths, self.poll = paths, poll
        self.heard = heard  # a lone package's verification, run here, stopped by it (Ctrl+C)
        self.readers: list[PackageReader] = []
        self.verifying: list[concurrent.futures.Future | None] = []
        self.stop = threading.Event()
        self.pool: concurrent.futures.ThreadPoolExecutor | None = None
        self.checked: int | None = None  # what `open`'s check returned
        self.order: list[int] = []  # the place given of each package, in the merge's order

    def __enter__(self) -> _Opening:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self, check: Callable[[list[PackageReader]], int | None] | None = None
             ) -> list[PackageReader]:
        """`check`: given the readers once every manifest is read, before any part is
        extracted (`_check_room`)."""
        for index, path in enumerate(self.paths):
            try:
                self.readers.append(PackageReader(path, verify=False))
            except Exception:
                for before in range(index):  # a package before it that fails is named first
                    self.verified(before)
                raise
            self.verifying.append(None)
        # merged (and verified) in an order of their own, not the order given: `merge_order`
        self.order = merge_order([r.manifest.data for r in self.readers])
        self.readers = [self.readers[given] for given in self.order]
        self.paths = [self.paths[given] for given in self.order]
        if check is not None:
            self.checked = check(self.readers)
        unsaid = [i for i, reader in enumerate(self.readers) if reader.declared() is None]
        for index in range(max(unsaid, default=0) + 1):  # the first, and up to the last unsaid
            self.verified(index)
        return self.readers

    def given(self) -> list[PackageReader]:
        """The readers in the order the packages were given."""
        out: list[PackageReader] = [self.readers[0]] * len(self.readers)
        for place, given in enumerate(self.order):
            out[given] = self.readers[place]
        return out

    @property
    def total(self) -> int:
        """The operation's dossiers as the manifests say (each one's count is checked when it
        is verified, before its merge: an operation that ends has merged exactly these)."""
        return sum(r.records_in["dossiers.jsonl"] if r.verified else r.declared() or 0
                   for r in self.readers)

    def verified(self, index: int) -> PackageReader:
        """Package `index` verified whole (its error raised), the next ones started."""
        reader = self.readers[index]
        if reader.verified:
            self._start(index + 1)
            return reader
        if len(self.readers) < 2 or OPENERS < 2:  # no thread: here, in turn
            reader.verify(self.heard)
            return reader
        self._start(index)
        future = self.verifying[index]
        assert future is not None
        while True:
            try:
                future.result(timeout=POLL_SECONDS)
                break
            except concurrent.futures.TimeoutError:
                self._asked()  # the clerk's Huỷ heard while waiting
        self._start(index + 1)
        return reader

    def settled(self, index: int) -> bool:
        """Package `index`'s verification waited for, its error left for its turn
        (`verified`): True when it passed."""
        reader = self.readers[index]
        future = self.verifying[index] if self.pool is not None else None
        while future is not None and not reader.verified:
            try:
                future.exception(timeout=POLL_SECONDS)
                break
            except concurrent.futures.TimeoutError:
                self._asked()
        return reader.verified

    def passes(self, index: int) -> bool:
        """Package `index`'s verification started if it was not and waited for, its error left
        for its turn (`verified`): True when it passed (_Run.units_first: a damaged package
        is named in its turn, after the errors of the packages before it). Without threads a
        package not yet verified is verified in its turn only: False."""
        if self.readers[index].verified:
            return True
        if len(self.readers) < 2 or OPENERS < 2:
            return False
        self._start(index)
        return self.settled(index)

    def done(self) -> int:
        """How many packages from the first are verified (their parts may be read)."""
        count = 0
        for reader in self.readers:
            if not reader.verified:
                break
            count += 1
        return count

    def _start(self, index: int) -> None:
        """The verifications of packages index … index + AHEAD started (those not started)."""
        if OPENERS < 2:
            return
        if self.pool is None:
            self.pool = concurrent.futures.ThreadPoolExecutor(OPENERS,
                                                              thread_name_prefix="motcua-open")
        for ahead in range(index, min(index + AHEAD + 1, len(self.readers))):
            if self.verifying[ahead] is None and not self.readers[ahead].verified:
                self.verifying[ahead] = self.pool.submit(self.readers[ahead].verify, self.stop)

    def _asked(self) -> None:
        if self.poll is not None and self.poll() is False:
            raise InterruptedError("import cancelled")

    def close(self) -> None:
        self.stop.set()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        for reader in self.readers:
            reader.close()
        self.readers, self.verifying = [], []
