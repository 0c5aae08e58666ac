"""Round 30: a pool of helpers ended while its helpers answer (core.helper_processes.stop).

The demo stopped by Ctrl+C in the middle of its chunks hung, silent, once in a CI run:
`with pool:` ended it with Pool.terminate(), which kills the helpers wherever they stand. One
killed while it put a chunk's rows on the pool's answer queue left that queue's write lock
taken; the pool's task thread then waited for ever to send its last message on it, and
terminate() for ever on that thread (CPython gh-96995). Here:
- helpers ended while they answer are never killed: they finish and end by themselves (Pool's
  terminate() killed them, and hung within 50 such stops with answers of 70 KB);
- a helper that stays in the middle of its answer (the state terminate() hung on: with it,
  stopping this pool never returns) is killed once `wait` has passed, and the stop returns."""
from __future__ import annotations

import threading
import time
from pathlib import Path

from core import helper_processes
from tests.core import answering_helper


def _stopped_within(pool, seconds: float, wait: float | None = None) -> bool:
    """`helper_processes.stop(pool, wait)` returned within `seconds` (in a thread: a stop that
    hangs leaves the test, not the test run, waiting)."""
    stopping = threading.Thread(target=helper_processes.stop, args=(pool, wait), daemon=True)
    stopping.start()
    stopping.join(seconds)
    return not stopping.is_alive()


def test_helpers_stopped_while_they_answer_end_by_themselves():
    """Two helpers answering 70 KB (more than the answer pipe holds) again and again, stopped
    as the demo's Ctrl+C stops them, after its first chunk: each ends by itself, exit code 0,
    the stop returns once the few jobs given are done."""
    for _ in range(8):
        pool = helper_processes.pool(2)
        given = [pool.apply_async(answering_helper.answer, (70_000 + n,)) for n in range(3)]
        assert len(given[0].get(timeout=60)) >= 70_000
        helpers = list(pool._pool)
        started = time.monotonic()
        assert _stopped_within(pool, 20)
        assert time.monotonic() - started < 10
        assert [helper.exitcode for helper in helpers] == [0, 0]  # none killed
        assert all(job.ready() for job in given)


def test_a_helper_staying_in_the_middle_of_its_answer_is_killed_after_the_wait(tmp_path):
    """Its write lock held for ever: terminate() waits on it without end; `stop` waits `wait`
    seconds for the helper to end, kills it, and leaves the pool (its finalizer cancelled: the
    program's exit does not wait on the lock either)."""
    pool = helper_processes.pool(1)
    said = tmp_path / "held"
    pool.apply_async(answering_helper.hold_the_answer_lock, (str(said),))
    end = time.monotonic() + 60
    while not said.exists() and time.monotonic() < end:
        time.sleep(0.01)
    assert said.exists()
    helper = pool._pool[0]
    started = time.monotonic()
    assert _stopped_within(pool, 20, wait=1.0)
    assert 1.0 <= time.monotonic() - started < 10
    assert helper.exitcode is not None and helper.exitcode < 0  # killed
    assert not pool._terminate.still_active()


def test_every_pool_is_ended_by_stop_never_by_terminate():
    """The demo, the exchange's copier, the self-test: none ends its pool with terminate()
    (nor `with pool:`, whose exit is terminate())."""
    root = Path(__file__).resolve().parents[2]
    for name in ("core/demo/__init__.py", "core/exchange/fastcopy/copier.py",
                 "core/selftest.py"):
        code = (root / name).read_text(encoding="utf-8")
        assert "helper_processes.stop(" in code, name
        assert ".terminate()" not in code and "with pool" not in code, name


def test_a_ctrl_c_in_the_middle_of_abandoning_still_leaves_no_terminate_for_the_exit(
        monkeypatch):
    """A further Ctrl+C while `_abandon` waits on the pool's thread (Python's own handler is
    back after the second): the finalizer is cancelled first, so the program's exit never runs
    terminate() — the hang of gh-96995 — on a pool half abandoned."""
    pool = helper_processes.pool(1)
    helpers = list(pool._pool)

    def interrupted(timeout=None):
        raise KeyboardInterrupt
    monkeypatch.setattr(pool._worker_handler, "join", interrupted)
    try:
        helper_processes._abandon(pool)
    except KeyboardInterrupt:
        pass
    assert not pool._terminate.still_active()
    monkeypatch.undo()
    helper_processes._abandon(pool)  # the rest, for this test's own cleanup
    assert all(helper.exitcode is not None for helper in helpers)
