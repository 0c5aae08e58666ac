"""The Copier: the parts of one operation copied one after the other (`copy`), with a second
process and two threads working beside it (jobs, ahead, keys, ledger_sums), and `copy_new`,
one part alone in this process."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from core import helper_processes
from core.actor_names import WalkIns
from core.exchange.fastcopy.ahead import _Ahead
from core.exchange.fastcopy.copy_part import Copied, Progress, _Copy
from core.exchange.fastcopy.facts_job import _MARKS, _READINGS, _marks_total
from core.exchange.fastcopy.keys import _Keys
from core.exchange.fastcopy.ledger_sums import _LedgerSums

# seconds the second process has, once the operation ends (a stop, a failure), to finish the
# jobs given (a part's facts or keys, about a second each) and end by itself; then it is killed
STOP_WAIT = 5.0


class Copier(_Ahead, _Keys, _LedgerSums):
    """The parts of one operation copied one after the other (`copy`), a second process
    hashing each part's events and reading its facts while this one copies its rows
    (`processes=False`: here, in turn). `finish()` (inside the transaction,
    before facts.write_kpi_rows and facts.refresh) applies the facts read; the context's exit
    stops the second process."""

    def __init__(self, conn, *, delta: Counter, refresh: list[int],
                 progress: Progress | None = None, processes: bool | None = None) -> None:
        super().__init__(conn, delta=delta, refresh=refresh, progress=progress,
                         processes=processes)
        self.pending: list[tuple[int, Any]] = []  # (first id, a _Later facts job)
        self.facts_asked = False  # a facts job was given: its marks are summed where it ran
        self.senders: WalkIns | None = None  # (`copy`: the part's sender's)

    def __enter__(self) -> Copier:
        return self

    def __exit__(self, kind, value, trace) -> None:
        try:
            if kind is None:
                self.finish()
        finally:
            self.close()

    def copy(self, part: str, *, now: str, fast: bool, path: str | Path | None = None,
             senders: WalkIns | None = None) -> Copied:
        """copy_new for the part attached as `part` (see the CONTRACT); `path`: the part's
        file, when `part` is an in-memory copy of it (deserialized), else the attached file;
        `senders`: the stored walk-in votes its own may match (core.actor_names.vote_ranges:
        of their origin, or saying none and brought by the sender or by no recorded package;
        None: any, an older package)."""
        self.apply(ready_only=True)
        self.senders = senders
        return _Copy(self, part, now, fast, path).run()

    def finish(self) -> None:
        """The kept facts the second process read: written as Store would write them, their
        kpi marks into `delta`, the unreadable ones computed at the end (`refresh`); the
        ledger's sums of the rows copied added (`settle`)."""
        self.settle()
        self.flush()
        self.apply()
        if self.facts_asked:  # after every facts job (one process runs them in turn, or here)
            marks = self._run(_marks_total, (self.token,)).get()
            marks.update(self.delta)  # the few the copy counted here (votes), then all at once
            self.delta.clear()        # into the empty Counter (dict.update, no Python a key)
            self.delta.update(marks)

    def apply(self, ready_only: bool = False) -> None:
        """The kept facts read so far applied, in part order (`ready_only`: up to the first the
        second process has not finished; each `copy` does so first). Held till `finish`, every
        part's result made the merge's peak grow by as much a package (docs/speed.md, eleventh
        round: ~13 MB a 20,000-dossier part while the kpi marks came with it)."""
        while self.pending and not (ready_only and not self.pending[0][1].ready()):
            first, job = self.pending.pop(0)
            rewrite, computed = job.get()
            self.conn.executemany("UPDATE main.dossier_rows SET facts = ? WHERE id = ?",
                                  [(text, first + place) for place, text in rewrite])
            self.conn.executemany("UPDATE main.dossier_rows SET calc_due_at = NULL, facts = NULL, "
                                  "kpi_irregular = 0 WHERE id = ?",
                                  [(first + place,) for place in computed])
            self.refresh.extend(first + place for place in computed)
            del rewrite, computed, job  # the result freed before the next is read

    def close(self) -> None:
        self.stop.set()  # the screen running stops within SCREEN_STEPS; the others never start
        self.to_screen, self.screening, self.following = [], [], None
        if self.screener is not None:
            self.screener.shutdown(wait=True, cancel_futures=True)  # its connection closed
            self.screener = None
        self.forget_walk_ins(end=True)
        self.hashing = []
        if self.hasher is not None:  # a job running ends (a part's rows, a few ms)
            self.hasher.shutdown(wait=True, cancel_futures=True)
            self.hasher = None
        _MARKS.pop(self.token, None)  # an operation that failed here, in this process
        _READINGS.clear()
        if self.pool is not None:  # never terminate(): it can hang (core.helper_processes)
            helper_processes.stop(self.pool, wait=STOP_WAIT)
            self.pool = None
        self.forget_keys()  # after the second process, which may be writing one
        self.uses = {}  # every job ended: the screens' and the ledger's threads waited for,
        #                 the second process ended


def copy_new(conn, part: str, *, now: str, fast: bool, delta: Counter, refresh: list[int],
             progress: Progress | None = None, path: str | Path | None = None) -> Copied:
    """Copy the part's dossiers the centre does not hold (see the module's CONTRACT), all in
    this process; several parts of one operation: `Copier`, which overlaps them with a
    second process."""
    with Copier(conn, delta=delta, refresh=refresh, progress=progress, processes=False) as copier:
        return copier.copy(part, now=now, fast=fast, path=path)
