"""The program's helper processes — the demo's workers (core.demo), the exchange merge's second
process (core.exchange.fastcopy.jobs), the self-test's helper (core.selftest) — made in one
place: `pool`. Every one is spawned (never forked: the window's process runs Qt) and ignores
Ctrl+C, the main process's to hear (core.stopping: the terminal sends it to every process of
the command; a helper's KeyboardInterrupt printed a traceback, and its pool started another
process for a job never to come back).

How early a helper ignores it:
- On Linux and macOS the main thread's SIGINT is ignored just while the helper is made
  (core.stopping.ignoring_ctrl_c): the helper inherits the ignored signal from its first
  instruction.
- On Windows nothing is inherited: a new process starts with Python's own Ctrl+C handler
  (`inherits_ignored_ctrl_c`). There the helper's first program code ignores it: main.py's
  first lines (a spawned helper imports the program's main module as "__mp_main__" before
  anything else of the program; the built program starts itself again with
  --multiprocessing-fork), and the pool's initializer (`_first_step`) says it again before
  the caller's own — the only one when the main module is not main.py (a test runner). What
  comes before main.py's first lines — Python's own start and multiprocessing's reading of the
  parent's data, a few milliseconds — a Ctrl+C can still interrupt: only a Windows PC can show
  how often (docs/reliability.md).

A pool is ended by `stop`, never by Pool.terminate() (nor `with pool:`, whose exit is
terminate()). terminate() kills the helpers wherever they stand: one killed while it puts its
answer on the pool's answer queue (a demo chunk's rows, ~65 KB in the tests and ~7 MB in a real
demo, written under the queue's write lock) leaves that lock taken for ever; the pool's task
thread then waits on it to send its last message, and terminate() waits on that thread: the
demo stopped by Ctrl+C hung, silent (CPython gh-96995, open; reproduced within 50 stops of two
helpers answering 70 KB). `stop` lets every helper finish the jobs already given and end by
itself (no lock left taken: nothing was killed), at most `wait` seconds; one still busy then
(stuck) is killed and the pool left behind, its threads never waited on.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import time
from collections.abc import Callable
from typing import Any

from core.stopping import ignore_ctrl_c, ignoring_ctrl_c

START_METHOD = "spawn"
STOP_WAIT = 30.0  # seconds the helpers have to finish the jobs given (a demo chunk: ~2 s)


def pool(processes: int, initializer: Callable[..., Any] | None = None,
         initargs: tuple = ()) -> Any:
    """A multiprocessing Pool of `processes` helpers, each ignoring Ctrl+C before it runs
    `initializer(*initargs)` or any job."""
    context = multiprocessing.get_context(START_METHOD)
    with ignoring_ctrl_c():
        return context.Pool(processes, initializer=_first_step,
                            initargs=(initializer, initargs))


def _first_step(initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    """A helper's first step of its own: Ctrl+C ignored, then the caller's initializer."""
    ignore_ctrl_c()
    if initializer is not None:
        initializer(*initargs)


def stop(pool: Any, wait: float | None = None) -> None:
    """End `pool` (made by `pool`) without killing a helper that may be writing its answer: no
    new job, the jobs given finished (the caller gives few at a time: core.demo) and each helper
    ended by itself; after `wait` seconds (STOP_WAIT), the helpers still running are killed and
    the pool is left (`_abandon`)."""
    pool.close()
    end = time.monotonic() + (STOP_WAIT if wait is None else wait)
    try:
        # multiprocessing.pool.Pool's own thread that keeps its helpers: it ends once every
        # job given has its answer, then each helper is told to end
        pool._worker_handler.join(max(0.0, end - time.monotonic()))
        for helper in list(pool._pool):  # the Pool's own list of its processes
            helper.join(max(0.0, end - time.monotonic()))
    except BaseException:  # a second Ctrl+C meanwhile (core.stopping): not waited on
        _abandon(pool)
        raise
    if not pool._worker_handler.is_alive() and all(
            helper.exitcode is not None for helper in pool._pool):
        pool.join()  # every helper ended by itself: the pool's threads end at once
        return
    _abandon(pool)


def _abandon(pool: Any) -> None:
    """The helpers still running killed, the pool left: its worker thread first stopped (it
    would start a helper again for one killed), its finalizer cancelled (at the program's exit
    it would run terminate(), and wait on a lock a killed helper may hold); its other threads
    (daemon) may wait for ever, and nothing waits on them. The states and the finalizer first,
    before any wait: a further Ctrl+C during the waits (Python's own handler is back) must not
    leave the exit a terminate() to run."""
    handler = pool._worker_handler
    handler._state = multiprocessing.pool.TERMINATE
    pool._terminate.cancel()
    pool._state = multiprocessing.pool.TERMINATE
    pool._change_notifier.put(None)
    handler.join(5.0)
    for helper in list(pool._pool):
        if helper.exitcode is None:
            helper.kill()
        helper.join(5.0)
