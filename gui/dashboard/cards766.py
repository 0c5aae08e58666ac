"""The 766 cards (spec 5.1): the same card as Biểu 06's — rate, fraction, target, gap,
projection — for each figure of the second set, every number opening its dossiers."""
from __future__ import annotations

from core.indicators import i766
from core.indicators.vocabulary import target_text
from core.timefmt import vn_number
from gui.dashboard.cards import FigureCard, colour, link


class Card766(FigureCard):
    """A 766 figure's card: six side by side on a 1366-pixel screen, their titles wrapped."""

    def __init__(self, key: str, parent=None):
        figure = i766.FIGURES[key]
        super().__init__(key, f"<b>{figure.short}</b> <small>tiêu chí {figure.code}</small>",
                         140, True, parent)
        self.title.setToolTip(figure.name)

    def show_part(self, part: dict, target: float, gap: str = "", projection: str = "",
                  parts: dict | None = None) -> None:
        """`part`: the figure's {num, den, rate}; `parts`: what 5.4 subtracts (late,
        complained: core.indicators.compute(detail=True))."""
        met = i766.meets(part, target)
        shade = colour(part["rate"], target, met)
        self.show_shaded(shade, part["rate"], 20, self._numbers(part, parts or {}),
                         f"Chỉ tiêu 766 ≥ {target_text(target)}", gap, projection)

    def _numbers(self, part: dict, parts: dict) -> str:
        numerator, denominator = i766.DRILL[self.key]
        words = i766.FIGURES[self.key].numerator
        if self.key != "satisfaction":
            return (f"{link(numerator, part['num'])} / {link(denominator, part['den'])} "
                    f"{words}")
        # 5.4's numerator is resolved − late − complained (floored at 0): its parts open
        late, complained = parts.get("late", 0), parts.get("complained", 0)
        return (f"{vn_number(part['num'])} / {link(denominator, part['den'])} đã giải quyết; "
                f"trừ {link('i766.satisfaction.late', late)} trễ hạn, "
                f"{link('i766.satisfaction.complained', complained)} bị phản ánh")
