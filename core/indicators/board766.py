"""The 766 scorecard of a scope (spec 5.1): each of the six figures' result against its target,
and how many of them are met. One place for what the monthly report's 766 section prints and
the dashboard's 766 chart draws, so the screen and the signed paper show the same lines.

Decision 766 scores points per criterion, but the program's contract (spec 5.1) fixes only the
rates and their targets: the maxima known are the national portal's reconciliation, 3.3 has
none of its own and 2.1's conversion is not stated (shared/domain/brief.md 4). So the scorecard
is the rates against their targets, not points a province would not recognise.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.indicators import i766
from core.indicators.vocabulary import met_word, target_text
from core.timefmt import vn_number, vn_percent


@dataclass(frozen=True)
class Line766:
    key: str
    num: int
    den: int
    rate: float | None  # the rounded rate of spec 8, None on a zero denominator
    target: float
    met: bool | None     # the exact comparison (i766.meets)

    @property
    def figure(self) -> i766.Figure766:
        return i766.FIGURES[self.key]

    @property
    def label(self) -> str:
        """'2.1. Tỷ lệ hồ sơ giải quyết đúng hạn (766)', as the report's table names it."""
        return f"{self.figure.code}. {self.figure.name}"

    @property
    def result(self) -> str:
        """'90,72% (215/237)', or '—' when nothing was counted."""
        if self.rate is None:
            return "—"
        return f"{vn_percent(self.rate)} ({vn_number(self.num)}/{vn_number(self.den)})"

    @property
    def target_text(self) -> str:
        return target_text(self.target)

    @property
    def verdict(self) -> str:
        return met_word(self.met)


def scorecard(figures: dict, targets: dict[str, float]) -> list[Line766]:
    """The six lines of one unit or the total (`figures` carries spec 8's `i766`)."""
    out = []
    for key in i766.KEYS:
        part = figures["i766"][key]
        out.append(Line766(key, part["num"], part["den"], part["rate"], targets[key],
                           i766.meets(part, targets[key])))
    return out


def tally(lines: list[Line766]) -> str:
    """'Đạt 1/6 chỉ số 766', with those not counted said apart: 'Đạt 1/5 chỉ số 766 có số
    liệu (1 chỉ số chưa có số liệu)'."""
    met = sum(1 for line in lines if line.met)
    counted = sum(1 for line in lines if line.met is not None)
    if counted == len(lines):
        return f"Đạt {met}/{counted} {i766.SET_NAME.lower()}"
    if counted == 0:
        return f"Chưa có số liệu để tính các {i766.SET_NAME.lower()}"
    return (f"Đạt {met}/{counted} {i766.SET_NAME.lower()} có số liệu "
            f"({len(lines) - counted} chỉ số chưa có số liệu)")
