"""How far each 766 figure is from its target, and where the period ends at the current pace:
the sentences of core.indicators.gaps, in the words of the second set (core.indicators.i766)."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

from core.calendar import WorkCalendar
from core.indicators import i766
from core.indicators.gaps import end_word, growth, needed, pace_factor, too_little, working_days
from core.indicators.vocabulary import FIGURE_NAMES, closed_gap, is_final, target_text
from core.timefmt import vn_number, vn_percent


def sentence(key: str, count: int | None, target: float, closed: bool = False,
             counted: tuple[int, int] | None = None) -> str:
    """'cần thêm 7 hồ sơ được số hoá để đạt 80%', as vocabulary.gap_sentence says it."""
    goal = target_text(target)  # the card and the table already name the set
    noun = i766.FIGURES[key].noun
    if count is None:
        return "chưa có số liệu để tính"
    if count == 0:
        return f"đã đạt chỉ tiêu {goal}"
    if closed:
        return closed_gap(noun, count, counted, goal)
    return f"cần thêm {vn_number(count)} {noun} để đạt {goal}"


def gaps(doc: dict, targets: dict[str, float], figures: dict | None = None) -> dict[str, str]:
    """{figure: gap sentence} of the total (or one unit's `figures`) of a spec-8 document."""
    parts = (figures or doc["total"])["i766"]
    closed = is_final(doc)
    return {key: sentence(key, needed(parts[key]["num"], parts[key]["den"], targets[key],
                                      growth(i766.FIGURES[key].grows, closed)),
                          targets[key], closed, (parts[key]["num"], parts[key]["den"]))
            for key in i766.KEYS}


def projections(doc: dict, targets: dict[str, float], cal: WorkCalendar, today: dt.date,
                period_end: dt.date) -> dict[str, str]:
    """{figure: 'cuối tháng dự kiến 91,20% (…/…); đã đạt chỉ tiêu 90%'} at the pace
    so far; 'cuối tháng: chưa đủ số liệu để dự kiến (…)' below the least evidence
    (core.indicators.gaps.too_little)."""
    start = dt.date.fromisoformat(doc["from"])
    factor = pace_factor(cal, start, today, period_end)
    elapsed = working_days(cal, start, min(today, period_end))
    end = end_word(start, period_end)
    where = f"{end} dự kiến"
    out = {}
    for key in i766.KEYS:
        part = doc["total"]["i766"][key]
        refused = too_little(end, part["den"], FIGURE_NAMES[i766.DRILL[key][1]], elapsed)
        if refused:
            out[key] = refused
            continue
        num, den = round(part["num"] * factor), round(part["den"] * factor)
        value = None if den == 0 else float(Fraction(num, den))
        count = needed(num, den, targets[key], i766.FIGURES[key].grows)
        out[key] = (f"{where} {vn_percent(value)} ({vn_number(num)}/{vn_number(den)}); "
                    + sentence(key, count, targets[key]))
    return out
