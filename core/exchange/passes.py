"""The progress one import operation shows across its passes (merge.import_packages).

An operation begins again from its first package, everything of the pass before rolled back,
when a later package carries aliases naming the sender of a package merged before it
(merge._Taught, recode.teaching), or to set apart the codes several packages bring differently
(its `flagged`, `mixed`). Each pass reports its own progress from 0: passed on as it was, the
clerk's bar went back to 0 halfway through, as if the work were lost or the program had
started over. Here it never goes back: a pass after the first fills the part of the bar the
passes before left (its own done/total scaled into it, 100 % only when it ends), and the clerk
is told why (`told`: the window's label). With too little of the bar left (a pass that began
again after the one before reached its end) the bar turns busy — unknown length — rather than
standing full while the work goes on. Each pass's own phases (the rows, then the work after
them) are core.exchange.phases': full only at the operation's end.
"""
from __future__ import annotations

import math
from collections.abc import Callable

Progress = Callable[[int, int], object]
SCALE = 1000  # a later pass's bar, in thousandths (any total: its fraction is what is shown)
ROOM_MIN = 0.1  # a later pass with less of the bar left shows a busy bar
TAUGHT_VI = "Đang làm lại với mã đã đổi…"  # (gói sau cho biết mã đã đổi của gói nhập trước)
APART_VI = "Đang làm lại, xét riêng các hồ sơ mà các gói mang khác nhau…"


class Passes:
    """`progress` as the operation's passes are shown: never backwards (see the module)."""

    def __init__(self, progress: Progress, told: Callable[[str], object] | None = None):
        self.outer, self.told = progress, told
        self.reached = 0.0  # the fraction of the bar reached
        self.shown = 0.0  # … as last shown (a later pass's rounded up to a thousandth)
        self.base: float | None = None  # where this pass began on the bar (None: the first)
        self.last: tuple[int, int] | None = None  # the first pass's furthest report, as given

    def again(self, text: str) -> None:
        """The operation begins again from its start: the next reports are its new pass."""
        self.base = self.reached
        if self.told is not None:
            self.told(text)

    @property
    def busy(self) -> bool:
        return self.base is not None and 1.0 - self.base < ROOM_MIN

    def __call__(self, done: int, total: int) -> object:
        if total <= 0:  # a step of unknown length: a busy bar already
            return self.outer(done, total)
        fraction = min(max(done / total, 0.0), 1.0)
        if self.base is None:  # the first pass: as reported, while it goes forward
            if fraction >= max(self.reached, self.shown):
                self.reached = self.shown = fraction
                self.last = (done, total)
                return self.outer(done, total)
            if self.last is not None:  # a wait re-asking below its furthest: that, in its units
                return self.outer(*self.last)
        elif self.busy:
            if fraction < 1.0:
                return self.outer(0, 0)
            self.reached = 1.0
        else:
            self.reached = max(self.reached, self.base + (1.0 - self.base) * fraction)
        # (rounded up: a thousandth never shown below what the pass before reached; but full
        # only when the pass is: the bar full says the work has ended, core.exchange.phases)
        most = SCALE if self.reached >= 1.0 else SCALE - 1
        value = max(min(math.ceil(self.reached * SCALE), most), math.ceil(self.shown * SCALE))
        self.shown = value / SCALE
        return self.outer(value, SCALE)
