"""The gap to each target and the month-end projection, as the dashboard and report word them."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

from core.calendar import WorkCalendar
from core.indicators import gaps as gaps_module
from core.indicators.gaps import gaps, needed, pace_factor, project


def doc(early=0, on_time=0, late=0, of=0, eligible=0, received=0, paid=0, fee=0, sat=0, votes=0):
    total = {"resolved": {"total": early + on_time + late, "early": early, "on_time": on_time,
                          "late": late},
             "online_full": {"count": of, "eligible": eligible, "received": received},
             "online_payment": {"paid_online": paid, "fee_dossiers": fee},
             "satisfaction": {"satisfied": sat, "votes": votes}}
    return {"from": "2025-06-01", "to": "2025-06-30", "total": total,
            "policy": {"online_denominator": "eligible"},
            "targets": {"on_time": 0.9, "online_full": 0.7, "online_payment": 0.45,
                        "satisfaction": 0.95}}


def test_needed_is_the_smallest_count_reaching_the_exact_target():
    assert needed(80, 100, 0.9, "both") == 100      # (80 + 100) / 200 = 90%
    assert needed(81, 100, 0.9, "both") == 90
    assert needed(90, 100, 0.9, "both") == 0
    assert needed(30, 100, 0.45, "numerator") == 15
    assert needed(0, 0, 0.45, "numerator") is None   # no fee-bearing dossier: nothing to say
    assert needed(9, 10, 1.0, "both") is None        # 100% can never be reached by adding


def test_sentences_name_the_indicator_and_target():
    g = gaps(doc(early=8, late=2, of=5, eligible=10, paid=2, fee=10, sat=19, votes=20))
    assert g["online_payment"].sentence == "cần thêm 3 hồ sơ thanh toán trực tuyến để đạt 45%"
    assert g["on_time"].sentence == "cần thêm 10 hồ sơ giải quyết đúng hạn để đạt 90%"
    assert g["online_full"].sentence == "cần thêm 7 hồ sơ nộp trực tuyến toàn trình để đạt 70%"
    assert g["satisfaction"].sentence == "đã đạt chỉ tiêu 95%"


def test_projection_scales_by_working_days_elapsed():
    cal = WorkCalendar()
    # June 2025: 21 working days; up to Friday 13/06: 10 of them
    assert pace_factor(cal, dt.date(2025, 6, 1), dt.date(2025, 6, 13), dt.date(2025, 6, 30)) == \
        Fraction(21, 10)
    p = project(doc(paid=2, fee=10), cal, dt.date(2025, 6, 13), dt.date(2025, 6, 30))
    assert (p["online_payment"].numerator, p["online_payment"].denominator) == (4, 21)
    assert p["online_payment"].needed == 6  # 45% of 21 = 9.45 -> 10 paid online


# ----- thousand separators in the sentences and projections --------------------------------
def november(paid_online: int, fee_dossiers: int) -> dict:
    """A running November 2026 with only fee-bearing dossiers."""
    figures = {"resolved": {"early": 0, "on_time": 0, "total": 0},
               "online_full": {"count": 0, "eligible": 0, "received": 0},
               "online_payment": {"paid_online": paid_online, "fee_dossiers": fee_dossiers},
               "satisfaction": {"satisfied": 0, "votes": 0}}
    return {"from": "2026-11-01", "to": "2026-11-30", "total": figures,
            "policy": {"online_denominator": "eligible"},
            "targets": {"on_time": 0.9, "online_full": 0.7, "online_payment": 0.45,
                        "satisfaction": 0.95}}


def test_large_numbers_in_the_sentences_carry_thousand_separators():
    # 1.000 of 5.000 fee dossiers paid online; 45% of 5.000 is 2.250, so 1.250 more
    found = gaps_module.gaps(november(1000, 5000))["online_payment"]
    assert found.sentence == "cần thêm 1.250 hồ sơ thanh toán trực tuyến để đạt 45%"


def test_projection_numbers_carry_thousand_separators():
    cal = WorkCalendar()
    # on 13/11, 10 of the 20 working days of November are gone: the pace doubles the figures
    projected = gaps_module.project(november(1000, 5000), cal, dt.date(2026, 11, 13), dt.date(2026, 11, 30))
    text = projected["online_payment"].sentence
    assert text.startswith("cuối tháng dự kiến 20,00% (2.000/10.000); cần thêm ")
