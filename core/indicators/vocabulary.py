"""One vocabulary for the four rated indicators of spec 5: their names, the figures behind their
numerator and denominator, the rate, how a target is written and the gap sentence.

The dashboard, every PDF, the command line and the settings screen take their words from here,
so a leader reads the same name, the same fraction and the same sentence everywhere.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from core.timefmt import vn_number


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str          # as a report names it: "Tỷ lệ hồ sơ giải quyết đúng hạn"
    short: str         # as a card, a column or a setting names it
    numerator: str     # the figures (spec 8 paths, "+" joins) a clerk can open
    denominator: str
    counted: str       # what the numerator counts: "hồ sơ trước hạn, đúng hạn"
    noun: str          # what one more success is: "cần thêm 7 <noun> để đạt 45%"
    grows: str         # "both": a success adds to both parts; "numerator": only to the numerator


INDICATORS: dict[str, Indicator] = {i.key: i for i in (
    Indicator("on_time", "Tỷ lệ hồ sơ giải quyết đúng hạn", "Giải quyết đúng hạn",
              "resolved.early+resolved.on_time", "resolved.total", "hồ sơ trước hạn, đúng hạn",
              "hồ sơ giải quyết đúng hạn", "both"),
    Indicator("online_full", "Tỷ lệ hồ sơ trực tuyến toàn trình", "Trực tuyến toàn trình",
              "online_full.count", "online_full.eligible", "hồ sơ trực tuyến toàn trình",
              "hồ sơ nộp trực tuyến toàn trình", "both"),
    Indicator("online_payment", "Tỷ lệ hồ sơ thanh toán trực tuyến", "Thanh toán trực tuyến",
              "online_payment.paid_online", "online_payment.fee_dossiers",
              "hồ sơ thanh toán trực tuyến", "hồ sơ thanh toán trực tuyến", "numerator"),
    Indicator("satisfaction", "Tỷ lệ người dân hài lòng", "Mức độ hài lòng",
              "satisfaction.satisfied", "satisfaction.votes", "phiếu hài lòng",
              "phiếu đánh giá hài lòng", "both"),
)}
KEYS = tuple(INDICATORS)

# What each figure of spec 5 counts, as a list behind it is titled: "62 hồ sơ giải quyết quá hạn".
FIGURE_NAMES = {
    "received.total": "hồ sơ tiếp nhận (kể cả kỳ trước chuyển sang)",
    "received.online": "hồ sơ tiếp nhận trực tuyến",
    "received.direct_postal": "hồ sơ tiếp nhận trực tiếp, qua bưu chính",
    "received.carried_over": "hồ sơ kỳ trước chuyển sang",
    "resolved.total": "hồ sơ đã giải quyết",
    "resolved.early": "hồ sơ giải quyết trước hạn",
    "resolved.on_time": "hồ sơ giải quyết đúng hạn",
    "resolved.late": "hồ sơ giải quyết quá hạn",
    "resolved.early+resolved.on_time": "hồ sơ giải quyết trước hạn và đúng hạn",
    "withdrawn": "hồ sơ rút hoặc dừng xử lý",
    "in_progress.total": "hồ sơ đang giải quyết",
    "in_progress.within_time": "hồ sơ đang giải quyết trong hạn",
    "in_progress.overdue": "hồ sơ đang giải quyết quá hạn",
    "online_full.count": "hồ sơ trực tuyến toàn trình",
    "online_full.eligible": "hồ sơ của thủ tục đủ điều kiện trực tuyến toàn trình",
    "online_full.received": "hồ sơ tiếp nhận",
    "online_payment.fee_dossiers": "hồ sơ có phí, lệ phí",
    "online_payment.paid_online": "hồ sơ đã thanh toán trực tuyến",
    "satisfaction.votes": "phiếu đánh giá",
    "satisfaction.satisfied": "phiếu hài lòng, rất hài lòng",
}


def value_at(figures: dict, path: str) -> int:
    """A figure of spec 8 by its path; "a+b" adds two figures."""
    total = 0
    for part in path.split("+"):
        value: Any = figures
        for step in part.split("."):
            value = value[step]
        total += value
    return total


def denominator_path(key: str, online_denominator: str = "eligible") -> str:
    """The denominator's figure; the online one follows the `online_denominator` setting."""
    if key == "online_full" and online_denominator == "all":
        return "online_full.received"
    return INDICATORS[key].denominator


def ratio(figures: dict, key: str, online_denominator: str = "eligible") -> tuple[int, int]:
    """(numerator, denominator) of an indicator, as the engine counted them."""
    return (value_at(figures, INDICATORS[key].numerator),
            value_at(figures, denominator_path(key, online_denominator)))


def rate_path(key: str) -> str:
    """Where spec 8 puts an indicator's rate: the on-time one at the top, the others inside."""
    return "on_time_rate" if key == "on_time" else f"{key}.rate"


def rate_of(figures: dict, key: str) -> float | None:
    """The rounded rate of spec 8 (None when the denominator is 0)."""
    value: Any = figures
    for step in rate_path(key).split("."):
        value = value[step]
    return value


def target_text(target: float) -> str:
    """A target as set, decimals kept (spec 5): 0.45 -> '45%', 0.955 -> '95,5%'."""
    text = f"{target * 100:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def gap_sentence(key: str, needed: int | None, target: float, closed: bool = False,
                 counted: tuple[int, int] | None = None) -> str:
    """'cần thêm 7 hồ sơ thanh toán trực tuyến để đạt 45%', 'đã đạt chỉ tiêu 45%', or
    'chưa có số liệu để tính' (the same words on screen and on paper). For a period that is
    over nobody can act any more: its result is stated (closed_gap, `counted` = the figure's
    numerator and denominator)."""
    goal = target_text(target)
    if needed is None:
        return "chưa có số liệu để tính"
    if needed == 0:
        return f"đã đạt chỉ tiêu {goal}"
    if closed:
        return closed_gap(INDICATORS[key].noun, needed, counted, goal)
    return f"cần thêm {vn_number(needed)} {INDICATORS[key].noun} để đạt {goal}"


def closed_gap(noun: str, needed: int, counted: tuple[int, int] | None, goal: str) -> str:
    """A period over: how many of those counted would have had to succeed, over the same
    denominator (core.indicators.gaps.growth), with the fractions that say so: "cần 7/7 phiếu
    đánh giá hài lòng để đạt 95%, thực tế 6/7 (thiếu 1)". "còn thiếu 1 phiếu … so với chỉ tiêu
    95%" read as if one more vote would do, where 13 more would (try25 F7). Biểu 06's and
    766's words (core.indicators.gaps766)."""
    if counted is None:
        raise ValueError("a closed period's gap is said with its fraction")
    numerator, denominator = counted
    over = f"/{vn_number(denominator)}"
    return (f"cần {vn_number(numerator + needed)}{over} {noun} để đạt {goal}, thực tế "
            f"{vn_number(numerator)}{over} (thiếu {vn_number(needed)})")


def met_word(met: bool | None) -> str:
    return "Chưa có số liệu" if met is None else "Đạt" if met else "Chưa đạt"


def is_final(doc: dict) -> bool:
    """Whether a spec-8 document was evaluated at its period end (not provisional, spec 5)."""
    end = dt.date.fromisoformat(doc["to"]) + dt.timedelta(days=1)
    return "as_of" in doc and doc["as_of"] >= f"{end.isoformat()} 00:00:00"


def moment_words(moment: dt.datetime) -> str:
    """'10 giờ 15 phút, ngày 30/11/2026': the moment of evaluation in the words of spec 5, the
    one way every screen, paper, workbook and command says it (a leader compares the screen
    with the signed paper: the same moment must read the same)."""
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, ngày {moment:%d/%m/%Y}"


def provisional_note(doc: dict) -> str:
    """'số liệu tạm tính đến 10 giờ 15 phút, ngày 30/11/2026' for a document of a period not
    yet over (spec 5), '' once it is; lower case, to follow a dash on a screen
    (provisional_line starts a line of paper)."""
    if is_final(doc):
        return ""
    return f"số liệu tạm tính đến {moment_words(dt.datetime.fromisoformat(doc['as_of']))}"


def provisional_line(doc: dict) -> str:
    """'Số liệu tạm tính đến 10 giờ 15 phút, ngày 30/11/2026' ('' once the period is over):
    the line every page of a document made before its period ends carries (spec 5)."""
    note = provisional_note(doc)
    return note[:1].upper() + note[1:]


def moment_line(doc: dict) -> str:
    """Under a document's title: provisional_line while the period runs, otherwise 'Số liệu
    tính đến hết ngày 31/10/2026' (the end of the period, 24:00 of `to`), or the moment an
    `--as-of` inside a finished period chose."""
    if not is_final(doc):
        return provisional_line(doc)
    moment = dt.datetime.fromisoformat(doc["as_of"])
    if moment.time() == dt.time():  # the end of a day: 24:00 of the day before
        return f"Số liệu tính đến hết ngày {moment.date() - dt.timedelta(days=1):%d/%m/%Y}"
    return f"Số liệu tính đến {moment_words(moment)}"
