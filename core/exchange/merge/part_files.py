"""The merged parts' files removed as soon as no job of the copier reads them, the merge waiting
for the oldest when the temporary folder lacks the room (core.exchange.merge)."""
from __future__ import annotations

from core.exchange.merge.opening import POLL_SECONDS
from core.exchange.merge.room import HELD_MOST
from core.exchange.merge.run_state import _RunState
from core.exchange.package import PackageReader


class _PartFiles(_RunState):
    """_Run's merged parts' files: released, swept."""

    def release(self, reader: PackageReader) -> None:
        """The reader's part merged: its file removed as soon as nothing needs it any more
        (`sweep`), the copier starting nothing more on it."""
        if reader.part_path is None:  # format 2: nothing on the disk
            return
        if self.copier is not None:
            self.copier.done_with(reader.part_path)
        self.held.append(reader)
        self.sweep()
        copier = self.copier
        if copier is None or self.held_max >= len(self.readers):  # room for all: the jobs
            return                                                 # keep their order
        if len(self.held) > HELD_MOST:
            copier.give(str(self.held[0].part_path))  # (removed at a sweep after its jobs)
        while len(self.held) > self.held_max:
            oldest = str(self.held[0].part_path)  # (a held reader's file is there)
            copier.give(oldest)
            if not copier.busy(oldest):  # read by none, yet not removed (Windows): tried
                break                    # again at the next sweep, at last by `close`
            copier.wait_for(oldest, POLL_SECONDS)
            self.sweep()
            self.opening._asked()  # the clerk's Huỷ heard while waiting

    def sweep(self) -> None:
        """The merged parts' files no job needs any more removed (those attached as files stay
        till the transaction's end; one the system will not remove yet is tried again at the
        next sweep, at last by the readers' close)."""
        self.held = [reader for reader in self.held if not self._removed(reader)]

    def _removed(self, reader: PackageReader) -> bool:
        path = reader.part_path
        if path is None:
            return True
        if str(path) in self.attached_files or (
                self.copier is not None and self.copier.busy(path)):
            return False
        return reader.discard()
