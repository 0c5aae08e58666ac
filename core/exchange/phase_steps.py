"""Progress inside a phase SQLite runs as a few long statements (core.exchange.phases INDEXES:
the search index filled, the dossiers' indexes made again), and the age of a phase's line.

Such a phase is one `CREATE INDEX` or one `executemany` of SQLite's, with no report of its
own: shown as it was, the bar stood at the phase's start with its text (round 24: 74 % for
24 s of a real import) and a clerk took the program for hung. SQLite counts the steps of its
virtual machine; its progress handler is called every TICK_STEPS of them, on the operation's
own thread. Those steps are proportional to the rows the phase works through (measured,
notes/progress25.md): the phase's expected steps and seconds (`expected`) from the rows, and
the seconds the steps so far stand for move the bar through its part (`fraction`): as counted
up to LINEAR, then ever more slowly towards CAP, never at the phase's end before it has ended
(the next phase's report moves it there), never backwards (phases.Phases keeps the bar's
furthest). The clerk's «Huỷ» is heard inside the statement: the handler asks the operation's
progress every TICK_S, and its answer False interrupts the statement (SQLite's rule for a
non-zero answer). The phase runs inside the operation's transaction, before its COMMIT: the
interrupted statement is undone, the exception raised here (InterruptedError) rolls the
transaction back, and nothing has been written — what «Huỷ»'s message, "Chưa ghi gì", says.

What no handler can count (the COMMIT: the log synced to the disk inside one step; waiting for
the keys the second process computes) says how long it has run instead (`aged`): a line that
stands AGED_AFTER_S seconds or more ends in "(đã 12 giây)", so the clerk sees it alive.
"""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from core.timefmt import vn_number

TICK_STEPS = 10_000  # SQLite steps between two calls of the handler (~1-3 ms of work)
TICK_S = 0.1  # how often the handler moves the bar and asks for «Huỷ» (a clock read between)
LINEAR = 0.9  # the fraction of the expected steps shown as counted …
CAP = 0.98  # … beyond it, ever more slowly towards this, never reached (the phase's end)
# The phase's parts, in the order they run, measured (notes/progress25.md, 10,000 to 50,000
# dossiers): SQLite's steps and seconds per item. Their steps are proportional to the rows,
# not their seconds: a step of the search index's fill carries FTS5's work on a key, one of
# an index made again a row's few bytes into a sort; counted alike, the bar would crawl
# through the first part and leap through the second.
SEARCH = (12.5, 70e-6)  # per dossier of the operation: its key into the search index
SORTED = (68.0, 20e-6)  # per dossier row held (the bulk path): the dossiers' indexes made again
# per dossier of the operation: the kept facts the copier read written at its end (6-80 µs:
# read meanwhile by its second process from 50,000 dossiers on, else then)
KEPT = (5.0, 30e-6)
AGED_AFTER_S = 5  # a phase's line says its age from this many seconds on

Parts = tuple[tuple[float, float], ...]  # (steps, seconds) of each part, in their order


def expected(dossiers: int, rows: int) -> Parts:
    """The parts of a phase INDEXES: `dossiers` the operation indexes for search (and whose
    kept facts it writes), `rows` the dossier rows whose indexes are made again (0: the row
    path keeps them as they come)."""
    dossiers = max(dossiers, 1)
    parts = [(SEARCH[0] * dossiers, SEARCH[1] * dossiers)]
    if rows > 0:
        parts.append((SORTED[0] * rows, SORTED[1] * rows))
    parts.append((KEPT[0] * dossiers, KEPT[1] * dossiers))
    return tuple(parts)


def fraction(steps: float, parts: Parts) -> float:
    """Where `steps` stand in the phase of `parts`, 0 to below CAP: the seconds the parts'
    steps so far stand for, as counted up to LINEAR, then nearer CAP by the steps beyond (the
    estimate short: the bar still moves, slower, and never says the phase has ended). Smooth
    at LINEAR, never decreasing."""
    total = sum(seconds for _, seconds in parts)
    left, spent = max(steps, 0.0), 0.0
    for part_steps, seconds in parts:
        taken = min(left, part_steps)
        spent += seconds * taken / part_steps
        left -= taken
    spent += left * parts[-1][1] / parts[-1][0]  # beyond the estimate: as the last part
    counted = spent / total
    if counted <= LINEAR:
        return counted
    room = CAP - LINEAR  # (overrun by `room`: half of it left, by 3 `room`: a quarter)
    return CAP - room * room / (room + counted - LINEAR)


class Counted:
    """SQLite's steps on `conn` counted while a phase runs (`watch`), `show(fraction)` told
    every TICK_S; `show`'s answer False (the clerk's «Huỷ») interrupts the statement."""

    def __init__(self, expect: Parts, show: Callable[[float], object]):
        self.expect, self.show = expect, show
        self.steps = 0
        self.stopped = False
        self.last = time.monotonic()

    def tick(self) -> int:
        self.steps += TICK_STEPS
        if self.stopped:  # the statement running at «Huỷ» interrupted once; those after it
            return 0      # (clean-ups as the exception passes) run; `heard` raises at its end
        now = time.monotonic()
        if now - self.last >= TICK_S:
            self.last = now
            self.stopped = self.show(fraction(self.steps, self.expect)) is False
        return int(self.stopped)  # non-zero: SQLite interrupts the statement

    def start(self, conn: sqlite3.Connection) -> None:
        """Counted from now on `conn` (till `heard`'s block ends)."""
        conn.set_progress_handler(self.tick, TICK_STEPS)


@contextmanager
def heard(conn: sqlite3.Connection, counted: Callable[[], Counted | None]) -> Iterator[None]:
    """The block in which a phase may be `counted()` on `conn` (Counted.start): its handler
    taken off at the block's end whatever happens (one left would count another operation's
    steps, or interrupt the rollback). A statement it interrupted is the clerk's «Huỷ»:
    InterruptedError, the transaction rolls back; so is a «Huỷ» heard as a statement was
    ending (SQLite may let it finish)."""
    try:
        yield
    except sqlite3.OperationalError:
        if _stopped(counted()):
            raise InterruptedError("import cancelled") from None
        raise
    finally:
        conn.set_progress_handler(None, 0)
    if _stopped(counted()):
        raise InterruptedError("import cancelled")


def _stopped(counted: Counted | None) -> bool:
    return counted is not None and counted.stopped


def aged(text: str, seconds: float) -> str:
    """`text` (a phase's line, or lines: the last is the phase's) as shown after `seconds`:
    from AGED_AFTER_S on, its age after it — "Đang ghi vào cơ sở dữ liệu… (đã 12 giây)"."""
    if seconds < AGED_AFTER_S:
        return text
    whole = int(seconds)
    age = f"{vn_number(whole)} giây" if whole < 120 else \
        f"{vn_number(whole // 60)} phút {whole % 60} giây"
    return f"{text} (đã {age})"
