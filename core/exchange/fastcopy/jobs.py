"""How the Copier runs its jobs: in a second process (spawned, never forked: the GUI's process
runs Qt) or here in turn (`_Here`), at once (`start`) or kept for later (`later`, `_Later`:
given when the second process has time to spare, `spare`, or at the end, `flush`), and which
part files they still read (`use`, `busy`, `wait_for`, `done_with`, `give`)."""
from __future__ import annotations

import concurrent.futures
import os
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import helper_processes

if TYPE_CHECKING:
    from core.exchange.fastcopy.copy_part import Progress

SPARE_MOST = 2  # jobs kept for later given at a time (Copier.spare): a part's keys and facts


def _ended(job) -> bool:
    """A job of `Copier.use` has ended (a job kept for later: given, and ended)."""
    if isinstance(job, concurrent.futures.Future):
        return job.done()
    return job.ready()


def spawned_pool():
    """The second process's pool (core.helper_processes: spawned, ignoring Ctrl+C from its
    very start — core.exchange.cli_stop: the import stops at its next step and closes this
    process; here it raised KeyboardInterrupt with a traceback and left the pool to start
    another process for a job never to come back)."""
    return helper_processes.pool(1)


class _Later:
    """A job kept for later (Copier.later); `get` waits for its result once given."""

    def __init__(self, job, args: tuple, rank: int = 1) -> None:
        self.job, self.args, self.rank = job, args, rank
        self.result: Any = None

    def get(self):
        return self.result.get()

    def ready(self) -> bool:
        """Given, and its result there (asking for it would not wait)."""
        return self.result is not None and self.result.ready()


class _Here:
    """A job run in this process (no second one), when its result is first asked for: after
    the screen, which the second process's jobs may run ahead of."""

    def __init__(self, job, args: tuple) -> None:
        self.job, self.args = job, args
        self.done, self.value = False, None

    def get(self):
        if not self.done:
            self.value, self.done = self.job(*self.args), True
        return self.value

    def ready(self) -> bool:
        return self.done


class _Jobs:
    """The Copier's jobs and the part files they read (the base of the Copier's parts)."""

    def __init__(self, conn, *, delta: Counter, refresh: list[int],
                 progress: Progress | None = None, processes: bool | None = None) -> None:
        self.conn, self.delta, self.refresh, self.progress = conn, delta, refresh, progress
        self.processes = True if processes is None else processes
        self.pool: Any = None  # multiprocessing.pool.Pool, made when first needed
        self.token = f"{os.getpid()}-{id(self)}-{time.monotonic_ns()}"  # this operation's marks
        self.waiting: list[_Later] = []  # jobs not yet given to the second process
        self.to_screen: list[str] = []  # the operation's part files not yet screened (`ahead`)
        # the jobs reading each part file (`use`), and the files the caller is done with
        # (`done_with`): a file no job needs any more may be removed (`busy`, merge._Run)
        self.uses: dict[str, list] = {}
        self.released: set[str] = set()

    def later(self, job, *args, rank: int = 1) -> _Later:
        """A job the main process needs only at the end of the parts: given to the second
        process when it has time to spare (`spare`), else at the end of the parts (`flush`),
        so that it never holds up a part's chain, which the main process waits for. The
        lower `rank` goes first (the search keys, needed before the facts), then the oldest."""
        waiting = _Later(job, args, rank)
        self.waiting.append(waiting)
        self.waiting.sort(key=lambda w: w.rank)  # stable: in order within a rank
        return waiting

    def start(self, job, *args):
        """A job the main process needs soon: given to the second process now."""
        return self._run(job, args)

    def spare(self, ahead: bool) -> None:
        """A part's chain was taken: `ahead`, the second process had it done before it was
        asked for (it has had time to spare), so it is given the oldest search keys asked for
        (rank 0, ~0.1 s a 20,000-dossier part) and the oldest other job kept for later, at
        most SPARE_MOST jobs (the keys piled up while it was behind are not given all at
        once: the next chain, asked just before, would wait behind them, 0.5–0.7 s); else the
        next chains go first. The rest wait for the end of the parts (`flush`): the second
        process reads them while this one fills the search index (from the keys first given)
        and makes the indexes again (merge._Run), instead of this one waiting for chains
        behind them."""
        given = 0
        while ahead and self.waiting and given < SPARE_MOST:
            waiting = self.waiting.pop(0)
            waiting.result = self._run(waiting.job, waiting.args)
            ahead, given = waiting.rank == 0, given + 1

    def flush(self) -> None:
        """Every job kept for later given to the second process (the parts are all copied)."""
        for waiting in self.waiting:
            waiting.result = self._run(waiting.job, waiting.args)
        self.waiting = []

    def use(self, path: str | Path, job) -> None:
        """`job` (a thread's future, the second process's result, a job kept for later) reads
        the part file `path` till it ends (`busy`); a job run here when its result is asked
        for (`_Here`: the chain with no second process, a guess not taken) is not counted:
        it runs, if ever, before its part's copy returns."""
        if not isinstance(job, _Here):
            self.uses.setdefault(str(path), []).append(job)

    def busy(self, path: str | Path) -> bool:
        """Does a job of this operation still need the part file `path`: started and not
        ended, or kept for later (`give` gives it now)? The file may be removed when not:
        every job's connection to it is closed when the job ends (on Windows an open file
        cannot be removed)."""
        path = str(path)
        left = [job for job in self.uses.get(path, ()) if not _ended(job)]
        if left:
            self.uses[path] = left
        else:
            self.uses.pop(path, None)
        return bool(left) or path in self.to_screen

    def wait_for(self, path: str | Path, timeout: float) -> bool:
        """The jobs on the part file `path` waited for, `timeout` seconds at most (their
        errors are raised where their results are taken, as before); True when none is left
        (`busy`)."""
        end = time.monotonic() + timeout
        for job in self.uses.get(str(path), ()):
            left = max(end - time.monotonic(), 0)
            if isinstance(job, concurrent.futures.Future):
                concurrent.futures.wait([job], left)
            elif isinstance(job, _Later):
                if job.result is not None and not isinstance(job.result, _Here):
                    job.result.wait(left)
            else:
                job.wait(left)
        return not self.busy(path)

    def done_with(self, path: str | Path) -> None:
        """The caller has copied the part (or passed it over) and reads it no more: no new
        job is started on it (its screen, its tails), those asked for are waited for by
        `busy`."""
        path = str(path)
        self.released.add(path)
        self.to_screen = [p for p in self.to_screen if p != path]

    def give(self, path: str | Path) -> None:
        """The jobs on the part file `path` kept for later (its search keys, its kept facts)
        given now, so that the file is soon needed no more (merge._Run, when too many files
        wait for them); with no second process, run now (their results are kept till asked
        for)."""
        path = str(path)
        mine = [waiting for waiting in self.waiting if waiting.args[:1] == (path,)]
        self.waiting = [waiting for waiting in self.waiting if waiting.args[:1] != (path,)]
        for waiting in mine:
            waiting.result = self._run(waiting.job, waiting.args)
        if not self.processes:  # (given earlier too, not yet run: `spare`, `flush`)
            for job in self.uses.get(path, ()):
                if isinstance(job, _Later) and job.result is not None:
                    job.get()

    def _run(self, job, args):
        if not self.processes:
            return _Here(job, args)
        if self.pool is None:  # spawned, never forked: the GUI's process runs Qt (core.demo)
            self.pool = spawned_pool()
        return self.pool.apply_async(job, args)
