"""Jobs run in the helper processes of core.helper_processes by its tests (importable by a
spawned helper): a helper caught where Pool.terminate() killed one and hung — in the middle of
putting its answer on the pool's answer queue, that queue's write lock taken (a demo chunk's
rows, ~65 KB in the tests, ~7 MB in a real demo, are written under it)."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any


def _answer_queue() -> Any:
    """The answer queue of the pool's helper loop (multiprocessing.pool.worker's `outqueue`)
    that runs this job."""
    frame = sys._getframe()
    while frame is not None and "outqueue" not in frame.f_locals:
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:
        raise RuntimeError("not a job of a multiprocessing pool")
    return frame.f_locals["outqueue"]


def hold_the_answer_lock(said: str) -> None:
    """Take the answer queue's write lock, as a helper writing a long answer holds it, and stay
    there (`said` written once taken): a helper in the middle of its answer, for ever."""
    _answer_queue()._wlock.acquire()
    Path(said).write_text("held", encoding="utf-8")
    time.sleep(600)


def answer(size: int) -> bytes:
    """A job of a few milliseconds whose answer (`size` bytes) fills the answer pipe (64 KB):
    the helper holds the write lock until the main process has read most of it."""
    end = time.perf_counter() + 0.002 + (size % 7) / 1000
    while time.perf_counter() < end:
        pass
    return os.urandom(16) * (size // 16)


def demo_chunk_held(chunk: Any) -> bytes:
    """core.demo's chunk job; the chunks after the first wait until the main process waits for
    Ctrl+C (tests/core/test_stopping.py's marker), then stay in the middle of their answer."""
    import core.demo

    if chunk.index == 0:
        return core.demo._work(chunk)
    marker = os.environ["CTRL_C_MARKER"]
    end = time.monotonic() + 30
    while not os.path.exists(marker) and time.monotonic() < end:
        time.sleep(0.01)
    hold_the_answer_lock(marker + ".held")
    return b""


def asleep(_question: str) -> None:
    """A helper that never answers (core.selftest's check of a helper that hangs)."""
    time.sleep(600)
