"""Gap and projection sentences of the dashboard cards (core.indicators.gaps)."""
from __future__ import annotations

import datetime as dt

from core.calendar import WorkCalendar
from core.indicators import gaps


def doc(paid_online: int, fee_dossiers: int) -> dict:
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
    found = gaps.gaps(doc(1000, 5000))["online_payment"]
    assert found.sentence == "cần thêm 1.250 hồ sơ thanh toán trực tuyến để đạt 45%"


def test_projection_numbers_carry_thousand_separators():
    cal = WorkCalendar()
    # on 13/11, 10 of the 20 working days of November are gone: the pace doubles the figures
    projected = gaps.project(doc(1000, 5000), cal, dt.date(2026, 11, 13), dt.date(2026, 11, 30))
    text = projected["online_payment"].sentence
    assert text.startswith("cuối tháng dự kiến 20,00% (2.000/10.000); cần thêm ")
