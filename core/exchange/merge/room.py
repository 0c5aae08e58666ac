"""The room an operation needs on the centre's disk and the temporary folder's, checked before
anything is extracted, and how many merged parts' files may wait for the copier's jobs
(core.exchange.merge)."""
from __future__ import annotations

import tempfile

from core.exchange import space
from core.exchange.merge.opening import AHEAD
from core.exchange.package import ROWS_PART, PackageReader, parts_of

# A merged part's file is removed as soon as no job of the copier reads it (`_Run.release`).
# The jobs kept for later (the search keys, the kept facts: fastcopy.Copier.later) wait for
# the end of the parts when the second process is behind, their files with them (49 of 50
# parts at a load of 10). When the temporary folder's disk has not the room for every part
# (space.check_room), more than HELD_MOST merged parts' files waiting for them have the
# oldest one's given to the second process at once, and more than HELD_MAX (plus the parts
# the room left allows) make the merge wait for them: the folder then holds at most
# AHEAD + 2 + HELD_MAX parts (the one merging, those verified ahead, those held). With room
# for all, the jobs keep their order (waiting cost 10 % of the wall at a load of 8,
# docs/speed.md, sixteenth round).
HELD_MOST = 1
HELD_MAX = 3


def _check_room(db, readers: list[PackageReader]) -> int | None:
    """The room the operation needs on the centre's disk and the temporary folder's, checked
    from the manifests and the zip's declared sizes before anything is extracted or written
    (core.exchange.space): refused up front with what is free and what is needed. Returns
    the temporary folder's room beyond it (`_held_max`)."""
    path = getattr(db, "path", None)
    parts = [(sum(r.members[name].file_size for name in parts_of(
        r.manifest.data["format_version"])), ROWS_PART in r.members) for r in readers]
    what = f"nhập {len(readers)} gói" if len(readers) > 1 else f"nhập gói {readers[0].path.name}"
    return space.check_room(None if path in (None, ":memory:") else path,
                            tempfile.gettempdir(), parts, AHEAD + 2 + HELD_MAX, what)


def _held_max(room: int | None, readers: list[PackageReader]) -> int:
    """How many merged parts' files may wait for the copier's jobs (`_Run.release`): HELD_MAX,
    and as many more of the largest as the temporary folder's room beyond the estimate holds
    (unknown room: HELD_MAX)."""
    sizes = [r.members[ROWS_PART].file_size for r in readers if ROWS_PART in r.members]
    if room is None or not sizes:
        return HELD_MAX
    return HELD_MAX + room // max(max(sizes), 1)
