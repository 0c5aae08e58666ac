"""The terms every piece of the merge shares: the progress callback, the clerk's choices for a
conflict, and what a package record may change here (core.exchange.merge)."""
from __future__ import annotations

from collections.abc import Callable

from core.exchange import compare, recode

Progress = Callable[[int, int], object]
KEEP, THEIRS, BOTH = "keep", "theirs", recode.BOTH
# what a package record may change here (the others leave this installation's as it is)
LIVE = (compare.NEW, compare.CHANGED, compare.CONFLICT)
