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
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any

from core.stopping import ignore_ctrl_c, ignoring_ctrl_c

START_METHOD = "spawn"


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
