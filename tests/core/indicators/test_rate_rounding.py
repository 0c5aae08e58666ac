"""Spec 8: rates are fractions rounded to 4 decimals — half up, as a spreadsheet's ROUND and a
leader's pencil do (1/32 = 0,03125 -> 0,0313), in the JSON, the 766 set and every percentage a
screen or paper prints from them. Python's round() and format() round an exact tie to even
(0,0312; 3,12%), which a tool recomputing num/den with ROUND disagreed with."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

from core.indicators import compute
from core.timefmt import rate4, vn_percent
from tests.core.factories import add_dossier, add_procedures, add_units


def test_ties_round_half_up():
    assert rate4(Fraction(1, 32)) == 0.0313       # round(0.03125, 4) == 0.0312
    assert rate4(Fraction(3, 32)) == 0.0938
    assert rate4(Fraction(2, 3)) == 0.6667 and rate4(Fraction(1, 3)) == 0.3333
    assert rate4(Fraction(1, 1)) == 1.0 and rate4(Fraction(0, 7)) == 0.0
    assert rate4(None) is None
    assert vn_percent(0.03125) == "3,13%" and vn_percent(0.0313) == "3,13%"
    assert vn_percent(0.00125, 1) == "0,1%" and vn_percent(0.00005) == "0,01%"
    assert vn_percent(0.955, 1) == "95,5%" and vn_percent(None) == "—"


def test_kpi_json_rounds_a_tie_half_up(db):
    add_units(db)
    add_procedures(db)
    # 32 dossiers with a fee (P.WD05: 8.000 đ) received in March 2025, one paid online
    for n in range(32):
        add_dossier(db, code=f"U1-250303-{n + 1:04d}", procedure="P.WD05",
                    received=dt.datetime(2025, 3, 3, 8, n),
                    payments=[(8000, "online", dt.datetime(2025, 3, 3, 9))] if n == 0 else ())
    doc = compute(db, dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    total = doc["total"]
    assert total["online_payment"] == {"paid_online": 1, "fee_dossiers": 32, "rate": 0.0313}
    assert total["i766"]["online_payment"] == {"num": 1, "den": 32, "rate": 0.0313}
    assert total["meets"]["online_payment"] is False


def test_a_target_is_met_by_the_exact_rate_not_the_rounded_one(db):
    """Spec 5: 2/3 prints 0.6667 but does not meet a target of 66,67%; 0.955 is kept as typed."""
    from core.indicators.cli import render_table
    from core.office_settings import save_targets

    add_units(db)
    add_procedures(db)
    for n, finished in enumerate((dt.datetime(2025, 3, 4, 9), dt.datetime(2025, 3, 4, 10),
                                  dt.datetime(2025, 3, 20, 9))):  # 2 early, 1 late
        add_dossier(db, code=f"U1-250303-{n + 1:04d}", received=dt.datetime(2025, 3, 3, 8),
                    status="done", finished=finished)
    save_targets(db, 2025, {"on_time": 0.6667, "online_full": 0.7, "online_payment": 0.45,
                            "satisfaction": 0.955})
    doc = compute(db, dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert doc["total"]["on_time_rate"] == 0.6667
    assert doc["total"]["meets"]["on_time"] is False
    assert doc["targets"]["satisfaction"] == 0.955
    text = render_table(doc)
    assert "(chỉ tiêu ≥ 66,67%)  CHƯA ĐẠT" in text and "(chỉ tiêu ≥ 95,5%)" in text
    save_targets(db, 2025, {"on_time": 0.6666, "online_full": 0.7, "online_payment": 0.45,
                            "satisfaction": 0.95})
    assert compute(db, dt.date(2025, 3, 1), dt.date(2025, 3, 31))["total"]["meets"]["on_time"]
