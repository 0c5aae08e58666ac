"""Ctrl+C during a writing command on the command line, heard as the window's «Huỷ» (issue 16
§3): the one rule of `import`, `export`, `exchange export|import`, `demo`, `backup`, `restore`,
`reconcile --out`, `report monthly|book`, `slip`.

Python's own Ctrl+C raises KeyboardInterrupt wherever the main thread stands: in the middle of
the rows, of the rollback, of the COMMIT (or the rename of the file written) or of the summary
after it, and main.py's "Đã dừng" was then said over an import already written. Here, while the
command runs, Ctrl+C only sets a flag (`CtrlC.pressed`, and its Event `heard` for work that
asks no progress). The command asks it where it reports its progress, as it asks the
window's «Huỷ», and once more just before its COMMIT (or the rename of the finished file
over its name): there, a Ctrl+C heard stops it, the transaction rolled back and the temporary
file removed: "Đã dừng theo yêu cầu. Chưa ghi gì: …", exit code 1. Heard after that point, it
stops nothing (the work is whole): the command ends as it would have, exit 0, and says so
("Lưu ý: … đã được ghi xong …"). A stretch that asks nothing (a PDF being drawn, a database
copied) runs to its next question. A second Ctrl+C is not waited on: the handler before is put
back and Stopped raised where the command stands (before the COMMIT its transaction rolls back,
every writer removes its temporary file on any exception), said in words.

The handler is this module's only while the command runs: the one before is put back as it
was (`signal.getsignal`'s value, whatever it is); a process that ignores Ctrl+C (SIG_IGN, as a
service or a test runner may start it) keeps ignoring it, and a thread other than the main one
(the window's workers, which cannot set a handler) leaves it alone: the window has its own
«Huỷ». The helper processes of a command (the copier's second process, the demo's workers)
ignore Ctrl+C from their start (`ignoring_ctrl_c`, core.helper_processes): the terminal sends
it to every process of the command, and the main process alone decides.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, Self

AGAIN_TEXT = ("Đã dừng ngay theo yêu cầu (Ctrl+C lần thứ hai). Nếu lệnh chưa ghi xong thì không "
              "gì được ghi: cơ sở dữ liệu và các tệp vẫn như trước khi chạy lệnh; nếu đã ghi "
              "xong thì kết quả được giữ.")


class Stopped(KeyboardInterrupt):
    """The command stopped by Ctrl+C before its COMMIT, nothing written: raised as Ctrl+C is
    anywhere else (core.cli.dispatch removes a new database file this run made and holds
    nothing, and says so), with the words main.py says (exit code 1)."""


class CtrlC:
    """`with CtrlC() as ctrl_c:` Ctrl+C sets `pressed` (and `heard`) instead of raising;
    `progress` is the command's progress callback (False once pressed: the command stops,
    writing nothing, and `refused` says it was told so). A second Ctrl+C raises Stopped at
    once, with `again`."""

    def __init__(self, again: str = AGAIN_TEXT) -> None:
        self.again = again
        self.pressed = False
        self.refused = False  # `progress` answered False: what the command raises next is a stop
        self.heard = threading.Event()  # set with `pressed`: what a verification is given
        self.before: Any = None
        self.installed = False
        self.done: str | None = None  # what the command wrote: heard_as_cancel's late words
        self.at_once: str | None = None  # while only reading: the first Ctrl+C stops, so said

    def __enter__(self) -> Self:
        if threading.current_thread() is not threading.main_thread():
            return self
        before = signal.getsignal(signal.SIGINT)
        if before is None or before == signal.SIG_IGN:  # set outside Python, or ignored
            return self
        self.before = before
        signal.signal(signal.SIGINT, self._heard)
        self.installed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self.installed:
            signal.signal(signal.SIGINT, self.before)
            self.installed = False

    def _heard(self, _signum: int, _frame: FrameType | None) -> None:
        if self.pressed or self.at_once:  # pressed again, or nothing to wait for yet
            words = self.again if self.pressed else self.at_once
            self.pressed = True
            self.__exit__()
            raise Stopped(words)
        self.pressed = True
        self.heard.set()

    def writing(self) -> None:
        """From here the command writes: a Ctrl+C is only a flag, asked before the COMMIT or
        the rename (until then, with `heard_as_cancel(reading=True)`, it stops at once)."""
        self.at_once = None

    def progress(self, _done: int, _total: int) -> bool:
        if self.pressed:
            self.refused = True
        return not self.pressed

    def along(self, other: Callable[[int, int], object] | None) -> Callable[[int, int], bool]:
        """`progress` asked after `other` (a printer of the percentage): False when either
        says stop."""
        def both(done: int, total: int) -> bool:
            said = other(done, total) if other is not None else True
            return self.progress(done, total) and said is not False
        return both


def stopped_text(nothing: str) -> str:
    """Ctrl+C heard before the COMMIT: the command stopped, nothing written (`nothing` says
    what was not)."""
    return f"Đã dừng theo yêu cầu. Chưa ghi gì: {nothing}."


def late_text(done: str | None) -> str:
    """Ctrl+C heard once the work was written (`done`: what; None, a check that writes
    nothing): nothing was stopped."""
    if done is None:
        return ("Lưu ý: lệnh dừng (Ctrl+C) đến khi việc kiểm tra đã xong; không có gì được "
                "ghi.")
    return (f"Lưu ý: lệnh dừng (Ctrl+C) đến khi {done} đã được ghi xong, nên lệnh không dừng: "
            "kết quả ở trên được giữ.")


@contextmanager
def heard_as_cancel(nothing: str, done: str | None, reading: bool = False) -> Iterator[CtrlC]:
    """The rule around one command: Ctrl+C heard as «Huỷ» inside; what the command raises once
    its progress has answered False (its own "Đã huỷ …", an InterruptedError) becomes Stopped
    with `stopped_text(nothing)`; a Ctrl+C heard too late to stop anything is said with
    `late_text(done)` after the command's own output. `reading`: the command first only reads
    (a report drawn in memory, asking nothing): a Ctrl+C there stops it at once, in the same
    words, until it calls `writing()`."""
    with CtrlC() as ctrl_c:
        ctrl_c.done = done  # a command that ends writing nothing (a refusal) sets it to None
        ctrl_c.at_once = stopped_text(nothing) if reading else None
        try:
            yield ctrl_c
        except Exception:
            if not ctrl_c.refused:
                raise
            raise Stopped(stopped_text(nothing)) from None
    if ctrl_c.pressed:
        print(late_text(ctrl_c.done), file=sys.stderr)


def ask(progress: Callable[[int, int], object] | None) -> None:
    """The question just before a COMMIT or a rename: `progress`'s False (Ctrl+C, the window's
    «Huỷ») stops there with InterruptedError, which every writer meets by leaving nothing."""
    if progress is not None and progress(1, 1) is False:
        raise InterruptedError("cancelled before the commit")


def inherits_ignored_ctrl_c() -> bool:
    """A process this one starts inherits an ignored SIGINT: on Linux and macOS (exec keeps an
    ignored signal ignored), not on Windows (a new process has Python's own Ctrl+C handler:
    its helpers ignore it themselves, core.helper_processes)."""
    return os.name != "nt"


@contextmanager
def ignoring_ctrl_c() -> Iterator[None]:
    """While helper processes are spawned: SIGINT ignored in the main thread (a spawned child
    inherits an ignored signal, so it ignores Ctrl+C from its very start, before its own
    imports, when an initializer could not yet), the handler before put back after. Another
    thread cannot set a handler, nor can a handler set outside Python (None) be put back:
    there, nothing changes; nor on Windows, where nothing is inherited (and a Ctrl+C meanwhile
    would be lost)."""
    before = signal.getsignal(signal.SIGINT)
    if (threading.current_thread() is not threading.main_thread() or before is None
            or not inherits_ignored_ctrl_c()):
        yield
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def ignore_ctrl_c() -> None:
    """A helper process's first step (core.helper_processes): Ctrl+C is the main process's to
    hear."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
