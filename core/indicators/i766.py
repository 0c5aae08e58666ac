"""The second set of indicators, Decision 766 (spec 5.1), from the same raw counts as Biểu 06.

Each figure is {num, den, rate}; the rate is null on a zero denominator (spec 5). The counts
come from kpi_daily's i_* columns (core.facts, core.scorecard766) summed with Biểu 06's in the
same queries, so the second set costs the engine no extra pass. Not importing core.indicators
(its __init__ imports this module).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from core.timefmt import rate4

# figure of core.scorecard766.figures -> key of the raw counts
COUNT_KEYS = {
    "i766.ok": "i_ok", "i766.open_late": "i_open_late", "i766.online": "i_online",
    "i766.digitised": "i_digitised", "i766.e_result": "i_eresult",
    "i766.complained": "i_complained", "i766.late": "i_late_po",
}
# counts that depend on the dossier's classification (irregular dossiers: from the rules)
CLASSIFIED = ("i766.ok", "i766.late", "i766.open_late")
ZERO = dict.fromkeys(COUNT_KEYS.values(), 0)
# kpi_daily columns summed over the period's days -> raw count key
PERIOD_COLUMNS = {"i_ok": "i_ok", "i_online": "i_online", "i_digitised": "i_digitised",
                  "i_eresult": "i_eresult", "i_complained": "i_complained",
                  "late_po": "i_late_po"}
SPAN_COLUMNS = ("i_od_start", "i_od_end")


@dataclass(frozen=True)
class Figure766:
    key: str
    code: str          # the criterion of Decision 766: "2.1"
    name: str          # as a report names it
    short: str         # as a card or a column names it
    numerator: str     # what the numerator counts, after the number
    noun: str          # one more success: "cần thêm 7 <noun> để đạt 90%"
    grows: str         # "both" | "numerator" (core.indicators.gaps.needed)


FIGURES: dict[str, Figure766] = {f.key: f for f in (
    Figure766("on_time", "2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn (766)", "Đúng hạn (766)",
              "hồ sơ đúng hạn, đang trong hạn / tổng hồ sơ xử lý", "hồ sơ đúng hạn", "both"),
    Figure766("online", "3.3", "Tỷ lệ hồ sơ trực tuyến (766)", "Trực tuyến (766)",
              "hồ sơ trực tuyến / tổng hồ sơ tiếp nhận", "hồ sơ trực tuyến", "both"),
    Figure766("online_payment", "3.6", "Tỷ lệ thanh toán trực tuyến (766)",
              "Thanh toán tr.tuyến (766)", "hồ sơ thanh toán trực tuyến / hồ sơ có phí",
              "hồ sơ thanh toán trực tuyến", "numerator"),
    Figure766("e_result", "4.1", "Tỷ lệ trả kết quả điện tử (766)", "Kết quả điện tử (766)",
              "hồ sơ có kết quả điện tử / hồ sơ đã giải quyết", "hồ sơ trả kết quả điện tử",
              "numerator"),
    Figure766("digitised", "4.2", "Tỷ lệ số hoá hồ sơ (766)", "Số hoá (766)",
              "hồ sơ số hoá / tổng hồ sơ tiếp nhận", "hồ sơ được số hoá", "numerator"),
    Figure766("satisfaction", "5.4", "Mức độ hài lòng (766)", "Hài lòng (766)",
              "đã giải quyết trừ trễ hạn, phản ánh / đã giải quyết",
              "hồ sơ không trễ hạn, không bị phản ánh", "both"),
)}
KEYS = tuple(FIGURES)
# a narrow column's title (tables of the screen, the command line and the PDF)
COLUMN_TITLES = {"on_time": "Đúng hạn", "online": "Tr.tuyến", "online_payment": "TT tr.tuyến",
                 "e_result": "KQ điện tử", "digitised": "Số hoá", "satisfaction": "Hài lòng"}
SET_NAME = "Chỉ số 766"          # how every screen and paper names the second set
FIRST_SET_NAME = "Biểu 06"

# Behind each numerator and denominator: the drill-down figures (core.indicators.i766_drill).
DRILL = {
    "on_time": ("i766.on_time.num", "received.total"),
    "online": ("i766.online.num", "online_full.received"),
    "online_payment": ("online_payment.paid_online", "online_payment.fee_dossiers"),
    "e_result": ("i766.e_result.num", "resolved.total"),
    "digitised": ("i766.digitised.num", "online_full.received"),
    "satisfaction": ("i766.satisfaction.num", "resolved.total"),
}
FIGURE_NAMES = {
    "i766.on_time.num": "hồ sơ đúng hạn theo 766 (đã xong không trễ, đang trong hạn)",
    "i766.online.num": "hồ sơ trực tuyến theo 766",
    "i766.e_result.num": "hồ sơ trả kết quả điện tử",
    "i766.digitised.num": "hồ sơ được số hoá",
    "i766.satisfaction.num": "hồ sơ đã giải quyết không trễ hạn, không bị phản ánh",
    "i766.satisfaction.late": "hồ sơ giải quyết trễ hạn (766)",
    "i766.satisfaction.complained": "hồ sơ bị phản ánh, kiến nghị hoặc không hài lòng",
}


def _part(num: int, den: int) -> dict:
    return {"num": num, "den": den,
            "rate": rate4(None if den == 0 else Fraction(num, den))}


def exact(part: dict) -> Fraction | None:
    return None if part["den"] == 0 else Fraction(part["num"], part["den"])


def figures(c: dict[str, int], received_total: int, received_in: int, resolved: int,
            in_progress: int) -> dict:
    """The `i766` object of spec 8 for one unit or the total, from raw counts."""
    within = in_progress - c["i_open_late"]
    # 5.4: 1 − (late share + complaint share), floored at 0: a numerator never below 0
    satisfied = max(0, resolved - c["i_late_po"] - c["i_complained"])
    return {
        "on_time": _part(c["i_ok"] + within, received_total),
        "online": _part(c["i_online"], received_in),
        "online_payment": _part(c["paid_online"], c["fee_dossiers"]),
        "e_result": _part(c["i_eresult"], resolved),
        "digitised": _part(c["i_digitised"], received_in),
        "satisfaction": _part(satisfied, resolved),
    }


def meets(part: dict, target: float) -> bool | None:
    value = exact(part)
    return None if value is None else value >= Fraction(str(target))


def add_sums(counts: dict, unit: str, in_period: dict, spans: dict) -> None:
    """Fill the 766 raw counts of `unit` from its kpi_daily sums (core.indicators)."""
    target = counts[unit]
    for column, key in PERIOD_COLUMNS.items():
        target[key] = in_period.get(column, 0)
    target["i_open_late"] = spans.get("i_od_start", 0) - spans.get("i_od_end", 0)


def satisfaction_parts(c: dict[str, int]) -> dict[str, int]:
    """What 5.4 subtracts: resolved dossiers late (pause, original due) and complained about."""
    return {"late": c["i_late_po"], "complained": c["i_complained"]}
