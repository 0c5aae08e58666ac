"""Which units a paper lists one by one (spec 5): all of them, unless there are many.

A report of a unit lists every unit under it, row by row, in Biểu 06 and the tables after it.
A province has a few hundred (all listed, by name); a crafted catalogue may put 40,000 under one unit, and 40,000
rows of zeros are some 4,000 pages nobody reads. Above `LIST_ALL_UP_TO` units the quiet ones —
nothing counted in the period: no dossier received, resolved, in progress or withdrawn, no
vote, no fee, and no dossier received at its desk for another unit (spec 5 counts those in
the competent unit's row, so a reception point's or a branch's own row is all zeros while it
received dossiers: the caller names them in `active`) — are folded into one counted line
("39.700 đơn vị khác: không có số liệu trong kỳ"), whose figures (all zero) are theirs; the
totals are the engine's, unchanged. The monthly report (PDF) and its chart use this one rule.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from core.timefmt import vn_number

# units of a report listed one by one, whatever their figures: every real catalogue (Hà Nội
# before the 2025 reform, some 640 units, and its 126 new communes in a report over 2025;
# Hồ Chí Minh's 168 communes with departments, the centre's branches and reception points)
LIST_ALL_UP_TO = 1000


@dataclass(frozen=True)
class Listing:
    shown: list[dict]                                  # the units listed, in the engine's order
    folded: list[dict] = field(default_factory=list)  # the quiet units of the counted line

    def folded_name(self) -> str:
        """The counted line's name, '' when nothing is folded."""
        if not self.folded:
            return ""
        return f"{vn_number(len(self.folded))} đơn vị khác: không có số liệu trong kỳ"


def _numbers(value) -> list:
    if isinstance(value, dict):
        return [n for key, item in value.items() if key not in ("code", "name")
                for n in _numbers(item)]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    return [value]


def is_quiet(unit: dict) -> bool:
    """Nothing counted for `unit` (a spec 8 unit dict): every count zero, no rate."""
    return all(n == 0 for n in _numbers(unit))


def listing(units: list[dict], active: Collection[str] = ()) -> Listing:
    """`units` all when few, else those with figures and the quiet ones folded; `active`: the
    codes of units that did something in the period their figures do not show (received a
    dossier for another unit), never folded."""
    if len(units) <= LIST_ALL_UP_TO:
        return Listing(list(units))
    shown: list[dict] = []
    folded: list[dict] = []
    for unit in units:
        (folded if is_quiet(unit) and unit["code"] not in active else shown).append(unit)
    return Listing(shown, folded)
